"""Point-in-time US macro releases: first prints, what was known at a date, the 2025 shutdown.

The raw file ``us_macro_first_releases_2025_2026.csv`` holds one row per (indicator, reference
month, distinct value as published) taken from the git history of a public dashboard
(``vintage_no`` 1 = first print). It is not an official vintage database: values are written in
mixed units (``"159,626,000"``, ``"134.4M"``, ``"$722B"``, a year-on-year ``"2.4"`` where an
index was expected, placeholders such as ``"*TBD 6/11"``) and the commit time is when the site's
author saved the value, often the release day, sometimes days later.

This module therefore

* parses every value into one **canonical unit per indicator** (:data:`INDICATORS`) and marks
  values that are not data (placeholders, percentages where a level is expected, magnitudes
  far from the indicator's median, the October-2025 CPI carried forward from September);
* dates every value by its **release date**: the official release calendar
  (:data:`OFFICIAL_RELEASES`, BLS announcements incl. the shutdown re-schedule) for first prints
  it lists, else the site's ``index_lastUpdated_field``, else the commit date (New York time).
  A value is *known at* ``D`` when its release date is ``<= D``; the commit date is never
  earlier than the real release, so the fallback can only make a value known late, never early;
* computes month-on-month **changes within one vintage**: the change of period ``P`` is
  ``P``'s value minus ``P-1``'s value as known on ``P``'s release date (payroll revisions to
  ``P-1`` published with ``P`` are therefore used, as the BLS headline does).

Typical use::

    from crashlens.macro import first_prints as fp
    fp.first_print("PAYEMS", "2025-09")         # Print(value=159626000, change=119000, ...)
    fp.known_at("2025-11-21")                    # first prints released by that day
    fp.SHUTDOWN_2025.duration_days               # 43
"""

from __future__ import annotations

import dataclasses
import math
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from crashlens._dates import DateLike, to_timestamp
from crashlens.data.source import SourceLike, is_store, reads_source
from crashlens.errors import DataError, NeverPublishedError, ParameterError

#: File names in the raw-data folder.
FIRST_RELEASES_FILE = "us_macro_first_releases_2025_2026.csv"
CHALLENGER_FILE = "challenger_job_cuts_monthly_2025_2026.csv"

#: Indicator code -> (name in the file, canonical unit). Values are converted to that unit.
INDICATORS: dict[str, tuple[str, str]] = {
    "PAYEMS": ("Total Nonfarm Employment", "persons"),
    "ADP": ("Private Employment", "persons"),
    "JOLTS": ("Job Openings", "persons"),
    "CPI": ("CPI", "index"),
    "PPI": ("PPI", "index"),
    "PCE": ("Personal Consumption Expenditures (PCE)", "USD bn"),
    "RETAIL": ("Monthly Retail Sales", "USD bn"),
    "CHALLENGER": ("Job Cuts Report", "announced job cuts"),
}
_BY_NAME = {name.lower(): code for code, (name, _) in INDICATORS.items()}

#: Official first-release dates (BLS / ADP announcements) that the site's commit times would
#: get wrong or that the shutdown moved; ``None`` = cancelled, never published.
OFFICIAL_RELEASES: dict[tuple[str, str], str | None] = {
    ("PAYEMS", "2025-07"): "2025-08-01",
    ("PAYEMS", "2025-08"): "2025-09-05",
    ("PAYEMS", "2025-09"): "2025-11-20",   # due 2025-10-03, delayed by the shutdown
    ("PAYEMS", "2025-10"): "2025-12-16",   # no October household survey; published with Nov
    ("PAYEMS", "2025-11"): "2025-12-16",
    ("PAYEMS", "2025-12"): "2026-01-09",
    ("PAYEMS", "2026-01"): "2026-02-11",   # delayed from 2026-02-06 by the brief 2026 lapse
    ("CPI", "2025-08"): "2025-09-11",
    ("CPI", "2025-09"): "2025-10-24",      # delayed from 2025-10-15 by the shutdown
    ("CPI", "2025-10"): None,              # cancelled: October prices were not collected
    ("CPI", "2025-11"): "2025-12-18",
    ("ADP", "2025-09"): "2025-10-01",
}


#: Originally scheduled release dates of the releases the shutdowns moved or cancelled (BLS
#: release calendars published before the lapses); compare with :data:`OFFICIAL_RELEASES`.
SCHEDULED_RELEASES: dict[tuple[str, str], str] = {
    ("PAYEMS", "2025-09"): "2025-10-03",
    ("PAYEMS", "2025-10"): "2025-11-07",
    ("PAYEMS", "2025-11"): "2025-12-05",
    ("PAYEMS", "2026-01"): "2026-02-06",
    ("CPI", "2025-09"): "2025-10-15",
    ("CPI", "2025-10"): "2025-11-13",
    ("CPI", "2025-11"): "2025-12-10",
}


