"""Scenario specs: pydantic models loaded from YAML, with errors that name the file's line.

A spec file looks like::

    name: 2026q1
    source: "November 2025 strategy note"
    asof: 2025-11-21          # date the outlook was written (default for --asof)
    horizon: 2026-03-31       # end of the scenario horizon
    scenarios:
      - id: A
        name: Soft landing
        probability: 0.45
        narrative: ...
        conditions:
          - {kind: policy_cut, bp: 25, by: 2025-12-31}
          - {kind: level, series: SPX, above: 6500, below: 6600, at: 2026-03-31}
          - "CTAs re-buying"              # free text: kept, marked not checkable
        shocks: {SPX: "-0.5%", UST2Y: "-25bp"}

Moves (shocks, ``change`` thresholds, views) are strings with a unit: ``"-20%"`` (relative
change), ``"+30bp"`` (basis points: of a rate series' level, or 0.01 % of a price),
``"+5pt"`` (absolute change in the series' own unit). A bare number is refused: its unit would
be a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)

from crashlens._spec import Series, SpecModel
from crashlens._yaml import SpecError, line_of, parse_yaml, read_yaml, validate
from crashlens.notes import Note

#: Tolerance on the sum of probabilities before they are normalised with a warning.
PROB_SUM_TOL = 1e-6

_MOVE_RX = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(%|bp|bps|pt|pts)\s*$")




@dataclass(frozen=True)
class Move:
    """A move with its unit.

    Attributes
    ----------
    value : float
        The number as written (``-20`` for ``"-20%"``).
    unit : {"pct", "bp", "pt"}
        Relative percent, basis points, or absolute points in the series' unit.
    """

    value: float
    unit: Literal["pct", "bp", "pt"]

    def __str__(self) -> str:
        suffix = {"pct": "%", "bp": "bp", "pt": "pt"}[self.unit]
        return f"{self.value:+g}{suffix}"


def parse_move(value: Any) -> Move:
    """Parse ``"-20%"``, ``"+30bp"``, ``"5pt"`` into a :class:`Move`."""
    if isinstance(value, Move):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(
            f"move {value!r} needs a unit: write it as a string like \"-20%\", \"+30bp\" or "
            "\"+5pt\"")
    m = _MOVE_RX.match(value)
    if not m:
        raise ValueError(f"move '{value}' is not understood; write e.g. \"-20%\", \"+30bp\", "
                         "\"+5pt\"")
    unit = {"%": "pct", "bp": "bp", "bps": "bp", "pt": "pt", "pts": "pt"}[m.group(2)]
    return Move(float(m.group(1)), unit)  # type: ignore[arg-type]


MoveField = Annotated[Move, BeforeValidator(parse_move)]



def _one_deadline(by: dt.date | None, at: dt.date | None) -> None:
    if (by is None) == (at is None):
        raise ValueError("give exactly one of 'by' (some day up to) or 'at' (on that date)")


def _some_bound(kind: str, at_most: Move | None, at_least: Move | None) -> None:
    if at_most is None and at_least is None:
        raise ValueError(f"a {kind} condition needs 'at_most' and/or 'at_least'")


class _Worded(SpecModel):
    """Fields every condition has: its wording, and optionally the Chinese wording."""

    text: str = ""
    text_zh: str = ""  # optional Chinese wording (the zh report shows it)


class _MoveWindow(_Worded):
    """A move (``at_most`` / ``at_least``, with units) measured from ``start`` to ``by``/``at``."""

    at_most: MoveField | None = None
    at_least: MoveField | None = None
    start: dt.date | None = None
    by: dt.date | None = None
    at: dt.date | None = None

    @model_validator(mode="after")
    def _check_window(self) -> _MoveWindow:
        _some_bound(getattr(self, "kind", "move"), self.at_most, self.at_least)
        _one_deadline(self.by, self.at)
        return self


class LevelCondition(_Worded):
    """A series above / below / between levels: on a date (``at``) or on some day up to ``by``."""

    kind: Literal["level"]
    series: Series
    above: float | None = None
    below: float | None = None
    by: dt.date | None = None
    at: dt.date | None = None

    @model_validator(mode="after")
    def _check(self) -> LevelCondition:
        if self.above is None and self.below is None:
            raise ValueError("a level condition needs 'above' and/or 'below'")
        if self.above is not None and self.below is not None and self.above >= self.below:
            raise ValueError(f"'above' ({self.above}) must be less than 'below' ({self.below})")
        _one_deadline(self.by, self.at)
        return self


class ChangeCondition(_MoveWindow):
    """A change of a series, compared with ``at_most`` / ``at_least`` (moves with units).

    Measured from ``start`` (default: the spec's as-of) on some day up to ``by``, or on ``at``.
    """

    kind: Literal["change"]
    series: Series


class PolicyCondition(_Worded):
    """The policy rate: cut / hiked by ``bp`` or more by ``by``, or held unchanged through it.

    Measured on the upper bound of the Fed target range (``FED_TARGET_UPPER``).
    """

    kind: Literal["policy_cut", "policy_hike", "policy_hold"]
    by: dt.date
    bp: float | None = Field(default=None, gt=0)
    series: Series = "FED_TARGET_UPPER"

    @model_validator(mode="after")
    def _check(self) -> PolicyCondition:
        if self.kind != "policy_hold" and self.bp is None:
            raise ValueError(f"a {self.kind} condition needs 'bp' (a positive number)")
        return self


class RelativeCondition(_MoveWindow):
    """Relative performance: ``series``'s % change minus ``versus``'s, in percentage points.

    Measured from ``start`` (default: the spec's as-of) on ``at`` or on some day up to ``by``,
    compared with ``at_most`` / ``at_least`` (written in %).
    """

    kind: Literal["relative"]
    series: Series
    versus: Series

    @model_validator(mode="after")
    def _check(self) -> RelativeCondition:
        for m in (self.at_most, self.at_least):
            if m is not None and m.unit != "pct":
                raise ValueError("relative performance is in %: write e.g. \"+5%\"")
        return self


class CtaCondition(_Worded):
    """The modelled CTA position in ``asset`` is higher (``up``) or lower (``down``) on ``at``.

    Compared with the spec's as-of, with crashlens' own CTA model (``crashlens.cta``).
    """

    kind: Literal["cta_position"]
    asset: Series = "SPX"
    direction: Literal["up", "down"] = "up"
    at: dt.date


class TextCondition(_Worded):
    """A condition in words; kept in the outputs and marked not checkable."""

    kind: Literal["text"]
    text: str


def _text_condition(value: Any) -> Any:
    if isinstance(value, str):
        return {"kind": "text", "text": value}
    return value


Condition = Annotated[
    LevelCondition | ChangeCondition | PolicyCondition | RelativeCondition | CtaCondition
    | TextCondition,
    Field(discriminator="kind"),
    BeforeValidator(_text_condition),
]


class Scenario(SpecModel):
    """One named scenario.

    Attributes
    ----------
    id : str
        Short identifier (``"A"``).
    name : str
        Title.
    probability : float
        Stated probability, >= 0 (normalised with the others if they do not sum to 1).
    narrative : str
        The story in words.
    name_zh, narrative_zh : str
        Optional Chinese title and story (the Chinese report shows them; default empty).
    conditions : list
        Typed conditions (level, change, policy_cut/hike/hold) and free text.
    shocks : dict
        Moves of some assets over the horizon, e.g. ``{"NDX": "-22%"}``; propagated to the rest.
    """

    id: str = Field(min_length=1)
    name: str = ""
    probability: float = Field(ge=0)
    narrative: str = ""
    name_zh: str = ""
    narrative_zh: str = ""
    conditions: list[Condition] = Field(default_factory=list)
    shocks: dict[Series, MoveField] = Field(default_factory=dict)

    @field_validator("probability")
    @classmethod
    def _finite(cls, v: float) -> float:
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError("probability must be a finite number")
        return v


class View(SpecModel):
    """An entropy-pooling view: a scenario's probability, or an asset's expected move."""

    scenario: str | None = None
    probability: float | None = Field(default=None, ge=0, le=1)
    asset: Series | None = None
    expected_move: MoveField | None = None

    @model_validator(mode="after")
    def _check(self) -> View:
        if (self.scenario is None) == (self.asset is None):
            raise ValueError("a view names either a 'scenario' (with 'probability') or an "
                             "'asset' (with 'expected_move')")
        if self.scenario is not None and self.probability is None:
            raise ValueError("a scenario view needs 'probability'")
        if self.asset is not None and self.expected_move is None:
            raise ValueError("an asset view needs 'expected_move'")
        return self


class ScenarioSpec(SpecModel):
    """A set of scenarios with probabilities, conditions and shocks.

    Attributes
    ----------
    name : str
        Name of the set.
    source : str
        Where the scenarios come from (the note, its date).
    source_zh : str
        Optional Chinese ``source`` line (default empty).
    asof : date, optional
        Date the outlook was written; default as-of for :func:`crashlens.scenarios.run`.
    horizon : date, optional
        End of the horizon (the shocks are moves from as-of to this date).
    horizon_days : int, optional
        Horizon in trading days when ``horizon`` is not given (default 63).
    window : str, optional
        Covariance window (see :func:`crashlens.scenarios.propagation.resolve_window`).
    universe : list of str, optional
        Assets to propagate to (default: :data:`crashlens.scenarios.propagation.DEFAULT_UNIVERSE`).
    scenarios : list of Scenario
        The scenarios (ids unique).
    views : list of View
        Optional entropy-pooling views.
    path : str
        File the spec was read from (set by the loader).
    warnings : tuple of str
        Loader warnings (e.g. probabilities normalised).
    """

    name: str = ""
    source: str = ""
    source_zh: str = ""
    asof: dt.date | None = None
    horizon: dt.date | None = None
    horizon_days: int | None = Field(default=None, gt=0)
    window: str | None = None
    universe: list[Series] | None = None
    scenarios: list[Scenario] = Field(min_length=1)
    views: list[View] = Field(default_factory=list)
    path: str = ""
    warnings: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> ScenarioSpec:
        if self.asof and self.horizon and self.horizon <= self.asof:
            raise ValueError(f"horizon {self.horizon} is not after asof {self.asof}")
        ids = {s.id for s in self.scenarios}
        if len(ids) < len(self.scenarios):
            return self  # duplicate ids: reported with their line by the loader
        for v in self.views:
            if v.scenario is not None and v.scenario not in ids:
                raise ValueError(f"view names unknown scenario '{v.scenario}' "
                                 f"(scenarios: {', '.join(sorted(ids))})")
        return self

    @property
    def probabilities(self) -> list[float]:
        """Stated probabilities, in scenario order."""
        return [s.probability for s in self.scenarios]

    @property
    def ids(self) -> list[str]:
        """Scenario ids, in order."""
        return [s.id for s in self.scenarios]

    def scenario(self, sid: str) -> Scenario:
        """Return the scenario with id ``sid``."""
        for s in self.scenarios:
            if s.id == sid:
                return s
        raise KeyError(sid)


def _finish(spec: ScenarioSpec, lines: dict, source: str) -> ScenarioSpec:
    seen: set[str] = set()
    for i, sc in enumerate(spec.scenarios):
        if sc.id in seen:
            raise SpecError(f"scenarios.{i}.id: duplicate scenario id '{sc.id}'", path=source,
                            line=line_of(lines, ("scenarios", i, "id")))
        seen.add(sc.id)
    total = sum(spec.probabilities)
    if total <= 0:
        raise SpecError("probabilities sum to 0; give each scenario a probability > 0",
                        path=source, line=line_of(lines, ("scenarios",)))
    warnings = list(spec.warnings)
    if abs(total - 1.0) > PROB_SUM_TOL:
        warnings.append(Note("scenarios.probabilities_normalised", total=total))
        scen = [s.model_copy(update={"probability": s.probability / total})
                for s in spec.scenarios]
        spec = spec.model_copy(update={"scenarios": scen})
    return spec.model_copy(update={"path": source, "warnings": tuple(warnings)})


def loads(text: str, *, source: str = "<string>", known: Iterable[str] | None = None
          ) -> ScenarioSpec:
    """Parse a scenario spec from YAML text.

    Parameters
    ----------
    text : str
        YAML document.
    source : str
        Name used in error messages.
    known : iterable of str, optional
        Accepted asset names (default: the data catalog's names).

    Raises
    ------
    SpecError
        Naming the line: syntax errors, empty file, unknown assets, bad dates, negative
        probabilities, unknown keys, moves without units, duplicate ids.
    """
    data, lines = parse_yaml(text, source)
    ctx = {"known": list(known) if known is not None else None}
    spec = validate(ScenarioSpec, data, lines, source, ctx)
    return _finish(spec, lines, source)


def load(path: str | Path | ScenarioSpec | dict, *, known: Iterable[str] | None = None
         ) -> ScenarioSpec:
    """Load a scenario spec from a YAML file (a ScenarioSpec is returned unchanged).

    The shipped example ``2026q1`` can be named without a path: ``load("2026q1")`` reads
    ``scenarios/2026q1.yaml`` packaged in :mod:`crashlens.scenarios.examples`. A mapping (the
    parsed content) is validated the same way.
    """
    if isinstance(path, ScenarioSpec):
        return path
    if isinstance(path, dict):
        ctx = {"known": list(known) if known is not None else None}
        return _finish(validate(ScenarioSpec, path, {}, "<spec>", ctx), {}, "<spec>")
    p = Path(path)
    if not p.exists() and p.suffix == "" and (EXAMPLES / f"{p.name}.yaml").is_file():
        p = EXAMPLES / f"{p.name}.yaml"
    data, lines, source = read_yaml(p)
    ctx = {"known": list(known) if known is not None else None}
    spec = validate(ScenarioSpec, data, lines, source, ctx)
    return _finish(spec, lines, source)


#: Folder of the packaged example specs.
EXAMPLES = Path(__file__).parent / "examples"
