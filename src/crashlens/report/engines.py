"""One registry of engine calls shared by the report sections and the JSON API.

Each entry holds the engine's public function (imported when first used, so ``crashlens
--help`` stays fast) and an adapter mapping the common request parameters (as-of date, event
window, assets, ...) onto its signature — the same call the engine's own CLI command makes for
``--json``, so the report, the CLI and the API serialise the same result object. The request's
``source`` (where the series are read) is made the active source for the call
(:func:`crashlens.data.using`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from crashlens.data.source import Source, using
from crashlens.errors import CrashlensError, ParameterError
from crashlens.report.events import EVENTS, covering, resolve


@dataclasses.dataclass(frozen=True)
class Request:
    """Common parameters of an engine call.

    Attributes
    ----------
    asof : Timestamp or None
        As-of date (None: the engine's default, usually the newest data).
    start : Timestamp or None
        Start of the event window (anatomy).
    assets : tuple of str or None
        Catalog names overriding the engine's default universe.
    aum : float or None
        Effective trend-following AUM in USD (CTA).
    detail : bool
        Ask for the detailed ``to_dict`` where the engine offers one.
    example : str or None
        Name of a shipped example file (scenarios, claims, catalysts); never a path.
    catalysts_file : Path or None
        A catalysts file by path (from a user's events file; the API never sets it).
    source : Source or None
        Where the engine reads its series (None: the active source, normally the store); see
        :class:`crashlens.data.Source`.
    """

    asof: pd.Timestamp | None = None
    start: pd.Timestamp | None = None
    assets: tuple[str, ...] | None = None
    aum: float | None = None
    detail: bool = False
    example: str | None = None
    catalysts_file: Path | None = None
    source: Source | None = None


Adapter = Callable[[Callable[..., Any], Request], Any]


@dataclasses.dataclass(frozen=True)
class Engine:
    """A registry entry: endpoint name, the engine's public function and the adapter.

    Attributes
    ----------
    name : str
        Endpoint name (``/api/<name>``).
    load : callable
        Returns the engine's public function (``crashlens.cta.positioning`` ...); the import
        happens on first use only.
    adapter : callable
        ``adapter(function, request)``: the call for a :class:`Request`.
    summary : str
        One line for the API documentation.
    serialize : callable, optional
        The object whose ``to_dict`` is served, when it is not the result itself.
    """

    name: str
    load: Callable[[], Callable[..., Any]]
    adapter: Adapter
    summary: str
    serialize: Callable[[Any], Any] | None = None

    def function(self) -> Callable[..., Any]:
        """The engine's public function."""
        return self.load()

    def call(self, req: Request) -> Any:
        """Run the engine for ``req`` (reading from ``req.source`` when given)."""
        fn = self.function()
        with using(req.source) if req.source is not None else contextlib.nullcontext():
            return self.adapter(fn, req)


def _kw(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Call ``fn`` with ``kwargs``; a parameter it does not take is refused, never dropped."""
    params = inspect.signature(fn).parameters
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        extra = [k for k in kwargs if k not in params]
        if extra:
            raise ParameterError(f"{extra[0]}: the {fn.__name__}() engine takes no "
                                 f"'{extra[0]}' (it means nothing there)")
    return fn(**kwargs)


def _asof_only(fn: Callable[..., Any], req: Request) -> Any:
    kwargs: dict[str, Any] = {"asof": req.asof}
    if req.assets:
        kwargs["assets"] = list(req.assets)
    return _kw(fn, **kwargs)


def _cta(fn: Callable[..., Any], req: Request) -> Any:
    return fn(req.asof, list(req.assets) if req.assets else None, req.aum)


def _fragility(fn: Callable[..., Any], req: Request) -> Any:
    if req.assets:
        return fn(req.asof, universe=tuple(req.assets))
    return fn(req.asof)


def _anatomy(fn: Callable[..., Any], req: Request) -> Any:
    asof = req.asof
    start = req.start
    if asof is None:
        from crashlens.report.builder import latest_date

        asof = latest_date()
    if start is None:
        _, start, _ = resolve(None, asof)
    from crashlens import episodes

    return fn(start, asof, assets=list(req.assets) if req.assets else None,
              divisor=episodes.SPX_DIVISOR)


def examples_dir(module: str, folder: Path | None = None) -> Path:
    """Folder of the example files shipped with an engine package (``folder`` overrides)."""
    if folder is not None:
        return folder
    import importlib

    mod = importlib.import_module(f"crashlens.{module}")
    return Path(mod.__file__ or "").parent / "examples"


def shipped_examples(module: str, suffixes: tuple[str, ...] = (".yaml", ".yml"),
                     folder: Path | None = None) -> list[str]:
    """Names (without suffix) of the example files shipped with an engine package."""
    folder = examples_dir(module, folder)
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.iterdir() if p.suffix in suffixes)


def example_path(module: str, name: str | None,
                 suffixes: tuple[str, ...] = (".yaml", ".yml"), folder: Path | None = None,
                 ) -> Path:
    """Resolve a shipped example by *name* only: no path, no traversal.

    Raises
    ------
    ParameterError
        Unknown name (lists the shipped ones) or none shipped.
    """
    names = shipped_examples(module, suffixes, folder)
    if not names:
        raise ParameterError(f"no example files are shipped with crashlens.{module}")
    if name is None:
        name = names[-1]
    if name not in names:
        raise ParameterError(f"example: unknown name '{name}' (shipped: {', '.join(names)})")
    folder = examples_dir(module, folder)
    for suf in suffixes:
        p = folder / f"{name}{suf}"
        if p.is_file():
            return p
    raise ParameterError(f"example '{name}' not found")  # pragma: no cover - listed above


def _gex(fn: Callable[..., Any], req: Request) -> Any:
    # gamma_profile finds the newest chain quoted at or before the as-of date and runs gex()
    return fn(req.asof)


def _catalysts(fn: Callable[..., Any], req: Request) -> Any:
    from crashlens import episodes

    if req.catalysts_file is not None:
        path = req.catalysts_file
    elif req.example is not None:
        path = example_path("episodes", req.example, folder=Path(episodes.__file__).parent)
    else:
        path = episodes.shipped_events_path()
    return fn(str(path), asof=req.asof)


def _scenarios(fn: Callable[..., Any], req: Request) -> Any:
    return fn(example_path("scenarios", req.example), req.asof)


def claims_for(req: Request) -> str | None:
    """Claims file for a request: explicit, else the one of the event covering its date."""
    if req.example is not None:
        return req.example
    if req.asof is not None:
        ev = covering(req.asof)
        return ev.claims if ev is not None else None
    return None


def _audit(fn: Callable[..., Any], req: Request) -> Any:
    return fn(example_path("audit", claims_for(req)))


# -- the engines' public functions (imported on first use: ``crashlens --help`` stays fast) --

def _positioning() -> Callable[..., Any]:
    from crashlens.cta import positioning

    return positioning


def _gamma_profile() -> Callable[..., Any]:
    from crashlens.options import gamma_profile

    return gamma_profile


def _leverage() -> Callable[..., Any]:
    from crashlens.crypto import leverage

    return leverage


def _contagion_fn() -> Callable[..., Any]:
    from crashlens.systemic import contagion

    return contagion


def _fragility_fn() -> Callable[..., Any]:
    from crashlens.systemic import fragility

    return fragility


def _anatomy_fn() -> Callable[..., Any]:
    from crashlens.episodes import anatomy

    return anatomy


def _analogs_fn() -> Callable[..., Any]:
    from crashlens.episodes import analogs

    return analogs


def _catalysts_fn() -> Callable[..., Any]:
    from crashlens.episodes import catalysts

    return catalysts


def _lens() -> Callable[..., Any]:
    from crashlens.macro import lens

    return lens


def _run() -> Callable[..., Any]:
    from crashlens.scenarios import run

    return run


def _audit_fn() -> Callable[..., Any]:
    from crashlens.audit import audit

    return audit


ENGINES: dict[str, Engine] = {e.name: e for e in (
    Engine("cta", _positioning, _cta,
           "Modelled CTA positioning (USD, percentiles), trigger levels, 1w/1m scenario flows. "
           "Same as `crashlens cta --json`."),
    Engine("gex", _gamma_profile, _gex,
           "Dealer gamma exposure from the newest option chain quoted at or before the as-of "
           "date. Same as `crashlens gex <that chain> --json`.",
           serialize=lambda prof: prof.result),
    Engine("crypto", _leverage, _asof_only,
           "Crypto leverage: drawdown, funding, open interest, liquidation map, cascade. "
           "Same as `crashlens crypto --json`."),
    Engine("contagion", _contagion_fn, _asof_only,
           "Crypto to equity contagion: rolling betas, spillover, ΔCoVaR. Same as "
           "`crashlens contagion --json`."),
    Engine("fragility", _fragility_fn, _fragility,
           "Systemic fragility composite: absorption, turbulence, correlation, crowding, vol. "
           "Same as `crashlens fragility --json`."),
    Engine("anatomy", _anatomy_fn, _anatomy,
           "Anatomy of the sell-off window (event window, or the 5 sessions to the as-of "
           "date). Same as `crashlens anatomy --start --end --json`."),
    Engine("analogs", _analogs_fn, _asof_only,
           "Nearest historical sell-off analogs to the as-of state. Same as "
           "`crashlens analogs --json`."),
    Engine("catalysts", _catalysts_fn, _catalysts,
           "Event study of abnormal returns around the shipped dated catalysts. Same as "
           "`crashlens catalysts --json`."),
    Engine("macro", _lens, _asof_only,
           "Macro and policy lens: rates, cut pricing, data gaps, labour, inflation. Same as "
           "`crashlens macro --json`."),
    Engine("scenarios", _run, _scenarios,
           "Named forward scenarios with probabilities (a shipped spec, by name). Same as "
           "`crashlens scenarios <name> --json`."),
    Engine("audit", _audit_fn, _audit,
           "Claims audit of a shipped claims file (by name; default by event). Same as "
           "`crashlens audit <name> --json`."),
)}


def get_engine(name: str) -> Engine:
    """Registry entry by name; :class:`ParameterError` for unknown names."""
    eng = ENGINES.get(name)
    if eng is None:
        raise ParameterError(f"unknown engine '{name}' (known: {', '.join(ENGINES)})")
    return eng


def call(name: str, req: Request) -> Any:
    """Run engine ``name`` for ``req``; :class:`ParameterError` for an unknown name."""
    return get_engine(name).call(req)


def to_json(result: Any, detail: bool = False, name: str | None = None) -> Any:
    """The JSON the CLI prints for engine ``name``: ``to_dict(detail=...)`` of the served object.

    Every result takes ``to_dict(detail=False)``; ``detail=True`` adds the detailed form where
    a result has one (GEX by strike, CTA per-day paths) and is ignored elsewhere.
    """
    eng = ENGINES.get(name) if name else None
    if eng is not None and eng.serialize is not None:
        result = eng.serialize(result)
    return result.to_dict(detail=detail)


__all__ = ["ENGINES", "EVENTS", "CrashlensError", "Engine", "Request",
           "call", "example_path", "get_engine", "shipped_examples", "to_json"]
