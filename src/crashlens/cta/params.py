"""Parameters of the CTA engine: every modelling choice, named, with its documented default.

The field defaults follow ``METHODOLOGY.md`` §1 and define the *generic* replica
(``CTAParams()`` = ``CTAParams.preset("generic")``). The engine's default is the ``desk``
preset (:meth:`CTAParams.preset`), fitted openly to published desk readings by
:func:`crashlens.cta.calibrate` and shipped as package data with its fit report.
:meth:`CTAParams.assumptions` lists every field for result objects and reports.
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import functools
import json
import math
from importlib import resources
from typing import Any

from crashlens.errors import ParameterError


class SignalFamily(enum.StrEnum):
    """Trend-signal families of METHODOLOGY §1.2 (each maps a horizon ``h`` to ``[-1, 1]``)."""

    #: ``sign(P_t / P_{t-h} - 1)`` (Moskowitz, Ooi, Pedersen 2012).
    TSMOM = "tsmom"
    #: ``clip(ln(P_t/P_{t-h}) / (sigma_d sqrt(h)), -c, c) / c`` (Kestner 2020).
    NORM_MOM = "norm_mom"
    #: Carver EWMAC with slow span ``h`` and fast span ``h / ewmac_fast_ratio``.
    EWMAC = "ewmac"
    #: ``sign(SMA_fast - SMA_slow)`` with slow window ``h``, fast ``h / ma_fast_ratio``.
    MA_CROSS = "ma_cross"


class VolEstimator(enum.StrEnum):
    """Ex-ante volatility estimator of METHODOLOGY §1.3."""

    #: Exponentially weighted mean of squared log returns, centre of mass ``vol_com`` days.
    EWMA = "ewma"
    #: Equal-weighted mean of squared log returns over the last ``vol_window`` days.
    ROLLING = "rolling"


#: Default sector of catalog names (sector risk budgets apply to these groups).
DEFAULT_SECTORS: dict[str, str] = {
    **{n: "equity" for n in ("SPX", "NDX", "IXIC", "RUT", "SPY", "QQQ", "SMH", "NVDA", "GOOG",
                            "MSFT", "AMZN", "META", "TSLA", "COIN", "PLTR", "MSTR", "ESTX50",
                            "DAX", "FTSE", "CAC", "NIKKEI", "HSI")},
    **{n: "rates" for n in ("UST2Y", "UST5Y", "UST10Y", "UST30Y", "TLT", "HYG", "LQD", "ZN",
                            "BUND10Y", "JGB10Y")},
    **{n: "fx" for n in ("DXY", "USDJPY", "EURUSD", "GBPUSD")},
    **{n: "commodity" for n in ("GOLD", "SILVER", "COPPER", "WTI")},
    **{n: "crypto" for n in ("BTC", "ETH")},
}

#: Default universe of the generic replica: one proxy per main market.
DEFAULT_UNIVERSE: tuple[str, ...] = ("SPX", "NDX", "GOLD", "SILVER", "UST10Y", "DXY", "BTC")

#: Global trend-follower universe of the ``desk`` preset (issue 13): 8 equity indices, three
#: 10-year bond markets (the T-note future; Bund and JGB yields as bond-price proxies), four
#: metals and crude, four FX rates, Bitcoin.
GLOBAL_UNIVERSE: tuple[str, ...] = (
    "SPX", "NDX", "ESTX50", "DAX", "FTSE", "CAC", "NIKKEI", "HSI",
    "ZN", "BUND10Y", "JGB10Y",
    "GOLD", "SILVER", "COPPER", "WTI",
    "EURUSD", "GBPUSD", "USDJPY", "DXY",
    "BTC",
)

#: Catalog names counted as US equities (the desks' "US" length and flows).
US_EQUITY: frozenset[str] = frozenset({"SPX", "NDX", "IXIC", "RUT", "SPY", "QQQ", "SMH"})


#: Longest position half-life accepted (trading days, about four years).
MAX_POSITION_HALFLIFE = 1000.0


def valid_halflife(h: object) -> bool:
    """Whether ``h`` is a position half-life: a real number of days in [0, 1000] (not a bool)."""
    return (isinstance(h, (int, float)) and not isinstance(h, bool) and math.isfinite(h)
            and 0 <= h <= MAX_POSITION_HALFLIFE)


@dataclasses.dataclass(frozen=True)
class CTAParams:
    """Every modelling parameter of the CTA replica.

    Parameters
    ----------
    horizons : tuple of int
        Signal lookbacks in trading days (default 2w/1m/3m/6m/12m, Nomura-like; METHODOLOGY §1.2).
    horizon_weights : tuple of float or None
        Weight of each horizon in the blend; None = equal weights (MOP/HOP convention).
    families : tuple of SignalFamily
        Signal families blended (default: all four, equal weights).
    family_weights : tuple of float or None
        Weight of each family; None = equal weights.
    norm_mom_cap : float
        Cap ``c`` of the vol-normalised momentum z-score (Kestner default 1).
    ewmac_fast_ratio : float
        EWMAC fast span = slow span / ratio (Carver pairs (16,64)... have ratio 4).
    ewmac_target_abs, ewmac_cap : float
        Carver's forecast scaling: average absolute forecast 10, cap 20. The forecast scalar is
        computed in closed form for iid returns (not fitted on pooled backtests).
    ma_fast_ratio : float
        Moving-average crossover fast window = slow window / ratio (rounded, at least 1; 1 means
        price versus its moving average).
    short_max_horizon, medium_max_horizon : int
        Horizons ``<= short_max_horizon`` form the short-term group, ``<= medium_max_horizon`` the
        medium-term group, longer ones the long-term group (the three quoted triggers).
    vol_estimator : VolEstimator
        Ex-ante vol estimator (default EWMA as MOP).
    vol_com : float
        EWMA centre of mass in days, ``delta/(1-delta)`` (MOP 60 => delta = 0.9836).
    vol_window : int
        Window of the rolling estimator.
    vol_min_obs : int
        Returns needed before the vol estimate is used.
    vol_floor : float
        Floor on annualised vol (guards against infinite size on a frozen price).
    annualisation : float
        Trading days per year for exchange-traded assets (MOP use 261).
    annualisation_24x7 : float
        Days per year for assets that trade on weekends (crypto).
    target_vol : float
        Portfolio ex-ante vol at full conviction (HOP 10 %).
    portfolio_vol_scaling : bool
        Scale the book with the correlation matrix (HOP); False = no diversification credit
        (each asset runs its budget share of ``target_vol``).
    corr_window : int
        Business days of the rolling correlation window (HOP 3 years = 756).
    corr_min_obs : int
        Overlapping returns needed for a pairwise correlation; fewer => correlation 0.
    corr_update_days : int
        The correlation matrix is re-estimated every this many business days (monthly risk model).
    leverage_cap : float
        Gross notional / AUM cap (METHODOLOGY: 3-5x).
    sector_budgets : tuple of (str, float)
        Risk budget per sector, renormalised over the sectors present; equal split within a
        sector; a sector absent from the list gets an equal share.
    aum : float
        Effective trend-following AUM in USD. Default $300bn: BarclayHedge systematic
        managed-futures AUM ~$303bn (Q4 2018) and Carver's "probably around $300bn" in
        systematic trend (METHODOLOGY §1.4); no SG-Trend calibration (beta = 1).
    aum_band : tuple of float
        AUM scenario band (METHODOLOGY §1.4: $200-350bn).
    trigger_bracket : float
        Aggregate triggers are searched in ``[(1-b) P_t, (1+b) P_t]`` (METHODOLOGY: 0.3).
    curve_range, curve_points : float, int
        Conditional-flow curve grid: tomorrow's price from ``(1-range) P_t`` to ``(1+range) P_t``.
    flow_horizons : tuple of (str, int)
        Scenario horizons: 1 week = 5 days, 1 month = 21 days.
    scenario_k_sigma : tuple of (str, float)
        Tapes: ``P_{t+k} = P_t exp(k_sigma sigma_d sqrt(H) k / H)``; flat 0, up +1, down -1,
        down_big -2 (METHODOLOGY §1.6; GS sizes unpublished).
    mc_paths, mc_window, mc_seed : int
        Monte-Carlo bands: paths bootstrapped (as joint cross-asset blocks of H business days)
        from the last ``mc_window`` business days, with a fixed seed.
    mc_quantiles : tuple of float
        Quantiles reported for Monte-Carlo flows.
    percentile_years : tuple of int
        Trailing windows (calendar years) for the positioning percentile.
    max_gap_days : int
        A gap between consecutive closes longer than this many calendar days gives a warning.
    max_stale_days : int
        The as-of date may lie at most this many calendar days after an asset's last close.
    yield_durations : tuple of (str, float)
        Modified duration used to turn a yield (%) into a bond-future price proxy
        ``P = 100 exp(-D (y - y_0) / 100)`` (par bonds at ~4 %; carry and convexity ignored;
        Bund 8.8 and JGB 9.5: 10-year par bonds at ~2.5 % and ~1 %).
    blend : tuple of (group, family, horizon, fast, weight), optional
        Explicit signal components, overriding ``families`` x ``horizons``: each names its
        trigger group (``short``/``medium``/``long``), family, slow horizon in trading days,
        fast window/span in days (EWMAC: span, 1 = price vs EMA; MA crossover: window, 1 =
        price vs SMA; 0 for momentum families) and blend weight (normalised to sum to one).
        The ``desk`` preset defines its pivot groups this way.
    universe : tuple of str
        Catalog names of the book. The book is always the whole universe; the ``assets``
        argument of the engine only selects which rows are shown (an asset outside the
        universe is added to the book, with a warning).
    model : str
        Label of the parameter set printed with results (``generic``, ``desk``, ``custom``).
    max_asset_leverage : float, optional
        Cap on one asset's notional as a fraction of AUM (``|w_i| <= cap``, applied before the
        gross ``leverage_cap``); None = no cap. Vol targeting sizes a market inversely to its
        vol, so a market whose vol was pinned (JGB yields under yield-curve control) would
        otherwise carry several times the AUM; real books are bounded by liquidity and margin.
    scenario_vol : {"path", "hold"}
        Vol along scenario and Monte-Carlo paths: ``path`` re-estimates it from the simulated
        returns (a flat tape then decays it, and sizes grow); ``hold`` keeps the as-of
        estimate (a flat tape means "prices unchanged, risk unchanged").
    headline_percentile_years : int
        Window (calendar years, one of ``percentile_years``) of the percentile quoted in
        summaries, e.g. the equity length's; the ``desk`` preset uses the window whose
        percentile is closest to the desks' on the calibration set.
    position_halflife : float
        Half-life (trading days of each asset's own calendar) with which the held position
        moves toward the signal's target: ``e_k = e_{k-1} + a (w_k - e_{k-1})`` with
        ``a = 1 - 0.5 ** (1 / halflife)``, so a book trades its way into a new target over
        days rather than at one close. 0 = the target is held at every close (generic).
        Triggers are where the *signals* flip and do not depend on it; positions, flows and
        percentiles do.
    """

    horizons: tuple[int, ...] = (10, 21, 63, 126, 252)
    horizon_weights: tuple[float, ...] | None = None
    families: tuple[SignalFamily, ...] = (
        SignalFamily.TSMOM, SignalFamily.NORM_MOM, SignalFamily.EWMAC, SignalFamily.MA_CROSS,
    )
    family_weights: tuple[float, ...] | None = None
    norm_mom_cap: float = 1.0
    ewmac_fast_ratio: float = 4.0
    ewmac_target_abs: float = 10.0
    ewmac_cap: float = 20.0
    ma_fast_ratio: float = 4.0
    short_max_horizon: int = 21
    medium_max_horizon: int = 126
    vol_estimator: VolEstimator = VolEstimator.EWMA
    vol_com: float = 60.0
    vol_window: int = 63
    vol_min_obs: int = 20
    vol_floor: float = 0.005
    annualisation: float = 261.0
    annualisation_24x7: float = 365.0
    target_vol: float = 0.10
    portfolio_vol_scaling: bool = True
    corr_window: int = 756
    corr_min_obs: int = 126
    corr_update_days: int = 21
    leverage_cap: float = 4.0
    sector_budgets: tuple[tuple[str, float], ...] = (
        ("equity", 0.25), ("rates", 0.25), ("fx", 0.20), ("commodity", 0.25), ("crypto", 0.05),
    )
    aum: float = 300e9
    aum_band: tuple[float, float] = (200e9, 350e9)
    trigger_bracket: float = 0.30
    curve_range: float = 0.10
    curve_points: int = 41
    flow_horizons: tuple[tuple[str, int], ...] = (("1w", 5), ("1m", 21))
    scenario_k_sigma: tuple[tuple[str, float], ...] = (
        ("flat", 0.0), ("up", 1.0), ("down", -1.0), ("down_big", -2.0),
    )
    mc_paths: int = 500
    mc_window: int = 2520
    mc_seed: int = 0
    mc_quantiles: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)
    percentile_years: tuple[int, ...] = (1, 3, 5)
    max_gap_days: int = 10
    max_stale_days: int = 7
    yield_durations: tuple[tuple[str, float], ...] = (
        ("UST2Y", 1.9), ("UST5Y", 4.5), ("UST10Y", 8.0), ("UST30Y", 17.0),
        ("BUND10Y", 8.8), ("JGB10Y", 9.5),
    )
    blend: tuple[tuple[str, str, int, float, float], ...] | None = None
    universe: tuple[str, ...] = DEFAULT_UNIVERSE
    model: str = "generic"
    headline_percentile_years: int = 1
    scenario_vol: str = "path"
    max_asset_leverage: float | None = None
    position_halflife: float = 0.0

    def __post_init__(self) -> None:
        self.validate()

    # ------------------------------------------------------------------ validation
    def validate(self) -> None:
        """Check every parameter's domain; raise :class:`ParameterError` naming the bad one."""
        def bad(name: str, why: str) -> ParameterError:
            return ParameterError(f"CTAParams.{name}={getattr(self, name)!r}: {why}")

        if not self.horizons or any(int(h) != h or h < 2 for h in self.horizons):
            raise bad("horizons", "need at least one integer horizon >= 2 trading days")
        if len(set(self.horizons)) != len(self.horizons):
            raise bad("horizons", "horizons must be distinct")
        if self.horizon_weights is not None and (
            len(self.horizon_weights) != len(self.horizons)
            or any(w < 0 for w in self.horizon_weights) or sum(self.horizon_weights) <= 0
        ):
            raise bad("horizon_weights", "one non-negative weight per horizon, not all zero")
        if not self.families:
            raise bad("families", "need at least one signal family")
        if self.family_weights is not None and (
            len(self.family_weights) != len(self.families)
            or any(w < 0 for w in self.family_weights) or sum(self.family_weights) <= 0
        ):
            raise bad("family_weights", "one non-negative weight per family, not all zero")
        for name in ("norm_mom_cap", "ewmac_target_abs", "ewmac_cap", "vol_com", "target_vol",
                     "leverage_cap", "vol_floor", "annualisation", "annualisation_24x7"):
            if not getattr(self, name) > 0:
                raise bad(name, "must be > 0")
        for name in ("ewmac_fast_ratio", "ma_fast_ratio"):
            if not getattr(self, name) > 1:
                raise bad(name, "must be > 1 (fast window shorter than slow)")
        for name in ("vol_window", "vol_min_obs", "corr_window", "corr_min_obs",
                     "corr_update_days", "curve_points", "mc_paths", "mc_window",
                     "max_gap_days", "max_stale_days"):
            if int(getattr(self, name)) < 1:
                raise bad(name, "must be a positive integer")
        if self.aum < 0:
            raise bad("aum", "AUM cannot be negative (USD)")
        lo, hi = self.aum_band
        if lo < 0 or hi < lo:
            raise bad("aum_band", "need 0 <= low <= high (USD)")
        if not 0 < self.trigger_bracket < 1:
            raise bad("trigger_bracket", "must lie in (0, 1)")
        if not 0 < self.curve_range < 1:
            raise bad("curve_range", "must lie in (0, 1)")
        if any(h < 1 for _, h in self.flow_horizons):
            raise bad("flow_horizons", "horizons must be >= 1 day")
        if any(not 0 < q < 1 for q in self.mc_quantiles):
            raise bad("mc_quantiles", "quantiles must lie in (0, 1)")
        if any(b < 0 for _, b in self.sector_budgets):
            raise bad("sector_budgets", "budgets must be >= 0")
        if any(d <= 0 for _, d in self.yield_durations):
            raise bad("yield_durations", "durations must be > 0")
        if not self.universe:
            raise bad("universe", "need at least one asset")
        if not valid_halflife(self.position_halflife):
            raise bad("position_halflife", f"must be a number of trading days in "
                                           f"[0, {MAX_POSITION_HALFLIFE:g}] (0 = no smoothing)")
        if self.max_asset_leverage is not None and not self.max_asset_leverage > 0:
            raise bad("max_asset_leverage", "must be > 0 (fraction of AUM) or None")
        if self.scenario_vol not in ("path", "hold"):
            raise bad("scenario_vol", "must be 'path' or 'hold'")
        if self.headline_percentile_years not in self.percentile_years:
            raise bad("headline_percentile_years", "must be one of percentile_years")
        if self.blend is not None:
            self._validate_blend(bad)

    def _validate_blend(self, bad: Any) -> None:
        assert self.blend is not None
        if not self.blend or sum(float(c[4]) for c in self.blend) <= 0:
            raise bad("blend", "need at least one component with a positive weight")
        families = {f.value for f in SignalFamily}
        for group, family, horizon, fast, weight in self.blend:
            if group not in ("short", "medium", "long"):
                raise bad("blend", f"group {group!r} is not short, medium or long")
            if family not in families:
                raise bad("blend", f"family {family!r} is not one of {sorted(families)}")
            if int(horizon) != horizon or horizon < 2:
                raise bad("blend", f"horizon {horizon!r} must be an integer >= 2 days")
            if family in ("ewmac", "ma_cross") and not 1 <= fast < horizon:
                raise bad("blend", f"fast {fast!r} must lie in [1, horizon) for {family}")
            if weight < 0:
                raise bad("blend", f"weight {weight!r} must be >= 0")

    # ------------------------------------------------------------------ derived
    def replace(self, **changes: Any) -> CTAParams:
        """Return a copy with some parameters changed (validated)."""
        return dataclasses.replace(self, **changes)

    @property
    def max_horizon(self) -> int:
        """Longest lookback in trading days."""
        if self.blend is not None:
            return int(max(c[2] for c in self.blend))
        return int(max(self.horizons))

    @property
    def vol_alpha(self) -> float:
        """EWMA smoothing ``1 - delta = 1 / (1 + com)``."""
        return 1.0 / (1.0 + self.vol_com)

    @property
    def position_step(self) -> float:
        """Share of the gap to the target traded at each close (1 = all at once).

        ``1 - 0.5 ** (1 / position_halflife)``; 1 when the half-life is 0.
        """
        h = self.position_halflife
        return 1.0 if h == 0 else 1.0 - 0.5 ** (1.0 / h)

    def horizon_group(self, h: int) -> str:
        """Name of the trigger group (``short``, ``medium``, ``long``) of horizon ``h``."""
        if h <= self.short_max_horizon:
            return "short"
        if h <= self.medium_max_horizon:
            return "medium"
        return "long"

    def component_weights(self) -> list[tuple[SignalFamily, int, float]]:
        """Blend weights per (family, horizon), normalised to sum to one."""
        fw = self.family_weights or (1.0,) * len(self.families)
        hw = self.horizon_weights or (1.0,) * len(self.horizons)
        raw = [(SignalFamily(f), int(h), a * b)
               for f, a in zip(self.families, fw, strict=True)
               for h, b in zip(self.horizons, hw, strict=True)]
        total = sum(w for *_, w in raw)
        return [(f, h, w / total) for f, h, w in raw]

    def to_json_dict(self) -> dict[str, Any]:
        """Every field as plain JSON (round-trips through :meth:`from_json_dict`)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            val = getattr(self, f.name)
            if isinstance(val, enum.Enum):
                val = val.value
            elif f.name == "families":
                val = [SignalFamily(v).value for v in val]
            elif isinstance(val, tuple):
                val = [list(v) if isinstance(v, tuple) else v for v in val]
            out[f.name] = val
        return out

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> CTAParams:
        """Parameters from :meth:`to_json_dict` output (unknown keys are an error)."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ParameterError(f"CTAParams: unknown parameter(s) {', '.join(unknown)}")
        kw: dict[str, Any] = {}
        for key, val in data.items():
            if key == "families":
                val = tuple(SignalFamily(v) for v in val)
            elif key == "vol_estimator":
                val = VolEstimator(val)
            elif isinstance(val, list):
                val = tuple(tuple(v) if isinstance(v, list) else v for v in val)
            kw[key] = val
        return cls(**kw)

    @classmethod
    def preset(cls, name: str = "desk") -> CTAParams:
        """A named parameter set.

        Parameters
        ----------
        name : {"desk", "generic"}
            ``generic``: the field defaults (METHODOLOGY §1, no calibration). ``desk``: pivot
            groups and dollar scale fitted to published desk readings of the S&P 500
            (:func:`crashlens.cta.calibrate`; the fit report ships beside it, see
            :func:`preset_report`).

        Raises
        ------
        ParameterError
            Unknown preset name.
        """
        if name == "generic":
            return cls()
        return cls.from_json_dict(_load_preset(name)["params"])

    def assumptions(self) -> dict[str, Any]:
        """Every parameter as a JSON-friendly mapping (printed in every result)."""
        out = self.to_json_dict()
        for key in ("sector_budgets", "flow_horizons", "scenario_k_sigma", "yield_durations"):
            out[key] = dict(getattr(self, key))
        if self.blend is not None:
            out["blend"] = [dict(zip(("group", "family", "horizon", "fast", "weight"), c,
                                     strict=True)) for c in self.blend]
            out["horizons"] = "unused: blend defines the components"
            out["families"] = "unused: blend defines the components"
        out["vol_delta"] = 1.0 - self.vol_alpha
        if self.model == "desk":
            out["aum_source"] = ("effective AUM fitted to the published desk readings' "
                                 "equity length (crashlens.cta.calibrate; fit report: "
                                 "crashlens.cta.preset_report('desk'))")
        else:
            out["aum_source"] = ("BarclayHedge systematic managed-futures AUM ~$303bn (Q4 "
                                 "2018); Carver: ~$300bn in systematic trend; band $200-350bn")
        return out


PRESETS: tuple[str, ...] = ("desk", "generic")


@functools.lru_cache(maxsize=4)
def _load_preset(name: str) -> dict[str, Any]:
    if name not in PRESETS:
        raise ParameterError(f"CTA model {name!r}: unknown preset (choose from "
                             f"{', '.join(PRESETS)})")
    text = resources.files("crashlens.cta").joinpath("presets", f"{name}.json").read_text(
        encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def default_params() -> CTAParams:
    """The engine's default parameters: the ``desk`` preset."""
    return CTAParams.preset("desk")


def preset_report(name: str = "desk") -> dict[str, Any]:
    """The fit report shipped with a calibrated preset (CV errors, residuals, data used)."""
    if name == "generic":
        return {"model": "generic", "calibrated": False}
    report: dict[str, Any] = copy.deepcopy(_load_preset(name)["report"])
    return report
