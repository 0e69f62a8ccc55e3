"""Readable numbers for the audit's ``claimed`` / ``measured_text``: no e-notation, USD in $bn."""

from __future__ import annotations

import math

import numpy as np


def num(x: float, signed: bool = False) -> str:
    """A number with thousands separators and at most 6 significant digits, never e-notation.

    Magnitudes of 1e9 and more are written in billions (``"37.88bn"``); 1e5 to 1e9 as whole
    numbers (``"6,512,345"``); tiny values positionally (``"0.0000123"``).
    """
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    a = abs(x)
    if a >= 1e9:
        s = f"{x / 1e9:,.2f}bn"
    elif a >= 1e5:
        s = f"{x:,.0f}"
    elif a == 0 or a >= 1e-4:
        s = f"{x:,.6g}"
    else:
        s = str(np.format_float_positional(x, precision=3, fractional=False, trim="-"))
    return ("+" + s) if signed and x >= 0 else s


def usd(x: float, signed: bool = False) -> str:
    """A USD amount in $bn (``"-$390.0bn"``), or $m below $100m."""
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    sign = "-" if x < 0 else ("+" if signed else "")
    a = abs(x)
    body = f"${a / 1e9:,.1f}bn" if a >= 1e8 or a == 0 else f"${a / 1e6:,.1f}m"
    return sign + body


def is_usd(quantity: str) -> bool:
    """Whether a model quantity path names a USD amount (``flows_usd``, ``aum``, ``notional``)."""
    parts = quantity.lower().split(".")
    return any("usd" in p or p in ("aum", "notional", "gross", "net_usd") for p in parts)


__all__ = ["is_usd", "num", "usd"]
