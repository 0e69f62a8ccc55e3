"""Messages of the claims audit (verdict notes and warnings; English, Chinese).

See :mod:`crashlens.notes`. A verdict's ``note`` is a :class:`~crashlens.notes.Note` when the
audit wrote it (free text quoted from a claims file, such as ``data_needed``, is passed as a
parameter and stays as written).
"""

from __future__ import annotations

from crashlens.notes import register

MESSAGES = register({
    "audit.synthetic": (
        "the data is the SYNTHETIC market: verdicts say nothing about real markets",
        "数据为合成市场：核查结论与真实市场无关"),
    "audit.model_dependent": (
        "model '{model}': outputs depend on the model's parameters (AUM, horizons, leverage "
        "distribution...): compare the order of magnitude, not the digits",
        "模型“{model}”：输出取决于模型参数（AUM、期限、杠杆分布等）：应比较数量级，而非具体数字"),
    "audit.model_betas_window": (
        "model '{window}-day betas': betas from a rolling window of daily returns; another "
        "window gives other numbers",
        "模型“{window} 日贝塔”：贝塔来自日收益率的滚动窗口；换一个窗口结果不同"),
    "audit.model_betas": (
        "model '{model}': betas from a rolling window of daily returns; another window gives "
        "other numbers",
        "模型“{model}”：贝塔来自日收益率的滚动窗口；换一个窗口结果不同"),
    "audit.model_needs_store": (
        "model outputs are computed on the data store, not on user-supplied data",
        "模型输出基于数据库计算，不适用于用户提供的数据"),
    "audit.first_release_revised": (
        "the claim is about the first release; the data holds only the latest revised vintage, "
        "which differs: revision, not necessarily an error",
        "该观点针对首次公布值；数据仅含与之不同的最新修订值：属于数据修订，未必是错误"),
    "audit.latest_vintage": (
        "checked against the latest vintage",
        "按最新修订值核查"),
    "audit.all_time_since": (
        "'all-time' = since {start}, the start of the data",
        "“历史”指自数据起点 {start} 以来"),
    "audit.undecidable": (
        "no data series can decide this statement",
        "没有数据序列能判定此表述"),
    "audit.undecidable_needs": (
        "no data series can decide this statement; needs {needs}",
        "没有数据序列能判定此表述；需要：{needs}"),
    "audit.not_yet_public": (
        "not yet public on {asof}",
        "{asof} 时尚未公布"),
    "audit.released_not": (
        "released {released}, not {claimed}",
        "公布日为 {released}，而非 {claimed}"),
    "audit.released_not_not_yet_public": (
        "released {released}, not {claimed}; not yet public on {asof}",
        "公布日为 {released}，而非 {claimed}；{asof} 时尚未公布"),
    "audit.file_ends": (
        "the file ends {end}: value {days} days before the claim's date",
        "数据文件止于 {end}：所用数值比观点日期早 {days} 天"),
    "audit.history_too_short": (
        "{series} data start {start}, after {since}: needs history back to {since}",
        "{series} 数据始于 {start}，晚于 {since}：需要追溯至 {since} 的历史数据"),
    "audit.never_published": (
        "{file}: {indicator} {period} was never published: never published (cancelled by the "
        "2025 shutdown); the file's value is a carry-forward, not data",
        "{file}：{indicator} {period} 从未公布（因2025年政府关门取消）；文件中的数值是沿用上月的"
        "占位值，并非数据"),
    "audit.no_event_match": (
        "no event matching '{event}' in the catalyst calendar ({file}); add it with its public "
        "date",
        "催化事件日历（{file}）中没有与“{event}”匹配的事件；请按公开日期添加"),
})
