"""Messages of the crypto engines (English, Chinese): see :mod:`crashlens.notes`.

Besides the plain codes, a few *wrappers* put another message inside theirs ("market
liquidation map: <why>; Binance coin-margined fallback"), built with :func:`crashlens.notes.wrap`:
the errors this package raises carry a :data:`REASONS` note, which renders in the language of
the whole; any other reason (another package's error) stays its English text.
"""

from __future__ import annotations

from crashlens.notes import register

#: Messages that explain why a part could not be computed (raised inside errors, then reported).
REASONS: dict[str, tuple[str, str]] = {
    "crypto.no_files_dir": (
        "market-wide crypto files need CRASHLENS_DATA (the raw data folder); it is unset",
        "全市场加密货币数据文件需要 CRASHLENS_DATA（原始数据文件夹）；该变量未设置"),
    "crypto.no_files_in_source": (
        "market-wide crypto files need a folder of raw files; the source {source} has none",
        "全市场加密货币数据文件需要原始文件夹；数据源 {source} 没有该文件夹"),
    "crypto.file_missing": (
        "{file}: not in {folder}",
        "{file}：不在 {folder} 中"),
    "crypto.no_overlap": (
        "coverage ratio of {venue} cannot be estimated: no overlap with the market series "
        "(market {span_market}, {venue} {span_venue})",
        "无法估计 {venue} 的覆盖率：与全市场序列没有重叠（全市场 {span_market}，{venue} "
        "{span_venue}）"),
    "crypto.no_overlap_upto": (
        "coverage ratio of {venue} cannot be estimated: no overlap with the market series "
        "(market {span_market}, {venue} {span_venue}, up to {upto})",
        "无法估计 {venue} 的覆盖率：与全市场序列没有重叠（全市场 {span_market}，{venue} "
        "{span_venue}，截至 {upto}）"),
    "crypto.market_oi_none": (
        "market OI {coin}: no value up to {end} UTC (the aggregate starts 2025-05-18)",
        "{coin} 全市场持仓量：截至 UTC {end} 无数据（全交易所汇总数据始于 2025-05-18）"),
    "crypto.market_funding_none": (
        "market funding {coin}: no value up to {end} UTC",
        "{coin} 全市场资金费率：截至 UTC {end} 无数据"),
    "crypto.market_oi_few": (
        "market OI {coin}: fewer than 2 values between {first} and {last} (the aggregate "
        "covers 2025-05-18 .. 2025-11-14, the Binance USDT-M extension to 2025-12-17)",
        "{coin} 全市场持仓量：{first} 至 {last} 之间不足 2 个数值（全交易所汇总数据覆盖 "
        "2025-05-18 至 2025-11-14，币安 U 本位延伸数据至 2025-12-17）"),
    "crypto.no_price_at": (
        "{coin}: no price at {time} (outside the price data)",
        "{coin}：{time} 无价格（超出价格数据范围）"),
    "crypto.no_step_after": (
        "{coin}: no market OI step after {start} (coverage ends {end})",
        "{coin}：{start} 之后没有全市场持仓量数据点（覆盖截至 {end}）"),
    "crypto.no_prices_upto": (
        "{series}: no prices up to {asof}",
        "{series}：截至 {asof} 无价格数据"),
    "crypto.drawdown_empty": (
        "drawdown: empty price series",
        "回撤：价格序列为空"),
    "crypto.drawdown_nonpositive": (
        "drawdown: non-positive price on {date}",
        "回撤：{date} 的价格非正"),
    "crypto.no_supply": (
        "no stablecoin supply data up to the as-of date",
        "截至日之前没有稳定币供应量数据"),
}

#: Messages that wrap a reason (``{error}``: the reason's English text when it has no code).
WRAPPERS: dict[str, tuple[str, str]] = {
    "crypto.market_map_fallback": (
        "market liquidation map: {error}; Binance coin-margined fallback",
        "全市场清算图：{error}；改用币安币本位数据"),
    "crypto.no_venue_series": (
        "market OI {coin}: no venue series to extend the aggregate ({error})",
        "{coin} 全市场持仓量：没有可用于延伸汇总数据的交易所序列（{error}）"),
    "crypto.not_extended": (
        "market OI {coin}: {error}; the venue series is not extended",
        "{coin} 全市场持仓量：{error}；未延伸交易所序列"),
    "crypto.no_4h_prices": (
        "{coin}: no 4-h prices ({error})",
        "{coin}：无 4 小时价格（{error}）"),
    "crypto.no_per_exchange": (
        "{coin}: per-exchange OI unavailable, nothing excluded ({error})",
        "{coin}：无分交易所持仓量数据，未剔除任何交易所（{error}）"),
}

