"""Crypto warnings are notes: a code, the English text as before and a Chinese text."""

from __future__ import annotations

import pytest

from crashlens.crypto import leverage, stablecoins
from crashlens.notes import Note


def _by_code(warnings: tuple[str, ...]) -> dict[str, Note]:
    assert all(isinstance(w, Note) for w in warnings), warnings
    return {w.code: w for w in warnings}  # type: ignore[attr-defined]


@pytest.mark.realdata
def test_leverage_notes_on_a_real_day(raw_dir):
    got = _by_code(leverage("2025-11-21").warnings)
    # the CoinGlass ETH funding file ends 2025-11-14 20:00 (4-h bar of 16:00 + 4 h):
    # 7.17 days before the end of 2025-11-21
    n = got["crypto.market_funding_stale"]
    assert n == ("market funding ETH: stale: last value 2025-11-14 20:00:00 UTC is 7.2 days "
                 "old (maximum age 2 days)")
    assert n.text("zh") == ("ETH 全市场资金费率已过时：最新数值（UTC 2025-11-14 20:00:00）已有 "
                            "7.2 天（最长 2 天）")
    stale = [w for w in leverage("2025-11-21").warnings if w.code == "data.stale_series"]
    assert "OI_BTC ends 2025-10-26, 26 days before the as-of date 2025-11-21: its value is as "\
           "of 2025-10-26, not current" in stale


@pytest.mark.realdata
def test_a_wrapped_reason_renders_whole_in_chinese(raw_dir):
    # 2025-05-18: the aggregate has a single 4-h value by the end of the day
    got = _by_code(leverage("2025-05-18").warnings)
    n = got["crypto.market_map_fallback"]
    assert n.params["error"].code == "crypto.market_oi_few"
    assert n.startswith("market liquidation map: market OI BTC: fewer than 2 values between "
                        "2025-02-18 00:00:00 and 2025-05-19 00:00:00")
    assert n.endswith("; Binance coin-margined fallback")
    assert n.text("zh").startswith("全市场清算图：BTC 全市场持仓量：2025-02-18 00:00:00 至 "
                                   "2025-05-19 00:00:00 之间不足 2 个数值")
    assert got["crypto.binance_only_map"].text("zh").startswith("清算图与连锁反应仅基于币安币本位")


@pytest.mark.realdata
def test_stablecoin_notes(raw_dir):
    got = _by_code(stablecoins("2025-12-20").warnings)
    # USDC's CoinGlass series ends 2025-11-13: 37 days before 2025-12-20
    assert got["crypto.total_mixed_dates"].text("zh") == (
        "合计加总了不同日期的数值：USDT 2025-12-06, USDC 2025-11-13")
    usdc = next(w for w in stablecoins("2025-12-20").warnings if w.startswith("USDC supply"))
    assert isinstance(usdc, Note)
    assert usdc == ("USDC supply: stale: last value 2025-11-13 is 37 days before 2025-12-20 "
                    "(maximum age 3 days)")
    assert usdc.text("zh") == "USDC 供应量已过时：最新数值（2025-11-13）比 2025-12-20 早 37 天（最长 3 天）"