def shutdown_delays() -> pd.DataFrame:
    """Releases moved or cancelled by the shutdowns: scheduled vs actual date.

    Returns
    -------
    DataFrame
        ``indicator, period, scheduled, released`` (NaT = cancelled), ``delay_days`` (calendar
        days; NaN when cancelled) and ``status`` (``delayed`` / ``cancelled``).
    """
    rows = []
    for (code, period), sched in SCHEDULED_RELEASES.items():
        actual = OFFICIAL_RELEASES.get((code, period))
        delay = (float((pd.Timestamp(actual) - pd.Timestamp(sched)).days) if actual
                 else float("nan"))
        rows.append({"indicator": code, "period": period, "scheduled": pd.Timestamp(sched),
                     "released": pd.Timestamp(actual) if actual else pd.NaT,
                     "delay_days": delay,
                     "status": "delayed" if actual else "cancelled"})
    return pd.DataFrame(rows)


@dataclasses.dataclass(frozen=True)
class Shutdown:
    """A lapse in US federal appropriations.

    Attributes
    ----------
    start, end : str
        First and last day without appropriations (ISO dates, Eastern time).
    source : str
        Where the dates come from.
    """

    start: str
    end: str
    source: str

    @property
    def duration_days(self) -> int:
        """Days without appropriations, both ends counted (days)."""
        return int((pd.Timestamp(self.end) - pd.Timestamp(self.start)).days) + 1


#: The October-November 2025 shutdown: appropriations lapsed at 00:01 on 1 Oct 2025; the
#: continuing resolution was signed late on 12 Nov 2025 (federal offices reopened 13 Nov).
SHUTDOWN_2025 = Shutdown("2025-10-01", "2025-11-12",
                         "H.R. 5371 (Continuing Appropriations, signed 2025-11-12); OPM notices")
#: The previous record, 22 Dec 2018 - 25 Jan 2019.
SHUTDOWN_2018 = Shutdown("2018-12-22", "2019-01-25", "H.J.Res. 28 (signed 2019-01-25)")
SHUTDOWNS: tuple[Shutdown, ...] = (SHUTDOWN_2018, SHUTDOWN_2025)

#: A value further than this factor from its indicator's median is not in the canonical unit.
MAGNITUDE_FACTOR = 10.0

_NUM = re.compile(r"^\$?\s*(-?[0-9][0-9,]*(?:\.[0-9]+)?)\s*([BMK%]?)$", re.IGNORECASE)
_REQUIRED = ("indicator", "ref_period", "value_as_published", "first_seen_commit_time",
             "vintage_no")


def parse_value(raw: str, unit: str) -> tuple[float, str]:
    """A value as published -> (number in ``unit``, issue); NaN with the issue when not data.

    Parameters
    ----------
    raw : str
        The text of the site (``"159,626,000"``, ``"134.4M"``, ``"$722B"``, ``"3.3%"``).
    unit : str
        The indicator's canonical unit (``persons``, ``index``, ``USD bn``, ...).

    Returns
    -------
    (float, str)
        The number, and ``""`` or why it is not usable.
    """
    text = str(raw).strip()
    m = _NUM.match(text)
    if not m:
        return math.nan, f"not a number: '{text}'"
    x = float(m.group(1).replace(",", ""))
    suffix = m.group(2).upper()
    if suffix == "%":
        return math.nan, f"a percentage ('{text}') where a {unit} level is expected"
    if unit == "USD bn":
        # the site writes billions with or without 'B'; 'M' would be millions
        return (x / 1e3 if suffix == "M" else x), ""
    scale = {"": 1.0, "K": 1e3, "M": 1e6, "B": 1e9}[suffix]
    return x * scale, ""


@dataclasses.dataclass(frozen=True)
class Print:
    """One published value of a monthly indicator.

    Attributes
    ----------
    indicator : str
        Code (``PAYEMS``, ``CPI``, ...; see :data:`INDICATORS`).
    period : str
        Reference month, ``YYYY-MM``.
    value : float
        In the indicator's canonical ``unit``.
    unit : str
    change : float or None
        ``value`` minus the previous month's value as known on ``release_date`` (same unit);
        None when that month is unknown then.
    release_date : pandas.Timestamp
        Day the value became public (see the module docstring).
    release_source : str
        ``official calendar`` / ``site lastUpdated`` / ``commit time``.
    vintage : int
        1 = first print.
    raw : str
        The text as published.
    """

    indicator: str
    period: str
    value: float
    unit: str
    change: float | None
    release_date: pd.Timestamp
    release_source: str
    vintage: int
    raw: str


