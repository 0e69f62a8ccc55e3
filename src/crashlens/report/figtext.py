"""Translate the English texts of engine figures (axis titles, legends, categories, notes).

Engines draw their ``plot_*`` figures in English; the report translates them here so a Chinese
report has no English chart furniture. ``FIG[en] = zh`` holds exact texts; ``PREFIX`` holds
phrases followed by a number or a date (``"spot 658.05"``). Tickers, numbers and texts not in
the tables are left as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np

#: Exact figure texts (English as drawn by the engines -> Chinese).
FIG: dict[str, str] = {
    # scenario chart panels (one per unit family)
    "prices, % move": "价格，变动%", "volatility indices, % move": "波动率指数，变动%",
    "yields and spreads, bp": "收益率与利差，基点", "other levels, points": "其他水平，点",
    # dealer levels across chain dates
    "zero gamma": "零 Gamma", "call wall": "看涨墙", "put wall": "看跌墙",
    # CTA levels over time
    "close": "收盘", "short pivot": "短期触发位", "medium pivot": "中期触发位",
    "long pivot": "长期触发位", "pivot crossed": "穿越触发位",
    "position % of max": "持仓（最大多头的%）", "percentile (notional)": "分位（名义头寸）",
    # audit
    "confirmed": "证实", "refuted": "证伪", "not_checkable": "无法核查",
    # CTA
    "spot": "现价", "USD bn traded": "交易额（十亿美元）",
    "flat": "持平", "up": "上涨", "down": "下跌", "down_big": "大跌", "up_big": "大涨",
    # dealer gamma
    "all expiries": "全部到期日", "ex next expiry": "剔除最近到期日",
    "ex next monthly": "剔除最近月度到期", "underlying price": "标的价格",
    "GEX, bn USD per 1 %": "GEX（十亿美元 / 1% 变动）", "strike": "行权价", "expiry": "到期日",
    "calls": "看涨期权", "puts": "看跌期权", "net": "净值",
    # crypto
    "ATH": "历史高点", "drawdown": "回撤", "longs": "多头", "shorts": "空头",
    "price": "价格", "USD notional": "名义金额（美元）", "liquidation price": "清算价格（美元）",
    # contagion / systemic
    "beta": "贝塔", "score (0..100)": "得分（0–100）", "0..100": "得分（0–100）",
    # systemic components: the same words as the section's table (systemic.c.* in i18n)
    "composite": "综合指标", "absorption_shift": "吸收比率变动（ΔAR，z）",
    "turbulence": "动荡指数（马氏距离）", "correlation_surprise": "相关性意外",
    "avg_correlation": "平均两两相关性（60日）", "vix": "VIX 水平",
    "term_structure": "VIX 期限结构", "crowding": "持仓拥挤度（CFTC）",
    "Apr 2025 tariffs": "2025年4月关税", "Aug 2024 carry": "2024年8月套息平仓",
    "Nov 2025": "2025年11月", "2022 bear": "2022年熊市", "Covid": "新冠疫情",
    "Q4 2018": "2018年四季度", "Volmageddon": "2018年2月波动率事件",
    "Feb 2026": "2026年2月", "GFC": "全球金融危机",
    # macro
    "implied average policy rate": "隐含平均政策利率", "years ahead": "未来年数",
    "percent": "百分比（%）", "1970s CPI yoy %": "1970年代 CPI 同比（%）",
    "recent CPI yoy %": "近期 CPI 同比（%）", "months from peak": "距峰值月数",
    "CPI yoy %": "CPI 同比（%）",
    # catalysts
    "sessions from day 0": "距事件日交易日数", "CAR %": "累计异常收益（%）",
    "relative index (1 = start)": "相对指数（起点 = 1）",
    "AI hardware (NVDA, SMH) vs vertically integrated (GOOG)":
        "AI 硬件（NVDA、SMH）相对垂直整合（GOOG）",
    "high-beta basket (COIN, MSTR, PLTR, TSLA) vs S&P 500":
        "高贝塔篮子（COIN、MSTR、PLTR、TSLA）相对标普500",
    # analogs
    "analog-weighted forward return %": "类比加权远期收益（%）",
    "S&P 500 forward return %": "标普500远期收益（%）", "similarity (kernel)": "相似度（核权重）",
    "1w": "1周", "1m": "1个月", "3m": "3个月", "6m": "6个月",
}

#: English texts reworded where the engine's label lacks a unit or reads like an identifier.
EN: dict[str, str] = {
    "0..100": "score (0..100)", "liquidation price": "liquidation price (USD)",
    # systemic components: the same words as the section's table (systemic.c.* in i18n)
    "absorption_shift": "Absorption ratio shift (ΔAR, z)", "turbulence": "Turbulence (Mahalanobis)",
    "correlation_surprise": "Correlation surprise",
    "avg_correlation": "Average pairwise correlation (60d)", "vix": "VIX level",
    "term_structure": "VIX term structure", "crowding": "Positioning crowding (CFTC)",
}

#: Phrases followed by a value (``"spot 658.05"`` -> ``"现价 658.05"``).
PREFIX: dict[str, str] = {
    "spot": "现价", "zero gamma": "零 Gamma", "call wall": "看涨墙", "put wall": "看跌墙",
}

_PREFIX_RE = re.compile(r"^(" + "|".join(re.escape(k) for k in PREFIX) + r") (.+)$")


_SNAKE = re.compile(r"^[a-z]+(?:_[a-z]+)+$")


#: A catalog code alone or followed by a value in brackets (``"GOLD (-7.5)"``).
_CODE_RE = re.compile(r"^([A-Z][A-Z0-9_]+)(\s*\(.*\))?$")


def _series_name(code: str) -> str | None:
    """The Chinese name of a catalog series code (``GOLD`` -> 黄金), if the catalogue has one."""
    from crashlens.report.i18n import TEXT

    entry = TEXT.get(f"asset.{code}")
    return entry[1] if entry else None


def text(s: str, lang: str = "zh") -> str:
    """A figure text in ``lang``: the Chinese from the tables, or ``s`` when unknown.

    In Chinese, series codes (``UST10Y``, ``GOLD (-7.5)``) are named in words. In English only
    the :data:`EN` texts and identifiers such as ``not_checkable`` change.
    """
    if lang == "zh":
        if s in FIG:
            return FIG[s]
        m = _PREFIX_RE.match(s)
        if m:
            return f"{PREFIX[m.group(1)]} {m.group(2)}"
        c = _CODE_RE.match(s.strip())
        if c and (name := _series_name(c.group(1))) is not None:
            return name + (c.group(2) or "")
    elif s in EN:
        return EN[s]
    return s.replace("_", " ") if _SNAKE.match(s) else s


def _categories(values: Any, lang: str) -> Any:
    """A categorical array with its known texts translated (other arrays unchanged)."""
    try:
        seq = list(values)
    except TypeError:
        return values
    if not seq or not all(isinstance(v, str) for v in seq):
        return values
    out = [text(v, lang) for v in seq]
    return out if out != seq else values


def translate_figure(fig: Any, lang: str) -> Any:
    """Translate a figure's axis titles, legend names, categories and notes in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        An engine figure (English texts).
    lang : {"en", "zh"}
        Report language; in English only identifiers (``not_checkable``) are reworded.

    Returns
    -------
    plotly.graph_objects.Figure
        ``fig`` itself.
    """
    for tr in fig.data:
        name = getattr(tr, "name", None)
        if isinstance(name, str):
            tr.name = text(name, lang)
        for attr in ("x", "y", "labels", "text"):
            val = getattr(tr, attr, None) if attr in tr else None
            if val is not None:
                new = _categories(val, lang)
                if new is not val:
                    tr[attr] = new
    lay = fig.layout
    for key in list(lay.to_plotly_json()):
        if key.startswith(("xaxis", "yaxis")):
            ax = lay[key]
            t = ax.title.text
            if isinstance(t, str):
                ax.title.text = text(t, lang)
            if ax.ticktext is not None:
                ax.ticktext = [text(str(v), lang) for v in ax.ticktext]
    for ann in lay.annotations or ():
        if isinstance(ann.text, str):
            ann.text = text(ann.text, lang)
    return fig


#: Date ticks and hover headers of a Chinese report (plotly would write "Nov 16").
ZH_DATE_FORMAT = "%Y-%m-%d"
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _is_dates(values: Any) -> bool:
    """Whether a trace coordinate array holds dates (datetime64, Timestamps or ISO strings)."""
    if values is None:
        return False
    dtype = getattr(values, "dtype", None)
    if dtype is not None and dtype.kind == "M":
        return True
    try:
        first = next(iter(values))
    except (TypeError, StopIteration):
        return False
    if isinstance(first, dt.date | np.datetime64):
        return True
    return isinstance(first, str) and bool(_ISO_DAY.match(first))


def localise_dates(fig: Any, lang: str) -> Any:
    """In Chinese, write the date axes of ``fig`` as ``YYYY-MM-DD`` (ticks and hover).

    Axes whose format the figure already sets are left alone. Returns ``fig``.
    """
    if lang != "zh":
        return fig
    for tr in fig.data:
        for coord in ("x", "y"):
            if coord not in tr or not _is_dates(tr[coord]):
                continue
            ref = (tr[f"{coord}axis"] if f"{coord}axis" in tr else None) or coord
            ax = fig.layout[ref.replace(coord, f"{coord}axis", 1)]
            if not ax.tickformat:
                ax.tickformat = ZH_DATE_FORMAT
            if not ax.hoverformat:
                ax.hoverformat = ZH_DATE_FORMAT
    return fig


__all__ = ["EN", "FIG", "PREFIX", "ZH_DATE_FORMAT", "localise_dates", "text", "translate_figure"]
