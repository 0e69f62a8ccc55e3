"""Locale-aware number, money, percentage and date formatting for the report and dashboard.

Every number printed by the report passes through one of these functions, so nothing shows a
raw 12-decimal float. Missing values (None, NaN) print as an em dash.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

LANGS = ("en", "zh")
MINUS = "\u2212"
DASH = "\u2014"

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _finite(x: Any) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _grouped(x: float, digits: int) -> str:
    s = f"{abs(x):,.{digits}f}"
    if x < 0 and any(c not in "0.," for c in s):
        return MINUS + s
    return s


def num(x: Any, digits: int = 1, lang: str = "en", *, sign: bool = False) -> str:
    """Format a plain number with thousands separators (``1,234.5``; ``−3.2``).

    Parameters
    ----------
    x : float or None
        The value; None / NaN / inf print as an em dash.
    digits : int
        Decimal places.
    lang : {"en", "zh"}
        Language (both use comma grouping and a decimal point, as is usual in financial
        Chinese).
    sign : bool
        Print a leading ``+`` for positive values.
    """
    f = _finite(x)
    if f is None:
        return DASH
    out = _grouped(f, digits)
    if sign and f > 0 and out.strip("0.,") != "":
        out = "+" + out
    return out


def pct(x: Any, digits: int = 1, lang: str = "en", *, sign: bool = False) -> str:
    """Format a fraction as a percentage (``-0.031`` → ``−3.1%``)."""
    f = _finite(x)
    if f is None:
        return DASH
    return num(100.0 * f, digits, lang, sign=sign) + "%"


def bp(x: Any, lang: str = "en", *, sign: bool = True) -> str:
    """Format a change in percentage points as basis points (``0.12`` → ``+12 bp``)."""
    f = _finite(x)
    if f is None:
        return DASH
    unit = " bp" if lang == "en" else "个基点"
    return num(100.0 * f, 0, lang, sign=sign) + unit


def money_bn(usd: Any, lang: str = "en", digits: int = 1, *, sign: bool = False) -> str:
    """Format US dollars in billions (en ``$12.3bn``; zh ``123.0亿美元``)."""
    f = _finite(usd)
    if f is None:
        return DASH
    if lang == "zh":
        return num(f / 1e8, digits, lang, sign=sign) + "亿美元"
    body = num(abs(f) / 1e9, digits, lang)
    prefix = MINUS if f < 0 and body.strip("0.,") else ("+" if sign and f > 0 else "")
    return f"{prefix}${body}bn"


def money(usd: Any, lang: str = "en", *, sign: bool = False) -> str:
    """Format US dollars: in $bn from $0.1bn up, else in $m (zh: 亿美元 / 万美元)."""
    f = _finite(usd)
    if f is None:
        return DASH
    if abs(f) >= 1e8 or f == 0:
        return money_bn(f, lang, 1, sign=sign)
    if lang == "zh":
        return num(f / 1e4, 1, lang, sign=sign) + "万美元"
    body = num(abs(f) / 1e6, 1, lang)
    prefix = MINUS if f < 0 and body.strip("0.,") else ("+" if sign and f > 0 else "")
    return f"{prefix}${body}m"


def percentile(p: Any, lang: str = "en") -> str:
    """Format a percentile rank given as a fraction in [0, 1] (``0.93`` → ``93%``)."""
    f = _finite(p)
    if f is None:
        return DASH
    return num(100.0 * f, 0, lang) + "%"


def sigma(z: Any, lang: str = "en") -> str:
    """Format a standardised move (``-2.46`` → ``−2.5σ``)."""
    f = _finite(z)
    if f is None:
        return DASH
    return num(f, 1, lang, sign=True) + "σ"


def _stamp(d: Any) -> pd.Timestamp | str:
    """``d`` as a Timestamp; DASH for missing, the text itself when it is not a date."""
    if d is None:
        return DASH
    try:
        ts = pd.Timestamp(d)
    except (TypeError, ValueError):
        return str(d)
    return DASH if pd.isna(ts) else ts


def date(d: Any, lang: str = "en") -> str:
    """Format a date (en ``21 Nov 2025``; zh ``2025年11月21日``)."""
    ts = _stamp(d)
    if isinstance(ts, str):
        return ts
    if lang == "zh":
        return f"{ts.year}年{ts.month}月{ts.day}日"
    return f"{ts.day} {_MONTHS_EN[ts.month - 1]} {ts.year}"


def month(d: Any, lang: str = "en") -> str:
    """Format the month a monthly series measures (en ``Sep 2025``; zh ``2025年9月``)."""
    ts = _stamp(d)
    if isinstance(ts, str):
        return ts
    if lang == "zh":
        return f"{ts.year}年{ts.month}月"
    return f"{_MONTHS_EN[ts.month - 1]} {ts.year}"


def level(x: Any, lang: str = "en") -> str:
    """Format a price or index level with precision suited to its size."""
    f = _finite(x)
    if f is None:
        return DASH
    a = abs(f)
    digits = 0 if a >= 10_000 else 1 if a >= 100 else 2 if a >= 1 else 4
    return num(f, digits, lang)


def join(items: Any, lang: str = "en") -> str:
    """Join words as a list (en ``a, b``; zh ``a、b``)."""
    return ("、" if lang == "zh" else ", ").join(str(i) for i in items)


__all__ = ["DASH", "LANGS", "MINUS", "bp", "date", "join", "level", "money", "money_bn", "month",
           "num", "pct", "percentile", "sigma"]
