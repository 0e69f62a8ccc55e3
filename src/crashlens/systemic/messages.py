"""Messages of the systemic and contagion engines (English, Chinese): see :mod:`crashlens.notes`."""

from __future__ import annotations

from crashlens.notes import register

MESSAGES = register({
    # aligning series on the equity calendar (crashlens.systemic._align)
    "systemic.calendar_ends": (
        "calendar '{calendar}' ends {last}, {days} days before the as-of date {asof}: results "
        "are as of {last}",
        "交易日历 '{calendar}' 截至 {last}，比截至日 {asof} 早 {days} 天：结果为 {last} 的值"),
    "systemic.no_data_dropped": (
        "{series}: no data up to {end}; dropped",
        "{series}：截至 {end} 没有数据；已剔除"),
    "systemic.no_data_dropped_any": (
        "{series}: no data up to the end; dropped",
        "{series}：没有任何数据；已剔除"),
    "systemic.series_ends_dropped": (
        "{series} ends {last}, {days} days before {end}; dropped from the universe (not "
        "carried forward)",
        "{series} 数据截至 {last}，比 {end} 早 {days} 天；已从资产范围中剔除（不向前填充）"),
    "systemic.series_ends_panel": (
        "{series} ends {last}, {days} days before {end}; the panel ends there",
        "{series} 数据截至 {last}，比 {end} 早 {days} 天；面板数据止于该日"),
    "systemic.rows_dropped": (
        "{n} calendar rows dropped where a series had no observation within {max_stale} days",
        "剔除 {n} 个交易日：当日有序列在 {max_stale} 天内没有观测值"),
    # contagion
    "systemic.beta_error": (
        "{asset}: {error}",
        "{asset}：无法计算贝塔（{error}）"),
    "systemic.no_pair_data": (
        "{asset}: no {series} data on or before {asof}; no beta",
        "{asset}：{asof} 当日及之前没有 {series} 数据；无贝塔"),
    "systemic.no_pair_data_any": (
        "{asset}: no {series} data in the store; no beta",
        "{asset}：数据库中没有 {series} 数据；无贝塔"),
    "systemic.no_pair_data2": (
        "{asset}: no {first} or {second} data on or before {asof}; no beta",
        "{asset}：{asof} 当日及之前没有 {first} 或 {second} 数据；无贝塔"),
    "systemic.no_pair_data2_any": (
        "{asset}: no {first} or {second} data in the store; no beta",
        "{asset}：数据库中没有 {first} 或 {second} 数据；无贝塔"),
    "systemic.short_overlap": (
        "{asset}: only {n} common days with {source}; no {window}-day beta",
        "{asset}：与 {source} 仅有 {n} 个共同交易日；无法计算 {window} 日贝塔"),
    "systemic.stale_beta": (
        "{asset}: last beta window ends {end}, before {asof}",
        "{asset}：最后一个贝塔窗口截至 {end}，早于 {asof}"),
    "systemic.covar_error": (
        "ΔCoVaR: {error}",
        "ΔCoVaR：无法计算（{error}）"),
    # crowding (crashlens.systemic.crowding)
    "systemic.cot_absent": (
        "{series}: not in this store; no crowding for it",
        "{series}：本数据库中没有；不计算其拥挤度"),
    "systemic.cot_absent_source": (
        "{series}: not in the source ({source}); no crowding for it",
        "{series}：数据源（{source}）中没有；不计算其拥挤度"),
    "systemic.cot_short": (
        "COT: fewer than {min_weeks} released reports up to {end} for {markets} (the raw COT "
        "file starts 2024-01); no crowding percentile for them",
        "COT：截至 {end}，{markets} 已公布的报告少于 {min_weeks} 份（原始 COT 文件始于 "
        "2024-01）；不计算其拥挤度分位数"),
    "systemic.cot_short_any": (
        "COT: fewer than {min_weeks} released reports up to the end for {markets} (the raw COT "
        "file starts 2024-01); no crowding percentile for them",
        "COT：{markets} 已公布的报告少于 {min_weeks} 份（原始 COT 文件始于 2024-01）；"
        "不计算其拥挤度分位数"),
    # fragility
    "systemic.components_missing": (
        "components unavailable on {day}: {missing}; weights renormalised over the others",
        "{day} 无法获得的分项：{missing}；权重已在其余分项间重新归一"),
    "systemic.last_complete_day": (
        "last complete day of indicators is {day} (as-of {asof})",
        "指标的最后一个完整交易日为 {day}（截至日 {asof}）"),
})