def indicator_code(name: str) -> str:
    """Indicator code from a code or the file's name (case-insensitive).

    Raises
    ------
    ParameterError
        Unknown indicator (the message lists the known ones).
    """
    key = str(name).strip()
    if key.upper() in INDICATORS:
        return key.upper()
    if key.lower() in _BY_NAME:
        return _BY_NAME[key.lower()]
    raise ParameterError(f"indicator '{name}' is unknown; known: {', '.join(INDICATORS)}")


def _period(value: object, what: str = "period") -> str:
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise ParameterError(f"{what}: '{value}' is not a month (expected YYYY-MM)")
    return text


def _release_day(row: pd.Series) -> tuple[pd.Timestamp, str]:
    upd = str(row.get("index_lastUpdated_field") or "").strip()
    if upd and upd.lower() != "nan":
        ts = pd.Timestamp(upd)
        return pd.Timestamp(ts.tz_convert("America/New_York").date()), "site lastUpdated"
    ts = pd.Timestamp(row["first_seen_commit_time"])
    return pd.Timestamp(ts.tz_convert("America/New_York").date()), "commit time"


def read_releases(path: str | Path) -> pd.DataFrame:
    """Read a releases file (the first-releases or the Challenger file) into a typed frame.

    Parameters
    ----------
    path : path
        A CSV with ``indicator, ref_period, value_as_published, first_seen_commit_time,
        vintage_no`` (and optionally ``index_lastUpdated_field``).

    Returns
    -------
    DataFrame
        One row per published value: ``indicator`` (code), ``period`` (YYYY-MM), ``vintage``,
        ``raw``, ``value`` (canonical unit, NaN when not data), ``unit``, ``valid``, ``issue``,
        ``seen`` (commit time, UTC), ``release_date`` (day, naive), ``release_source``.

    Raises
    ------
    DataError
        Missing file or column, unknown indicator, bad month, time or vintage (names the row).
    """
    p = Path(path)
    if not p.is_file():
        raise DataError("no such file", path=str(p))
    try:
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"not a readable UTF-8 CSV ({type(exc).__name__})", path=str(p)) from exc
    for col in _REQUIRED:
        if col not in df.columns:
            raise DataError("missing column", path=str(p), column=col)
    rows = []
    for i, r in df.iterrows():
        line = int(str(i)) + 2  # header is line 1
        try:
            code = indicator_code(r["indicator"])
            period = _period(r["ref_period"])
        except ParameterError as exc:
            col = "indicator" if "indicator" in str(exc) else "ref_period"
            raise DataError(str(exc), path=str(p), row=line, column=col) from exc
        try:
            seen = pd.Timestamp(r["first_seen_commit_time"]).tz_convert("UTC")
        except (ValueError, TypeError) as exc:
            raise DataError(f"'{r['first_seen_commit_time']}' is not a time with a zone",
                            path=str(p), row=line, column="first_seen_commit_time") from exc
        try:
            vintage = int(r["vintage_no"])
        except ValueError as exc:
            raise DataError(f"'{r['vintage_no']}' is not an integer", path=str(p), row=line,
                            column="vintage_no") from exc
        try:
            rel, src = _release_day(r)
        except (ValueError, TypeError) as exc:
            raise DataError(f"'{r.get('index_lastUpdated_field')}' is not a time",
                            path=str(p), row=line, column="index_lastUpdated_field") from exc
        unit = INDICATORS[code][1]
        value, issue = parse_value(r["value_as_published"], unit)
        if vintage == 1 and (code, period) in OFFICIAL_RELEASES:
            off = OFFICIAL_RELEASES[(code, period)]
            if off is None:
                value, issue = math.nan, ("never published (cancelled by the 2025 shutdown); "
                                          "the file's value is a carry-forward, not data")
            else:
                rel, src = pd.Timestamp(off), "official calendar"
        rows.append({"indicator": code, "period": period, "vintage": vintage,
                     "raw": r["value_as_published"], "value": value, "unit": unit,
                     "issue": issue, "seen": seen, "release_date": rel,
                     "release_source": src, "line": line})
    out = pd.DataFrame(rows)
    if out.empty:
        raise DataError("no rows", path=str(p))
    # values far from the indicator's median are in another unit (e.g. '134,391M')
    med = out.groupby("indicator")["value"].transform("median")
    ratio = out["value"] / med
    off_scale = (ratio > MAGNITUDE_FACTOR) | (ratio < 1 / MAGNITUDE_FACTOR)
    out.loc[off_scale, "issue"] = [f"magnitude {v:,.0f} is not in the indicator's unit"
                                   for v in out.loc[off_scale, "value"]]
    out.loc[off_scale, "value"] = math.nan
    out["valid"] = out["value"].notna()
    return out.sort_values(["indicator", "period", "vintage"]).reset_index(drop=True)


