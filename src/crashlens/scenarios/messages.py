"""Messages of the scenario engine and its scorecard (English, Chinese): see :mod:`crashlens.notes`.

Warnings of :func:`crashlens.scenarios.run` / :func:`~crashlens.scenarios.scorecard`, the notes
of the flows they ask other engines for, and the details of the scorecard's conditions. An
``{error}`` parameter is the one-line message of another engine's error, kept as it was
written.
"""

from __future__ import annotations

from crashlens.notes import register

MESSAGES = register({
    # -- loading and the covariance ------------------------------------------------------------
    "scenarios.not_loaded": (
        "{asset}: not loaded ({error}); left out",
        "{asset}：未能载入（{error}）；已剔除"),
    "scenarios.no_data_before": (
        "{asset}: no data on or before {asof}; left out",
        "{asset}：{asof} 及之前无数据；已剔除"),
    "scenarios.not_daily": (
        "{asset}: not a daily series; left out of the propagation",
        "{asset}：不是日频序列；未参与传导"),
    "scenarios.stale_level": (
        "{asset}: last level {level:g} is from {date}, {days} days before as-of",
        "{asset}：最新水平 {level:g} 来自 {date}，比截至日早 {days} 天"),
    "scenarios.non_positive": (
        "{asset}: non-positive prices in the window; excluded",
        "{asset}：窗口内有非正价格；已剔除"),
    "scenarios.low_coverage": (
        "{asset}: data on {coverage:.0%} of the window's days (< min_coverage "
        "{min_coverage:.0%}); excluded from the covariance",
        "{asset}：仅有窗口内 {coverage:.0%} 的交易日有数据（低于 min_coverage "
        "{min_coverage:.0%}）；未纳入协方差"),
    "scenarios.psd_repaired": (
        "the pairwise covariance was not positive semi-definite (assets with shorter "
        "histories); repaired on the correlation scale, largest change of a correlation "
        "{shift:.3f}",
        "两两协方差矩阵非半正定（部分资产历史较短）；已在相关系数尺度上修正，单个相关系数的最大"
        "调整为 {shift:.3f}"),
    # -- scenarios ---------------------------------------------------------------------------
    "scenarios.shock_outside_cov": (
        "scenario {scenario}: {asset} is not in the covariance (no data on the window); its "
        "shock is kept but does not propagate",
        "情景 {scenario}：{asset} 不在协方差中（窗口内无数据）；保留其冲击，但不向其他资产传导"),
    "scenarios.no_shock_in_cov": (
        "scenario {scenario}: no shocked asset is in the covariance; other assets get no move",
        "情景 {scenario}：没有受冲击资产在协方差中；其他资产无变动"),
    "scenarios.singular": (
        "scenario {scenario}: the shocked assets' covariance is singular; a pseudo-inverse was "
        "used",
        "情景 {scenario}：受冲击资产的协方差矩阵奇异；已使用伪逆"),
    "scenarios.out_of_reach": (
        "scenario {scenario}: its shocks ({shocks} over {days} sessions) are out of reach of "
        "the {window} window's distribution (joint distance {distance:.1f}, chi-square p = "
        "{p_pct:.2g} % < {alpha_pct:g} %): the moves conditioned on them extrapolate",
        "情景 {scenario}：其冲击（{days} 个交易日内 {shocks}）超出 {window} 窗口分布的可达范围"
        "（联合距离 {distance:.1f}，卡方 p = {p_pct:.2g} % < {alpha_pct:g} %）：以其为条件的"
        "变动属于外推"),
    "scenarios.probabilities_normalised": (
        "probabilities summed to {total:.6g}, not 1; normalised",
        "概率之和为 {total:.6g}，不等于 1；已归一化"),
    "scenarios.view_ignored": (
        "view on {asset}: asset not in the universe; ignored",
        "关于 {asset} 的观点：该资产不在资产范围内；已忽略"),
    "scenarios.portfolio_no_move": (
        "portfolio: {asset}: no move in scenario {scenario} (not in the covariance window and "
        "not shocked); its P&L is left out there",
        "组合：{asset} 在情景 {scenario} 中无变动（不在协方差窗口内且未受冲击）；该情景下"
        "不计其盈亏"),
    "scenarios.portfolio_no_spread": (
        "portfolio: {asset}: outside the covariance; no spread for it",
        "组合：{asset} 不在协方差中；无其波动区间"),
    # -- flows from other engines ------------------------------------------------------------
    "scenarios.cta_needs_source": (
        "CTA flows not computed: they need catalog series read through a crashlens.data.Source "
        "and the data given (names outside the catalog, or a function) is not one; pass "
        "source= instead",
        "未计算 CTA 资金流：需要通过 crashlens.data.Source 读取的目录序列，而所给数据（含目录外"
        "名称或为函数）不是数据源；请改用 source="),
    "scenarios.cta_missing_series": (
        "CTA flows not computed: the source {source} has no {series} (the CTA book needs it)",
        "未计算 CTA 资金流：数据源 {source} 没有 {series}（CTA 持仓簿需要该序列）"),
    "scenarios.cta_failed": (
        "CTA engine failed: {error}",
        "CTA 引擎无法计算：{error}"),
    "scenarios.no_chain": (
        "no option chain given (pass chain= / --chain); the data holds no chain at the as-of "
        "date",
        "未提供期权链（请传入 chain= / --chain）；数据中没有截至日的期权链"),
    "scenarios.chain_age": (
        "the chain is from {date}, {days} days from the as-of date: positioning has changed "
        "since",
        "期权链日期为 {date}，与截至日相差 {days} 天：此后持仓已有变化"),
    "scenarios.chain_after_asof": (
        "the chain is from {date}, {days} days after the as-of date: its positioning was not "
        "known on the as-of date",
        "期权链日期为 {date}，晚于截至日 {days} 天：截至日时尚不知其持仓"),
    "scenarios.off_gamma_grid": (
        "scenario {scenario}: the path leaves the gamma profile's grid; edge GEX held beyond it",
        "情景 {scenario}：路径超出伽马曲线的网格；网格外沿用边缘 GEX"),
    "scenarios.dealer_failed": (
        "dealer gamma engine failed: {error}",
        "做市商伽马引擎无法计算：{error}"),
    "scenarios.crypto_needs_source": (
        "crypto liquidations not computed: they need catalog series read through a "
        "crashlens.data.Source and the data given is not one; pass source= instead",
        "未计算加密货币清算：需要通过 crashlens.data.Source 读取的目录序列，而所给数据不是数据源；"
        "请改用 source="),
    "scenarios.crypto_failed": (
        "crypto engine failed: {error}",
        "加密货币引擎无法计算：{error}"),
    # -- scorecard ---------------------------------------------------------------------------
    "scenarios.partial_horizon": (
        "data ends {last}, before {end}: graded on a partial horizon",
        "数据截至 {last}，早于 {end}：按部分期限评分"),
    "scenarios.no_realised_move": (
        "{asset}: no realised move (no data after {asof})",
        "{asset}：无实际变动（{asof} 之后无数据）"),
    "scenarios.left_out_of_distance": (
        "left out of the distance (not in the covariance): {assets}",
        "未纳入距离计算（不在协方差中）：{assets}"),
    "scenarios.no_distance": (
        "no compared asset has realised data: no distance",
        "没有可比较资产有实际数据：无距离"),
    "scenarios.no_outcome": (
        "no scenario could be judged realised (no checkable condition and no distance): no "
        "Brier score",
        "无法判定哪个情景已实现（没有可核查的条件，也没有距离）：无布里尔评分"),
    # -- details of the scorecard's conditions (crashlens.scenarios.conditions) ---------------
    "scenarios.cond_free_text": (
        "free text: no data series can decide it",
        "自由文本：没有数据序列能判定"),
    "scenarios.cond_no_data": (
        "no data: {error}",
        "无数据：{error}"),
    "scenarios.cond_no_obs_before": (
        "no {series} observation on or before {date}",
        "{date} 及之前没有 {series} 观测值"),
    "scenarios.cond_no_obs_before_any": (
        "no observation on or before {date}",
        "{date} 及之前没有观测值"),
    "scenarios.cond_not_observed": (
        "{series} on {date} not yet observed (data to {last})",
        "{series} 在 {date} 的数值尚未观测到（数据截至 {last}）"),
    "scenarios.cond_date_not_observed": (
        "{date} not yet observed",
        "{date} 尚未观测到"),
    "scenarios.cond_no_obs_after": (
        "no {series} observation after {asof}",
        "{asof} 之后没有 {series} 观测值"),
    "scenarios.cond_on_date_level": (
        "{series} on {date}: level {value:.4g}",
        "{series} 于 {date}：水平 {value:.4g}"),
    "scenarios.cond_on_date_change": (
        "{series} on {date}: change {value:+.4g} {unit}",
        "{series} 于 {date}：变动 {value:+.4g} {unit}"),
    "scenarios.cond_first_met_level": (
        "first met on {date}: level {value:.4g}",
        "首次满足于 {date}：水平 {value:.4g}"),
    "scenarios.cond_first_met_change": (
        "first met on {date}: change {value:+.4g} {unit}",
        "首次满足于 {date}：变动 {value:+.4g} {unit}"),
    "scenarios.cond_not_met_yet": (
        "not met through {last}; deadline {deadline}",
        "截至 {last} 尚未满足；期限 {deadline}"),
    "scenarios.cond_not_met_through": (
        "not met through {last}",
        "截至 {last} 尚未满足"),
    "scenarios.cond_no_obs_between": (
        "no {series} observation in {asof}..{end}",
        "{asof} 至 {end} 期间没有 {series} 观测值"),
    "scenarios.cond_never_met_level": (
        "never met in {first}..{last}; closest level {value:.4g}",
        "{first} 至 {last} 期间从未满足；最接近的水平为 {value:.4g}"),
    "scenarios.cond_never_met_change": (
        "never met in {first}..{last}; closest change {value:+.4g} {unit}",
        "{first} 至 {last} 期间从未满足；最接近的变动为 {value:+.4g} {unit}"),
    "scenarios.cond_policy_moved": (
        "{series} moved {bp:+.0f} bp on {date} (from {base:g} on {base_date})",
        "{series} 于 {date} 变动 {bp:+.0f} bp（{base_date} 时为 {base:g}）"),
    "scenarios.cond_policy_unchanged_yet": (
        "unchanged at {base:g} through {last}; deadline {deadline}",
        "截至 {last} 维持 {base:g} 不变；期限 {deadline}"),
    "scenarios.cond_policy_unchanged": (
        "{series} unchanged at {base:g} from {base_date} to {deadline}",
        "{series} 在 {base_date} 至 {deadline} 期间维持 {base:g} 不变"),
    "scenarios.cond_policy_hit": (
        "{series} {base:g} on {base_date} -> {value:g} on {date} ({bp:+.0f} bp)",
        "{series} 从 {base_date} 的 {base:g} 变为 {date} 的 {value:g}（{bp:+.0f} bp）"),
    "scenarios.cond_policy_at_most": (
        "{series} moved at most {best:+.0f} bp in the stated direction from {base:g} "
        "({base_date}) by {deadline}; net {net:+.0f} bp",
        "{series} 自 {base:g}（{base_date}）起至 {deadline} 在所述方向上最多变动 {best:+.0f} bp；"
        "净变动 {net:+.0f} bp"),
    "scenarios.cond_relative": (
        "{series} {a:+.1f}% vs {versus} {b:+.1f}% from {start} to {date}: {rel:+.1f} pp",
        "{start} 至 {date}：{series} {a:+.1f}%，{versus} {b:+.1f}%，相差 {rel:+.1f} 个百分点"),
    "scenarios.cond_relative_first_met": (
        "first met: {series} {a:+.1f}% vs {versus} {b:+.1f}% from {start} to {date}: "
        "{rel:+.1f} pp",
        "首次满足：{start} 至 {date}：{series} {a:+.1f}%，{versus} {b:+.1f}%，相差 {rel:+.1f} "
        "个百分点"),
    "scenarios.cond_relative_never": (
        "never met; at the deadline {series} {a:+.1f}% vs {versus} {b:+.1f}% from {start} to "
        "{date}: {rel:+.1f} pp",
        "从未满足；期限时 {start} 至 {date}：{series} {a:+.1f}%，{versus} {b:+.1f}%，相差 "
        "{rel:+.1f} 个百分点"),
    "scenarios.cond_no_common_obs": (
        "no common observation after as-of",
        "截至日之后没有共同观测值"),
    "scenarios.cond_models_need_source": (
        "model conditions run on the data store, not on given data",
        "模型条件基于数据库运行，不适用于所给数据"),
    "scenarios.cond_after_until": (
        "{date} is after the evaluation date {until}",
        "{date} 晚于评估日 {until}"),
    "scenarios.cond_cta_unavailable": (
        "CTA model not available: {error}",
        "CTA 模型不可用：{error}"),
    "scenarios.cond_cta": (
        "modelled CTA {asset} notional {before:+.1f}bn ({asof}) -> {after:+.1f}bn ({date}), "
        "change {change:+.1f}bn (crashlens.cta, model-dependent)",
        "模型估计的 {asset} CTA 名义持仓：{before:+.1f}bn（{asof}）→ {after:+.1f}bn（{date}），"
        "变动 {change:+.1f}bn（crashlens.cta，依赖模型）"),
})

__all__ = ["MESSAGES"]
