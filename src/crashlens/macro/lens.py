"""The macro / policy lens at an as-of date: rates, cut pricing, labour, inflation, data vacuum."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from crashlens._dates import to_timestamp
from crashlens._result import Result
from crashlens.data.source import SourceLike, reads_source
from crashlens.errors import CrashlensError, InsufficientDataError
from crashlens.macro.inflation import inflation_analog
from crashlens.macro.rates import FOMC_MEETINGS, FedWatchResult, fedwatch, implied_path
from crashlens.macro.releases import (
    SCHEDULE,
    ReleaseFrequency,
    ReleaseSpec,
    vacuum_table,
    visible,
)
from crashlens.notes import Note, wrap


@dataclasses.dataclass(frozen=True)
class MacroLensResult(Result):
    """Macro and policy state at an as-of date.

    Attributes
    ----------
    asof : Timestamp
    policy : dict
        ``target_lower``, ``target_upper``, ``effr`` (percent) and their dates.
    rates : dict
        ``ust3m, ust2y, ust10y`` (percent), ``curve_2s10s_bp``, ``curve_3m10y_bp`` and
        1-month / 3-month changes in bp.
    implied_path : dict
        Average policy rate priced by bills and the 2-year note and cuts priced
        (:func:`crashlens.macro.rates.implied_path`).
    labour : dict
        Unemployment rate and its 3-month change, Sahm-rule gap, payroll change (thousands,
        last month and 3-month average), initial claims (last, 4-week average).
    inflation : dict
        CPI and core CPI year-on-year and 3-month annualised (percent); PCE and core PCE yoy.
    vacuum : DataFrame
        One row per scheduled release (:func:`crashlens.macro.releases.vacuum_table`).
    vacuum_summary : dict
        ``n_releases, n_with_gaps, n_late, in_vacuum, gaps`` (``series -> missing months``).
    inflation_path : DataFrame
        Overlay of the recent CPI path on the 1970s (months from each peak).
    inflation_analog : dict
        Peaks, fit and what the 1970s path did next.
    fedwatch : FedWatchResult or None
        Meeting odds when futures prices were supplied.
    """

    asof: pd.Timestamp
    policy: Mapping[str, Any]
    rates: Mapping[str, Any]
    implied_path: Mapping[str, Any]
    labour: Mapping[str, Any]
    inflation: Mapping[str, Any]
    vacuum: pd.DataFrame
    vacuum_summary: Mapping[str, Any]
    inflation_path: pd.DataFrame
    inflation_analog: Mapping[str, Any]
    fedwatch: FedWatchResult | None = None

    def to_frame(self) -> pd.DataFrame:
        """The data-vacuum table indexed by series."""
        return self.vacuum.set_index("series")

    def summary(self) -> str:
        """A short macro dashboard."""
        p, r, ip = self.policy, self.rates, self.implied_path
        lab, inf = self.labour, self.inflation

        def f(x: Any, fmt: str = ".2f") -> str:
            return "n/a" if x is None or (isinstance(x, float) and not np.isfinite(x)) \
                else format(x, fmt)

        lines = [
            f"Macro lens as of {self.asof.date()}",
            f"  policy: target {f(p.get('target_lower'))}-{f(p.get('target_upper'))} %, "
            f"EFFR {f(p.get('effr'))} %",
            f"  curve: 2y {f(r.get('ust2y'))} %  10y {f(r.get('ust10y'))} %  2s10s "
            f"{f(r.get('curve_2s10s_bp'), '.0f')} bp",
            f"  priced: {f(ip.get('cuts_priced_2y'), '.1f')} cuts over 2y "
            f"(2y-funds {f(ip.get('spread_2y_funds_bp'), '.0f')} bp)",
            f"  labour: UNRATE {f(lab.get('unrate'), '.1f')} % ({lab.get('unrate_date')}), "
            f"payrolls {f(lab.get('payrolls_change_k'), '+.0f')}k, claims "
            f"{f(lab.get('claims'), ',.0f')}",
            f"  inflation: CPI {f(inf.get('cpi_yoy'))} % yoy, core {f(inf.get('core_cpi_yoy'))} "
            f"% ({inf.get('cpi_date')})",
        ]
        vs = self.vacuum_summary
        lines.append(f"  data vacuum: {'YES' if vs.get('in_vacuum') else 'no'} "
                     f"({vs.get('n_with_gaps')} releases with gaps, {vs.get('n_late')} late)")
        for s, months in (vs.get("gaps") or {}).items():
            lines.append(f"      {s}: missing {', '.join(months)}")
        ia = self.inflation_analog
        if ia:
            lines.append(f"  1970s analog: {ia.get('months_since_peak')} months after the peak "
                         f"({ia.get('recent_peak_date')}); 1970s path 12m later "
                         f"{f(ia.get('past_yoy_plus_12m'))} %")
        if self.fedwatch is not None:
            lines.append(self.fedwatch.summary())
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def plot_inflation_path(self) -> Any:
        """The recent CPI path over the 1970s, aligned at the peaks (plotly Figure).

        Raises
        ------
        InsufficientDataError
            No analog could be built as of this date (the result's warnings say why).
        """
        import plotly.graph_objects as go

        o = self.inflation_path
        if o.empty:
            raise InsufficientDataError(Note("macro.no_inflation_path", asof=self.asof))
        fig = go.Figure()
        fig.add_scatter(x=o["month"], y=o["past_yoy"], name="1970s CPI yoy %")
        fig.add_scatter(x=o["month"], y=o["recent_yoy"], name="recent CPI yoy %")
        fig.update_layout(title="Inflation path vs the 1970s (aligned at the peaks)",
                          xaxis_title="months from peak", yaxis_title="CPI yoy %")
        return fig

    def plot_vacuum(self) -> Any:
        """Missing and late releases by series (plotly Figure)."""
        import plotly.graph_objects as go

        v = self.vacuum
        fig = go.Figure()
        fig.add_bar(x=v["series"], y=[len(m) for m in v["missing"]], name="missing",
                    hovertext=[", ".join(m) for m in v["missing"]])
        fig.add_bar(x=v["series"], y=[len(m) for m in v["late"]], name="late",
                    hovertext=[", ".join(m) for m in v["late"]])
        fig.update_layout(title=f"Data vacuum as of {self.asof.date()}", barmode="stack",
                          yaxis_title="reference periods")
        return fig

    def plot_curve(self) -> Any:
        """Policy rate and the implied average path (plotly Figure)."""
        import plotly.graph_objects as go

        ip = self.implied_path
        fig = go.Figure()
        fig.add_scatter(x=[0, 0.25, 0.25, 2.0],
                        y=[ip.get("avg_0_3m"), ip.get("avg_0_3m"), ip.get("avg_3m_2y"),
                           ip.get("avg_3m_2y")], name="implied average policy rate",
                        line_shape="hv")
        fig.add_hline(y=self.policy.get("effr") or 0.0, annotation_text="EFFR")
        fig.update_layout(title="Market-implied policy path (bills and 2y note)",
                          xaxis_title="years ahead", yaxis_title="percent")
        return fig


def _vacuum_note(gaps: Mapping[str, list[str]], late: Mapping[str, list[str]]) -> Note:
    """``data vacuum: CPI missing 2025-10-01; UNRATE late 2025-10-01`` as a note.

    Missing months first, then late ones, one note per series (joined in each language).
    """
    items = [Note("macro.vacuum_missing", series=k, months=", ".join(v)) for k, v in gaps.items()]
    items += [Note("macro.vacuum_late", series=k, months=", ".join(v)) for k, v in late.items()]
    return Note("macro.data_vacuum", items=tuple(items))


def _last(s: pd.Series) -> tuple[float, str | None]:
    s = s.dropna()
    if s.empty:
        return float("nan"), None
    return float(s.iloc[-1]), s.index[-1].date().isoformat()


def _ago(s: pd.Series, asof: pd.Timestamp, days: int) -> float:
    s = s.dropna()
    s = s[s.index <= asof - pd.Timedelta(days=days)]
    return float(s.iloc[-1]) if not s.empty else float("nan")


@reads_source
def lens(
    asof: str | pd.Timestamp | None = None,
    *,
    futures: Mapping[str, float] | None = None,
    meetings: tuple[str, ...] = FOMC_MEETINGS,
    term_premium_bp: float = 0.0,
    bill_basis_bp: float = 0.0,
    grace_days: int = 3,
    vacuum_lookback_days: int = 730,
    schedule: tuple[ReleaseSpec, ...] = SCHEDULE,
    series: Mapping[str, pd.Series] | None = None,
    source: SourceLike = None,
) -> MacroLensResult:
    """Compute the macro lens at ``asof``.

    Parameters
    ----------
    asof : str or Timestamp, optional
        As-of date; only data dated on or before it (and, for macro releases, already due by
        their schedule) is used. Default: the last 2-year yield date in the store.
    futures : mapping, optional
        Fed funds futures prices ``{"YYYY-MM": price}`` for the FedWatch-style odds.
    meetings : tuple of str
        FOMC decision days for the calculator.
    term_premium_bp, bill_basis_bp : float
        Assumptions of the 2y-funds implied path (default 0 bp).
    grace_days : int
        Days of tolerance before a release counts as late (default 3).
    vacuum_lookback_days : int
        Holes older than this are not reported (default 730).
    schedule : tuple of ReleaseSpec
        Release schedules to check.
    series : mapping, optional
        Pre-loaded series by catalog name (tests, synthetic inputs); others come from the
        source.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`.

    Returns
    -------
    MacroLensResult

    Raises
    ------
    UnknownSeriesError
        A series the lens reads (policy rates, bills and notes, labour, prices) that the source
        does not hold, named.
    InsufficientDataError
        No effective fed funds rate on or before the as-of date.
    """
    if asof is None:
        from crashlens import data as _d

        y2 = series["UST2Y"] if series and "UST2Y" in series else _d.close("UST2Y")
        asof = y2.dropna().index[-1]
    t = to_timestamp(asof, "asof")
    cache: dict[str, pd.Series] = dict(series or {})

    def get(name: str) -> pd.Series:
        if name not in cache:
            from crashlens import data

            cache[name] = data.close(name, None, t)
        s = cache[name].dropna().astype(float)
        return s[s.index <= t]

    warnings: list[str] = []
    try:
        from crashlens import data as _data

        if series is None and _data.is_synthetic():
            warnings.append(Note("macro.synthetic"))
    except CrashlensError:  # pragma: no cover - reported by the data calls below
        pass
    effr, effr_d = _last(get("EFFR"))
    up, up_d = _last(get("FED_TARGET_UPPER"))
    lo, _ = _last(get("FED_TARGET_LOWER"))
    if effr_d is None:
        raise InsufficientDataError(f"no effective fed funds rate on or before {t.date()}")
    if up_d is not None and (t - pd.Timestamp(up_d)).days > 10:
        up = lo = float("nan")
        up_d = None
    policy = {"effr": effr, "effr_date": effr_d, "target_lower": lo, "target_upper": up,
              "target_date": up_d}
    rates: dict[str, Any] = {}
    curve = {}
    for name, key in (("UST3M", "ust3m"), ("UST2Y", "ust2y"), ("UST10Y", "ust10y")):
        s = get(name)
        v, d = _last(s)
        curve[key] = s
        rates[key] = v
        rates[f"{key}_date"] = d
        rates[f"{key}_chg_1m_bp"] = 100.0 * (v - _ago(s, t, 30))
        rates[f"{key}_chg_3m_bp"] = 100.0 * (v - _ago(s, t, 91))
    rates["curve_2s10s_bp"] = 100.0 * (rates["ust10y"] - rates["ust2y"])
    rates["curve_3m10y_bp"] = 100.0 * (rates["ust10y"] - rates["ust3m"])
    ip = implied_path(effr, rates["ust3m"], rates["ust2y"], term_premium_bp=term_premium_bp,
                      bill_basis_bp=bill_basis_bp)

    specs = {s.series: s for s in schedule}

    def released(name: str) -> pd.Series:
        s = get(name)
        if name not in specs:
            return s
        s = visible(s, specs[name], t)
        if specs[name].frequency is ReleaseFrequency.MONTHLY and not s.empty:
            s = s.asfreq("MS")  # a missing release is a NaN month, not a shorter series
        return s

    un = released("UNRATE")
    u, u_d = _last(un)
    # Sahm rule: 3-month average minus the low of the previous 12 months' 3-month averages
    u3 = un.rolling(3, min_periods=2).mean()
    sahm = float(u3.iloc[-1] - u3.iloc[-13:-1].min()) if len(u3.dropna()) >= 13 else np.nan
    pay = released("PAYEMS")
    dpay = pay.diff()
    claims = released("ICSA")
    labour = {
        "unrate": u, "unrate_date": u_d,
        "unrate_chg_3m": float(un.iloc[-1] - un.iloc[-4]) if len(un) >= 4 else np.nan,
        "unrate_note": "NaN months are releases that were never published",
        "sahm_gap": sahm,
        "payrolls_change_k": float(dpay.iloc[-1]) if len(dpay.dropna()) else np.nan,
        "payrolls_3m_avg_k": float(dpay.iloc[-3:].mean()) if dpay.iloc[-3:].notna().all()
        and len(dpay) >= 3 else np.nan,
        "payrolls_date": _last(pay)[1],
        "claims": _last(claims)[0], "claims_date": _last(claims)[1],
        "claims_4wk_avg": float(claims.iloc[-4:].mean()) if len(claims) >= 4 else np.nan,
    }
    inflation: dict[str, Any] = {}
    for name, key in (("CPI", "cpi"), ("CORE_CPI", "core_cpi"), ("PCE", "pce"),
                      ("CORE_PCE", "core_pce")):
        s = released(name)
        idx = pd.DatetimeIndex(s.index)
        last = idx[-1] if len(idx) else None
        yoy = ann3 = np.nan
        if last is not None:
            year_ago = s.get(last - pd.DateOffset(months=12))
            three = s.get(last - pd.DateOffset(months=3))
            if year_ago is not None:
                yoy = 100.0 * (s.iloc[-1] / year_ago - 1.0)
            if three is not None:
                ann3 = 100.0 * ((s.iloc[-1] / three) ** 4 - 1.0)
        inflation[f"{key}_yoy"] = yoy
        inflation[f"{key}_3m_ann"] = ann3
        inflation[f"{key}_date"] = last.date().isoformat() if last is not None else None

    vac = vacuum_table(t, schedule=schedule, grace_days=grace_days,
                       lookback_days=vacuum_lookback_days,
                       series={s.series: get(s.series) for s in schedule})
    gaps = {r["series"]: r["missing"] for _, r in vac.iterrows() if r["missing"]}
    late = {r["series"]: r["late"] for _, r in vac.iterrows() if r["late"]}
    vsum = {"n_releases": len(vac), "n_with_gaps": len(gaps), "n_late": len(late),
            "in_vacuum": bool(gaps or late), "gaps": gaps, "late": late,
            "lookback_days": vacuum_lookback_days}
    if gaps or late:
        warnings.append(_vacuum_note(gaps, late))
    try:
        overlay, analog = inflation_analog(released("CPI"))
    except InsufficientDataError as exc:
        overlay, analog = pd.DataFrame(), {}
        warnings.append(wrap("macro.inflation_analog_unavailable", exc))
    fw = None
    if futures:
        rng = (lo, up) if np.isfinite(lo) and np.isfinite(up) else (effr - 0.125, effr + 0.125)
        fw = fedwatch(futures, current_rate=effr, current_range=rng,
                      meetings=[m for m in meetings if pd.Timestamp(m) > t])
    assumptions = {
        "term_premium_bp": term_premium_bp, "bill_basis_bp": bill_basis_bp,
        "implied_path": "expectations hypothesis on 3m bill and 2y note (documented "
                        "approximation)",
        "grace_days": grace_days, "vacuum_lookback_days": vacuum_lookback_days,
        "schedule": {s.series: f"{s.frequency.value}, lag {s.lag_days} d" for s in schedule},
        "point_in_time": "macro releases used only once due by their schedule",
        "inflation_analog": "CPI yoy aligned at the 1973-75 and 2021-23 peaks",
    }
    return MacroLensResult(asof=t, policy=policy, rates=rates, implied_path=ip, labour=labour,
                           inflation=inflation, vacuum=vac, vacuum_summary=vsum,
                           inflation_path=overlay, inflation_analog=analog, fedwatch=fw,
                           assumptions=assumptions, warnings=tuple(warnings))
