"""Readable numbers in claimed/measured texts: no e-notation, USD in $bn."""

from __future__ import annotations

import pytest

from crashlens.audit._fmt import is_usd, num, usd


@pytest.mark.parametrize(("x", "signed", "want"), [
    (6538.76, False, "6,538.76"),
    (-3.78763e10, False, "-37.88bn"),
    (6.5e6, False, "6,500,000"),
    (999999.9, False, "1,000,000"),
    (0.0000123, False, "0.0000123"),
    (2.0, True, "+2"),
    (-2.0, True, "-2"),
    (0.0, False, "0"),
])
def test_num(x: float, signed: bool, want: str) -> None:
    assert num(x, signed) == want


@pytest.mark.parametrize(("x", "want"), [
    (-3.9e11, "-$390.0bn"), (1.95e11, "$195.0bn"), (-3.78763e10, "-$37.9bn"),
    (2.5e7, "$25.0m"),
])
def test_usd(x: float, want: str) -> None:
    assert usd(x) == want
    assert "e+" not in usd(x)


def test_is_usd() -> None:
    assert is_usd("total.sectors.equity.flows_usd.1w.down_big")
    assert not is_usd("assets.SPX.triggers.short")
