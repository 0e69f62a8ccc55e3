"""Messages of the dealer gamma engine (English, Chinese): see :mod:`crashlens.notes`."""

from __future__ import annotations

from crashlens.notes import register

MESSAGES = register({
    "options.folder_of_store": ("CRASHLENS_DATA", "CRASHLENS_DATA 数据文件夹"),
    "options.folder_of_source": ("the folder of {source}", "{source} 的文件夹"),
    "options.no_chain_file": ("no option chain (*quotedata*.csv) in {folder}",
                              "{folder}中没有期权链文件（*quotedata*.csv）"),
    "options.chain_quoted": ("{file} (quoted {time})", "{file}（报价于 {time}）"),
    "options.no_chain_by": ("no option chain in {folder} is quoted on or before {asof}; have: "
                            "{have}",
                            "{folder}中没有报价日期不晚于 {asof} 的期权链；现有：{have}"),
    # reading chains (crashlens.options.chains, crashlens.options._quotedata)
    "options.iv_percent": (
        "{file}: IV column looks like percent (median {median:.1f}); divided by 100",
        "{file}：隐含波动率列看似以百分数表示（中位数 {median:.1f}）；已除以 100"),
    "options.no_spot_in_file": (
        "{file}: no 'Last:' spot in the preamble; pass spot, or gex() infers it from put-call "
        "parity",
        "{file}：文件头中没有 'Last:' 现货价；请传入 spot，否则 gex() 由看涨看跌平价推算"),
    "options.no_quote_time_in_file": (
        "{file}: no 'Date:' quote time in the preamble; pass asof explicitly",
        "{file}：文件头中没有 'Date:' 报价时间；请明确传入 asof"),
    "options.spot_from_parity": (
        "spot {spot:,.2f} implied by put-call parity at strike {strike:g} of the {expiry} "
        "expiry (call {call:g}, put {put:g})",
        "现货价 {spot:,.2f} 由 {expiry} 到期、行权价 {strike:g} 的看涨看跌平价推出"
        "（看涨 {call:g}，看跌 {put:g}）"),
    # gex()
    "options.iv_solved": (
        "{n} zero/missing IVs: IV solved from the bid/ask mid (or last)",
        "{n} 个隐含波动率为零或缺失：由买卖中间价（或最新成交价）反推"),
    "options.iv_excluded": (
        "{n} contracts with OI but no usable IV excluded (OI {oi:,.0f}, {share:.2%} of live "
        "OI)",
        "剔除 {n} 个有持仓但无可用隐含波动率的合约（持仓量 {oi:,.0f}，占有效持仓 {share:.2%}）"),
    "options.stale_valuation": (
        "asof {at} is {days} days after the chain's quote time {quoted}: open interest and IVs "
        "are stale",
        "估值时间 {at} 比期权链报价时间 {quoted} 晚 {days} 天：持仓量与隐含波动率已过时"),
    "options.settled_excluded": (
        "{n} contracts settled at or before {at} excluded ({oi:,.0f} contracts of OI)",
        "剔除 {n} 个在 {at} 或之前已结算的合约（持仓量 {oi:,.0f} 张）"),
    "options.spot_outside_strikes": (
        "spot {spot:,.2f} lies outside the strikes with open interest [{lo:,.2f}, {hi:,.2f}]: "
        "levels are unreliable",
        "现货价 {spot:,.2f} 超出有持仓的行权价范围 [{lo:,.2f}, {hi:,.2f}]：各水平位不可靠"),
    "options.no_zero_gamma": (
        "the GEX profile does not change sign between {lo:,.2f} and {hi:,.2f}: no zero-gamma "
        "level on the grid",
        "GEX 曲线在 {lo:,.2f} 与 {hi:,.2f} 之间未变号：网格内没有零伽马水平"),
    # zero_dte_stats()
    "options.volume_missing": (
        "{n} live contracts without volume counted as zero volume",
        "{n} 个未到期合约没有成交量，按零成交量计"),
    "options.no_same_day_expiry": (
        "no same-day expiry in the chain: 0DTE share is not defined",
        "期权链中没有当日到期的合约：0DTE 占比无定义"),
    "options.no_volume": (
        "the chain has no volume: 0DTE share is not defined",
        "期权链没有成交量：0DTE 占比无定义"),
    # gamma_profile()
    "options.chain_expired": (
        "option chain {file} was quoted {quoted}, {days} days before {asof} (last chain, "
        "expired: all of its expiries have settled since); dealer positioning is measured as "
        "of the chain's date",
        "期权链 {file} 报价于 {quoted}，比 {asof} 早 {days} 天（最近的期权链，已到期：其所有到期日"
        "均已结算）；做市商持仓按期权链日期计量"),
    "options.chain_after_asof": (
        "option chain {file} was quoted {quoted}, {days} days after {asof}: its positioning "
        "was not known on {asof}",
        "期权链 {file} 报价于 {quoted}，晚于 {asof} {days} 天：{asof} 时尚不知其持仓"),
    "options.chain_stale": (
        "option chain {file} was quoted {quoted}, {days} days before {asof} (stale: older than "
        "the {max_age}-day useful life of open interest); dealer positioning is measured as of "
        "the chain's date",
        "期权链 {file} 报价于 {quoted}，比 {asof} 早 {days} 天（已过时：超过持仓量 {max_age} 天的"
        "有效期）；做市商持仓按期权链日期计量"),
    "options.synthetic_chain": (
        "SYNTHETIC DATA: synthetic SPX option chain (crashlens.data.synthetic)",
        "合成数据：合成的 SPX 期权链（crashlens.data.synthetic）"),
})
