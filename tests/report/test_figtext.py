"""Engine figures in a Chinese report: axis titles, legends, categories and notes translated."""

from __future__ import annotations

import plotly.graph_objects as go

from crashlens.report.figtext import text, translate_figure


def _fig() -> go.Figure:
    fig = go.Figure(go.Bar(x=["confirmed", "refuted", "not_checkable"], y=[13, 1, 1],
                           name="net"))
    fig.add_trace(go.Scatter(x=[1.0, 2.0], y=[3.0, 4.0], name="SPX"))
    fig.update_layout(xaxis_title="strike", yaxis_title="GEX, bn USD per 1 %")
    fig.add_annotation(text="spot 658.05", x=1, y=1)
    return fig


def test_zh_translates_figure_furniture() -> None:
    fig = translate_figure(_fig(), "zh")
    assert list(fig.data[0].x) == ["证实", "证伪", "无法核查"]
    assert fig.data[0].name == "净值"
    assert fig.data[1].name == "标普500"  # catalog codes are named in words
    assert list(fig.data[1].x) == [1.0, 2.0]  # numbers untouched
    assert fig.layout.xaxis.title.text == "行权价"
    assert fig.layout.yaxis.title.text == "GEX（十亿美元 / 1% 变动）"
    assert fig.layout.annotations[0].text == "现价 658.05"


def test_en_rewords_identifiers_only() -> None:
    fig = translate_figure(_fig(), "en")
    assert list(fig.data[0].x) == ["confirmed", "refuted", "not checkable"]
    assert fig.layout.xaxis.title.text == "strike"


def test_unknown_text_is_kept() -> None:
    assert text("something new") == "something new"
    assert text("XYZQ") == "XYZQ"  # a code the catalogue does not name stays
    assert text("GOLD (-7.5)") == "黄金 (-7.5)" and text("UST10Y") == "10年期美债收益率"
    assert text("GOLD", "en") == "GOLD"  # English charts keep the codes
    assert text("zero gamma 668.57") == "零 Gamma 668.57"


def test_zh_date_axes_use_iso_days() -> None:
    import pandas as pd

    from crashlens.report.figtext import ZH_DATE_FORMAT, localise_dates

    idx = pd.date_range("2025-11-17", periods=5)
    fig = go.Figure(go.Scatter(x=idx, y=[1.0, 2.0, 3.0, 4.0, 5.0]))
    localise_dates(fig, "zh")
    assert fig.layout.xaxis.tickformat == ZH_DATE_FORMAT
    assert fig.layout.xaxis.hoverformat == ZH_DATE_FORMAT
    assert fig.layout.yaxis.tickformat is None
    bars = localise_dates(go.Figure(go.Bar(x=[1.0], y=["a"], orientation="h")), "zh")
    assert bars.layout.xaxis.tickformat is None and bars.layout.yaxis.tickformat is None
    en = localise_dates(go.Figure(go.Scatter(x=idx, y=[1.0] * 5)), "en")
    assert en.layout.xaxis.tickformat is None


def test_systemic_components_match_the_table_labels() -> None:
    from crashlens.report.figtext import EN, FIG
    from crashlens.report.i18n import TEXT

    for comp in ("absorption_shift", "turbulence", "correlation_surprise", "avg_correlation",
                 "vix", "term_structure", "crowding"):
        en, zh = TEXT[f"systemic.c.{comp}"]
        assert FIG[comp] == zh and EN[comp] == en
