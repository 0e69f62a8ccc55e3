"""Chinese wording of the engines' common warnings and audit notes (the Chinese report).

Engines write warnings in English with numbers and dates inside. The patterns below cover the
warnings the reference reports show; a warning no pattern matches stays in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_D = r"\d{4}-\d{2}-\d{2}"
_HORIZON = {"short": "短期", "medium": "中期", "long": "长期"}


def _vacuum(m: re.Match[str]) -> str:
    items = []
    for part in m["rest"].split("; "):
        got = re.fullmatch(rf"(\S+) (late|missing) ({_D})", part)
        if got is None:
            return m.string
        word = "延迟" if got[2] == "late" else "缺失"
        items.append(f"{got[1]} {word}（{got[3]}）")
    return "数据真空：" + "；".join(items)


def _triggers(m: re.Match[str]) -> str:
    names = [_HORIZON.get(h) for h in m["h"].split("/")]
    if None in names:
        return m.string
    return f"{m['s']}：现价 ±{m['p']}% 范围内没有{'/'.join(str(n) for n in names)}触发水平"


_KIND = {"level": "水平", "change": "变动"}


def _never_met(m: re.Match[str]) -> str:
    return f"{m['a']} 至 {m['b']} 期间从未满足；最接近的{_KIND[m['k']]}为 {m['x']}"


def _on_date(m: re.Match[str]) -> str:
    return f"{m['s']} 于 {m['d']}：{_KIND[m['k']]} {m['x']}"


#: (pattern, Chinese template or function of the match).
PATTERNS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(rf"^(?P<s>\S+) ends (?P<d>{_D}), (?P<n>\d+) days before the as-of date "
                rf"(?P<a>{_D}): its value is as of (?P=d), not current$"),
     "{s} 数据截至 {d}，比截至日 {a} 早 {n} 天：所示数值为 {d} 的值，并非最新"),
    (re.compile(r"^(?P<n>[\d,]+) zero/missing IVs: IV solved from the bid/ask mid \(or last\)$"),
     "{n} 个隐含波动率为零或缺失：由买卖中间价（或最新成交价）反推"),
    (re.compile(r"^(?P<n>[\d,]+) contracts with OI but no usable IV excluded "
                r"\(OI (?P<oi>[\d,]+), (?P<p>[\d.]+%) of live OI\)$"),
     "剔除 {n} 个有持仓但无可用隐含波动率的合约（持仓量 {oi}，占有效持仓 {p}）"),
    (re.compile(r"^the pairwise covariance was not positive semi-definite \(assets with shorter "
                r"histories\); repaired on the correlation scale, largest change of a "
                r"correlation (?P<x>[\d.]+)$"),
     "两两协方差矩阵非半正定（部分资产历史较短）；已在相关系数尺度上修正，单个相关系数的最大"
     "调整为 {x}"),
    (re.compile(rf"^option chain (?P<f>\S+) was quoted (?P<q>{_D}), (?P<n>\d+) days before "
                rf"(?P<a>{_D}) \(last chain, expired: all of its expiries have settled since\); "
                r"dealer positioning is measured as of the chain's date$"),
     "期权链 {f} 报价于 {q}，比 {a} 早 {n} 天（最近的期权链，已到期：其所有到期日均已结算）；"
     "做市商持仓按期权链日期计量"),
    (re.compile(rf"^option chain (?P<f>\S+) was quoted (?P<q>{_D}), (?P<n>\d+) days before "
                rf"(?P<a>{_D}) \(stale: older than the (?P<m>\d+)-day useful life of open "
                r"interest\); dealer positioning is measured as of the chain's date$"),
     "期权链 {f} 报价于 {q}，比 {a} 早 {n} 天（已过时：超过持仓量 {m} 天的有效期）；"
     "做市商持仓按期权链日期计量"),
    (re.compile(r"^correlation over (?P<n>\d+) window returns is noisy \(fewer than "
                r"(?P<m>\d+)\)$"),
     "仅基于 {n} 个窗口收益计算的相关性噪声较大（少于 {m} 个）"),
    (re.compile(rf"^(?P<s>\S+) history starts (?P<d>{_D}): its 'ath' is the closing high since "
                r"then \(earlier highs are not in the data\)$"),
     "{s} 历史数据始于 {d}：其“历史高点”为此后的最高收盘价（更早的高点不在数据中）"),
    (re.compile(r"^CTA positioning is not in the state vector \(include_cta=True / --cta adds "
                r"the modelled S&P 500 signal; or pass extra_features=\)$"),
     "状态向量不含 CTA 持仓（include_cta=True / --cta 可加入模型估计的标普500信号；"
     "或传入 extra_features=）"),
    (re.compile(rf"^event '(?P<e>.+)' \((?P<d>{_D}), line (?P<l>\d+)\): after the as-of date "
                rf"(?P<a>{_D}); skipped$"),
     "事件“{e}”（{d}，第 {l} 行）：晚于截至日 {a}，已跳过"),
    (re.compile(rf"^event '(?P<e>.+)' \((?P<d>{_D}), line (?P<l>\d+)\): event window truncated "
                rf"at the as-of date (?P<a>{_D}): CAR over sessions "
                r"(?P<w0>-?\d+)\.\.(?P<w1>-?\d+)$"),
     "事件“{e}”（{d}，第 {l} 行）：事件窗口在截至日 {a} 截断，累计异常收益按第 {w0} 至 {w1} "
     "个交易日计算"),
    (re.compile(r"^data vacuum: (?P<rest>.+)$"), _vacuum),
    # details of the scenario scorecard (crashlens.scenarios.scorecard)
    (re.compile(rf"^never met in (?P<a>{_D})\.\.(?P<b>{_D}); closest (?P<k>level|change) "
                r"(?P<x>.+)$"), _never_met),
    (re.compile(rf"^(?P<s>\S+) on (?P<d>{_D}): (?P<k>level|change) (?P<x>.+)$"), _on_date),
    (re.compile(r"^free text: no data series can decide it$"), "自由文本：没有数据序列能判定"),
    (re.compile(rf"^(?P<s>\S+) unchanged at (?P<v>\S+) from (?P<d0>{_D}) to (?P<d1>{_D})$"),
     "{s} 在 {d0} 至 {d1} 期间维持 {v} 不变"),
    (re.compile(rf"^(?P<s>\S+) moved at most (?P<x>\S+ bp) in the stated direction from "
                rf"(?P<f>\S+) \((?P<d0>{_D})\) by (?P<d>{_D}); net (?P<n>\S+ bp)$"),
     "{s} 自 {f}（{d0}）起至 {d} 在所述方向上最多变动 {x}；净变动 {n}"),
    (re.compile(rf"^(?P<s>\S+) moved (?P<x>\S+ bp) on (?P<d>{_D}) \(from (?P<f>\S+) on "
                rf"(?P<d0>{_D})\)$"), "{s} 于 {d} 变动 {x}（{d0} 时为 {f}）"),
    (re.compile(rf"^(?P<s>\S+) (?P<f>\S+) on (?P<d0>{_D}) -> (?P<t>\S+) on (?P<d1>{_D}) "
                r"\((?P<x>[^()]+)\)$"), "{s} 从 {d0} 的 {f} 变为 {d1} 的 {t}（{x}）"),
    (re.compile(rf"^(?P<s>\S+) (?P<a>\S+%) vs (?P<v>\S+) (?P<b>\S+%) from (?P<d0>{_D}) to "
                rf"(?P<d1>{_D}): (?P<x>\S+) pp$"),
     "{d0} 至 {d1}：{s} {a}，{v} {b}，相差 {x} 个百分点"),
    (re.compile(rf"^modelled CTA (?P<s>\S+) notional (?P<a>\S+) \((?P<d0>{_D})\) -> (?P<b>\S+) "
                rf"\((?P<d1>{_D})\), change (?P<c>\S+) \(crashlens\.cta, model-dependent\)$"),
     "模型估计的 {s} CTA 名义持仓：{a}（{d0}）→ {b}（{d1}），变动 {c}（crashlens.cta，依赖模型）"),
    # notes of the claims audit (crashlens.audit)
    (re.compile(r"^model outputs depend on AUM, horizons and the vol estimator: compare the "
                r"order of magnitude, not the digits$"),
     "模型输出取决于 AUM、期限与波动率估计方法：应比较数量级，而非具体数字"),
    (re.compile(r"^the claim is about the first release; the data holds only the latest revised "
                r"vintage, which differs: revision, not necessarily an error$"),
     "该观点针对首次公布值；数据仅含与之不同的最新修订值：属于数据修订，未必是错误"),
    (re.compile(r"^checked against the latest vintage$"), "按最新修订值核查"),
    (re.compile(rf"^'all-time' = since (?P<d>{_D}), the start of the data$"),
     "“历史”指自数据起点 {d} 以来"),
    (re.compile(r"^no data series can decide this statement; needs (?P<x>.+)$"),
     "没有数据序列能判定此表述；需要：{x}"),
    (re.compile(r"^no data series can decide this statement$"), "没有数据序列能判定此表述"),
    (re.compile(r"^(?P<s>\S+): no (?P<h>[a-z/]+) trigger within \+-(?P<p>\d+)% of spot$"),
     _triggers),
]


def warning_text(text: str, lang: str) -> str:
    """``text`` in ``lang``: the Chinese wording when a pattern matches, else unchanged."""
    if lang != "zh":
        return text
    for pattern, out in PATTERNS:
        m = pattern.match(text)
        if m:
            return out(m) if callable(out) else out.format(**m.groupdict())
    return text


__all__ = ["PATTERNS", "warning_text"]