def data_file(name: str) -> Path:
    """A raw file read by name, in the active source's folder (:func:`crashlens.data.files_dir`).

    Raises
    ------
    DataError
        The source has no folder of raw files (``CRASHLENS_DATA`` unset, or frames without
        ``files=``).
    """
    from crashlens import data

    d = data.files_dir()
    if d is None:
        src = data.active()
        how = ("set CRASHLENS_DATA" if is_store(src)
               else "give the source a folder of raw files (files=)")
        raise DataError(f"{name} needs a folder of raw files; the data source ({src.label}) "
                        f"has none: {how}")
    return Path(d) / name


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> pd.DataFrame:
    return read_releases(path)


@reads_source
def releases(path: str | Path | None = None, *, source: SourceLike = None) -> pd.DataFrame:
    """Every published value of the first-releases file (see :func:`read_releases`).

    Parameters
    ----------
    path : path, optional
        Default: ``us_macro_first_releases_2025_2026.csv`` in the source's folder of raw files
        (``$CRASHLENS_DATA`` for the store).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. Without ``path`` the file is read from the source's
        folder of raw files (:func:`crashlens.data.files_dir`).
    """
    p = Path(path) if path is not None else data_file(FIRST_RELEASES_FILE)
    if not p.is_file():
        raise DataError("no such file", path=str(p))
    return _cached(str(p), p.stat().st_mtime).copy()


def _with_changes(frame: pd.DataFrame, all_rows: pd.DataFrame) -> pd.DataFrame:
    """Add ``change``: value minus the previous month's value as known on the release date."""
    valid = all_rows[all_rows["valid"]]
    changes = []
    for _, r in frame.iterrows():
        prev = (pd.Period(r["period"], "M") - 1).strftime("%Y-%m")
        cand = valid[(valid["indicator"] == r["indicator"]) & (valid["period"] == prev)
                     & (valid["release_date"] <= r["release_date"])]
        if cand.empty or not math.isfinite(r["value"]):
            changes.append(math.nan)
        else:
            # the newest vintage known on the day (ties: the later commit)
            best = cand.sort_values(["release_date", "seen", "vintage"]).iloc[-1]
            changes.append(float(r["value"] - best["value"]))
    out = frame.copy()
    out["change"] = changes
    return out


@reads_source
def known_at(asof: DateLike, *, vintage: str = "first", indicators: list[str] | None = None,
             path: str | Path | None = None, source: SourceLike = None) -> pd.DataFrame:
    """The releases public on ``asof`` (release date ``<= asof``), one row per indicator/month.

    Parameters
    ----------
    asof : date
        The as-of day (a value released that day counts as known).
    vintage : {"first", "latest"}
        ``first``: the first print of each month released by ``asof`` (default; the report's
        view). ``latest``: the newest revision released by ``asof``. Never a later value.
    indicators : list of str, optional
        Codes or names (default: all).
    path : path, optional
        The releases file (default: in the source's folder of raw files, ``CRASHLENS_DATA``
        for the store).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. Without ``path`` the file is read from the source's
        folder of raw files (:func:`crashlens.data.files_dir`).

    Returns
    -------
    DataFrame
        ``indicator, period, value, unit, change, release_date, release_source, vintage, raw``;
        values that are not data are left out.
    """
    day = to_timestamp(asof, "asof")
    if vintage not in ("first", "latest"):
        raise ParameterError(f"vintage: '{vintage}' must be 'first' or 'latest'")
    rows = releases(path)
    codes = [indicator_code(x) for x in indicators] if indicators else list(INDICATORS)
    known = rows[rows["valid"] & (rows["release_date"] <= day) & rows["indicator"].isin(codes)]
    if vintage == "first":
        known = known[known["vintage"] == known.groupby(["indicator", "period"])["vintage"]
                      .transform("min")]
    else:
        known = known.sort_values(["release_date", "seen", "vintage"]).groupby(
            ["indicator", "period"]).tail(1)
    known = _with_changes(known, rows[rows["release_date"] <= day])
    cols = ["indicator", "period", "value", "unit", "change", "release_date", "release_source",
            "vintage", "raw"]
    return known[cols].sort_values(["indicator", "period"]).reset_index(drop=True)


