"""Translation catalogue (English, Chinese) for every heading, label, verdict and sentence.

One table holds both languages side by side so they cannot drift apart: ``TEXT[key] = (en, zh)``.
Texts may hold ``str.format`` fields (``{asset}``); values are formatted by the caller with the
locale formatters of :mod:`crashlens.report.fmt` before substitution.
"""

from __future__ import annotations

from typing import Any

from crashlens.errors import ParameterError
from crashlens.report.fmt import LANGS

TEXT: dict[str, tuple[str, str]] = {
    # page furniture
    "report.title": ("crashlens forensic report", "crashlens 市场抛售取证报告"),
    "report.subtitle": ("Market-structure forensics of a sell-off, recomputed from data",
                        "基于数据重新计算的抛售市场结构分析"),
    "report.asof": ("As of", "截至"),
    "report.window": ("Event window", "事件窗口"),
    "report.event": ("Event", "事件"),
    "report.generated": ("Generated", "生成时间"),
    "report.contents": ("Contents", "目录"),
    "report.language": ("Language", "语言"),
    "report.footer": (
        "Every number in this report is computed from the data listed under Data provenance "
        "with the methods and parameters listed under Assumptions. Not investment advice.",
        "本报告中的每个数字均由“数据来源”所列数据、按“假设”所列方法与参数计算得出。不构成投资建议。"),
    "report.synthetic": ("SYNTHETIC DATA", "合成数据"),
    "report.synthetic_note": (
        "No real data folder is configured (CRASHLENS_DATA is unset): every number below comes "
        "from crashlens' deterministic synthetic market and describes no real event.",
        "未配置真实数据目录（CRASHLENS_DATA 未设置）：以下所有数字均来自 crashlens 的确定性"
        "合成市场，不描述任何真实事件。"),
    "report.source": ("Source", "来源"),
    "report.source_engine": ("Source: {engine}, computed from the crashlens store (series and "
                             "files under Data provenance)",
                             "来源：{engine}，基于 crashlens 数据存储计算"
                             "（序列与文件见“数据来源”）"),
    # section titles
    "section.summary": ("Executive summary", "摘要"),
    "section.anatomy": ("Sell-off anatomy", "抛售剖析"),
    "section.cta": ("The CTA machine", "CTA 趋势跟踪资金"),
    "section.gamma": ("Dealer gamma", "做市商 Gamma"),
    "section.crypto": ("Crypto leverage and contagion", "加密货币杠杆与传染"),
    "section.systemic": ("Systemic fragility", "系统性脆弱度"),
    "section.macro": ("Macro and data gaps", "宏观与数据缺口"),
    "section.catalysts": ("Catalysts", "催化事件"),
    "section.analogs": ("Historical analogs", "历史类比"),
    "section.scenarios": ("Scenarios", "情景分析"),
    "section.audit": ("Claims audit", "观点核查"),
    "section.provenance": ("Assumptions and data provenance", "假设与数据来源"),
    # section states
    # executive summary: the argument
    "report.measured_in": ("measured in this section", "本节给出该数据"),
    "arg.broke": ("From {start} to {end} the S&P 500 moved {chg} ({sigma}) and closed {dd} "
                  "below its high.",
                  "{start}至{end}，标普500变动 {chg}（{sigma}），收盘较高点回落 {dd}。"),
    "arg.broke_btc": ("Bitcoin moved {chg} and stands {dd} below its high.",
                      "比特币变动 {chg}，较高点回落 {dd}。"),
    "arg.broke_vix": ("The VIX closed at {vix}.", "VIX 收于 {vix}。"),
    "arg.cta": ("Trend followers are modelled at {eq} in global equities ({pct} percentile "
                "of the past {years} years, {model} model); in a falling tape they would {w1} "
                "over a week and {m1} over a month.",
                "模型估计趋势跟踪资金全球股票头寸 {eq}（过去 {years} 年 {pct} 分位，{model}模型）；"
                "若市场继续下跌，一周内将{w1}，一个月内将{m1}。"),
    "arg.model.desk": ("desk-calibrated", "按券商读数校准的"),
    # the summary's key is "arg.gamma_<chain status>" for a chain that is not current
    "arg.gamma_stale": ("Dealer gamma is not measured for this date: the newest option chain "
                        "({date}) is older than its useful life.",
                        "本日期未计量做市商 Gamma：最新期权链（{date}）已超过有效期。"),
    "arg.gamma_expired": ("Dealer gamma is not measured for this date: the last option chain "
                          "({date}) has expired.",
                          "本日期未计量做市商 Gamma：最近的期权链（{date}）已到期。"),
    "arg.model.generic": ("generic", "通用"),
    "arg.cta_pivot": ("The S&P 500 closed {side} the short-term CTA pivot at {level} ({dist}).",
                      "标普500收于短期 CTA 触发位 {level} {side}（{dist}）。"),
    "arg.below": ("below", "之下"),
    "arg.above": ("above", "之上"),
    "arg.gamma": ("Dealers were {regime} on the option chain of {date}: {total} of hedging "
                  "per 1% move, with the zero-gamma flip at {zero} ({dist} from spot).",
                  "根据 {date} 的期权链，做市商处于{regime}：每1%变动对冲 {total}，"
                  "零 Gamma 翻转点 {zero}（距现价 {dist}）。"),
    "arg.crypto": ("Bitcoin is {dd} below its {ath} high; on {oi} of market-wide open "
                   "interest, a further {shock} move would liquidate about {liq} of leveraged "
                   "positions.",
                   "比特币较 {ath} 的高点回落 {dd}；按全市场未平仓合约 {oi} 计，"
                   "再下跌 {shock} 将引发约 {liq} 的杠杆头寸强平。"),
    "arg.crypto_stale": ("Bitcoin is {dd} below its {ath} high; market-wide open interest was "
                         "last known on {oi_date}, too old to estimate liquidations for this "
                         "date.",
                         "比特币较 {ath} 的高点回落 {dd}；全市场未平仓合约最后已知于 {oi_date}，"
                         "过于陈旧，无法估算本日期的强平规模。"),
    "arg.vacuum": ("Macro data were missing: {n} scheduled releases were late ({late}).",
                   "宏观数据缺失：{n} 项预定发布延迟（{late}）。"),
    "arg.jobs": ("The {month} jobs report, first printed on {date}, showed payrolls {chg}.",
                 "{month}非农就业报告于 {date} 首次公布，新增就业 {chg}。"),
    "arg.fed_odds": ("Prediction markets put the odds of a cut at the {meeting} FOMC at {p} on "
                     "{date}.",
                     "{date} 预测市场对 {meeting} 议息会议降息的概率为 {p}。"),
    "arg.fed_odds_move": ("Prediction markets put the odds of a cut at the {meeting} FOMC at {p} "
                          "on {date}, up from a low of {p0} on {date0}.",
                          "{date} 预测市场对 {meeting} 议息会议降息的概率为 {p}，"
                          "{date0} 时曾低至 {p0}。"),
    "arg.sell": ("sell {usd}", "卖出 {usd}"),
    "arg.buy": ("buy {usd}", "买入 {usd}"),
    "arg.long_gamma": ("long gamma (their hedging dampens moves)", "正 Gamma（对冲抑制波动）"),
    "arg.short_gamma": ("short gamma (their hedging amplifies moves)", "负 Gamma（对冲放大波动）"),
    "arg.catalyst": ("Of {n} catalysts around the window, {name} ({date}) moved {asset} most: "
                     "an abnormal return of {ar} on the day (t = {tstat}).",
                     "窗口前后的 {n} 个催化事件中，{name}（{date}）对{asset}影响最大："
                     "当日异常收益 {ar}（t = {tstat}）。"),
    "arg.analogs": ("The nearest past states are {names}; after states like today's the "
                    "S&P 500 fell over the next month {pn} of the time, by more than 5% {p} of "
                    "the time.",
                    "最相似的历史状态为 {names}；在类似状态之后，标普500在随后一个月下跌的"
                    "概率为 {pn}，跌幅超过5%的概率为 {p}。"),
    "arg.scenarios": ("The note's scenarios ({weights}) put the S&P 500's expected move to "
                      "{end} at {exp}, with a 95% range of {lo} to {hi}.",
                      "报告的情景（{weights}）给出标普500至 {end} 的预期变动 {exp}，"
                      "95%区间为 {lo} 至 {hi}。"),
    "summary.left_out": ("Left out for this date: {sections}.", "本日期从略：{sections}。"),
    # macro: first prints and Fed odds
    "macro.first_prints": ("Releases known on {date}, as first printed",
                           "截至 {date} 已公布的数据（首次公布值）"),
    "macro.first_prints_note": (
        "Each release as first published, dated by its official release day (the 2025 "
        "shutdown delays included); later revisions are not used. Payrolls and ADP: monthly "
        "change; JOLTS: openings; Challenger: announced job cuts; CPI and PPI: index; PCE and "
        "retail sales: US$ bn.",
        "每项数据均为首次公布值，按官方发布日期计（含2025年政府停摆造成的延迟）；不使用后续修正值。"
        "非农与 ADP：月度变动；JOLTS：职位空缺；Challenger：宣布裁员人数；CPI 与 PPI：指数；"
        "PCE 与零售销售：亿美元。"),
    "macro.period": ("Month", "月份"),
    "macro.first_print": ("First print", "首次公布值"),
    "macro.released": ("Released", "发布日期"),
    "macro.chart_fed_odds": ("Odds of a cut at the {meeting} FOMC (prediction markets, "
                             "30-minute snapshots)",
                             "{meeting} 议息会议降息概率（预测市场，30分钟快照）"),
    "axis.probability": ("probability", "概率"),
    "axis.time_et": ("time (US Eastern)", "时间（美东）"),
    "fp.PAYEMS": ("Nonfarm payrolls (BLS)", "非农就业（BLS）"),
    "fp.ADP": ("ADP private employment", "ADP 私营部门就业"),
    "fp.JOLTS": ("Job openings, JOLTS (BLS)", "职位空缺 JOLTS（BLS）"),
    "fp.CHALLENGER": ("Challenger job cuts", "Challenger 裁员人数"),
    "fp.CPI": ("Consumer price index (BLS)", "消费者价格指数（BLS）"),
    "fp.PPI": ("Producer price index (BLS)", "生产者价格指数（BLS）"),
    "fp.PCE": ("Personal consumption expenditures (BEA)", "个人消费支出（BEA）"),
    "fp.RETAIL": ("Retail sales (Census)", "零售销售（人口普查局）"),
    "state.no_event_file": ("Left out: no event covers {date}, so there is no {what} for "
                            "this date (add one with --events FILE.yaml).",
                            "本节从略：没有事件覆盖 {date}，因此该日期没有{what}"
                            "（可用 --events FILE.yaml 添加）。"),
    "event_file.scenarios": ("scenario set", "情景集"),
    "event_file.claims": ("claims file", "观点核查文件"),
    "event_file.catalysts": ("catalysts file", "催化事件文件"),
    "report.appendix": ("Appendix: long tables, assumptions and warnings",
                        "附录：长表格、假设与警告"),
    "report.appendix_note": ("Each section's full tables, the modelling assumptions behind its "
                             "numbers and its warnings, in the order of the report.",
                             "各章节的完整表格、其数字背后的建模假设及警告，按报告顺序排列。"),
    "report.table_in_appendix": ("{caption}: {n} rows, in the appendix.",
                                 "{caption}：共 {n} 行，见附录。"),
    "report.event_files": ("Event files", "事件文件"),
    "report.attached": ("{event} — {files}.", "{event} — {files}。"),
    "report.no_event": ("No event covers {date}: scenarios, the claims audit and catalysts are "
                        "left out.",
                        "没有事件覆盖 {date}：情景、观点核查与催化事件从略。"),
    "state.omitted": ("Left out for this date: {message}", "本日期从略：{message}"),
    "state.error": ("This section could not be computed: {message}",
                    "本节无法计算：{message}"),
    "state.loading": ("Loading…", "加载中…"),
    # generic table headers
    "col.asset": ("Asset", "资产"),
    "col.series": ("Series", "序列"),
    "col.level": ("Level", "水平"),
    "col.change": ("Window change", "窗口内变动"),
    "col.move_sigma": ("Move in σ", "变动（σ）"),
    "col.drawdown": ("From 1-year high", "距一年高点"),
    "col.high_date": ("1-year high on", "一年高点日期"),
    "col.vs_ma50": ("vs 50-day avg", "相对50日均线"),
    "col.vs_ma200": ("vs 200-day avg", "相对200日均线"),
    "col.force": ("Force", "驱动因素"),
    "col.size": ("Measured size", "测得规模"),
    "col.detail": ("Detail", "细节"),
    "col.rank": ("Rank", "排名"),
    "col.parameter": ("Parameter", "参数"),
    "col.value": ("Value", "取值"),
    "col.section": ("Section", "章节"),
    "col.unit": ("Unit", "单位"),
    "col.frequency": ("Frequency", "频率"),
    "col.first": ("First", "起始"),
    "col.last": ("Last", "结束"),
    "col.rows": ("Rows", "行数"),
    "col.sources": ("Source files", "源文件"),
    "col.role": ("Role", "作用"),
    "col.licence": ("Licence", "许可"),
    "col.date": ("Date", "日期"),
    "col.warning": ("Warning", "警告"),
    "col.metric": ("Metric", "指标"),
    "col.horizon": ("Horizon", "期限"),
    "col.scenario": ("Scenario", "情景"),
    "col.probability": ("Probability", "概率"),
    "col.claim": ("Claim", "观点"),
    "col.claimed": ("Claimed", "声称值"),
    "col.measured": ("Measured", "实测值"),
    "col.verdict": ("Verdict", "结论"),
    "col.note": ("Note", "说明"),
    "col.trigger": ("Trigger level", "触发水平"),
    "col.distance": ("Distance from spot", "距现价"),
    "col.episode": ("Episode", "事件"),
    # summary
    "summary.engines": ("{done} of {total} sections computed for this date.",
                        "本日期 {total} 个章节中已计算 {done} 个。"),
    "force.move": ("{asset}: window move", "{asset}：窗口内变动"),
    "force.move_detail": ("{chg} over the window; {dd} from the one-year high",
                          "窗口内 {chg}；距一年高点 {dd}"),
    # anatomy
    "anatomy.lead": (
        "Moves over the event window ({start} – {end}), measured from the last close before "
        "the window. A move in σ divides the window's log return by the one-year daily "
        "volatility before the window times the square root of the number of trading days.",
        "事件窗口（{start} 至 {end}）内的变动，以窗口前最后一个收盘价为基准。σ 变动 = 窗口"
        "对数收益 ÷（窗口前一年日波动率 × 交易日数的平方根）。"),
    "anatomy.table": ("Cross-asset moves over the window", "窗口内跨资产变动"),
    "anatomy.chart_paths": ("Rebased prices (100 = last close before the window)",
                            "价格重定基（100 = 窗口前最后收盘价）"),
    "anatomy.chart_spx": ("S&P 500 with its 20-, 50- and 200-day averages",
                          "标普500指数及其20日、50日、200日均线"),
    "anatomy.ma_note": (
        "The S&P 500 closed at {close} on {date}: {vs20} against its 20-day average, "
        "{vs50} against its 50-day and {vs200} against its 200-day average.",
        "标普500指数于 {date} 收于 {close}：相对20日均线 {vs20}，相对50日均线 {vs50}，"
        "相对200日均线 {vs200}。"),
    "anatomy.rates_note": ("Yields and spreads: changes in basis points.",
                           "收益率与利差：以基点计的变动。"),
    "anatomy.leaders": ("Dispersion inside the sell-off: best {best} ({best_chg}), worst {worst} "
                        "({worst_chg}).",
                        "抛售中的分化：表现最好 {best}（{best_chg}），"
                        "最差 {worst}（{worst_chg}）。"),
    "anatomy.value": ("Market value: the S&P 500 lost about {spx} over the window ({pk} peak to "
                      "trough; index level × divisor, an approximation).",
                      "市值：窗口内标普500约蒸发 {spx}"
                      "（峰谷为 {pk}；指数点位 × 除数，为近似值）。"),
    "anatomy.value_btc": ("Bitcoin lost about {btc} (price × supply).",
                          "比特币约蒸发 {btc}（价格 × 供应量）。"),
    "anatomy.breadth": ("Breadth: {down} of {n} tracked mega-cap and crypto-linked stocks fell "
                        "(median {median}); {below} closed below their 50-day average.",
                        "广度：跟踪的 {n} 只大型科技及加密相关股票中有 {down} 只下跌（中位数 "
                        "{median}）；{below} 只收于50日均线下方。"),
    "ma.20": ("20-day avg", "20日均线"),
    "ma.50": ("50-day avg", "50日均线"),
    "ma.200": ("200-day avg", "200日均线"),
    "axis.index": ("Index (rebased = 100)", "指数（重定基 = 100）"),
    "axis.points": ("Index points", "指数点"),
    "axis.usd_bn": ("US$ bn", "十亿美元"),
    # CTA
    "cta.lead": (
        "The trend-following replica holds a net {notional} across its universe (band "
        "{lo} to {hi} over the AUM band), at the {p1} percentile of the past year and the {p3} "
        "percentile of three years. Effective AUM {aum} (band {aum_lo} to {aum_hi}); a 1% move "
        "in every asset changes the book by about {per1}.",
        "趋势跟踪复制组合在其资产范围内的净头寸为 {notional}（按 AUM 区间为 {lo} 至 {hi}），"
        "处于过去一年的{p1} 分位、过去三年的{p3} 分位。有效 AUM 为 {aum}（区间 "
        "{aum_lo} 至 {aum_hi}）；所有资产每变动 1%，组合约变化 {per1}。"),
    "cta.spx": (
        "On the S&P 500 the model holds {notional} ({pos} of its maximum long).",
        "在标普500上模型持有 {notional}（为最大多头的 {pos}）。"),
    "cta.spx_triggers": ("Trigger levels where the signals flip: {levels}.",
                         "信号翻转的触发水平：{levels}。"),
    "cta.trigger_item": ("{horizon} {level} ({dist} from spot)",
                         "{horizon} {level}（距现价 {dist}）"),
    "cta.spx_no_trigger": ("The {horizons} signals do not flip within the searched price "
                           "range.",
                           "{horizons}信号在搜索的价格区间内不会翻转。"),
    "cta.crossings": ("S&P 500 closes through a CTA pivot since {since}",
                      "{since}以来标普500收盘穿越 CTA 触发位"),
    "cta.pivot": ("Pivot", "触发位"),
    "cta.close": ("Close", "收盘"),
    "cta.direction": ("Direction", "方向"),
    "cta.dir.down": ("down through", "向下穿越"),
    "cta.dir.up": ("up through", "向上穿越"),
    "cta.levels_chart": ("S&P 500 against its CTA pivots (as quoted the day before), with the "
                         "modelled position and its percentile",
                         "标普500与其 CTA 触发位（前一日报价），及模型持仓与分位"),
    "axis.spx_level": ("S&P 500 (index points)", "标普500（指数点）"),
    "arg.crossed": ("The S&P 500 closed {direction} the {group} CTA pivot ({level}) on {date}.",
                    "{date}，标普500收盘{direction}{group} CTA 触发位（{level}）。"),
    "cta.h.short": ("short-term", "短期"),
    "cta.h.medium": ("medium-term", "中期"),
    "cta.h.long": ("long-term", "长期"),
    "cta.total": ("Total book", "全部组合"),
    "cta.positioning": ("Modelled positioning by asset", "各资产模型持仓"),
    "cta.positioning_note": (
        "Position as % of the model's maximum long; notional in US$ bn; percentiles rank "
        "today's notional within the trailing 1, 3 and 5 years.",
        "持仓以模型最大多头的百分比表示；名义金额以美元计；百分位为当前名义金额在过去1、3、"
        "5年中的排名。"),
    "cta.pos_pct": ("Position (% of max)", "持仓（占最大值%）"),
    "cta.notional": ("Notional", "名义金额"),
    "cta.pct1y": ("Percentile 1y", "1年百分位"),
    "cta.pct3y": ("Percentile 3y", "3年百分位"),
    "cta.pct5y": ("Percentile 5y", "5年百分位"),
    "cta.per1pct": ("$ per 1% move", "每1%变动金额"),
    "cta.triggers": ("Trigger levels (distance from spot)", "触发水平（距现价）"),
    "cta.triggers_note": (
        "Price for tomorrow's close at which the short (~1 month), medium (~3 months) and "
        "long (~12 months) signal components flip, volatility held fixed.",
        "在波动率不变的情况下，使短期（约1个月）、中期（约3个月）和长期（约12个月）信号翻转的"
        "次日收盘价。"),
    "cta.short": ("Short-term", "短期"),
    "cta.medium": ("Medium-term", "中期"),
    "cta.long": ("Long-term", "长期"),
    "cta.flows": ("Projected CTA flows by tape", "不同行情下的 CTA 预计资金流"),
    "cta.flows_note": (
        "Sum of daily position changes along simulated paths: flat (price unchanged), up / "
        "down (±1σ over the horizon), down big (−2σ). Negative = selling.",
        "沿模拟路径的每日持仓变动之和：持平（价格不变）、上涨/下跌（期限内 ±1σ）、大跌（−2σ）。"
        "负值 = 卖出。"),
    "cta.flows_chart": ("Projected CTA flows, total book (US$ bn)",
                        "CTA 预计资金流，全部组合（十亿美元）"),
    "cta.h.1w": ("1 week", "1周"),
    "cta.h.1m": ("1 month", "1个月"),
    "cta.s.flat": ("flat", "持平"),
    "cta.s.up": ("up", "上涨"),
    "cta.s.down": ("down", "下跌"),
    "cta.s.down_big": ("down big", "大跌"),
    "force.cta_down": ("CTA equity selling next week if the tape falls (−1σ)",
                       "若行情下跌（−1σ），CTA 下周股票卖出"),
    "force.cta_flat": ("CTA equity flows next week on a flat tape",
                       "行情持平时 CTA 下周股票资金流"),
    "force.cta_detail": ("{m} over one month in the same tape; whole multi-asset book {b} "
                         "next week",
                         "同一行情下一个月为 {m}；多资产全账户下周为 {b}"),
    "cta.equity": ("Equities (S&P 500 + Nasdaq-100)", "股票（标普500 + 纳指100）"),
    "summary.moves": ("Observed moves, ranked by size in σ", "观测到的变动（按 σ 大小排序）"),
    "summary.flows": ("Mechanical flows, ranked by size in US$ bn",
                      "机械性资金流（按美元规模排序）"),
    # crypto
    "crypto.lead": (
        "Bitcoin at {price} is {dd} from its closing high of {ath} ({ath_date}); 30-day "
        "realised volatility {vol} (annualised).",
        "比特币报 {price}，距 {ath_date} 的收盘高点 {ath} {dd}；30日已实现波动率（年化）{vol}。"),
    "asset.EFFR": ("Effective fed funds rate", "有效联邦基金利率"),
    # CFTC futures codes of the crowding table
    "cot.ES": ("S&P 500 e-mini (ES)", "标普500迷你期货（ES）"),
    "cot.NQ": ("Nasdaq-100 e-mini (NQ)", "纳斯达克100迷你期货（NQ）"),
    "cot.RTY": ("Russell 2000 e-mini (RTY)", "罗素2000迷你期货（RTY）"),
    "cot.ZN": ("10-year Treasury note (ZN)", "10年期美国国债期货（ZN）"),
    "cot.GC": ("Gold (GC)", "黄金期货（GC）"),
    "cot.SI": ("Silver (SI)", "白银期货（SI）"),
    "cot.HG": ("Copper (HG)", "铜期货（HG）"),
    "cot.CL": ("WTI crude (CL)", "WTI 原油期货（CL）"),
    "cot.BTC": ("Bitcoin (CME)", "比特币期货（CME）"),
    "cot.score": ("Crowding score", "拥挤度评分"),
    "asset.market_BTC": ("Bitcoin, all exchanges (OI-weighted)", "比特币，全市场（按持仓加权）"),
    "asset.market_ETH": ("Ether, all exchanges (OI-weighted)", "以太坊，全市场（按持仓加权）"),
    "crypto.window_liq": ("Modelled liquidations from {start} to {end} (market-wide open "
                          "interest, realised path)",
                          "{start}至{end}的模型估算强平（全市场未平仓合约，实际价格路径）"),
    "crypto.liq_total": ("Liquidated, total", "强平合计"),
    "crypto.liq_long": ("of which longs", "其中多头"),
    "crypto.liq_short": ("of which shorts", "其中空头"),
    "crypto.oi_change": ("Δ open interest, {coin} (observed)", "Δ 未平仓合约，{coin}（实测）"),
    "crypto.window_liq_note": (
        "One parameter set for every day (docs/fragility.md): on 10 Oct 2025 it finds 0.76x "
        "the public all-coin figure, and it overstates ordinary days about 4-8x; read it as an "
        "upper bound, beside the observed change in open interest.",
        "所有日期使用同一组参数（见 docs/fragility.md）：对2025年10月10日的估算为公开全币种数字的"
        "0.76倍，普通交易日约高估4–8倍；应视为上限，并与实测未平仓合约变化对照。"),
    "crypto.chart_window_liq": ("Modelled liquidations per 4-hour step over the window",
                                "窗口内每4小时的模型估算强平"),
    "axis.usd": ("USD", "美元"),
    "crypto.market_oi": ("Market-wide open interest (all exchanges)",
                         "全市场未平仓合约（所有交易所）"),
    "crypto.coverage": ("Venue coverage", "交易所覆盖率"),
    "crypto.oi_asof": ("Known as of", "数据截至"),
    "crypto.oi_status": ("Status", "状态"),
    "crypto.current": ("current", "当前"),
    "crypto.stale": ("stale ({days} days old): not used in the summary",
                     "已过时（{days} 天前）：不用于摘要"),
    "crypto.market_oi_note": (
        "The all-exchange aggregate where it exists, else a venue's series scaled by its share "
        "of the aggregate on their overlap (coverage). The liquidation map and cascade run on "
        "this open interest; a stale value is shown with its date and never ranked as a force.",
        "有全市场汇总数据时使用汇总值，否则以单一交易所序列按其在重叠期占汇总的比例（覆盖率）放大。"
        "强平分布与连锁反应基于该未平仓合约；过时的数值仅标注日期展示，不计入力量排名。"),
    "crypto.oi_market_series": ("market open interest (US$ bn)", "全市场未平仓合约（十亿美元）"),
    "crypto.levels_chart": ("Bitcoin and market-wide open interest around the window",
                            "窗口前后的比特币与全市场未平仓合约"),
    "crypto.before_btc": ("Left out: Bitcoin's price history starts {date}, after this "
                          "report's date, so there is no crypto leverage or contagion to "
                          "measure.",
                          "本节从略：比特币价格历史始于 {date}，晚于本报告日期，"
                          "因此没有可计量的加密杠杆或传染。"),
    "crypto.no_btc": ("Left out: the store has no Bitcoin prices.",
                      "本节从略：数据库中没有比特币价格。"),
    "crypto.eth": ("Ether stands {eth_dd} from its high.", "以太坊距其高点 {eth_dd}。"),
    "crypto.funding": ("Perpetual funding", "永续合约资金费率"),
    "crypto.rate_8h": ("Rate per 8h", "每8小时费率"),
    "crypto.annualised": ("Annualised", "年化"),
    "crypto.mean_30d": ("30-day mean per 8h", "30日均值（每8小时）"),
    "crypto.stale_note": ("Funding and open-interest files end in late October 2025: later "
                          "dates show the last available value.",
                          "资金费率与持仓量文件截止于2025年10月下旬：之后的日期显示最后可得值。"),
    "crypto.oi": ("Perpetual open interest", "永续合约持仓量"),
    "crypto.oi_usd": ("Open interest", "持仓量"),
    "crypto.chg7": ("7-day change", "7日变动"),
    "crypto.chg30": ("30-day change", "30日变动"),
    "crypto.cascade": ("Liquidation cascade after a shock", "冲击后的清算连锁反应"),
    "crypto.shock": ("Initial shock", "初始冲击"),
    "crypto.final_price": ("Price after the cascade", "连锁反应后价格"),
    "crypto.total_move": ("Total move", "总变动"),
    "crypto.liquidated": ("Liquidated (modelled)", "清算金额（模型）"),
    "crypto.liq_share": ("Share of open interest liquidated", "被清算持仓占比"),
    "crypto.amplification": ("Amplification (total / initial move)", "放大倍数（总变动/初始变动）"),
    "crypto.ref_oi": ("Reference open interest", "参考持仓量"),
    "crypto.cascade_detail": ("total price move {move} after the cascade",
                              "连锁反应后总价格变动 {move}"),
    "crypto.chart_dd": ("Bitcoin drawdown from its all-time high", "比特币距历史高点回撤"),
    "crypto.chart_map": ("Reconstructed liquidation map (relative intensity)",
                         "重建的清算分布图（相对强度）"),
    "force.crypto_cascade": ("Crypto liquidations on a {shock} Bitcoin move",
                             "比特币变动 {shock} 时的加密清算"),
    "contagion.lead": (
        "Contagion from {source}: the total spillover index is {total} (0–100, share of "
        "forecast-error variance coming from other assets).",
        "来自{source}的传染：总溢出指数为 {total}（0–100，预测误差方差中来自其他资产的份额）。"),
    "contagion.tx": ("Net transmitters: {tx}; net receivers: {rx}.",
                     "净传出方：{tx}；净接收方：{rx}。"),
    "contagion.dcovar": ("ΔCoVaR of the basket ({basket}) at the {q} quantile: {dcovar}.",
                         "篮子（{basket}）在 {q} 分位的 ΔCoVaR：{dcovar}。"),
    "contagion.betas": ("Rolling 60-day beta and correlation to {source}",
                        "相对{source}的60日滚动贝塔与相关性"),
    "contagion.beta": ("Beta", "贝塔"),
    "contagion.corr": ("Correlation", "相关性"),
    "contagion.spill": ("Diebold–Yilmaz spillovers", "Diebold–Yilmaz 溢出"),
    "contagion.to": ("To others", "传出"),
    "contagion.from": ("From others", "传入"),
    "contagion.net": ("Net", "净值"),
    "contagion.spill_note": ("Generalised forecast-error variance decomposition, VAR(4), "
                             "10-day horizon, 200-day window.",
                             "广义预测误差方差分解，VAR(4)，10日期限，200日窗口。"),
    "contagion.chart_betas": ("Rolling beta to Bitcoin", "相对比特币的滚动贝塔"),
    "contagion.chart_network": ("Net pairwise spillovers", "两两净溢出"),
    # systemic
    "systemic.lead": (
        "The fragility composite stands at {composite} out of 100 (50 = historical median). "
        "Volatility regime: {regime} — VIX {vix} ({vixp} percentile).",
        "脆弱度综合指标为 {composite}/100（50 = 历史中位数）。波动率状态：{regime}——VIX {vix}"
        "（{vixp} 分位）。"),
    "systemic.term": ("VIX/VIX3M {term}.", "VIX/VIX3M {term}。"),
    "systemic.regime.calm": ("calm", "平静"),
    "systemic.regime.normal": ("normal", "正常"),
    "systemic.regime.elevated": ("elevated", "偏高"),
    "systemic.regime.stressed": ("stressed", "紧张"),
    "systemic.regime.crisis": ("crisis", "危机"),
    "systemic.components": ("Composite components", "综合指标构成"),
    "systemic.components_note": ("Each score is the percentile (0–100) of its measure against "
                                 "its own history; the composite is their weighted mean.",
                                 "每项得分为该指标相对自身历史的百分位（0–100）；综合指标为加权"
                                 "平均。"),
    "systemic.score": ("Score (0–100)", "得分（0–100）"),
    "systemic.weight": ("Weight", "权重"),
    "systemic.measures": ("Underlying measures", "基础指标"),
    "systemic.c.absorption_ratio": ("Absorption ratio", "吸收比率"),
    "systemic.c.absorption_shift": ("Absorption ratio shift (ΔAR, z)", "吸收比率变动（ΔAR，z）"),
    "systemic.c.turbulence": ("Turbulence (Mahalanobis)", "动荡指数（马氏距离）"),
    "systemic.turb_pct": ("Turbulence percentile", "动荡指数百分位"),
    "systemic.c.correlation_surprise": ("Correlation surprise", "相关性意外"),
    "systemic.c.avg_correlation": ("Average pairwise correlation (60d)", "平均两两相关性（60日）"),
    "systemic.c.vix": ("VIX level", "VIX 水平"),
    "systemic.c.term_structure": ("VIX term structure", "VIX 期限结构"),
    "systemic.c.crowding": ("Positioning crowding (CFTC)", "持仓拥挤度（CFTC）"),
    "systemic.crowding": ("Positioning crowding (CFTC COT, non-commercial net)",
                          "持仓拥挤度（CFTC COT 非商业净头寸）"),
    "systemic.crowding_note": ("Net speculative position as a share of open interest and its "
                               "percentile over the available history; reports as released "
                               "(Tuesday data, Friday release).",
                               "投机净头寸占持仓量的比例及其在可用历史中的百分位；按发布日计"
                               "（周二数据，周五发布）。"),
    "systemic.market": ("Market", "市场"),
    "systemic.net_oi": ("Net share of OI", "净头寸占比"),
    "systemic.crowd_pct": ("Percentile", "百分位"),
    "systemic.chart_components": ("Fragility composite components", "脆弱度综合指标构成"),
    "systemic.chart_history": ("Fragility composite history", "脆弱度综合指标历史"),
    # macro
    "macro.lead": (
        "The bill and 2-year curve price {cuts3m} net 25 bp cuts over three months and "
        "{cuts2y} over two years (negative = hikes); 2s10s at {curve}.",
        "短期国库券与2年期收益率隐含未来三个月净降息 {cuts3m} 次（每次25个基点），两年内 "
        "{cuts2y} 次（负值 = 加息）；2年-10年利差 {curve}。"),
    "macro.target": ("Fed funds target {lo}–{hi} (effective {effr}).",
                     "联邦基金目标区间 {lo}–{hi}（有效利率 {effr}）。"),
    "macro.effr": ("Effective fed funds rate {effr}.", "有效联邦基金利率 {effr}。"),
    "macro.vacuum": ("Data vacuum: {n} scheduled releases are late — {late}.",
                     "数据真空：{n} 项预定发布延迟——{late}。"),
    "macro.rates": ("Rates, labour and inflation", "利率、就业与通胀"),
    "macro.curve": ("2s10s curve", "2年-10年利差"),
    "macro.cuts_3m": ("25 bp cuts priced, 3 months", "隐含降息次数（3个月）"),
    "macro.cuts_2y": ("25 bp cuts priced, 2 years", "隐含降息次数（2年）"),
    "macro.unrate": ("Unemployment rate", "失业率"),
    "macro.sahm": ("Sahm-rule gap (pp)", "萨姆规则差值（百分点）"),
    "macro.claims": ("Initial claims, 4-week average", "初请失业金人数4周均值"),
    "macro.cpi": ("CPI inflation, year on year", "CPI 同比通胀"),
    "macro.core_pce": ("Core PCE inflation, year on year", "核心 PCE 同比通胀"),
    "macro.releases": ("Scheduled releases and gaps", "预定发布与缺口"),
    "macro.release": ("Release", "发布"),
    "macro.last_obs": ("Last observation", "最新观测"),
    "macro.expected": ("Expected by now", "应已发布"),
    "macro.status": ("Status", "状态"),
    "macro.overdue": ("Days overdue", "逾期天数"),
    "macro.st.ok": ("on time", "按时"),
    "macro.st.late": ("late", "延迟"),
    "macro.st.missing": ("missing", "缺失"),
    "macro.st.gap": ("gap", "缺口"),
    "macro.chart_curve": ("Policy-rate path implied by bills and the 2-year yield",
                          "短期国库券与2年期收益率隐含的政策利率路径"),
    "macro.1m": ("1m", "1个月"),
    "macro.chart_infl": ("Inflation path against the 1970s analog", "通胀路径与1970年代类比"),
    # analogs
    "analogs.first": ("The nearest past episode to today's market state is {first}.",
                      "与当前市场状态最接近的历史事件是 {first}。"),
    "analogs.lead": (
        "Across kernel-weighted analog days (effective sample {ess}), the S&P 500 fell over "
        "the following month {p_neg} of the time and by more than 5% {p5} of the time; median "
        "one-month return {median}.",
        "在核加权的类比交易日中（有效样本 {ess}），标普500在随后一个月下跌的概率为 {p_neg}，"
        "跌幅超过5%的概率为 {p5}；一个月收益中位数 {median}。"),
    "analogs.forward": ("What followed similar states (S&P 500 forward returns)",
                        "相似状态之后的表现（标普500远期收益）"),
    "analogs.forward_note": ("Kernel-weighted over all past days; quantiles of the forward "
                             "return; ESS = effective sample size.",
                             "对全部历史交易日进行核加权；远期收益分位数；ESS = 有效样本量。"),
    "analogs.mean": ("Mean", "均值"),
    "analogs.median": ("Median", "中位数"),
    "analogs.p_neg": ("P(down)", "下跌概率"),
    "analogs.p5": ("P(< −5%)", "跌超5%概率"),
    "analogs.ess": ("ESS", "有效样本"),
    "analogs.h.1w": ("1 week", "1周"),
    "analogs.h.1m": ("1 month", "1个月"),
    "analogs.h.3m": ("3 months", "3个月"),
    "analogs.episodes": ("Nearest past episodes", "最接近的历史事件"),
    "analogs.best_date": ("Closest day", "最相似日"),
    "analogs.similarity": ("Similarity", "相似度"),
    "analogs.fwd1m": ("Next 1 month", "随后1个月"),
    "analogs.fwd3m": ("Next 3 months", "随后3个月"),
    "analogs.side_by_side": ("Today side by side with 2008, Q4 2018 and March 2020",
                             "当前与2008年、2018年第四季度及2020年3月的对比"),
    "analogs.col.now": ("Now", "当前"),
    "analogs.col.2008": ("2008", "2008年"),
    "analogs.col.2018-Q4": ("Q4 2018", "2018年第四季度"),
    "analogs.col.2020": ("2020", "2020年"),
    "analogs.state": ("Today's state vector", "当前状态向量"),
    "analogs.z": ("z-score", "z 分数"),
    "analogs.m.driver": ("Driver", "驱动因素"),
    "analogs.m.peak_date": ("Peak", "峰值日"),
    "analogs.m.trough_date": ("Trough (so far)", "谷底日（迄今）"),
    "analogs.m.drawdown": ("Peak-to-trough drawdown", "峰谷回撤"),
    "analogs.m.current_drawdown": ("Current drawdown", "当前回撤"),
    "analogs.m.sessions_peak_to_trough": ("Sessions peak to trough", "峰谷间交易日"),
    "analogs.m.speed_per_session": ("Decline per session", "每交易日跌幅"),
    "analogs.m.sessions_to_minus_5pct": ("Sessions to −5%", "跌至−5%所需交易日"),
    "analogs.m.worst_day": ("Worst day", "最差单日"),
    "analogs.m.vix_peak": ("VIX peak", "VIX 峰值"),
    "analogs.m.breadth_frac_down": ("Share of stocks down", "下跌股票占比"),
    "analogs.m.breadth_n": ("Stocks with data", "有数据的股票数"),
    "analogs.m.ndx_return": ("Nasdaq-100 return", "纳斯达克100收益"),
    "analogs.m.gold_return": ("Gold return", "黄金收益"),
    "analogs.m.dxy_return": ("Dollar index return", "美元指数收益"),
    "analogs.m.btc_return": ("Bitcoin return", "比特币收益"),
    "analogs.m.ust10y_change": ("10-year yield change", "10年期收益率变动"),
    "analogs.m.ust2y_change": ("2-year yield change", "2年期收益率变动"),
    "analogs.m.hy_oas_change": ("High-yield spread change", "高收益债利差变动"),
    "analogs.m.policy_rate_change": ("Policy-rate change", "政策利率变动"),
    "analogs.m.state_distance": ("Distance to today's state", "与当前状态的距离"),
    "analogs.m.state_similarity": ("Similarity to today's state", "与当前状态的相似度"),
    "analogs.f.dd_depth": ("S&P 500 drawdown from 1-year high", "标普500距一年高点回撤"),
    "analogs.f.days_since_peak": ("log(1 + sessions since the peak)",
                                  "ln(1 + 距峰值交易日数)"),
    "analogs.f.ret_5d": ("5-day return", "5日收益"),
    "analogs.f.ret_20d": ("20-day return", "20日收益"),
    "analogs.f.rv_10d": ("10-day realised vol", "10日已实现波动率"),
    "analogs.f.vix": ("VIX", "VIX"),
    "analogs.f.vix_term": ("VIX / VIX3M", "VIX / VIX3M"),
    "analogs.f.stock_bond_corr": ("Stock-bond correlation", "股债相关性"),
    "analogs.f.hy_oas_chg20": ("High-yield spread, 20-day change", "高收益债利差20日变动"),
    "analogs.f.ust10y_chg20": ("10-year yield, 20-day change", "10年期收益率20日变动"),
    "analogs.f.curve_2s10s": ("2s10s curve", "2年-10年利差"),
    "analogs.f.btc_dd": ("Bitcoin drawdown", "比特币回撤"),
    "analogs.chart_forward": ("What followed the nearest analogs", "最近类比之后的走势"),
    "analogs.chart_distance": ("Most similar past episodes", "最相似的历史事件"),
    # scenarios
    "scenarios.lead": ("Scenario set “{name}” ({source}), horizon to {end} ({days} trading days).",
                       "情景集“{name}”（{source}），期限至 {end}（{days} 个交易日）。"),
    "scenarios.table": ("Scenarios and probabilities", "情景与概率"),
    "scenarios.narrative": ("Narrative", "叙述"),
    "scenarios.cta_flow": ("CTA flow to horizon", "至期末 CTA 资金流"),
    "scenarios.expected": ("Probability-weighted expected moves", "概率加权的预期变动"),
    "scenarios.expected_move": ("Expected", "预期"),
    "scenarios.tail_low": ("Tail low", "尾部下限"),
    "scenarios.tail_high": ("Tail high", "尾部上限"),
    "scenarios.expected_note": ("Mixture of the scenarios' conditional distributions; tails at "
                                "the 95% level.", "各情景条件分布的混合；尾部为95%置信水平。"),
    "scenarios.chart_moves": ("Scenario moves by asset", "各资产的情景变动"),
    "scenarios.chart_expected": ("Expected moves with their tail band, by unit family",
                                 "按单位类别的预期变动及尾部区间"),
    "scenarios.future_unknown": ("The horizon ends {end}, after the newest data: the ex-post "
                                 "scorecard is not available yet.",
                                 "期限截至 {end}，晚于最新数据：事后评分尚不可用。"),
    "scenarios.scorecard_lead": ("Written after the fact, with data to {until}: the realised "
                                 "path matched scenario {realised}.",
                                 "事后撰写，使用截至 {until} 的数据："
                                 "实际路径对应情景 {realised}。"),
    "scenarios.not_retrospective": ("The scenarios run to {end}; this report uses only what "
                                    "was known on its date, so they are not graded here "
                                    "(crashlens report --retrospective adds the ex-post "
                                    "scorecard).",
                                    "情景期限至 {end}；本报告仅使用截至报告日已知的信息，"
                                    "因此不在此评分（crashlens report --retrospective "
                                    "可添加事后评分）。"),
    "scenarios.scorecard": ("Ex-post scorecard", "事后评分"),
    "scenarios.realised": ("Realised scenario (conditions)", "实现的情景（按条件）"),
    "scenarios.resembled": ("Closest scenario (moves)", "最接近的情景（按变动）"),
    "scenarios.brier": ("Brier score (0 best, 2 worst)", "Brier 分数（0最好，2最差）"),
    "scenarios.brier_uniform": ("Brier score of equal probabilities", "等概率的 Brier 分数"),
    "scenarios.conditions": ("Scenario conditions checked against later data",
                             "以后续数据核查的情景条件"),
    "scenarios.st.true": ("met", "满足"),
    "scenarios.st.false": ("not met", "未满足"),
    "scenarios.st.unknown": ("not checkable", "无法核查"),
    "scenarios.st.not_checkable": ("not checkable", "无法核查"),
    # audit
    "audit.lead": ("Claims file “{name}” ({source}): {confirmed} confirmed, {refuted} refuted, "
                   "{nc} not checkable.",
                   "观点文件“{name}”（{source}）：证实 {confirmed} 条，证伪 {refuted} 条，"
                   "无法核查 {nc} 条。"),
    "audit.note": ("Claims are quoted as written in the note; the measured value comes from the "
                   "store with the method named in the JSON evidence.",
                   "观点按原文引用（观点文件提供中文译文时显示译文，原文见 JSON）；实测值来自"
                   "数据存储，所用方法见 JSON 证据。"),
    "audit.chart": ("Verdicts", "核查结论"),
    "audit.by_section": ("Verdicts by section of the note", "按报告章节汇总的结论"),
    "audit.section_table": ("{section}: {confirmed} confirmed, {refuted} refuted, {nc} not "
                            "checkable",
                            "{section}：证实 {confirmed} 条，证伪 {refuted} 条，无法核查 {nc} 条"),
    "audit.no_section": ("Other claims", "其他观点"),
    "col.confirmed": ("Confirmed", "证实"),
    "col.refuted": ("Refuted", "证伪"),
    "col.not_checkable": ("Not checkable", "无法核查"),
    # catalysts
    "catalysts.lead": ("Event study of {n} dated catalysts: abnormal returns against a market "
                       "model estimated before each event.",
                       "对 {n} 个带日期的催化事件进行事件研究：相对于事件前估计的市场模型的异常"
                       "收益。"),
    "catalysts.table": ("Abnormal returns around catalysts", "催化事件前后的异常收益"),
    "catalysts.ar0": ("Day-0 AR", "当日异常收益"),
    "catalysts.car": ("CAR", "累计异常收益"),
    "catalysts.t": ("t-stat", "t 值"),
    "catalysts.note": ("AR = return minus the market model's prediction; CAR over the event "
                       "window; |t| > 2 is unusual.",
                       "异常收益 = 收益减去市场模型预测；累计异常收益按事件窗口计；"
                       "|t| > 2 为异常。"),
    "catalysts.baskets": ("Thematic baskets around each catalyst", "各催化事件前后的主题篮子"),
    "catalysts.basket": ("Basket", "篮子"),
    "catalysts.event": ("Catalyst", "催化事件"),
    "catalysts.long": ("Long leg", "多头"),
    "catalysts.short": ("Short leg", "空头"),
    "catalysts.relative": ("Relative", "相对"),
    "catalysts.chart_car": ("Cumulative abnormal returns", "累计异常收益"),
    "catalysts.chart_baskets": ("Thematic rotation", "主题轮动"),
    # provenance
    "prov.lead": (
        "Every series the report read, the raw files it came from (primary file, files that "
        "extend it, cross-checks) and the coverage in the store.",
        "报告读取的每一个序列、其原始文件（主文件、延伸文件、交叉核对文件）以及存储中的覆盖范围。"),
    "prov.lead_source": (
        "Every series the report read from {source}, with its coverage up to the as-of date.",
        "报告从 {source} 读取的每一个序列及其截至分析日的覆盖范围。"),
    "prov.series_table": ("Series used", "使用的序列"),
    "prov.source": ("Series read from {source}, not the crashlens store; fingerprint {fp}.",
                    "序列读取自 {source}，而非 crashlens 数据存储；指纹 {fp}。"),
    "report.source_engine_on": ("Source: {engine}, computed from {source} (series under Data "
                                "provenance)",
                                "来源：{engine}，基于 {source} 计算（序列见“数据来源”）"),
    "prov.files_table": ("Source files and splice checks", "源文件与拼接核对"),
    "prov.assumptions_table": ("Assumptions by section", "各章节假设"),
    "prov.warnings_table": ("Data-quality and model warnings", "数据质量与模型警告"),
    "prov.store": ("Store built {created} from {source}; fingerprint {fp}.",
                   "存储于 {created} 由 {source} 构建；指纹 {fp}。"),
    "prov.max_diff": ("Max relative difference on overlap", "重叠区间最大相对差异"),
    "prov.no_assumptions": ("No modelled assumptions: the sections computed only observed "
                            "moves.", "无模型假设：各章节仅计算了观测到的变动。"),
    "role.primary": ("primary", "主数据"),
    "role.extends": ("extends", "延伸"),
    "role.cross-check": ("cross-check", "交叉核对"),
    # gamma
    "gamma.chain_date": ("Option chain dated {date} (newest at or before the as-of date).",
                         "期权链日期 {date}（截至日或之前最新的一份）。"),
    "gamma.no_chain": ("No option chain is quoted at or before {date}: dealer gamma cannot be "
                       "measured for this date (details under Warnings).",
                       "{date} 或之前没有任何期权链报价：无法测算该日的做市商 Gamma（详见警告）。"),
    "gamma.source": ("Chain file {source}: {underlying} options, spot {spot} at the quote.",
                     "期权链文件 {source}：{underlying} 期权，报价时现价 {spot}。"),
    "gamma.regime": ("Net dealer gamma: {total} per 1% move — {regime}; zero-gamma level "
                     "{zero}.",
                     "做市商净 Gamma：每1%变动 {total}——{regime}；零 Gamma 水平 {zero}。"),
    "force.gamma": ("Dealer hedging per 1% move (GEX)", "做市商每1%变动的对冲量（GEX）"),
    "gamma.chain_age": ("Option chain of {date}, {days} days before the newest data.",
                        "{date} 的期权链，早于最新数据 {days} 天。"),
    "force.gamma_detail": ("{regime}; chain of {date}", "{regime}；{date} 的期权链"),
    "gamma.spot": ("Spot at the quote", "报价时现价"),
    "gamma.total": ("Net dealer GEX per 1% move", "做市商每1%变动净 GEX"),
    "gamma.zero": ("Zero-gamma level (vs spot)", "零 Gamma 水平（相对现价）"),
    "gamma.call_wall": ("Call wall", "看涨期权墙"),
    "gamma.put_wall": ("Put wall", "看跌期权墙"),
    "gamma.abs_strike": ("Largest absolute gamma strike", "绝对 Gamma 最大行权价"),
    "gamma.hedge": ("Dealer hedge flow per 1% move", "做市商每1%变动对冲资金流"),
    "gamma.zero_dte": ("0DTE share of volume", "0DTE 成交占比"),
    "gamma.by_expiry": ("GEX by expiry", "按到期日的 GEX"),
    "gamma.expiry": ("Expiry", "到期日"),
    "gamma.chart_profile": ("Dealer gamma profile across spot (chain of {date})",
                            "不同现价下的做市商 Gamma 曲线（{date} 的期权链）"),
    "gamma.chart_strike": ("Dealer GEX by strike (chain of {date})",
                           "按行权价的做市商 GEX（{date} 的期权链）"),
    "gamma.chart_expiry": ("Dealer GEX by expiry (chain of {date})",
                           "按到期日的做市商 GEX（{date} 的期权链）"),
    "gamma.stale": ("The chain is {days} days older than the as-of date; positioning may "
                    "have changed since.",
                    "该期权链比截至日早 {days} 天；此后持仓可能已发生变化。"),
    "gamma.levels_table": ("Dealer levels at each option-chain date",
                           "各期权链日期的做市商关键价位"),
    "gamma.chain_quoted": ("Chain date", "期权链日期"),
    "gamma.expiries": ("Expiries", "到期日数"),
    "gamma.levels_note": (
        "Every chain quoted on or before the as-of date, each measured as of its own quote "
        "time (SPY; GEX in US$ per 1% move). Partial chains (few expiries) understate "
        "longer-dated gamma.",
        "截至报告日已报价的所有期权链，各按其报价时间计量（SPY；GEX 为每1%变动的美元金额）。"
        "到期日较少的不完整期权链会低估较长期限的 Gamma。"),
    "gamma.levels_chart": ("Spot, zero gamma and walls across chain dates",
                           "各期权链日期的现价、零 Gamma 与看涨/看跌墙"),
    "axis.spy_price": ("SPY price (USD)", "SPY 价格（美元）"),
    "gamma.expired": ("Last chain, expired: every contract in it settled before the as-of date, "
                      "so it shows positioning on {date}, not now.",
                      "最近的期权链已到期：其全部合约均在截至日前结算，"
                      "仅反映 {date} 的持仓，而非当前。"),
    # verdicts
    "verdict.confirmed": ("confirmed", "证实"),
    "verdict.refuted": ("refuted", "证伪"),
    "verdict.not_checkable": ("not checkable", "无法核查"),
    "regime.long_gamma": ("dealers long gamma (dampening)", "做市商正 Gamma（抑制波动）"),
    "regime.short_gamma": ("dealers short gamma (amplifying)", "做市商负 Gamma（放大波动）"),
    # generic result rendering
    "result.key_figures": ("Key figures", "关键数据"),
    "result.assumptions": ("Assumptions", "假设"),
    "result.warnings": ("Warnings", "警告"),
    "asset.SPX": ("S&P 500", "标普500"),
    "asset.oi_weighted": ("OI-weighted", "持仓加权"),
    "asset.NDX": ("Nasdaq-100", "纳斯达克100"),
    "asset.IXIC": ("Nasdaq Composite", "纳斯达克综合指数"),
    "asset.RUT": ("Russell 2000", "罗素2000"),
    "asset.VIX": ("VIX", "VIX 波动率指数"),
    "asset.BTC": ("Bitcoin", "比特币"),
    "asset.ETH": ("Ether", "以太坊"),
    # the rest of the catalog, named in words (the Chinese report never prints a bare code)
    "asset.SPY": ("SPDR S&P 500 ETF (SPY)", "标普500 ETF（SPY）"),
    "asset.QQQ": ("Invesco QQQ ETF", "纳斯达克100 ETF（QQQ）"),
    "asset.VIX1D": ("1-day VIX", "1日 VIX"),
    "asset.VIX9D": ("9-day VIX", "9日 VIX"),
    "asset.VIX3M": ("3-month VIX", "3个月 VIX"),
    "asset.VIX6M": ("6-month VIX", "6个月 VIX"),
    "asset.VVIX": ("VIX of VIX (VVIX)", "VIX 的波动率（VVIX）"),
    "asset.SKEW": ("CBOE SKEW index", "CBOE 偏度指数（SKEW）"),
    "asset.VXN": ("Nasdaq-100 volatility (VXN)", "纳斯达克100波动率（VXN）"),
    "asset.GVZ": ("Gold volatility (GVZ)", "黄金波动率（GVZ）"),
    "asset.MOVE": ("Treasury volatility (MOVE)", "美债波动率（MOVE）"),
    "asset.COPPER": ("Copper", "铜"),
    "asset.EURUSD": ("Euro-dollar", "欧元兑美元"),
    "asset.GBPUSD": ("Sterling-dollar", "英镑兑美元"),
    "asset.HYG": ("High-yield bond ETF (HYG)", "高收益债 ETF（HYG）"),
    "asset.LQD": ("Investment-grade bond ETF (LQD)", "投资级债 ETF（LQD）"),
    "asset.UST1M": ("1-month Treasury yield", "1个月期美债收益率"),
    "asset.UST3M": ("3-month Treasury yield", "3个月期美债收益率"),
    "asset.UST5Y": ("5-year Treasury yield", "5年期美债收益率"),
    "asset.UST30Y": ("30-year Treasury yield", "30年期美债收益率"),
    "asset.FED_TARGET_UPPER": ("Fed funds target, upper bound", "联邦基金目标区间上限"),
    "asset.FED_TARGET_LOWER": ("Fed funds target, lower bound", "联邦基金目标区间下限"),
    "asset.SOFR": ("SOFR", "担保隔夜融资利率（SOFR）"),
    "asset.IORB": ("Interest on reserve balances", "准备金余额利率"),
    "asset.FEDFUNDS": ("Fed funds rate, monthly", "联邦基金利率（月均）"),
    "asset.UNRATE": ("Unemployment rate", "失业率"),
    "asset.PAYEMS": ("Nonfarm payrolls", "非农就业人数"),
    "asset.ICSA": ("Initial jobless claims", "首次申请失业救济人数"),
    "asset.CPI": ("Consumer price index", "消费者价格指数"),
    "asset.CORE_CPI": ("Core consumer price index", "核心消费者价格指数"),
    "asset.PCE": ("PCE price index", "个人消费支出价格指数"),
    "asset.CORE_PCE": ("Core PCE price index", "核心个人消费支出价格指数"),
    "asset.T5YIE": ("5-year breakeven inflation", "5年期盈亏平衡通胀率"),
    "asset.T10YIE": ("10-year breakeven inflation", "10年期盈亏平衡通胀率"),
    "asset.CPI_NSA": ("Consumer price index, not seasonally adjusted",
                      "消费者价格指数（未季调）"),
    "asset.NFCI": ("Chicago Fed financial conditions", "芝加哥联储金融状况指数"),
    "asset.WALCL": ("Fed total assets", "美联储总资产"),
    "asset.ESTX50": ("Euro Stoxx 50", "欧洲斯托克50"),
    "asset.DAX": ("DAX", "德国 DAX"),
    "asset.FTSE": ("FTSE 100", "英国富时100"),
    "asset.CAC": ("CAC 40", "法国 CAC40"),
    "asset.NIKKEI": ("Nikkei 225", "日经225"),
    "asset.HSI": ("Hang Seng", "恒生指数"),
    "asset.ZN": ("10-year T-note future", "10年期美国国债期货"),
    "asset.BUND10Y": ("German 10-year Bund yield", "德国10年期国债收益率"),
    "asset.JGB10Y": ("Japan 10-year JGB yield", "日本10年期国债收益率"),
    "asset.GOLD": ("Gold", "黄金"),
    "asset.SILVER": ("Silver", "白银"),
    "asset.WTI": ("WTI crude", "WTI 原油"),
    "asset.DXY": ("US dollar index", "美元指数"),
    "asset.USDJPY": ("USD/JPY", "美元/日元"),
    "asset.UST2Y": ("2-year Treasury yield", "2年期美债收益率"),
    "asset.UST10Y": ("10-year Treasury yield", "10年期美债收益率"),
    "asset.HY_OAS": ("High-yield spread (OAS)", "高收益债利差（OAS）"),
    "asset.IG_OAS": ("Investment-grade spread (OAS)", "投资级债利差（OAS）"),
    "asset.NVDA": ("Nvidia", "英伟达"),
    "asset.GOOG": ("Alphabet", "谷歌母公司 Alphabet"),
    "asset.MSFT": ("Microsoft", "微软"),
    "asset.AMZN": ("Amazon", "亚马逊"),
    "asset.META": ("Meta", "Meta"),
    "asset.TSLA": ("Tesla", "特斯拉"),
    "asset.COIN": ("Coinbase", "Coinbase"),
    "asset.MSTR": ("Strategy (MSTR)", "Strategy（MSTR）"),
    "asset.PLTR": ("Palantir", "Palantir"),
    "asset.SMH": ("Semiconductor ETF (SMH)", "半导体 ETF（SMH）"),
    "asset.TLT": ("20y+ Treasury ETF (TLT)", "20年以上美债 ETF（TLT）"),
    # dashboard
    "dash.title": ("crashlens dashboard", "crashlens 看板"),
    "dash.report": ("Report", "报告"),
    "dash.monitor": ("Monitor", "监测"),
    "dash.apply": ("Update", "更新"),
    "dash.monitor_lead": ("Latest data in the store ({date}).", "存储中的最新数据（{date}）。"),
    "dash.fragility": ("Fragility composite", "脆弱度综合指标"),
    "dash.cta_distance": ("CTA trigger distance", "CTA 触发距离"),
    "dash.gamma_regime": ("Gamma regime", "Gamma 状态"),
    # named episodes of crashlens.episodes.library (names and drivers are code, not data)
    "episode.1987": ("1987 crash", "1987年股灾"),
    "episode.2000-02": ("2000-02 dot-com bust", "2000–02年互联网泡沫破裂"),
    "episode.2008": ("2008 global financial crisis", "2008年全球金融危机"),
    "episode.2011": ("2011 US downgrade / euro crisis", "2011年美国降级 / 欧债危机"),
    "episode.2015-16": ("2015-16 China devaluation / oil", "2015–16年人民币贬值 / 油价暴跌"),
    "episode.2018-02": ("Feb 2018 Volmageddon", "2018年2月波动率崩盘"),
    "episode.2018-Q4": ("Q4 2018", "2018年四季度"),
    "episode.2020": ("2020 COVID crash", "2020年新冠疫情股灾"),
    "episode.2022": ("2022 inflation bear market", "2022年通胀熊市"),
    "episode.2024-08": ("Aug 2024 yen-carry unwind", "2024年8月日元套息交易平仓"),
    "episode.2025-04": ("Apr 2025 tariff shock", "2025年4月关税冲击"),
    "episode.2025-11": ("Nov 2025 AI / crypto deleveraging", "2025年11月 AI / 加密货币去杠杆"),
    "episode.2026-02": ("Jan-Feb 2026 silver crash / BTC below 70k",
                        "2026年1–2月白银暴跌 / 比特币跌破7万"),
    "episode.detected": ("{asset} drawdown from {date}", "{asset}自{date}起的回撤"),
    "episode.driver.now": ("present sell-off (peak = trailing 252-session high; trough so far)",
                           "本轮抛售（峰值 = 过去252个交易日最高点；谷值截至目前）"),
    "episode.driver.2008": ("housing and bank credit crisis, Lehman failure",
                            "房地产与银行信贷危机，雷曼倒闭"),
    "episode.driver.2018-Q4": ("Fed tightening on 'autopilot', trade war, QT",
                               "美联储“自动驾驶”式紧缩、贸易战、缩表"),
    "episode.driver.2020": ("pandemic shutdown, dash for cash", "疫情封锁，现金争夺潮"),
    # scheduled macro releases (crashlens.macro's release calendar, by series)
    "release.UNRATE": ("Employment Situation: unemployment rate (BLS)",
                       "就业形势报告：失业率（BLS）"),
    "release.PAYEMS": ("Employment Situation: nonfarm payrolls (BLS)",
                       "就业形势报告：非农就业人数（BLS）"),
    "release.CPI": ("Consumer Price Index (BLS)", "消费者价格指数 CPI（BLS）"),
    "release.CORE_CPI": ("Consumer Price Index, core (BLS)", "核心消费者价格指数（BLS）"),
    "release.PCE": ("Personal income and outlays: PCE price index (BEA)",
                    "个人收入与支出：PCE 价格指数（BEA）"),
    "release.CORE_PCE": ("Personal income and outlays: core PCE (BEA)",
                         "个人收入与支出：核心 PCE（BEA）"),
    "release.ICSA": ("Initial jobless claims (DOL)", "首次申请失业救济人数（DOL）"),
    # catalog units and frequencies (data provenance table)
    "freq.daily": ("daily", "日度"), "freq.weekly": ("weekly", "周度"),
    "freq.monthly": ("monthly", "月度"),
    "unit.USD": ("USD", "美元"), "unit.USD millions": ("USD millions", "百万美元"),
    "unit.USD/bbl": ("USD/bbl", "美元/桶"), "unit.USD/lb": ("USD/lb", "美元/磅"),
    "unit.USD/oz": ("USD/oz", "美元/盎司"), "unit.USD per EUR": ("USD per EUR", "美元/欧元"),
    "unit.JPY per USD": ("JPY per USD", "日元/美元"),
    "unit.bp (normalised vol)": ("bp (normalised vol)", "基点（标准化波动率）"),
    "unit.contracts": ("contracts", "合约数"),
    "unit.fraction per 8h": ("fraction per 8h", "每8小时费率（小数）"),
    "unit.index": ("index", "指数"), "unit.index (0 = average)": ("index (0 = average)",
                                                              "指数（0 = 平均）"),
    "unit.index points": ("index points", "指数点"), "unit.percent": ("percent", "百分比（%）"),
    "unit.persons": ("persons", "人"), "unit.thousands of persons": ("thousands of persons",
                                                                   "千人"),
    "unit.vol points": ("vol points", "波动率点"),
    # axis titles (with units) for engine charts that leave an axis untitled
    "axis.claims": ("number of claims", "观点条数"),
    "axis.btc_usd": ("BTC price (USD)", "比特币价格（美元）"),
    "axis.drawdown_pct": ("below the all-time high (%)", "距历史高点（%）"),
    "axis.scenario_move": ("move (% for prices; bp for yields and spreads)",
                           "变动（价格为 %；收益率与利差为基点）"),
    "axis.analog": ("historical episode", "历史事件"),
}


