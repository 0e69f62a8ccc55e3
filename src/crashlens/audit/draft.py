"""Draft claims from a note: numbers with units, dates, assets and indicators (zh or en).

``crashlens audit draft NOTE.txt [--lang zh|en] [--json]`` reads a note, splits it into
sentences and emits one **candidate claim per number** (a number that is not part of a date, a
heading or a footnote), with the sentence, the value as a plain float (万 = 1e4 and 亿 = 1e8
applied, ``bn``/``k``/``m`` in English), its unit, the date named in the sentence, the
assets/indicators it names and a guessed claim kind. Drafts carry ``draft: true``: a person
confirms each one (picks the kind's fields) before ``crashlens audit`` accepts the file.

Chinese text is segmented with `jieba <https://github.com/fxsjy/jieba>`_ (with the asset and
indicator names of :data:`ALIASES` added to its dictionary), so a number's unit is the token that
follows it (``1650|亿美元``, ``10.8|万人``, ``44|天``) rather than a character rule.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

from crashlens.errors import DataError, ParameterError

_CJK = re.compile(r"[\u4e00-\u9fff]")

#: Largest note read (bytes): a strategy note is a few dozen kB.
MAX_NOTE_BYTES = 2_000_000

#: Names of assets and indicators in Chinese and English -> catalog series or release code.
ALIASES: dict[str, str] = {
    "标普500": "SPX", "标普": "SPX", "S&P 500": "SPX", "S&P500": "SPX", "S&P": "SPX",
    "纳斯达克": "NDX", "纳指": "NDX", "Nasdaq": "NDX", "Nasdaq-100": "NDX",
    "比特币": "BTC", "BTC": "BTC", "Bitcoin": "BTC", "以太坊": "ETH", "ETH": "ETH",
    "Ether": "ETH",
    "英伟达": "NVDA", "Nvidia": "NVDA", "NVIDIA": "NVDA", "谷歌": "GOOG", "Alphabet": "GOOG",
    "Google": "GOOG", "微软": "MSFT", "Microsoft": "MSFT", "亚马逊": "AMZN", "Amazon": "AMZN",
    "Meta": "META", "特斯拉": "TSLA", "Tesla": "TSLA", "Palantir": "PLTR",
    "Coinbase": "COIN",
    "黄金": "GOLD", "金价": "GOLD", "gold": "GOLD", "Gold": "GOLD", "白银": "SILVER",
    "银价": "SILVER", "silver": "SILVER", "Silver": "SILVER", "金银": "GOLD",
    "日经225": "N225", "日经": "N225", "Nikkei": "N225",
    "恐慌指数": "VIX", "波动率": "VIX", "VIX": "VIX", "美元": "DXY", "美元指数": "DXY",
    "dollar": "DXY", "十年期美债": "UST10Y", "美债收益率": "UST10Y", "10-year": "UST10Y",
    "非农": "PAYEMS", "就业": "PAYEMS", "新增就业": "PAYEMS", "payrolls": "PAYEMS",
    "jobs report": "PAYEMS", "失业率": "UNRATE", "unemployment": "UNRATE",
    "CPI": "CPI", "通胀": "CPI", "inflation": "CPI", "ADP": "ADP",
    "挑战者": "CHALLENGER", "Challenger": "CHALLENGER", "裁员": "CHALLENGER",
    "layoffs": "CHALLENGER", "job cuts": "CHALLENGER",
    "美联储": "FED", "Fed": "FED", "FOMC": "FED", "降息": "FED", "rate cut": "FED",
    "CTA": "CTA", "稳定币": "STABLECOIN", "stablecoin": "STABLECOIN",
    "stablecoins": "STABLECOIN", "政府关门": "SHUTDOWN", "shutdown": "SHUTDOWN",
    "清算": "LIQUIDATIONS", "liquidations": "LIQUIDATIONS",
}

#: Names that contain digits which are not claims.
NAMES_WITH_DIGITS: tuple[str, ...] = ("Gemini 3", "Gemini 2.5", "GPT-5", "GPT-4", "Llama 3",
                                      "Blackwell", "Windows 11", "COVID-19", "S&P 400")

_LOWER_ALIASES = {k.lower(): v for k, v in ALIASES.items() if not _CJK.search(k)}

#: Kind guesses: ``(kind, units, keywords)``; the first rule whose keywords appear in the
#: clause around a number (then in its sentence) and whose units include the number's unit
#: (empty = any unit) wins.
KIND_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("text", (), ("毛利率", "gross margin", "预期的", "expected", "consensus")),
    ("probability_move", ("pct",), ("概率", "odds", "probability")),
    ("duration", ("days",), ()),
    ("ma_break", (), ("均线", "moving average", "-day average")),
    ("model_output", (), ("分位", "percentile", "名义持仓", "抛售规模", "清算", "liquidat",
                          "止损盘", "触发点", "翻转点", "trigger level")),
    ("macro_print", ("pct",), ("失业率", "unemployment", "通胀", "inflation", "CPI")),
    ("model_output", ("usd",), ("CTA", "抛售", "卖出", "sell")),
    ("first_print", ("pct", "persons", ""), ("环比", "同比", "m/m", "y/y", "month-on-month",
                                            "year-on-year", "裁员", "layoffs", "job cuts",
                                            "新增就业", "就业数", "payrolls", "ADP")),
    ("drawdown_from_peak", ("pct",), ("高点", "from its high", "below its", "peak")),
    ("move_over_window", ("bp",), ("降息", "加息", "cut", "hike")),
    ("stablecoin_supply", (), ("稳定币", "stablecoin")),
    ("extreme_since", (), ("以来", "since")),
    ("record_in_window", (), ("新高", "新低", "record", "all-time")),
    ("level_in_window", ("pt", "usd", ""), ("跌破", "突破", "收复", "企稳", "below", "above",
                                          "down to", "高点", "high of", "low of", "@")),
    ("move_over_window", ("pct",), ("下跌", "上涨", "暴跌", "重挫", "跌", "涨", "fell", "rose",
                                    "lost", "gained", "down", "up", "drop", "fall", "slid",
                                    "plung", "tumbl", "jump", "surg", "climb", "sank",
                                    "declin")),
    ("episode_comparison", (), ("2008", "2018", "2020", "相比", "compared with")),
    ("model_output", (), ("CTA", "触发", "trigger")),
)

_ZH_UNITS: dict[str, tuple[float, str]] = {
    "%": (1.0, "pct"), "％": (1.0, "pct"), "点": (1.0, "pt"), "天": (1.0, "days"),
    "bp": (1.0, "bp"), "基点": (1.0, "bp"), "万": (1e4, ""), "亿": (1e8, ""),
    "万人": (1e4, "persons"), "人": (1.0, "persons"), "万美元": (1e4, "usd"),
    "亿美元": (1e8, "usd"), "美元": (1.0, "usd"), "多亿": (1e8, ""), "万亿": (1e12, ""),
}
_EN_SCALE: dict[str, float] = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6,
                               "bn": 1e9, "b": 1e9, "billion": 1e9, "tn": 1e12,
                               "trillion": 1e12}
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}

_SENT_SPLIT = re.compile(r"(?<=[。！？!?；;])|\n+|(?<=[.])\s+(?=[A-Z(])")
_ZH_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*"
                      r"(?:[-–至到]\s*\d{1,2}\s*)?日")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_EN_DATE = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+"
                      r"(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.])")
_EN_NUM = re.compile(r"(?<![\w.])(\$)?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?"
                     r"(%|percent|bp|bps|points?|pts?|days?|k\b|mn\b|m\b|bn\b|b\b|tn\b|"
                     r"thousand|million|billion|trillion)?", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class DraftClaim:
    """One candidate claim found in a note.

    Attributes
    ----------
    text : str
        The sentence it comes from.
    value : float
        The number with its multiplier applied (万, 亿, bn, k...).
    unit : str
        ``pct``, ``pt``, ``bp``, ``usd``, ``persons``, ``days`` or ``""``.
    series : str or None
        The asset / indicator named closest before the number (:data:`ALIASES`).
    kind : str
        Guessed claim kind (:data:`KIND_RULES`; ``level_on_date`` by default).
    date : str or None
        ISO date named in the sentence (a missing year is the note's most frequent year).
    raw : str
        The number as written, with its unit.
    """

    text: str
    value: float
    unit: str
    series: str | None
    kind: str
    date: str | None
    raw: str


def read_note(path: str | Path, *, max_bytes: int = MAX_NOTE_BYTES) -> str:
    """Read a note as text (UTF-8, UTF-8 with BOM or UTF-16 with BOM).

    Raises
    ------
    DataError
        Missing, empty, binary, too large, or not in a supported encoding (one line).
    """
    p = Path(path)
    if not p.is_file():
        raise DataError("no such note", path=str(p))
    size = p.stat().st_size
    if size > max_bytes:
        raise DataError(f"note is {size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB "
                        "(a strategy note is a few dozen kB)", path=str(p))
    data = p.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataError("not valid UTF-16 text", path=str(p)) from exc
    else:
        if b"\x00" in data:
            raise DataError("binary file (NUL bytes), not a text note", path=str(p))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                            f"{exc.start}); re-save the note as UTF-8", path=str(p)) from exc
    if not text.strip():
        raise DataError("the note is empty", path=str(p))
    return text


def detect_lang(text: str) -> str:
    """``zh`` when at least 10 % of the letters are CJK characters, else ``en``."""
    letters = sum(ch.isalpha() for ch in text) or 1
    return "zh" if len(_CJK.findall(text)) / letters >= 0.1 else "en"


def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    if not getattr(jieba, "_crashlens_words", False):
        for word in ALIASES:
            if _CJK.search(word):
                jieba.add_word(word, freq=200000)
        for word in ("亿美元", "万美元", "万人", "多亿"):
            jieba.add_word(word, freq=200000)
        jieba._crashlens_words = True
    return jieba


def _sentences(text: str) -> list[str]:
    out = []
    for s in _SENT_SPLIT.split(text):
        s = (s or "").strip()
        if s:
            out.append(s)
    return out


def _default_year(text: str) -> int | None:
    years = [int(y) for y in _YEAR.findall(text) if 2000 <= int(y) <= 2035]
    return collections.Counter(years).most_common(1)[0][0] if years else None


def _date_of(sentence: str, year: int | None) -> tuple[str | None, list[tuple[int, int]]]:
    """The first date named in the sentence, and the character spans of every date/year."""
    spans: list[tuple[int, int]] = []
    first: tuple[int, str] | None = None
    for rx, kind in ((_ZH_DATE, "zh"), (_ISO_DATE, "iso"), (_EN_DATE, "en")):
        for m in rx.finditer(sentence):
            spans.append(m.span())
            try:
                if kind == "zh":
                    y = int(m.group(1)) if m.group(1) else year
                    d = dt.date(y, int(m.group(2)), int(m.group(3))) if y else None
                elif kind == "iso":
                    d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                else:
                    y = int(m.group(3)) if m.group(3) else year
                    d = dt.date(y, _MONTHS[m.group(1)[:3].lower()], int(m.group(2))) if y \
                        else None
            except ValueError:
                d = None
            if d is not None and (first is None or m.start() < first[0]):
                first = (m.start(), d.isoformat())
    # years ("2009年以来", "in 2018") and months ("12月") are dates, not claims
    for m in re.finditer(r"(?:19|20)\d{2}\s*年(?:代)?|\d{1,2}\s*月(?:份)?|[至到]\s*\d{1,2}\s*日"
                         r"|(?<![\d.,$])(?:19|20)\d{2}(?![\d.%万亿点多人天])(?!,\d)"
                         r"|\d{1,2}\s*[-–]\s*\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct"
                         r"|Nov|Dec)", sentence):
        spans.append(m.span())
    # heading and list numbers ("2.2 ", "1. ", "(3)"), footnote references at the end
    head = re.match(r"^\s*(?:[•\-]\s*)?(?:\d+(?:\.\d+)*\.?(?=\s|[^\d.])|[(（]\d+[)）])",
                    sentence)
    if head:
        spans.append(head.span())
    tail = re.search(r"\s\d{1,2}\s*$", sentence)
    if tail:
        spans.append(tail.span())
    # digits inside names (标普500, S&P 500, Gemini 3) and table numbers (表 1)
    for m in re.finditer(r"(?:表|Table)\s*\d+", sentence):
        spans.append(m.span())
    for alias in (*ALIASES, *NAMES_WITH_DIGITS):
        if re.search(r"\d", alias):
            for m in re.finditer(re.escape(alias), sentence):
                spans.append(m.span())
    return (first[1] if first else None), spans


def _names_in(sentence: str) -> list[tuple[int, str]]:
    """(position, code) of every asset / indicator named in the sentence, in order."""
    found: list[tuple[int, str]] = []
    if _CJK.search(sentence):
        # whole jieba tokens only: '美元' inside '190亿美元' is a unit, not the dollar
        for tok, start, _ in _jieba().tokenize(sentence):
            code = ALIASES.get(tok) or _LOWER_ALIASES.get(tok.lower())
            if code:
                found.append((start, code))
        return found
    for alias, code in ALIASES.items():
        flags = 0 if alias.isupper() else re.IGNORECASE
        for m in re.finditer(r"(?<!\w)" + re.escape(alias) + r"(?!\w)", sentence, flags):
            found.append((m.start(), code))
    return sorted(found)


def _series_at(names: list[tuple[int, str]], pos: int) -> str | None:
    """The name closest before ``pos`` (else the first one after it)."""
    before = [code for p, code in names if p <= pos]
    if before:
        return before[-1]
    return names[0][1] if names else None


def _clause(sentence: str, raw: str) -> str:
    """The clause around ``raw``: between the nearest commas / semicolons / colons."""
    pos = max(sentence.find(raw), 0)
    # a comma inside a number ("126,000") does not end a clause
    cuts = [m.start() for m in re.finditer(r"[，;；:：。]|,(?!\d{3})", sentence)]
    lo = max([c for c in cuts if c < pos] + [-1]) + 1
    hi = min([c for c in cuts if c >= pos + len(raw)] + [len(sentence)])
    return sentence[lo:hi]


def _kind_of(sentence: str, raw: str = "", unit: str = "") -> str:
    """Guessed claim kind of the number ``raw`` (:data:`KIND_RULES`)."""
    for n, text in enumerate((_clause(sentence, raw) if raw else sentence, sentence)):
        low = text.lower()
        for kind, units, words in KIND_RULES:
            if (units and unit not in units) or (kind == "text" and n == 1):
                continue  # "text" (a forecast, a margin) only from the number's own clause
            if (not words and units) or any(w.lower() in low for w in words):
                return kind
    return "level_on_date"


def _skip_line(sentence: str) -> bool:
    """Headings, list numbers and table footnote references carry no claim."""
    s = sentence.strip()
    return bool(re.fullmatch(r"[\d.\s]+", s)             # a bare number (table source ref)
                or (re.fullmatch(r"\d+(\.\d+)*\s+\S{0,30}", s) and not re.search(r"\d\D+\d", s))
                or re.match(r"^第.{1,3}部分", s))


def _numbers_zh(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[float, str, str]]:
    """(value, unit, raw) of every number of a Chinese sentence, by jieba tokens."""
    tokens = list(_jieba().tokenize(sentence))
    found: list[list[Any]] = []   # [value, unit, raw start, raw end, scaled]
    skip_to = -1
    for i, (tok, start, end) in enumerate(tokens):
        if i < skip_to:
            continue
        m = re.fullmatch(r"(\d+(?:\.\d+)?)(%|％|bp)?", tok)
        if not m or any(a <= start < b for a, b in spans):
            continue
        # "81,000" is split by jieba into 81 | , | 000: join the thousands groups back
        num, j, raw_end = m.group(1), i + 1, end
        while (j + 1 < len(tokens) and tokens[j][0] == ","
               and re.fullmatch(r"\d{3}", tokens[j + 1][0])):
            num += tokens[j + 1][0]
            raw_end = tokens[j + 1][2]
            j += 2
        skip_to = j
        value, unit, scaled = float(num), "", False
        if m.group(2):
            unit = "pct" if m.group(2) in ("%", "％") else "bp"
        elif j < len(tokens) and tokens[j][0] in _ZH_UNITS:
            scale, unit = _ZH_UNITS[tokens[j][0]]
            value *= scale
            scaled = scale != 1.0
            raw_end = tokens[j][2]
        if "$" in sentence[max(0, start - 2):start] or "＄" in sentence[max(0, start - 2):start]:
            unit = "usd"
        if (not unit and value < 10 and "." not in num
                and not re.search(r"破$", sentence[max(0, start - 2):start])):
            continue  # "4样", "1-2个": small counts; "破7" (below 70k) is kept
        found.append([value, unit, start, raw_end, scaled])
    # a range "400-500亿", "6500-6600点": the first number takes the second one's unit
    for a, b in itertools.pairwise(found):
        gap = sentence[a[3]:b[2]]
        if re.fullmatch(r"\s*\$?\s*[-–~至到]\s*\$?\s*", gap) and not a[4] and a[1] in ("", "usd"):
            if b[4]:
                a[0] *= _scale_of(sentence[b[2]:b[3]])
            if not a[1]:
                a[1] = b[1]
    return [(v, u, sentence[s0:s1]) for v, u, s0, s1, _ in found]


def _scale_of(raw: str) -> float:
    for word, (scale, _) in sorted(_ZH_UNITS.items(), key=lambda kv: -len(kv[0])):
        if raw.endswith(word):
            return scale
    return 1.0


def _numbers_en(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[float, str, str]]:
    out = []
    for m in _EN_NUM.finditer(sentence):
        if any(a <= m.start(2) < b for a, b in spans):
            continue
        value = float(m.group(2).replace(",", ""))
        suf = (m.group(3) or "").lower()
        unit = "usd" if m.group(1) else ""
        if suf in ("%", "percent"):
            unit = "pct"
        elif suf in ("bp", "bps"):
            unit = "bp"
        elif suf.startswith(("point", "pt")):
            unit = "pt"
        elif suf.startswith("day"):
            unit = "days"
        elif suf in _EN_SCALE:
            value *= _EN_SCALE[suf]
        if unit == "" and not suf and value < 10 and "." not in m.group(2):
            continue
        out.append((value, unit, m.group(0).strip()))
    return out


def draft(text: str, *, lang: str | None = None) -> list[DraftClaim]:
    """Candidate claims of a note's text (one per number), in reading order.

    Parameters
    ----------
    text : str
        The note.
    lang : {"zh", "en"}, optional
        Language (default: detected from the share of CJK characters).

    Returns
    -------
    list of DraftClaim
    """
    if lang is None:
        lang = detect_lang(text)
    if lang not in ("zh", "en"):
        raise ParameterError(f"lang: '{lang}' must be 'zh' or 'en'")
    year = _default_year(text)
    out: list[DraftClaim] = []
    for sentence in _sentences(text):
        if _skip_line(sentence):
            continue
        date, spans = _date_of(sentence, year)
        nums = (_numbers_zh if lang == "zh" else _numbers_en)(sentence, spans)
        if not nums:
            continue
        names = _names_in(sentence)
        for value, unit, raw in nums:
            series = _series_at(names, max(sentence.find(raw), 0))
            out.append(DraftClaim(sentence, value, unit, series, _kind_of(sentence, raw, unit),
                                  date, raw))
    return out


def draft_file(path: str | Path, *, lang: str | None = None) -> list[DraftClaim]:
    """:func:`draft` on a note file (see :func:`read_note` for the accepted encodings)."""
    return draft(read_note(path), lang=lang)


def to_yaml(claims: list[DraftClaim], *, name: str = "draft") -> str:
    """Drafts as a claims file for a person to confirm (every claim ``draft: true``)."""
    import yaml

    doc = {"name": name, "source": f"drafted by crashlens audit draft from {name}",
           "claims": [{"id": f"draft-{i + 1}", "draft": True, "kind": c.kind,
                       "text": c.text, "value": c.value, "unit": c.unit, "series": c.series,
                       "date": c.date, "raw": c.raw} for i, c in enumerate(claims)]}
    return str(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100))


def to_json_dict(claims: list[DraftClaim]) -> dict[str, Any]:
    """``{"claims": [{"text", "value", "unit", "series", "kind", "date"}, ...]}``."""
    return {"claims": [{"text": c.text, "value": c.value, "unit": c.unit, "series": c.series,
                        "kind": c.kind, "date": c.date} for c in claims]}


__all__ = ["ALIASES", "KIND_RULES", "MAX_NOTE_BYTES", "DraftClaim", "detect_lang", "draft",
           "draft_file", "read_note", "to_json_dict", "to_yaml"]


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _same_statement(sentence: str, quote: str) -> bool:
    s = _norm(sentence)
    parts = [_norm(p) for p in re.split(r"\.\.\.|…", quote) if len(_norm(p)) >= 4]
    return bool(parts) and (any(p in s for p in parts) or s in _norm(quote))


def _has_number(quote: str) -> bool:
    """A digit left once years, months and days are removed (independent of the extractor)."""
    q = re.sub(r"\d{4}\s*年|\d{1,2}\s*[月日]|\d{4}-\d{2}-\d{2}|(?<!\d)(19|20)\d{2}(?![\d万亿多])",
               "", quote)
    for name in ("标普500", "S&P 500", "日经225", *NAMES_WITH_DIGITS):
        q = q.replace(name, "")
    return bool(re.search(r"\d", q))


def _claim_numbers(claim: Any) -> list[float]:
    out = []
    for f in ("value", "at_least", "at_most", "below", "above", "level", "peak", "from_below",
              "from_above", "to_above", "to_below"):
        v = getattr(claim, f, None)
        if isinstance(v, int | float) and not isinstance(v, bool):
            out.append(abs(float(v)))
    return out


def score(drafts: list[DraftClaim], claims: Any) -> dict[str, Any]:
    """Recall and precision of drafts against a hand-written claims file.

    A hand claim is *numeric* when its ``quote`` holds a digit. It is **recalled** when a draft
    comes from the sentence holding its quote (``recall``), and **value-recalled** when such a
    draft's value equals one of the claim's numbers (value, bounds; absolute, 1 %; a
    probability 0.4 matches 40 %). **Precision** is the share of drafts whose sentence holds
    the quote of some hand claim (numeric or not). ``value_recall`` is over the numeric claims
    that carry a number (free-text claims have none); ``kind_accuracy`` is the share of
    recalled claims with a draft of the same kind.

    Parameters
    ----------
    drafts : list of DraftClaim
    claims : ClaimsFile
        The hand-written file (its claims need ``quote``).

    Returns
    -------
    dict
        ``numeric_claims, recalled, value_recalled, recall, value_recall, drafts,
        on_claims, precision, missed`` (ids of numeric claims not recalled).
    """
    numeric = [c for c in claims.claims if _has_number(c.quote or "")]
    valued = [c for c in numeric if _claim_numbers(c)]
    recalled, value_recalled, kind_right, missed = 0, 0, 0, []
    for c in numeric:
        hits = [d for d in drafts if _same_statement(d.text, c.quote)]
        if not hits:
            missed.append(c.id)
            continue
        recalled += 1
        kind_right += any(d.kind == c.kind for d in hits)
        nums = _claim_numbers(c)
        nums += [x * 100 for x in nums if x <= 1]
        lo_hi = []
        if isinstance(getattr(c, "value", None), int | float) and c.value is not None:
            tol = (c.tolerance if c.tolerance is not None
                   else abs(c.value) * (c.tolerance_pct or 1.0) / 100)
            lo_hi.append((abs(c.value) - tol, abs(c.value) + tol))
            if abs(c.value) <= 1:
                lo_hi.append(((abs(c.value) - tol) * 100, (abs(c.value) + tol) * 100))
        if not nums:
            continue
        if any(abs(abs(d.value) - n) <= 0.01 * max(n, 1e-9) for d in hits for n in nums) or any(
                lo <= abs(d.value) <= hi for d in hits for lo, hi in lo_hi):
            value_recalled += 1
    on_claims = sum(any(_same_statement(d.text, c.quote) for c in claims.claims if c.quote)
                    for d in drafts)
    n = len(numeric)
    return {"numeric_claims": n, "recalled": recalled, "value_recalled": value_recalled,
            "recall": recalled / n if n else float("nan"),
            "valued_claims": len(valued),
            "value_recall": value_recalled / len(valued) if valued else float("nan"),
            "kind_accuracy": kind_right / recalled if recalled else float("nan"),
            "drafts": len(drafts), "on_claims": on_claims,
            "precision": on_claims / len(drafts) if drafts else float("nan"), "missed": missed}