@reads_source
def first_print(indicator: str, period: str, *, path: str | Path | None = None,
                source: SourceLike = None) -> Print:
    """The first published value of ``indicator`` for ``period`` with its release date.

    Parameters
    ----------
    indicator : str
        Code or name (``PAYEMS``, ``"Total Nonfarm Employment"``, ``CPI``, ``CHALLENGER``...).
    period : str
        Reference month ``YYYY-MM``.
    path : path, optional
        The releases file (default: in the source's folder of raw files, ``CRASHLENS_DATA``
        for the store).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. Without ``path`` the file is read from the source's
        folder of raw files (:func:`crashlens.data.files_dir`).

    Returns
    -------
    Print

    Raises
    ------
    NeverPublishedError
        The release was cancelled (``None`` in :data:`OFFICIAL_RELEASES`).
    DataError
        No valid print for the month (names the file, indicator and month, and why).
    """
    code = indicator_code(indicator)
    per = _period(period)
    rows = releases(path)
    src = str(path) if path is not None else FIRST_RELEASES_FILE
    mine = rows[(rows["indicator"] == code) & (rows["period"] == per)]
    if mine.empty:
        raise DataError(f"no {code} print for {per}", path=src)
    valid = mine[mine["valid"]]
    first = mine.iloc[0]
    if not valid.empty and valid.iloc[0]["vintage"] == first["vintage"]:
        row = valid.iloc[0]
    elif (code, per) in OFFICIAL_RELEASES and OFFICIAL_RELEASES[(code, per)] is None:
        raise NeverPublishedError(f"{code} {per} was never published: {first['issue']}",
                                  indicator=code, period=per, path=src)
    elif valid.empty:
        raise DataError(f"{code} {per}: no usable value ({first['issue']})", path=src)
    else:
        # the first vintage is not data (e.g. a placeholder): the first usable one stands in
        row = valid.iloc[0]
    frame = _with_changes(pd.DataFrame([row]), rows)
    ch = float(frame["change"].iloc[0])
    return Print(code, per, float(row["value"]), str(row["unit"]),
                 None if math.isnan(ch) else ch, pd.Timestamp(row["release_date"]),
                 str(row["release_source"]), int(row["vintage"]), str(row["raw"]))


@reads_source
def challenger_job_cuts(path: str | Path | None = None, *,
                        source: SourceLike = None) -> pd.DataFrame:
    """Challenger, Gray & Christmas announced job cuts, monthly, with release dates.

    Parameters
    ----------
    path : path, optional
        Default ``challenger_job_cuts_monthly_2025_2026.csv`` in the source's folder of raw
        files (``$CRASHLENS_DATA`` for the store).
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. Without ``path`` the file is read from the source's
        folder of raw files (:func:`crashlens.data.files_dir`).

    Returns
    -------
    DataFrame
        Indexed by ``period`` (YYYY-MM): ``cuts`` (announced job cuts, count, first print),
        ``release_date``, ``mom_pct`` and ``yoy_pct`` (percent vs the previous month / the same
        month a year earlier; NaN when that month is not in the file).
    """
    p = Path(path) if path is not None else data_file(CHALLENGER_FILE)
    rows = read_releases(p) if not p.is_file() else _cached(str(p), p.stat().st_mtime).copy()
    rows = rows[(rows["indicator"] == "CHALLENGER") & rows["valid"]]
    if rows.empty:
        raise DataError("no 'Job Cuts Report' rows", path=str(p), column="indicator")
    first = rows.sort_values("vintage").groupby("period").head(1).set_index("period").sort_index()
    out = pd.DataFrame({"cuts": first["value"].astype(float),
                        "release_date": first["release_date"]})
    idx = pd.PeriodIndex(out.index, freq="M")
    s = pd.Series(out["cuts"].to_numpy(), index=idx)
    prev = s.reindex(idx - 1).to_numpy()
    year = s.reindex(idx - 12).to_numpy()
    out["mom_pct"] = (out["cuts"].to_numpy() / prev - 1.0) * 100.0
    out["yoy_pct"] = (out["cuts"].to_numpy() / year - 1.0) * 100.0
    return out


__all__ = [
    "CHALLENGER_FILE", "FIRST_RELEASES_FILE", "INDICATORS", "MAGNITUDE_FACTOR",
    "OFFICIAL_RELEASES", "SCHEDULED_RELEASES", "SHUTDOWNS", "SHUTDOWN_2018", "SHUTDOWN_2025",
    "Print", "Shutdown", "challenger_job_cuts", "data_file", "first_print", "indicator_code",
    "known_at", "parse_value", "read_releases", "releases", "shutdown_delays",
]
