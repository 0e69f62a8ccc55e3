"""Claims files: a published note's checkable statements as typed YAML entries.

Every claim has an ``id``, the ``text`` as the note put it, a ``source`` note (where it was
said) and a ``kind`` that fixes how it is checked (see ``docs/scenarios.md`` § audit):

``level_on_date``      a series' value on one date: ``value`` (±) and/or ``below``/``above``
``level_in_window``    on some day of [start, end]: ``below``/``above`` a level, or the window's
                       ``extreme`` (min/max) close to ``value``
``move_over_window``   change from the close on ``start`` to the close on ``end``: ``value``
                       (±) and/or ``at_most``/``at_least``, in ``unit`` pct / bp / pt
``ma_break``           close below/above its ``window``-day simple moving average on ``on`` or on
                       some day of [start, end]; optional claimed MA ``level`` (±)
``drawdown_from_peak`` percent below the peak of [peak_start, peak_end] at ``on`` (or the lowest
                       point of [start, end]); claimed ``value`` (percent, positive) and ``peak``
``record_in_window``   a new all-time high (or low) on some day of [start, end]
``macro_print``        a monthly print for ``period`` (YYYY-MM): level / change / mom_pct / yoy_pct
``missing_release``    no observation for ``period`` although later periods exist
``model_output``       a number from crashlens' own model (``model``: cta, crypto, crypto_replay,
                       contagion; ``quantity`` a dotted path into its JSON) compared with the
                       claimed ``value`` (± tolerance), with another quantity of the same run
                       (``greater_than``), or a ``series`` close ``relation`` below/above it
``first_print``        a monthly release as first published (point in time, from the first-releases
                       file): ``level`` / ``change`` / ``mom_pct`` / ``yoy_pct`` of ``indicator``
                       for ``period``; optional claimed ``released_on`` and the note's ``asof``
``probability_move``   a prediction-market probability (FOMC outcome) moving from below/above one
                       level to above/below another within [start, end]
``duration``           the length in days (and optional dating window) of a dated event from a
                       release calendar / dated source (e.g. ``shutdown_2025``)
``extreme_since``      a value that is the highest (lowest) since ``since``
``episode_comparison`` one metric (drawdown, speed, stress level, breadth...) of this episode's
                       window vs another episode's window: ``less`` / ``greater`` (optional ratio)
``relative_move``      ``series``' close-to-close change over [start, end] ``less``/``greater``
                       than each of ``versus`` (e.g. high-beta stocks fell more than the index)
``event_date``         the date (and weekday / timing) of a dated event in the shipped catalyst
                       calendar (``crashlens.episodes``), e.g. an earnings release or a speech
``stablecoin_supply``  stablecoin market cap (sum of ``coins``) on a date vs ``value``/bounds
``text``               anything else: kept, verdict "not checkable"

Optional ``text_zh`` (per claim) and ``source_zh`` (per file) give the Chinese report's wording;
``quote`` keeps the note's own sentence, ``section``/``section_zh`` the note's section (the
report groups by it) and ``tolerance_why`` the reason for the tolerance.

Tolerances: ``tolerance`` is absolute in the measured unit; ``tolerance_pct`` is relative to the
claimed value (percent). With neither, :data:`DEFAULT_TOLERANCE_PCT` applies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from crashlens._spec import Series, SpecModel
from crashlens._yaml import SpecError, line_of, parse_yaml, read_yaml, validate

#: Relative tolerance (percent of the claimed value) when a claim states none.
DEFAULT_TOLERANCE_PCT = 1.0

PriceField = Literal["close", "open", "high", "low"]


class _Claim(SpecModel):
    id: str = Field(min_length=1)
    text: str = ""
    text_zh: str = ""  # optional Chinese text for the zh report (the note's words stay in text)
    source: str = ""
    #: the note's sentence, verbatim (Chinese notes: the Chinese words; ``text`` is the gloss)
    quote: str = ""
    #: the note's section (English label / the note's own heading), for grouping in the report
    section: str = ""
    section_zh: str = ""
    tolerance: float | None = Field(default=None, ge=0)
    tolerance_pct: float | None = Field(default=None, ge=0)
    #: why this tolerance (the note's rounding, "about", a model's precision...)
    tolerance_why: str = ""


class _Window(_Claim):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _order(self) -> _Window:
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self


class LevelOnDate(_Claim):
    """A series' value on one date."""

    kind: Literal["level_on_date"]
    series: Series
    date: dt.date
    field: PriceField = "close"
    value: float | None = None
    below: float | None = None
    above: float | None = None

    @model_validator(mode="after")
    def _need(self) -> LevelOnDate:
        if self.value is None and self.below is None and self.above is None:
            raise ValueError("give 'value' and/or 'below'/'above'")
        return self


