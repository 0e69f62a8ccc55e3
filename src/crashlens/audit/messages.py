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
    # data gaps: the claim is not checkable
    "audit.error": (
        "{error}",
        "数据错误：{error}"),
    "audit.no_data_error": (
        "no data for {series} ({field}): {error}",
        "没有 {series}（{field}）的数据：{error}"),
    "audit.no_data": (
        "no data for {series} ({field})",
        "没有 {series}（{field}）的数据"),
    "audit.no_observation_in_window": (
        "no {series} observation in {start}..{end} (data {first}..{last})",
        "{start}..{end} 期间没有 {series} 的观测值（数据区间 {first}..{last}）"),
    "audit.no_observation_on": (
        "no {series} observation on {date} (market closed?)",
        "{date} 没有 {series} 的观测值（休市？）"),
    "audit.no_observation_on_last": (
        "no {series} observation on {date} (market closed?); last before: {last}",
        "{date} 没有 {series} 的观测值（休市？）；此前最近一次：{last}"),
    "audit.no_observations_spanning": (
        "no {series} observations spanning {start}..{end}",
        "没有覆盖 {start}..{end} 的 {series} 观测值"),
    "audit.no_close_on_closed": (
        "no {series} close on {date} (market closed?)",
        "{date} 没有 {series} 的收盘价（休市？）"),
    "audit.too_few_closes": (
        "fewer than {window} closes before {date}",
        "{date} 之前的收盘价不足 {window} 个"),
    "audit.no_value_on": (
        "no {series} {field} on {date}",
        "{date} 没有 {series} 的 {field}"),
    "audit.no_history_before": (
        "no {series} history before {date} to compare with",
        "{date} 之前没有可供比较的 {series} 历史数据"),
    "audit.print_missing_release": (
        "no {series} print for {period}: the release is missing (later months exist)",
        "没有 {series} {period} 的数据：该期未公布（其后月份已有数据）"),
    "audit.print_after_data_end": (
        "no {series} print for {period}: the data ends {end}",
        "没有 {series} {period} 的数据：数据止于 {end}"),
    "audit.no_reference_print": (
        "no {series} print for {period} to compare with",
        "没有可供比较的 {series} {period} 数据"),
    "audit.data_ends_before": (
        "the data ends {end}, before or at {period}",
        "数据止于 {end}，不晚于 {period}"),
    "audit.engine_failed": (
        "the {model} engine failed: {error}",
        "{model} 引擎运行失败：{error}"),
    "audit.result_no_path": (
        "the {model} result has no '{path}' (stopped at '{part}')",
        "{model} 结果中没有“{path}”（止于“{part}”）"),
    "audit.result_not_number": (
        "the {model} result '{path}' is not a number: {value}",
        "{model} 结果中的“{path}”不是数值：{value}"),
    "audit.no_close_on": (
        "no {series} close on {date}",
        "{date} 没有 {series} 的收盘价"),
    "audit.no_close_after": (
        "no {series} close after {date}",
        "{date} 之后没有 {series} 的收盘价"),
    "audit.no_prior_month": (
        "no {indicator} value for the month before {period} known on {date}",
        "{date} 时尚无 {indicator} 在 {period} 前一个月的数值"),
    "audit.no_snapshot": (
        "no {market} snapshot in the window (data {first}..{last})",
        "窗口内没有 {market} 的快照（数据区间 {first}..{last}）"),
    "audit.no_closes_spanning": (
        "no {series} closes spanning {start}..{end}",
        "没有覆盖 {start}..{end} 的 {series} 收盘价"),
    "audit.no_daily_returns": (
        "no {series} daily returns in {start}..{end}",
        "{start}..{end} 期间没有 {series} 的日收益"),
    "audit.no_files_folder": (
        "{file} needs a folder of raw files; the data source ({source}) has none",
        "{file} 需要原始数据文件夹；数据源（{source}）没有"),
    "audit.no_such_file": (
        "{path}: no such file",
        "{path}：文件不存在"),
    "audit.file_no_column": (
        "{file} has no column {columns}",
        "{file} 中没有列 {columns}"),
    "audit.no_stablecoin_cap": (
        "no stablecoin market cap on or before {date}",
        "{date} 及之前没有稳定币市值数据"),
})
