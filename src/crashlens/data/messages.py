"""Messages of the data layer (English, Chinese): see :mod:`crashlens.notes`."""

from __future__ import annotations

from crashlens.notes import register

MESSAGES = register({
    # a data error's place (file, row, column) before its message
    "data.at": ("{where}: {message}", "{where}：{message}"),
    "data.stale_series": (
        "{series} ends {end}, {days} days before the as-of date {asof}: its value is as of "
        "{end}, not current",
        "{series} 数据截至 {end}，比截至日 {asof} 早 {days} 天：所示数值为 {end} 的值，并非最新"),
    # providers (crashlens.data.providers): warnings of a fetch
    "data.provider_no_data": (
        "{provider} returned no data for {symbol} in the window",
        "{provider} 在该时间窗口内没有返回 {symbol} 的数据"),
    "data.dup_rows": (
        "{n} duplicated date(s) in the rows, kept the last: {days}",
        "数据行中有 {n} 个重复日期，保留最后一条：{days}"),
    "data.dup_funding_prints": (
        "{n} duplicated date(s) in the funding prints, kept the last: {days}",
        "资金费率记录中有 {n} 个重复日期，保留最后一条：{days}"),
    "data.dup_snapshots": (
        "{n} duplicated date(s) in the snapshots, kept the last: {days}",
        "持仓快照中有 {n} 个重复日期，保留最后一条：{days}"),
    "data.dup_csv": (
        "{n} duplicated date(s) in the CSV, kept the last: {days}",
        "CSV 中有 {n} 个重复日期，保留最后一条：{days}"),
    "data.dup_report_rows": (
        "{n} duplicated date(s) in the report rows, kept the last: {days}",
        "报告行中有 {n} 个重复日期，保留最后一条：{days}"),
    "data.dup_other": (
        "{n} duplicated date(s) in the {what}, kept the last: {days}",
        "{what} 中有 {n} 个重复日期，保留最后一条：{days}"),
    "data.dup_chart_bars": (
        "{n} duplicated date(s) in the chart bars, kept the last: {days}",
        "K线中有 {n} 个重复日期，保留最后一条：{days}"),
    "data.funding_interval": (
        "funding interval is {hours:g} h on {n} day(s) ({first} .. {last}); those prints "
        "scaled by 8/{hours:g} to a per-8 h fraction",
        "{n} 天（{first} .. {last}）的资金费率间隔为 {hours:g} 小时；这些记录已按 8/{hours:g} "
        "换算为每 8 小时费率"),
    "data.funding_interval_unknown": (
        "funding interval unknown on {n} day(s) (a lone print or a gap before it), {hours:g} h "
        "assumed: {days}",
        "{n} 天的资金费率间隔未知（单条记录或其前有缺口），假定为 {hours:g} 小时：{days}"),
    "data.funding_partial_days": (
        "{n} day(s) whose funding prints cover less than 24 h (partial days), averaged over "
        "the prints present: {days}",
        "{n} 天的资金费率记录覆盖不足 24 小时（不完整交易日），按现有记录取平均：{days}"),
    "data.binance_oi_clamped": (
        "Binance serves only the latest {days} days of open-interest history: start {start} "
        "clamped to {earliest}",
        "Binance 仅提供最近 {days} 天的持仓量历史：起始日 {start} 已调整为 {earliest}"),
    "data.oi_no_price": (
        "{n} open-interest snapshot(s) without a daily price to convert them to USD were "
        "dropped",
        "{n} 个持仓量快照缺少可换算为美元的当日价格，已剔除"),
    "data.chain_bad_symbols": (
        "{n} contract(s) with unparsable symbols dropped: {symbols}",
        "剔除 {n} 个代码无法解析的合约：{symbols}"),
    "data.chain_iv_nonpositive": (
        "{n} contract(s) with iv <= 0 set to NaN",
        "{n} 个合约的隐含波动率 <= 0，已设为 NaN"),
    "data.chain_iv_placeholder": (
        "{n} contract(s) with the placeholder iv {iv:g} set to NaN",
        "{n} 个合约的隐含波动率为占位值 {iv:g}，已设为 NaN"),
    "data.chain_iv_too_high": (
        "{n} contract(s) with iv > {iv_max:g} set to NaN",
        "{n} 个合约的隐含波动率 > {iv_max:g}，已设为 NaN"),
    "data.fred_missing": (
        "{n} missing observation(s) ('.' or empty) dropped: {days}",
        "剔除 {n} 个缺失观测值（'.' 或空白）：{days}"),
    "data.venue_left_out": (
        "{venue} left out: {error}",
        "{venue} 未计入：{error}"),
    # a venue's own warning (a Note, rendered in the language of the whole)
    "data.venue_warning": (
        "{venue}: {warning}",
        "交易所 {venue}：{warning}"),
    "data.venue_days_dropped": (
        "{n} day(s) not covered by every venue left out: {days}",
        "{n} 天并非所有交易所都有数据，已略去：{days}"),
    "data.venue_sum": (
        "sum of {n} venues ({venues}), not all-exchange open interest: scale by a coverage "
        "ratio (crashlens.crypto.market)",
        "{n} 家交易所（{venues}）之和，并非全市场持仓量：需按覆盖率换算"
        "（crashlens.crypto.market）"),
    "data.yahoo_unfinished": (
        "last bar {day} dropped: unfinished (the session was open when Yahoo answered, at "
        "{time} {tz}; its close is not the day's close)",
        "剔除最后一根K线 {day}：尚未收盘（Yahoo 响应时交易时段仍在进行，{time} {tz}；其收盘价"
        "并非当日收盘价）"),
    "data.yahoo_no_close": (
        "{n} bar(s) without a close dropped",
        "剔除 {n} 根没有收盘价的K线"),
    "data.yahoo_nonpositive": (
        "{n} bar(s) with a non-positive close dropped: {days}",
        "剔除 {n} 根收盘价非正的K线：{days}"),
    "data.yahoo_high_below_low": (
        "some bars have high < low (kept as sent)",
        "部分K线最高价低于最低价（按原样保留）"),
    "data.close_as_value": (
        "catalog keeps this series as a value: close → value",
        "目录将该序列作为数值保存：收盘价 → 数值"),
})