MESSAGES = register({
    **REASONS,
    **WRAPPERS,
    "crypto.not_in_store": (
        "{series}: not in this store",
        "{series}：数据库中没有该序列"),
    "crypto.not_in_source": (
        "{series}: not in the source {source}",
        "{series}：数据源 {source} 中没有该序列"),
    "crypto.no_data_upto": (
        "{series}: no data up to {asof}",
        "{series}：截至 {asof} 无数据"),
    "crypto.history_starts": (
        "{series} history starts {start}: its 'ath' is the closing high since then (earlier "
        "highs are not in the data)",
        "{series} 历史数据始于 {start}：其“历史高点”为此后的最高收盘价（更早的高点不在数据中）"),
    "crypto.funding_status_stale": (
        "stale: last value {time} UTC is {age:.1f} days old (maximum age {max_age:g} days)",
        "已过时：最新数值（UTC {time}）已有 {age:.1f} 天（最长 {max_age:g} 天）"),
    "crypto.market_funding_stale": (
        "market funding {coin}: stale: last value {time} UTC is {age:.1f} days old (maximum "
        "age {max_age:g} days)",
        "{coin} 全市场资金费率已过时：最新数值（UTC {time}）已有 {age:.1f} 天（最长 "
        "{max_age:g} 天）"),
    "crypto.oi_status_stale": (
        "stale: last value {time} UTC is {age:.1f} days before the end of {day} (maximum age "
        "{max_age:g} days)",
        "已过时：最新数值（UTC {time}）比 {day} 日终早 {age:.1f} 天（最长 {max_age:g} 天）"),
    "crypto.market_oi_stale": (
        "market OI {coin}: stale: last value {time} UTC is {age:.1f} days before the end of "
        "{day} (maximum age {max_age:g} days)",
        "{coin} 全市场持仓量已过时：最新数值（UTC {time}）比 {day} 日终早 {age:.1f} 天（最长 "
        "{max_age:g} 天）"),
    "crypto.ratio_one_point": (
        "market OI {coin}: coverage ratio from {n} overlap point: its error is unknown",
        "{coin} 全市场持仓量：覆盖率仅由 {n} 个重叠数据点估计，其误差未知"),
    "crypto.ratio_few_points": (
        "market OI {coin}: coverage ratio from only {n} overlap points",
        "{coin} 全市场持仓量：覆盖率仅由 {n} 个重叠数据点估计"),
    "crypto.binance_only_map": (
        "liquidation map and cascade on Binance coin-margined OI only (no market-wide OI at "
        "this date): totals are a small fraction of the market's",
        "清算图与连锁反应仅基于币安币本位持仓量（该日期无全市场持仓量）：合计金额仅为全市场的一小部分"),
    "crypto.oi_btc_short": (
        "OI_BTC: fewer than 2 days up to the as-of date; no liquidation map",
        "OI_BTC：截至日之前不足 2 天数据；无清算图"),
    "crypto.oi_ends_nan": (
        "{series} ends {end}: later rows are NaN",
        "{series} 数据截至 {end}：此后各行为空值"),
    "crypto.prices_interpolated": (
        "{coin}: {n} step prices interpolated in time between {first} and {last} (no 4-h "
        "snapshot or daily close at those times)",
        "{coin}：{first} 至 {last} 之间有 {n} 个步长价格按时间插值（这些时间点没有 4 小时快照"
        "或日收盘价）"),
    "crypto.no_daily_range": (
        "{coin}: no daily high/low in the data: step ranges come from step-end prices only and "
        "miss intraday wicks (liquidations are understated)",
        "{coin}：数据中没有日内高低价：步长区间仅由步末价格得出，遗漏日内影线（清算额被低估）"),
    "crypto.share_carried": (
        "{coin}: share of OI on {venues} carried forward from {time} (no later per-exchange "
        "snapshot)",
        "{coin}：{venues} 的持仓占比沿用 {time} 的数值（此后没有分交易所快照）"),
    "crypto.oi_starts_late": (
        "{coin}: market OI starts {start}, after the {days}-day lookback ({first}): the book "
        "is seeded later",
        "{coin}：全市场持仓量始于 {start}，晚于 {days} 天回看期起点（{first}）：持仓簿起始较晚"),
    "crypto.oi_ends_early": (
        "{coin}: market OI ends {end}, before the end of {day}: later steps are not replayed",
        "{coin}：全市场持仓量截至 {end}，早于 {day} 日终：之后的步长未回放"),
    "crypto.supply_none_upto": (
        "{coin}: no supply data up to {asof}",
        "{coin}：截至 {asof} 无供应量数据"),
    "crypto.supply_status_stale": (
        "stale: last value {day} is {age} days before {ref} (maximum age {max_age} days)",
        "已过时：最新数值（{day}）比 {ref} 早 {age} 天（最长 {max_age} 天）"),
    "crypto.supply_stale": (
        "{coin} supply: stale: last value {day} is {age} days before {ref} (maximum age "
        "{max_age} days)",
        "{coin} 供应量已过时：最新数值（{day}）比 {ref} 早 {age} 天（最长 {max_age} 天）"),
    "crypto.total_mixed_dates": (
        "total adds values of different dates: {dates}",
        "合计加总了不同日期的数值：{dates}"),
})


__all__ = ["MESSAGES", "REASONS", "WRAPPERS"]
