"""The CTA, gamma, crypto, macro and summary sections read result attributes (issue 12, part 2).

Two promises are checked:

* a result whose attribute or key is renamed or missing makes the section raise (a bug the
  builder lets through), where reading ``to_dict().get(...)`` used to print a dash;
* every number these sections show for the report as of 2025-11-21 equals the engine result's
  attribute, with the display text recomputed here from the attribute (plain Python formatting,
  not the report's formatters).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest

from crashlens.notes import Note
from crashlens.report.context import SectionOutput, Table

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

ASOF = "2025-11-21"
MINUS = "\u2212"
DASH = "\u2014"


def _num(x: Any) -> float | None:
    """The value as the report stores it beside a cell: a float, None when missing."""
    if x is None:
        return None
    f = float(x)
    return f if math.isfinite(f) else None


def _bn(usd: float, sign: bool = False) -> str:
    """US dollars in billions, English report style (``−$6.9bn``, ``+$5.1bn``)."""
    body = f"${abs(usd) / 1e9:,.1f}bn"
    return (MINUS if usd < 0 else "+" if sign else "") + body


def _pct(frac: float, digits: int, sign: bool = False) -> str:
    body = f"{abs(100 * frac):,.{digits}f}%"
    return (MINUS if frac < 0 else "+" if sign else "") + body


def _table(out: SectionOutput, ident: str) -> Table:
    return next(tb for tb in out.tables if tb.ident == ident)


def _numbers(tb: Table) -> list[list[float | None]]:
    assert tb.numbers is not None
    return tb.numbers


def _row(tb: Table, label: str) -> tuple[list[str], list[float | None]]:
    i = next(i for i, r in enumerate(tb.rows) if r[0] == label)
    assert tb.numbers is not None
    return tb.rows[i], _numbers(tb)[i]


@pytest.fixture(scope="module")
def built(raw_dir):
    """The report context as of 2025-11-21 after the five sections ran (results cached)."""
    from crashlens.report.builder import make_context, run_section

    ctx = make_context(asof=ASOF, lang="en")
    for ident in ("anatomy", "cta", "gamma", "crypto", "macro", "summary"):
        run_section(ctx, ident)
    return ctx


def _fresh(**cache: Any):
    """A new context as of 2025-11-21 whose engine cache holds ``cache`` (engine -> result)."""
    from crashlens.report.builder import make_context

    ctx = make_context(asof=ASOF, lang="en")
    for name, res in cache.items():
        ctx.cache[f"engine:{name}"] = res
    return ctx


class _Without:
    """A result seen through a proxy that lacks attribute ``name`` (a renamed attribute)."""

    def __init__(self, inner: Any, name: str, **replace: Any) -> None:
        self._inner, self._name, self._replace = inner, name, replace

    def __getattr__(self, attr: str) -> Any:
        if attr == self._name:
            raise AttributeError(attr)
        if attr in self._replace:
            return self._replace[attr]
        return getattr(self._inner, attr)


def _renamed(block: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    return {(new if k == old else k): v for k, v in block.items()}


# --------------------------------------------------------------------------- numbers shown


def test_cta_numbers_are_the_result_attributes(built):
    res = built.cache["engine:cta"]
    out = built.outputs["cta"]
    assert out.status == "ok"
    pos = _table(out, "cta-positioning")
    for name, a in res.assets.items():
        row, num = _row(pos, built.t.asset(name))
        assert num == [None, _num(a["price"]), _num(a["position_pct"]),
                       _num(a["notional_usd"]), *[_num(a["percentile"][k])
                                                  for k in ("1y", "3y", "5y")],
                       _num(a["usd_per_1pct"])]
        assert row[3] == _bn(a["notional_usd"])
    total = res.total
    row, num = _row(pos, "Total book")
    assert num[3] == total["notional_usd"] and row[3] == _bn(total["notional_usd"])
    # S&P 500 triggers: level and distance from the price
    spx = res.assets["SPX"]
    row, num = _row(_table(out, "cta-triggers"), "S&P 500")
    for cell, h in zip(row[2:], ("short", "medium", "long"), strict=True):
        lv = spx["triggers"][h]
        assert cell == f"{lv:,.1f} ({_pct(lv / spx['price'] - 1, 1, sign=True)})"
    assert num[2:] == [spx["triggers"][h] for h in ("short", "medium", "long")]
    # flows: whole book, equity sector, S&P 500
    flows = _table(out, "cta-flows")
    blocks = [total["flows_usd"], total["sectors"]["equity"]["flows_usd"], spx["flows_usd"]]
    want = [[None, None, *[b[h][s] for s in ("flat", "up", "down", "down_big")]]
            for b in blocks for h in ("1w", "1m")]
    assert flows.numbers == want
    assert flows.rows[0][4] == _bn(total["flows_usd"]["1w"]["down"], sign=True)
    # the ranked force: the equity sector's one-week flow in a falling tape
    down = total["sectors"]["equity"]["flows_usd"]["1w"]["down"]
    force = next(f for f in out.forces if f.label.startswith("CTA equity selling"))
    assert force.score == pytest.approx(abs(down) / 1e9, rel=1e-12)
    assert force.size == _bn(down, sign=True)
    # the lead sentence quotes the book's net notional and AUM
    assert f"net {_bn(total['notional_usd'], sign=True)}" in out.paragraphs[0]
    assert f"Effective AUM {_bn(total['aum_usd'])}" in out.paragraphs[0]


def test_gamma_numbers_are_the_result_attributes(built):
    prof = built.cache["engine:gex"]
    res = prof.result
    out = built.outputs["gamma"]
    fig = _table(out, "gamma-figures")
    assert fig.numbers == [
        [None, res.spot], [None, res.total_gex_usd_per_1pct], [None, res.zero_gamma],
        [None, res.call_wall], [None, res.put_wall], [None, res.abs_gamma_strike],
        [None, res.hedge_flow_usd_per_1pct], [None, res.zero_dte_share]]
    assert fig.rows[0][1] == f"{res.spot:,.1f}"
    assert fig.rows[2][1] == (f"{res.zero_gamma:,.1f} "
                              f"({_pct(res.zero_gamma / res.spot - 1, 1, sign=True)})")
    assert fig.rows[7][1] == _pct(res.zero_dte_share, 1)
    by_exp = _table(out, "gamma-by-expiry")
    n = min(len(res.by_expiry), 25)
    assert [r[1] for r in _numbers(by_exp)] == list(res.by_expiry["gex_usd_per_1pct"][:n])
    # each warning once (the profile's include the result's)
    assert len(out.warnings) == len(set(out.warnings)) == len(prof.warnings)
    force = next(f for f in out.forces if f.kind == "flow")
    assert force.score == pytest.approx(abs(res.total_gex_usd_per_1pct) / 1e9, rel=1e-12)


def test_crypto_numbers_are_the_result_attributes(built):
    res = built.cache["engine:crypto"]
    out = built.outputs["crypto"]
    assert f"Bitcoin at {res.btc['price']:,.0f} is {_pct(res.btc['drawdown'], 1)}" \
        in out.paragraphs[0]
    c = res.cascade
    cas = _table(out, "crypto-cascade")
    assert [r[1] for r in _numbers(cas)] == [
        c["shock"], c["final_price"], c["total_move"], c["liquidated_usd"],
        c["liquidated_share_of_oi"], c["amplification"], c["reference_oi_usd"]]
    assert cas.rows[3][1] == _bn(c["liquidated_usd"])
    market = _table(out, "crypto-market-oi")
    assert [r[1] for r in _numbers(market)] == [v["market_usd"] for v in res.oi.values()]
    assert [r[1] for r in market.rows] == [_bn(v["market_usd"]) for v in res.oi.values()]
    funding = _table(out, "crypto-funding")
    coins = [k for k, v in res.funding.items() if isinstance(v, dict)]
    assert [r[1] for r in _numbers(funding)] == [res.funding[k]["rate_8h"] for k in coins]
    # the OI-weighted row has no 30-day mean: a dash, not a failure
    ow = coins.index("oi_weighted")
    assert funding.rows[ow][3] == DASH and _numbers(funding)[ow][3] is None
    # contagion: betas and the spillover table
    con = built.cache["engine:contagion"]
    betas = _table(out, "contagion-betas")
    assert [r[1] for r in _numbers(betas)] == [b["beta"] for b in con.betas.values()]
    spill = _table(out, "contagion-spillover")
    assert [r[1:] for r in _numbers(spill)] == [
        [con.spillover["to"][k], con.spillover["from"][k], v]
        for k, v in con.spillover["net"].items()]
    assert f"total spillover index is {con.spillover['total']:.1f}" in out.paragraphs[1]


def test_macro_numbers_are_the_result_attributes(built):
    res = built.cache["engine:macro"]
    out = built.outputs["macro"]
    fig = _table(out, "macro-figures")
    r, p, lab, inf = res.rates, res.implied_path, res.labour, res.inflation
    assert [x[1] for x in _numbers(fig)] == [
        r["ust2y"], r["ust10y"], r["curve_2s10s_bp"], p["cuts_priced_3m"], p["cuts_priced_2y"],
        lab["unrate"], lab["sahm_gap"], lab["claims_4wk_avg"], inf["cpi_yoy"],
        inf["core_pce_yoy"]]
    assert fig.rows[0][1].startswith(f"{r['ust2y']:.2f}% ")
    assert fig.rows[2][1] == f"{r['curve_2s10s_bp']:+.0f} bp".replace("-", MINUS)
    rel = _table(out, "macro-releases")
    assert [x[0] for x in rel.rows] == list(res.vacuum["release"])
    assert [x[4] for x in _numbers(rel)] == list(res.vacuum["days_overdue"])
    late = res.vacuum_summary["late"]
    assert out.data["argument"][0].startswith(f"Macro data were missing: {len(late)} scheduled")


def test_summary_sentences_quote_the_result_attributes(built):
    summ = built.outputs["summary"]
    by = {s.section: s.text for s in summ.argument}
    cta = built.cache["engine:cta"]
    eq = cta.total["desk_view"]["equity_global"]
    assert f"modelled at {_bn(eq['notional_usd'], sign=True)} in global equities" in by["cta"]
    assert f"sell {_bn(abs(eq['flows_usd']['1w']['down']))} over a week" in by["cta"]
    assert f"{round(100 * eq['percentile'])}% percentile" in by["cta"]
    gex = built.cache["engine:gex"].result
    assert f"{_bn(gex.total_gex_usd_per_1pct, sign=True)} of hedging" in by["gamma"]
    assert f"zero-gamma flip at {gex.zero_gamma:,.1f}" in by["gamma"]
    cr = built.cache["engine:crypto"]
    assert f"on {_bn(cr.oi['BTC']['market_usd'])} of market-wide open interest" in by["crypto"]
    assert f"liquidate about {_bn(cr.cascade['liquidated_usd'])}" in by["crypto"]
    assert by["macro"] == " ".join(built.outputs["macro"].data["argument"])


# --------------------------------------------------------------------------- renamed -> fails


def test_renamed_cta_key_fails_instead_of_printing_a_dash(built):
    from crashlens.report.builder import run_section

    res = built.cache["engine:cta"]
    broken = dataclasses.replace(res, total=_renamed(dict(res.total), "aum_usd", "aum"))
    ctx = _fresh(cta=broken)
    with pytest.raises(KeyError, match="aum_usd") as err:
        run_section(ctx, "cta")
    assert "while building report section 'cta'" in " ".join(err.value.__notes__)


def test_renamed_gamma_attribute_fails(built):
    from crashlens.report.sections import gamma

    prof = built.cache["engine:gex"]
    ctx = _fresh(gex=_Without(prof, "-", result=_Without(prof.result, "zero_dte_share")))
    with pytest.raises(AttributeError, match="zero_dte_share"):
        gamma.build(ctx)


def test_renamed_crypto_key_fails(built):
    from crashlens.report.sections import crypto

    res = built.cache["engine:crypto"]
    broken = dataclasses.replace(res, btc=_renamed(dict(res.btc), "drawdown", "dd"))
    with pytest.raises(KeyError, match="drawdown"):
        crypto.build(_fresh(crypto=broken))


def test_renamed_macro_key_fails(built):
    from crashlens.report.sections import macro

    res = built.cache["engine:macro"]
    broken = dataclasses.replace(res, rates=_renamed(dict(res.rates), "curve_2s10s_bp",
                                                     "curve_bp"))
    with pytest.raises(KeyError, match="curve_2s10s_bp"):
        macro.build(_fresh(macro=broken))


def test_renamed_key_fails_in_the_summary(built):
    from crashlens.report.sections import summary

    res = built.cache["engine:cta"]
    view = _renamed(dict(res.total["desk_view"]), "percentile_years", "years")
    broken = dataclasses.replace(res, total={**res.total, "desk_view": view})
    ctx = _fresh(cta=broken)
    ctx.outputs["cta"] = SectionOutput("cta", "CTA")  # an "ok" CTA section
    with pytest.raises(KeyError, match="percentile_years"):
        summary.argument(ctx)


def test_summary_reads_the_cache_the_sections_fill(built):
    from crashlens.report.sections._engine import cached_result

    for name in ("cta", "gex", "crypto", "contagion", "macro"):
        assert cached_result(built, name) is not None


# --------------------------------------------------------------------------- missing values


def test_missing_values_print_the_placeholder(built):
    from crashlens.report.sections import cta, gamma

    res = built.cache["engine:cta"]
    spx = {**res.assets["SPX"], "triggers": {**res.assets["SPX"]["triggers"],
                                             "short": float("nan")}}
    out = cta.build(_fresh(cta=dataclasses.replace(res, assets={**res.assets, "SPX": spx})))
    row, num = _row(_table(out, "cta-triggers"), "S&P 500")
    assert row[2] == DASH and num[2] is None
    # the sentence lists the two pivots left and says the short-term one does not flip
    para = out.paragraphs[1]
    assert "short-term " + DASH not in para
    assert para.endswith("The short-term signals do not flip within the searched price range.")
    prof = built.cache["engine:gex"]
    res_g = dataclasses.replace(prof.result, zero_dte_share=None, call_wall=float("nan"))
    out = gamma.build(_fresh(gex=dataclasses.replace(prof, result=res_g)))
    fig = _table(out, "gamma-figures")
    assert fig.rows[3][1] == DASH and _numbers(fig)[3][1] is None
    assert fig.rows[7][1] == DASH and _numbers(fig)[7][1] is None


# --------------------------------------------------------------------------- report notes


def test_report_notes_are_registered_in_both_languages():
    from crashlens.errors import InsufficientDataError
    from crashlens.notes import wrap
    from crashlens.report.messages import MESSAGES

    for code, msg in MESSAGES.items():
        assert code.startswith("report.")
        assert msg.en and msg.zh and msg.en != msg.zh
    # a reason without a note stays the engine's text inside the report's wrapper
    n = wrap("report.cta_levels_failed", InsufficientDataError("too few closes"))
    assert n.code == "report.cta_levels_failed"
    assert str(n) == "CTA levels over time: too few closes"
    assert n.text("zh") == "CTA 触发位随时间变化：too few closes"
    # a crypto reason (a note) renders whole in both languages
    why = Note("crypto.no_step_after", coin="BTC", start="2026-01-30", end="2025-12-17")
    n = wrap("report.crypto_replay_failed", InsufficientDataError(why))
    assert n.code == "report.crypto_replay_failed" and n.params["error"].code == why.code
    assert str(n) == ("crypto replay of the window: BTC: no market OI step after 2026-01-30 "
                      "(coverage ends 2025-12-17)")
    assert n.text("zh") == ("窗口期加密货币强平回放：BTC：2026-01-30 之后没有全市场持仓量数据点"
                            "（覆盖截至 2025-12-17）")
    # an error's note is kept as a note (rendered in the report's language), text stays text
    from crashlens.notes import reason

    assert reason(InsufficientDataError(why)) is why
    assert reason(InsufficientDataError("plain")) == "plain"


def test_window_replay_failure_is_a_report_note(raw_dir):
    """On 5 Feb 2026 market OI stops on 17 Dec 2025: the window cannot be replayed."""
    from crashlens.report.builder import make_context
    from crashlens.report.sections import crypto

    ctx = make_context(asof="2026-02-05", lang="zh")
    out = crypto.build(ctx)
    notes = [w for w in out.warnings if isinstance(w, Note) and w.code.startswith("report.")]
    assert [(n.code, n.params["error"].code) for n in notes] == [
        ("report.crypto_replay_failed", "crypto.no_step_after")]
    zh = notes[0].text("zh")
    assert zh.startswith("窗口期加密货币强平回放：BTC：2026-01-30 00:00:00 之后没有全市场持仓量")
    assert "market" not in zh
    assert "window_liquidations" not in out.data
