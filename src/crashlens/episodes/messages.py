"""Messages of the episodes engine (anatomy, library, analogs, templates, catalysts).

English and Chinese side by side (see :mod:`crashlens.notes`). Lists of tickers, feature names
and horizons are passed pre-joined (they read the same in both languages); event names stay as
the catalyst file writes them.
"""

from __future__ import annotations

from crashlens.notes import register

MESSAGES = register({
    "episodes.synthetic": (
        "SYNTHETIC DATA: the store holds the synthetic demo market, not real prices",
        "合成数据：数据库中为合成演示市场，并非真实价格"),
    "episodes.not_in_source": (
        "not in the data source, left out: {series}",
        "数据源中没有以下序列，已略去：{series}"),
    "episodes.basket_not_in_source": (
        "basket '{basket}' left out: the data source lacks {series}",
        "篮子“{basket}”已略去：数据源中没有 {series}"),
    # anatomy
    "episodes.corr_dropped": (
        "correlation: no returns in one of the periods for {assets}",
        "相关性：{assets} 在其中一个区间内没有收益数据"),
    "episodes.corr_noisy": (
        "correlation over {n} window returns is noisy (fewer than {min_n})",
        "仅基于 {n} 个窗口收益计算的相关性噪声较大（少于 {min_n} 个）"),
    "episodes.corr_noisy_one": (
        "correlation over {n} window return is noisy (fewer than {min_n})",
        "仅基于 {n} 个窗口收益计算的相关性噪声较大（少于 {min_n} 个）"),
    "episodes.no_data_in_window": (
        "no data inside the window for: {assets}",
        "窗口内没有数据：{assets}"),
    "episodes.not_price_series": (
        "not price series, left out of the ranking: {assets} (yields and spreads are in their "
        "own table)",
        "非价格序列，未参与排名：{assets}（收益率与利差另列一表）"),
    "episodes.no_base_close": (
        "no close before the window (return undefined) for: {assets}",
        "窗口前没有收盘价（收益无法计算）：{assets}"),
    # library
    "episodes.episode_no_data": (
        "episode {key}: no {primary} data in its search window {start}..{end}; skipped",
        "事件 {key}：搜索窗口 {start}..{end} 内没有 {primary} 数据，已跳过"),
    "episodes.episode_no_fall": (
        "episode {key}: {primary} never fell inside its window",
        "事件 {key}：{primary} 在其窗口内从未下跌"),
    "episodes.episode_no_vix": (
        "episode {key}: no VIX data between peak and trough",
        "事件 {key}：峰值与谷底之间没有 VIX 数据"),
    # analogs and templates
    "episodes.cta_unavailable": (
        "CTA positioning unavailable for the state vector: {error}",
        "状态向量无法纳入 CTA 持仓：{error}"),
    "episodes.features_unavailable": (
        "state features unavailable at the as-of date: {features}",
        "截至日缺少以下状态特征：{features}"),
    "episodes.no_close_analog": (
        "no close analog: the nearest past day is {distance:.1f} distance units away (the "
        "present state is unusual)",
        "没有相近的类比：最近的历史交易日距离为 {distance:.1f} 个单位（当前状态罕见）"),
    "episodes.cta_not_in_state": (
        "CTA positioning is not in the state vector (include_cta=True / --cta adds the "
        "modelled S&P 500 signal; or pass extra_features=)",
        "状态向量不含 CTA 持仓（include_cta=True / --cta 可加入模型估计的标普500信号；"
        "或传入 extra_features=）"),
    "episodes.low_ess": (
        "effective sample size below 10 for {horizons}: treat the forward distribution as "
        "anecdotal",
        "{horizons} 的有效样本量低于 10：远期收益分布仅供参考"),
    "episodes.template_missing": (
        "template {key} is not in the library",
        "模板 {key} 不在事件库中"),
    "episodes.template_after_asof": (
        "template {key} ends after the as-of date; skipped",
        "模板 {key} 结束于截至日之后，已跳过"),
    # catalysts: each message with the event's line in the catalyst file, and without one
    "episodes.event_after_asof": (
        "event '{event}' ({date}, line {line}): after the as-of date {asof}; skipped",
        "事件“{event}”（{date}，第 {line} 行）：晚于截至日 {asof}，已跳过"),
    "episodes.event_after_asof_noline": (
        "event '{event}' ({date}): after the as-of date {asof}; skipped",
        "事件“{event}”（{date}）：晚于截至日 {asof}，已跳过"),
    "episodes.event_truncated": (
        "event '{event}' ({date}, line {line}): event window truncated at the as-of date "
        "{asof}: CAR over sessions {first}..{last}",
        "事件“{event}”（{date}，第 {line} 行）：事件窗口在截至日 {asof} 截断，累计异常收益按第 "
        "{first} 至 {last} 个交易日计算"),
    "episodes.event_truncated_noline": (
        "event '{event}' ({date}): event window truncated at the as-of date {asof}: CAR over "
        "sessions {first}..{last}",
        "事件“{event}”（{date}）：事件窗口在截至日 {asof} 截断，累计异常收益按第 {first} 至 "
        "{last} 个交易日计算"),
    "episodes.event_rolled": (
        "event '{event}' ({date}, line {line}): not a {market} session; day 0 rolled ({roll}) "
        "to {day0}",
        "事件“{event}”（{date}，第 {line} 行）：当日不是 {market} 交易日；第 0 日顺延"
        "（{roll}）至 {day0}"),
    "episodes.event_rolled_noline": (
        "event '{event}' ({date}): not a {market} session; day 0 rolled ({roll}) to {day0}",
        "事件“{event}”（{date}）：当日不是 {market} 交易日；第 0 日顺延（{roll}）至 {day0}"),
    "episodes.event_short_estimation": (
        "event '{event}' ({date}, line {line}): {asset} has {n} of {est} estimation returns; "
        "skipped",
        "事件“{event}”（{date}，第 {line} 行）：{asset} 在估计窗口内仅有 {n}/{est} 个收益，"
        "已跳过"),
    "episodes.event_short_estimation_noline": (
        "event '{event}' ({date}): {asset} has {n} of {est} estimation returns; skipped",
        "事件“{event}”（{date}）：{asset} 在估计窗口内仅有 {n}/{est} 个收益，已跳过"),
    "episodes.event_asset_gap": (
        "event '{event}' ({date}, line {line}): {asset} lacks closes inside the event window; "
        "skipped",
        "事件“{event}”（{date}，第 {line} 行）：{asset} 在事件窗口内缺少收盘价，已跳过"),
    "episodes.event_asset_gap_noline": (
        "event '{event}' ({date}): {asset} lacks closes inside the event window; skipped",
        "事件“{event}”（{date}）：{asset} 在事件窗口内缺少收盘价，已跳过"),
    "episodes.event_basket_gap": (
        "event '{event}' ({date}, line {line}): basket '{basket}' lacks closes in the event "
        "window; skipped",
        "事件“{event}”（{date}，第 {line} 行）：篮子“{basket}”在事件窗口内缺少收盘价，已跳过"),
    "episodes.event_basket_gap_noline": (
        "event '{event}' ({date}): basket '{basket}' lacks closes in the event window; skipped",
        "事件“{event}”（{date}）：篮子“{basket}”在事件窗口内缺少收盘价，已跳过"),
})
