"""Warnings of the dealer gamma engine are Notes: a code, its parameters and a Chinese text."""

from __future__ import annotations

from pathlib import Path

import pytest

from crashlens.options import gamma_profile, gex

pytestmark = pytest.mark.realdata

NOV = "spy_options_chain_20251120_quotedata.csv"


def _by_code(warnings, code):
    found = [w for w in warnings if getattr(w, "code", None) == code]
    assert found, f"no {code} among {list(warnings)}"
    return found


def test_an_expired_and_a_stale_chain_are_labelled():
    # 19 Nov 2025: only the September chain (quoted 25 Sep, 55 days earlier) exists, all settled
    (expired,) = _by_code(gamma_profile("2025-11-19").warnings, "options.chain_expired")
    assert expired.text("zh") == (
        "期权链 spy_options_chain_20250925_quotedata.csv 报价于 2025-09-25，比 2025-11-19 早 55 "
        "天（最近的期权链，已到期：其所有到期日均已结算）；做市商持仓按期权链日期计量")
    # 10 Dec 2025: the November chain (quoted 20 Nov, 20 days earlier) is past its 7-day life
    (stale,) = _by_code(gamma_profile("2025-12-10").warnings, "options.chain_stale")
    assert stale == (f"option chain {NOV} was quoted 2025-11-20, 20 days before 2025-12-10 "
                     "(stale: older than the 7-day useful life of open interest); dealer "
                     "positioning is measured as of the chain's date")
    assert stale.text("zh") == (
        f"期权链 {NOV} 报价于 2025-11-20，比 2025-12-10 早 20 天（已过时：超过持仓量 7 天的"
        "有效期）；做市商持仓按期权链日期计量")


def test_valuing_a_chain_days_after_its_quote(raw_dir: Path):
    # quoted Thu 20 Nov 2025 09:52 ET; valued Mon 24 Nov at the 16:00 close: 4 days later
    res = gex(raw_dir / NOV, asof="2025-11-24")
    (stale,) = _by_code(res.warnings, "options.stale_valuation")
    assert stale == ("asof 2025-11-24 16:00:00 is 4 days after the chain's quote time "
                     "2025-11-20 09:52:00: open interest and IVs are stale")
    assert stale.text("zh") == ("估值时间 2025-11-24 16:00:00 比期权链报价时间 2025-11-20 09:52:00 "
                                "晚 4 天：持仓量与隐含波动率已过时")
    (settled,) = _by_code(res.warnings, "options.settled_excluded")
    assert settled.params["at"] == "2025-11-24 16:00:00"
    assert settled.text("zh").startswith(f"剔除 {settled.params['n']} 个在 2025-11-24 16:00:00 "
                                         "或之前已结算的合约（持仓量 ")
