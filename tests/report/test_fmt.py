from __future__ import annotations

import math

import pytest

from crashlens.report import fmt


def test_money_bn_en_and_zh():
    assert fmt.money_bn(12.34e9, "en") == "$12.3bn"
    assert fmt.money_bn(-250e9, "en") == "\u2212$250.0bn"
    assert fmt.money_bn(1.5e12, "en") == "$1,500.0bn"
    # 1 bn = 10 亿
    assert fmt.money_bn(12.34e9, "zh") == "123.4亿美元"
    assert fmt.money_bn(5e9, "en", sign=True) == "+$5.0bn"


def test_percent_and_percentile():
    assert fmt.pct(-0.0312, 1) == "\u22123.1%"
    assert fmt.pct(0.05, 1, sign=True) == "+5.0%"
    assert fmt.percentile(0.934) == "93%"
    assert fmt.sigma(-2.46) == "\u22122.5σ"


@pytest.mark.parametrize("bad", [None, math.nan, math.inf, "x"])
def test_missing_values_are_dashes(bad):
    for f in (fmt.num, fmt.pct, fmt.money_bn, fmt.percentile, fmt.sigma, fmt.level):
        assert f(bad) == fmt.DASH


def test_no_negative_zero():
    assert fmt.num(-0.0001, 1) == "0.0"
    assert fmt.pct(-0.00001, 1) == "0.0%"


def test_dates_per_locale():
    assert fmt.date("2025-11-21", "en") == "21 Nov 2025"
    assert fmt.date("2025-11-21", "zh") == "2025年11月21日"


def test_bp():
    assert fmt.bp(0.12, "en") == "+12 bp"
    assert fmt.bp(-0.08, "zh") == "\u22128个基点"


def test_level_precision_has_no_long_floats():
    assert fmt.level(6538.759765625) == "6,538.8"
    assert fmt.level(86572.21875) == "86,572"
    assert fmt.level(0.8600000143) == "0.8600"


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

LONG_FLOAT = __import__("re").compile(r"\d\.\d{5,}")


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**15, 10**15),
                 st.none()),
       st.sampled_from(["en", "zh"]))
def test_formatters_never_print_raw_floats(x, lang):
    outs = [fmt.num(x, 2, lang), fmt.pct(x, 1, lang), fmt.money(x, lang),
            fmt.money_bn(x, lang), fmt.percentile(x, lang), fmt.level(x, lang),
            fmt.sigma(x, lang), fmt.bp(x, lang)]
    for s in outs:
        assert "nan" not in s.lower() and "inf" not in s.lower()
        assert not LONG_FLOAT.search(s.replace(",", "")), s
        assert "e+" not in s and "e-" not in s


def test_join_per_language() -> None:
    from crashlens.report.fmt import join

    assert join(["a", "b"], "en") == "a, b"
    assert join(["标普500", "黄金"], "zh") == "标普500、黄金"
    assert join([], "zh") == ""


def test_month_per_language() -> None:
    from crashlens.report.fmt import month

    assert month("2025-09-01", "en") == "Sep 2025"
    assert month("2025-09-01", "zh") == "2025年9月"
    assert month(None, "en") == "—"
