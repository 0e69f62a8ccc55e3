"""Scenarios: specs with probabilities, propagation to every asset, portfolio P&L, scorecard.

Method: ``METHODOLOGY.md`` §5.3 and ``docs/scenarios.md``. Typical use::

    import crashlens as cl
    spec = cl.scenarios.load("scenarios/2026q1.yaml")      # or load("2026q1"): packaged copy
    res = cl.scenarios.run(spec, "2025-11-21", portfolio="book.yaml", window="2y")
    res.to_frame()                                         # asset x scenario moves
    card = cl.scenarios.scorecard(spec)                    # graded on later data
    mine = cl.scenarios.run(spec, "2025-11-21", source=cl.data.FramesSource(frames))

``source=`` (a :class:`crashlens.data.Source`) is where every series is read, the CTA flows'
book and the BTC liquidation map included; the older ``data=`` still works (see
:mod:`crashlens.data.readers`).
"""

from crashlens._yaml import SpecError
from crashlens.scenarios.conditions import ConditionOutcome, Status, describe, evaluate
from crashlens.scenarios.engine import DEFAULT_HORIZON_DAYS, run
from crashlens.scenarios.pooling import entropy_pooling
from crashlens.scenarios.portfolio import Portfolio, Position, load_portfolio
from crashlens.scenarios.propagation import (
    DEFAULT_UNIVERSE,
    DEFAULT_WINDOW,
    STRESS_WINDOWS,
    conditional_gaussian,
    resolve_window,
)
from crashlens.scenarios.result import ScenarioResult, ScorecardResult
from crashlens.scenarios.scorecard import brier, scorecard
from crashlens.scenarios.spec import EXAMPLES, Move, Scenario, ScenarioSpec, load, loads

__all__ = [
    "DEFAULT_HORIZON_DAYS",
    "DEFAULT_UNIVERSE",
    "DEFAULT_WINDOW",
    "EXAMPLES",
    "STRESS_WINDOWS",
    "ConditionOutcome",
    "Move",
    "Portfolio",
    "Position",
    "Scenario",
    "ScenarioResult",
    "ScenarioSpec",
    "ScorecardResult",
    "SpecError",
    "Status",
    "brier",
    "conditional_gaussian",
    "describe",
    "entropy_pooling",
    "evaluate",
    "load",
    "load_portfolio",
    "loads",
    "resolve_window",
    "run",
    "scorecard",
]