class LevelInWindow(_Window):
    """Below/above a level on some day of a window, or the window's extreme near a value."""

    kind: Literal["level_in_window"]
    series: Series
    field: PriceField = "close"
    below: float | None = None
    above: float | None = None
    value: float | None = None
    extreme: Literal["min", "max"] | None = None

    @model_validator(mode="after")
    def _need(self) -> LevelInWindow:
        if self.value is None and self.below is None and self.above is None:
            raise ValueError("give 'below'/'above', or 'value' with 'extreme' (min or max)")
        if self.value is not None and self.extreme is None:
            raise ValueError("a 'value' claim needs 'extreme': min or max")
        return self


class MoveOverWindow(_Window):
    """Change from the close on ``start`` to the close on ``end``."""

    kind: Literal["move_over_window"]
    series: Series
    unit: Literal["pct", "bp", "pt"] = "pct"
    value: float | None = None
    at_most: float | None = None
    at_least: float | None = None

    @model_validator(mode="after")
    def _need(self) -> MoveOverWindow:
        if self.value is None and self.at_most is None and self.at_least is None:
            raise ValueError("give 'value' and/or 'at_most'/'at_least'")
        return self


class MABreak(_Claim):
    """Close below/above its simple moving average."""

    kind: Literal["ma_break"]
    series: Series
    window: int = Field(gt=1)
    direction: Literal["below", "above"] = "below"
    on: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    level: float | None = None

    @model_validator(mode="after")
    def _dates(self) -> MABreak:
        if (self.on is None) == (self.start is None or self.end is None):
            raise ValueError("give either 'on' or both 'start' and 'end'")
        return self


class DrawdownFromPeak(_Claim):
    """Percent below a peak (of a window, default all history before the trough)."""

    kind: Literal["drawdown_from_peak"]
    series: Series
    value: float = Field(ge=0, le=100)
    peak: float | None = None
    peak_tolerance_pct: float = Field(default=2.0, ge=0)
    peak_start: dt.date | None = None
    peak_end: dt.date | None = None
    peak_field: PriceField = "close"
    on: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    trough_field: PriceField = "close"

    @model_validator(mode="after")
    def _dates(self) -> DrawdownFromPeak:
        if (self.on is None) == (self.start is None or self.end is None):
            raise ValueError("give the trough date 'on' or a trough window 'start' and 'end'")
        return self


class RecordInWindow(_Window):
    """A new all-time high (low) on some day of the window."""

    kind: Literal["record_in_window"]
    series: Series
    direction: Literal["high", "low"] = "high"
    field: PriceField = "close"


_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _period(v: object) -> str:
    out = str(v).strip()
    if not _PERIOD.match(out):
        raise ValueError(f"period '{out}' must be YYYY-MM")
    return out


Period = Annotated[str, BeforeValidator(_period)]


class MacroPrint(_Claim):
    """A monthly print: the level, the change from the previous month, or a growth rate."""

    kind: Literal["macro_print"]
    series: Series
    period: Period
    measure: Literal["level", "change", "mom_pct", "yoy_pct"] = "level"
    value: float
    vintage: Literal["latest", "first_release"] = "latest"


class MissingRelease(_Claim):
    """No observation for ``period`` although the series continues after it."""

    kind: Literal["missing_release"]
    series: Series
    period: Period


class ModelOutput(_Claim):
    """A number from crashlens' own model, compared with the claim with a stated tolerance."""

    kind: Literal["model_output"]
    model: Literal["cta", "crypto", "crypto_replay", "contagion"] = "cta"
    #: CTA parameter preset (``desk``, ``generic``); None = the engine's current default
    preset: str | None = None
    date: dt.date
    #: last day of a replay window (``crypto_replay``; default ``date``)
    end: dt.date | None = None
    quantity: str = Field(min_length=1)
    value: float | None = None
    assets: list[Series] | None = None
    relation: Literal["below", "above"] | None = None
    series: Series | None = None
    on: dt.date | None = None
    #: another quantity of the same model run that ``quantity`` must exceed (e.g. a stock's
    #: beta to Bitcoin above the index's)
    greater_than: str | None = None

    @model_validator(mode="after")
    def _mode(self) -> ModelOutput:
        if self.relation is None and self.value is None and self.greater_than is None:
            raise ValueError("give the claimed 'value', 'greater_than' (another quantity), or "
                             "'relation' (below/above) with 'series' to compare a close with "
                             "the model's number")
        if self.relation is not None and self.series is None:
            raise ValueError("'relation' needs 'series' (whose close is compared)")
        return self


