"""Messages of the CTA engine (English, Chinese): see :mod:`crashlens.notes`.

The "no trigger within the bracket" note names the trigger groups that are missing; group
names are words (short / medium / long, 短期 / 中期 / 长期), so there is one code per
combination of groups (:func:`no_trigger_code`), all registered here.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from crashlens.notes import register

#: Trigger groups in report order, with their Chinese names.
_GROUPS_ZH: dict[str, str] = {"short": "短期", "medium": "中期", "long": "长期"}


def no_trigger_code(groups: Sequence[str]) -> str:
    """Code of the note "no <groups> trigger within the bracket" (groups in report order)."""
    return "cta.no_trigger_" + "_".join(groups)


def _no_trigger_messages() -> dict[str, tuple[str, str]]:
    out = {}
    names = list(_GROUPS_ZH)
    for k in range(1, len(names) + 1):
        for combo in itertools.combinations(names, k):
            out[no_trigger_code(combo)] = (
                "{asset}: no " + "/".join(combo) + " trigger within +-{bracket:.0%} of spot",
                "{asset}：现价 ±{bracket:.0%} 范围内没有"
                + "/".join(_GROUPS_ZH[g] for g in combo) + "触发水平")
    return out


MESSAGES = register({
    "cta.price_gaps": (
        "{asset}: {n} gap(s) longer than {max_gap} days between closes; latest {first} -> "
        "{last}",
        "{asset}：{n} 处收盘价间隔超过 {max_gap} 天；最近一处为 {first} -> {last}"),
    "cta.not_in_catalog": (
        "{asset}: not in the catalog; left out of the universe",
        "{asset}：不在数据目录中；已从资产范围中剔除"),
    "cta.asset_unusable": (
        "{asset}: {error}; left out of the universe",
        "{asset}：{error}；已从资产范围中剔除"),
    "cta.absent_from_store": (
        "not in this data store, left out of the universe: {names}",
        "本数据库中没有，已从资产范围中剔除：{names}"),
    "cta.absent_from_source": (
        "not in the source ({source}), left out of the universe: {names}",
        "数据源（{source}）中没有，已从资产范围中剔除：{names}"),
    "cta.added_to_book": (
        "{asset}: not in the model's universe; added to the book for this run (the other "
        "assets' risk budgets change with it)",
        "{asset}：不在模型的资产范围内；本次运行已将其加入组合（其他资产的风险预算随之改变）"),
    "cta.synthetic": (
        "SYNTHETIC DATA: no CRASHLENS_DATA, the catalog serves the deterministic synthetic "
        "market",
        "合成数据：未设置 CRASHLENS_DATA，数据目录提供的是确定性的合成市场"),
    "cta.no_close_left_out": (
        "{asset}: no close on or before the as-of date {asof}; left out",
        "{asset}：截至日 {asof} 当日及之前没有收盘价；已剔除"),
    "cta.stale_left_out": (
        "{asset}: as-of date {asof} is {days} days after the last close ({last}); "
        "max_stale_days={max_stale}; left out",
        "{asset}：截至日 {asof} 比最后一个收盘价（{last}）晚 {days} 天；"
        "max_stale_days={max_stale}；已剔除"),
    "cta.short_history_left_out": (
        "{asset}: too little history as of {asof} for the {horizon}-day horizon ({n} closes, "
        "{needed} needed); left out",
        "{asset}：截至 {asof} 的历史数据不足以计算 {horizon} 日期限（{n} 个收盘价，需要 "
        "{needed} 个）；已剔除"),
    **_no_trigger_messages(),
    # desk readings and the calibration to them (crashlens.cta.desk, crashlens.cta.fit)
    "cta.reading_bound": (
        "row {line}, column '{column}': '{text}' is a bound, not a value; left blank",
        "第 {line} 行 '{column}' 列：'{text}' 是界限而非数值；留空"),
    "cta.reading_not_number": (
        "row {line}, column '{column}': '{text}' is not a number; left blank",
        "第 {line} 行 '{column}' 列：'{text}' 不是数字；留空"),
    "cta.reading_after_data": (
        "reading of row {line} ({date}) is after the data (last close {last}); skipped",
        "第 {line} 行的读数（{date}）晚于数据（最后收盘日 {last}）；已跳过"),
    "cta.reading_before_data": (
        "reading of row {line} ({date}) is before the data; skipped",
        "第 {line} 行的读数（{date}）早于数据起点；已跳过"),
    "cta.scale_not_fitted": (
        "no reading gives global_length_bn, global_pct, us_pct or flows inside the data: group "
        "weights, vol, percentile window, AUM and scenario vol are the base parameters' "
        "(not fitted)",
        "数据范围内没有读数给出 global_length_bn、global_pct、us_pct 或资金流：组权重、波动率、"
        "分位数窗口、AUM 与情景波动率均沿用基础参数（未拟合）"),
    "cta.flows_out_of_band": (
        "none of the {n} variants closest to the desks' percentile has flows of the desks' "
        "size (median 1m down-tape model/desk ratio in {lo:.2f}-{hi:.2f}); the closest "
        "percentile is kept",
        "与交易台分位数最接近的 {n} 个变体中，没有一个的资金流与交易台规模相当（1 个月下跌情景"
        "模型/交易台比值中位数在 {lo:.2f}-{hi:.2f} 之间）；保留分位数最接近者"),
    "cta.pct_not_fitted": (
        "no reading gives global_pct inside the data: the variants (group weights, half-life, "
        "vol, percentile window) are not ranked; the first whose flows are the desks' size is "
        "kept",
        "数据范围内没有读数给出 global_pct：各变体（组权重、半衰期、波动率、分位数窗口）未排序；"
        "保留第一个资金流与交易台规模相当者"),
    "cta.aum_not_fitted": (
        "no reading gives global_length_bn: AUM not fitted, kept {aum_bn:.0f}bn",
        "没有读数给出 global_length_bn：AUM 未拟合，沿用 {aum_bn:.0f} 十亿美元"),
    "cta.aum_nonpositive": (
        "the equity-length fit gives a non-positive AUM ({aum_bn:.0f}bn: the model's length "
        "moves against the desks'); kept {kept_bn:.0f}bn",
        "股票多头规模的拟合得出非正的 AUM（{aum_bn:.0f} 十亿美元：模型的持仓与交易台的读数"
        "反向变动）；沿用 {kept_bn:.0f} 十亿美元"),
})