def languages() -> tuple[str, ...]:
    """Return the supported language codes."""
    return LANGS


def check_lang(lang: str) -> str:
    """Validate a language code, raising :class:`ParameterError` with the allowed values."""
    if lang not in LANGS:
        raise ParameterError(f"--lang: '{lang}' is not supported (choose from {', '.join(LANGS)})")
    return lang


class Translator:
    """Look up catalogue texts in one language.

    Parameters
    ----------
    lang : {"en", "zh"}
        The language.
    """

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self._i = LANGS.index(lang)

    def __call__(self, key: str, **fields: Any) -> str:
        """Return the text for ``key`` with ``fields`` substituted (missing keys are a bug)."""
        text = TEXT[key][self._i]
        return text.format(**fields) if fields else text

    def maybe(self, key: str, **fields: Any) -> str:
        """Like calling the translator, but ``""`` when any field is missing.

        A field is missing when it is None, empty, or the formatters' placeholder for a missing
        number (:data:`crashlens.report.fmt.DASH`), so a sentence never prints a missing value:
        the caller leaves it out (see :meth:`join`).
        """
        from crashlens.report import fmt

        if any(v is None or str(v).strip() in ("", fmt.DASH) for v in fields.values()):
            return ""
        return self(key, **fields)

    def join(self, *sentences: str) -> str:
        """The non-empty sentences joined as one paragraph (no space between Chinese ones)."""
        return ("" if self.lang == "zh" else " ").join(s for s in sentences if s)

    def get(self, key: str, default: str) -> str:
        """Return the text for ``key`` if the catalogue has it, else ``default``."""
        entry = TEXT.get(key)
        return entry[self._i] if entry else default

    def asset(self, name: str) -> str:
        """Human name of a catalog series (falls back to the catalog name)."""
        return self.get(f"asset.{name}", name)


__all__ = ["TEXT", "Translator", "check_lang", "languages"]