class TextClaim(_Claim):
    """A statement no data series can decide (kept; verdict "not checkable")."""

    kind: Literal["text"]
    data_needed: str = ""


class _Bounds(_Claim):
    value: float | None = None
    at_least: float | None = None
    at_most: float | None = None

    @model_validator(mode="after")
    def _need_bound(self) -> _Bounds:
        if self.value is None and self.at_least is None and self.at_most is None:
            raise ValueError("give 'value' and/or 'at_least'/'at_most'")
        return self


def _indicator(v: object) -> str:
    from crashlens.errors import ParameterError
    from crashlens.macro.first_prints import indicator_code

    try:
        return indicator_code(str(v))
    except ParameterError as exc:
        raise ValueError(str(exc)) from exc


Indicator = Annotated[str, BeforeValidator(_indicator)]


class FirstPrint(_Bounds):
    """A monthly release as first published (see :mod:`crashlens.macro.first_prints`)."""

    kind: Literal["first_print"]
    indicator: Indicator
    period: Period
    measure: Literal["level", "change", "mom_pct", "yoy_pct"] = "level"
    released_on: dt.date | None = None
    asof: dt.date | None = None


class ProbabilityMove(_Claim):
    """A prediction-market probability moving across two levels inside a window."""

    kind: Literal["probability_move"]
    market: Literal["poly", "kalshi"] = "poly"
    outcome: Literal["cut", "no_change"] = "cut"
    start: dt.datetime
    end: dt.datetime
    from_below: float | None = Field(default=None, ge=0, le=1)
    from_above: float | None = Field(default=None, ge=0, le=1)
    to_above: float | None = Field(default=None, ge=0, le=1)
    to_below: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _levels(self) -> ProbabilityMove:
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        if (self.from_below is None) == (self.from_above is None):
            raise ValueError("give one of 'from_below' / 'from_above'")
        if (self.to_above is None) == (self.to_below is None):
            raise ValueError("give one of 'to_above' / 'to_below'")
        return self


class Duration(_Claim):
    """Length in days of a dated event, and optionally the window it lies in."""

    kind: Literal["duration"]
    event: Literal["shutdown_2025", "shutdown_2018"]
    value: float | None = None
    within_start: dt.date | None = None
    within_end: dt.date | None = None

    @model_validator(mode="after")
    def _need(self) -> Duration:
        if self.value is None and self.within_start is None:
            raise ValueError("give 'value' (days) and/or 'within_start'/'within_end'")
        if (self.within_start is None) != (self.within_end is None):
            raise ValueError("give both 'within_start' and 'within_end'")
        return self


class ExtremeSince(_Claim):
    """The value on ``on`` (or the extreme of [start, end]) is the highest (lowest) since."""

    kind: Literal["extreme_since"]
    series: Series
    direction: Literal["high", "low"] = "high"
    field: PriceField = "close"
    since: dt.date
    on: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _dates(self) -> ExtremeSince:
        if (self.on is None) == (self.start is None or self.end is None):
            raise ValueError("give either 'on' or both 'start' and 'end'")
        return self


class Span(SpecModel):
    """A dated window of an episode."""

    label: str = ""
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _order(self) -> Span:
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self


class EpisodeComparison(_Claim):
    """A metric of this episode's window vs another episode's window."""

    kind: Literal["episode_comparison"]
    series: list[Series] = Field(min_length=1)
    metric: Literal["drawdown_pct", "days_to_trough", "max_level", "min_level", "change_pct",
                    "change", "max_daily_drop_pct", "breadth_down"]
    this: Span
    other: Span
    relation: Literal["less", "greater"]
    ratio: float | None = Field(default=None, gt=0)


class EventDate(_Claim):
    """The date of a dated event (the shipped catalyst calendar), optionally its weekday."""

    kind: Literal["event_date"]
    event: str = Field(min_length=3)
    date: dt.date
    weekday: Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                     "Sunday"] | None = None


