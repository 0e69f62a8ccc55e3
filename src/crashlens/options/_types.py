"""Enumerations of the options engine's modelling choices (values are the JSON/CLI spellings)."""

from __future__ import annotations

import enum

from crashlens.errors import ParameterError


class SignConvention(enum.StrEnum):
    """Which side of each option dealers are assumed to hold (the sign of its gamma).

    The default, ``long_calls_short_puts``, is the common public convention (SqueezeMetrics,
    perfiliev): customers sell calls (overwriting) and buy puts (protection), so dealers are
    long calls (+ gamma) and short puts (- gamma).
    """

    LONG_CALLS_SHORT_PUTS = "long_calls_short_puts"
    SHORT_CALLS_LONG_PUTS = "short_calls_long_puts"
    SHORT_CALLS_SHORT_PUTS = "short_calls_short_puts"
    LONG_CALLS_LONG_PUTS = "long_calls_long_puts"

    @property
    def signs(self) -> tuple[float, float]:
        """Dealer sign of (calls, puts): +1 dealer long, -1 dealer short."""
        return {
            SignConvention.LONG_CALLS_SHORT_PUTS: (1.0, -1.0),
            SignConvention.SHORT_CALLS_LONG_PUTS: (-1.0, 1.0),
            SignConvention.SHORT_CALLS_SHORT_PUTS: (-1.0, -1.0),
            SignConvention.LONG_CALLS_LONG_PUTS: (1.0, 1.0),
        }[self]

    @property
    def label(self) -> str:
        """Human-readable description, e.g. ``dealers long calls (+), short puts (-)``."""
        c, p = self.signs
        side = {1.0: "long", -1.0: "short"}
        sign = {1.0: "+", -1.0: "-"}
        return f"dealers {side[c]} calls ({sign[c]}), {side[p]} puts ({sign[p]})"


class VolModel(enum.StrEnum):
    """How implied vols move when the profile revalues at a hypothetical spot."""

    STICKY_STRIKE = "sticky_strike"  # each contract keeps its own IV
    STICKY_DELTA = "sticky_delta"  # IV follows moneyness K/S along each expiry's smile


class Settlement(enum.StrEnum):
    """Settlement time of an expiry: AM (09:30 ET open) or PM (16:00 ET close)."""

    AUTO = "auto"  # by option root: SPX, NDX, RUT, VIX monthlies AM; everything else PM
    AM = "am"
    PM = "pm"


class TimeConvention(enum.StrEnum):
    """Year fraction used for time to expiry."""

    ACT365_MINUTES = "act365_minutes"  # calendar minutes to settlement / 525 600, floored


def coerce_enum(value: object, enum_cls: type[enum.Enum], name: str) -> enum.Enum:
    """Return ``enum_cls(value)`` or raise a ParameterError listing the valid spellings."""
    if isinstance(value, enum_cls):
        return value
    try:
        return enum_cls(str(value).strip().lower())
    except ValueError:
        valid = ", ".join(str(m.value) for m in enum_cls)
        raise ParameterError(f"{name}: '{value}' is not one of {valid}") from None