class RelativeMove(_Window):
    """``series`` changed less (more) than every one of ``versus`` over [start, end]."""

    kind: Literal["relative_move"]
    series: Series
    versus: list[Series] = Field(min_length=1)
    relation: Literal["less", "greater"] = "less"


Stablecoin = Literal["USDT", "USDC", "DAI", "FDUSD"]
_DEFAULT_COINS: tuple[Stablecoin, ...] = ("USDT", "USDC")


class StablecoinSupply(_Bounds):
    """Stablecoin market cap (USD) summed over ``coins`` on ``date`` (or the last day before)."""

    kind: Literal["stablecoin_supply"]
    coins: list[Stablecoin] = Field(default_factory=lambda: list(_DEFAULT_COINS))
    date: dt.date


Claim = Annotated[
    LevelOnDate | LevelInWindow | MoveOverWindow | MABreak | DrawdownFromPeak | RecordInWindow
    | MacroPrint | MissingRelease | ModelOutput | TextClaim | FirstPrint | ProbabilityMove
    | Duration | ExtremeSince | EpisodeComparison | StablecoinSupply | RelativeMove
    | EventDate,
    Field(discriminator="kind"),
]


class ClaimsFile(SpecModel):
    """A claims file: the note's name, source and claims."""

    name: str = ""
    source: str = ""
    source_zh: str = ""
    claims: list[Claim] = Field(min_length=1)
    path: str = ""


def _unique(cf: ClaimsFile, lines: dict, source: str) -> ClaimsFile:
    seen: set[str] = set()
    for i, c in enumerate(cf.claims):
        if c.id in seen:
            raise SpecError(f"claims.{i}.id: duplicate claim id '{c.id}'", path=source,
                            line=line_of(lines, ("claims", i, "id")))
        seen.add(c.id)
    return cf.model_copy(update={"path": source})


#: Folder of the packaged example claims files.
EXAMPLES = Path(__file__).parent / "examples"


def _text_claims(data: object) -> object:
    # a bare string claim is free text
    if isinstance(data, dict) and isinstance(data.get("claims"), list):
        data = dict(data)
        data["claims"] = [
            {"id": f"claim-{i + 1}", "kind": "text", "text": c} if isinstance(c, str) else c
            for i, c in enumerate(data["claims"])
        ]
    return data


def loads_claims(text: str, *, source: str = "<string>",
                 known: Iterable[str] | None = None) -> ClaimsFile:
    """Parse a claims file from YAML text (errors name the line)."""
    data, lines = parse_yaml(text, source)
    ctx = {"known": list(known) if known is not None else None}
    cf = validate(ClaimsFile, _text_claims(data), lines, source, ctx)
    return _unique(cf, lines, source)


def load_claims(path: str | Path | ClaimsFile | list | dict, *,
                known: Iterable[str] | None = None) -> ClaimsFile:
    """Load a claims file; a shipped example can be named by its stem (``"2025-11-selloff"``).

    Also accepts the parsed content: a mapping with ``claims``, or a list of claim mappings.
    """
    if isinstance(path, ClaimsFile):
        return path
    if isinstance(path, list | dict):
        data = {"claims": path} if isinstance(path, list) else path
        ctx = {"known": list(known) if known is not None else None}
        cf = validate(ClaimsFile, _text_claims(data), {}, "<claims>", ctx)
        return _unique(cf, {}, "<claims>")
    p = Path(path)
    if not p.exists() and p.suffix == "" and (EXAMPLES / f"{p.name}.yaml").is_file():
        p = EXAMPLES / f"{p.name}.yaml"
    data, lines, source = read_yaml(p)
    ctx = {"known": list(known) if known is not None else None}
    cf = validate(ClaimsFile, _text_claims(data), lines, source, ctx)
    return _unique(cf, lines, source)


__all__ = [
    "DEFAULT_TOLERANCE_PCT", "EXAMPLES", "Claim", "ClaimsFile", "DrawdownFromPeak", "Duration",
    "EpisodeComparison", "EventDate", "ExtremeSince", "FirstPrint", "LevelInWindow", "LevelOnDate",
    "MABreak", "MacroPrint", "MissingRelease", "ModelOutput", "MoveOverWindow", "ProbabilityMove",
    "RecordInWindow", "RelativeMove", "Span", "SpecError", "StablecoinSupply", "TextClaim",
    "line_of",
    "load_claims", "loads_claims",
]
