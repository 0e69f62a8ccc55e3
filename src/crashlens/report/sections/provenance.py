"""Assumptions and data provenance.

Every series read, its source files, coverage and licence, and every section's assumptions
and warnings.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from crashlens import data as cldata
from crashlens.report import fmt
from crashlens.report.context import ReportContext, SectionOutput, Table

if TYPE_CHECKING:
    from crashlens.data.store import Store

SECTION_ID = "provenance"


def _is_money(key: str) -> bool:
    """Whether an assumption named ``key`` is a USD amount (``aum``, ``*_usd``, ``notional``)."""
    k = key.lower()
    return k.startswith("aum") or "usd" in k or "notional" in k


def param_text(value: Any, lang: str, key: str = "") -> str:
    """Format an assumption value (floats to 6 significant digits, lists joined).

    Never e-notation: USD amounts (by the parameter's name ``key``) read in $bn, other
    magnitudes of a million and more are written out with thousands separators.
    """
    if value is None:
        return fmt.DASH
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        f = float(value)
        if not math.isfinite(f):
            return fmt.DASH
        if _is_money(key) and abs(f) >= 1e6:
            return fmt.money_bn(f, lang)
        if abs(f) >= 1e6:
            return fmt.num(f, 0, lang)
        if isinstance(value, int):
            return str(value)
        text = f"{f:.6g}"
        return text if "e" not in text else fmt.num(f, 8, lang).rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return ", ".join(param_text(v, lang, key) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={param_text(v, lang, f'{key}.{k}')}" for k, v in value.items())
    return str(value)


def _stamp(value: Any) -> str:
    """The store's build time to the minute (``2026-11-21 05:29 UTC``), not raw ISO."""
    if value is None:
        return fmt.DASH
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        return str(value)
    if pd.isna(ts):
        return fmt.DASH
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
        return f"{ts:%Y-%m-%d %H:%M} UTC"
    return f"{ts:%Y-%m-%d %H:%M}"


def _store_of(src: cldata.Source) -> Store | None:
    """The store behind a source (itself, cut at a date, or recorded), else None."""
    base = src.base
    return base.store if isinstance(base, cldata.StoreSource) else None


def build(ctx: ReportContext) -> SectionOutput:
    """Build the provenance section from ``ctx.used`` and the other sections' outputs."""
    t, lang = ctx.t, ctx.lang
    out = SectionOutput(SECTION_ID, t("section.provenance"))
    src = ctx.data_source()
    st = _store_of(src)
    out.paragraphs.append(t("prov.lead") if st is not None
                          else t("prov.lead_source", source=src.label))
    if st is not None:
        manifest = st.manifest() or {}  # None only for a store never built: fields then "—"
        out.paragraphs.append(t("prov.store", created=_stamp(manifest.get("created")),
                                source=str(manifest.get("source", fmt.DASH)),
                                fp=str(manifest.get("fingerprint", ""))[:12]))
        _store_tables(ctx, out, st)
        out.data["store"] = {k: manifest.get(k) for k in ("created", "source", "fingerprint",
                                                           "synthetic")}
    else:
        # not the store: the series come from the caller's source, named by its label
        out.paragraphs.append(t("prov.source", source=src.label, fp=src.fingerprint()[:24]))
        _source_table(ctx, out, src)
    out.data["source"] = {"label": src.label, "fingerprint": src.fingerprint()}
    arows = [[o.title, str(k), param_text(v, lang, str(k))]
             for o in ctx.outputs.values() for k, v in o.assumptions.items()]
    if arows:
        out.tables.append(Table(t("prov.assumptions_table"),
                                [t("col.section"), t("col.parameter"), t("col.value")], arows,
                                ident="prov-assumptions"))
    else:
        out.paragraphs.append(t("prov.no_assumptions"))
    wrows = [[o.title, w] for o in ctx.outputs.values() for w in o.warnings]
    if wrows:
        out.tables.append(Table(t("prov.warnings_table"), [t("col.section"), t("col.warning")],
                                wrows, ident="prov-warnings"))
    out.data["series"] = sorted(ctx.used)
    return out


def _series_headers(ctx: ReportContext) -> list[str]:
    t = ctx.t
    return [t("col.series"), t("col.detail"), t("col.unit"), t("col.frequency"),
            t("col.first"), t("col.last"), t("col.rows"), t("col.sources"), t("col.licence")]


def _store_tables(ctx: ReportContext, out: SectionOutput, st: Store) -> None:
    """Series used (with the store's coverage) and the raw files behind them."""
    t, lang = ctx.t, ctx.lang
    listing = st.table("catalog")
    cov = st.table("coverage")
    files = (cov[cov["role"] != "cross-check"].groupby("series")["source"]
             .agg(lambda s: ", ".join(s)))  # as crashlens.data.list_series, for this store
    listing["sources"] = listing["name"].map(files).fillna("")
    used = listing[listing["name"].isin(sorted(ctx.used))].sort_values("name")
    rows = [[r["name"], str(r["description"]), t.get(f"unit.{r['unit']}", str(r["unit"])),
             t.get(f"freq.{r['frequency']}", str(r["frequency"])),
             fmt.date(r["first"], lang), fmt.date(r["last"], lang), fmt.num(r["rows"], 0, lang),
             str(r["sources"]), str(r["licence"])] for _, r in used.iterrows()]
    out.tables.append(Table(t("prov.series_table"), _series_headers(ctx), rows,
                            ident="prov-series"))
    cov = cov[cov["series"].isin(sorted(ctx.used))]
    frows = []
    for _, r in cov.iterrows():
        mrd = r["max_rel_diff"]
        frows.append([str(r["series"]), str(r["source"]), t.get(f"role.{r['role']}", r["role"]),
                      fmt.num(r["rows"], 0, lang),
                      fmt.date(r["first"], lang) if pd.notna(r["first"]) else fmt.DASH,
                      fmt.date(r["last"], lang) if pd.notna(r["last"]) else fmt.DASH,
                      fmt.pct(mrd, 3, lang) if pd.notna(mrd) else fmt.DASH])
    out.tables.append(Table(
        t("prov.files_table"),
        [t("col.series"), t("col.sources"), t("col.role"), t("col.rows"), t("col.first"),
         t("col.last"), t("prov.max_diff")], frows, ident="prov-files"))


def _source_table(ctx: ReportContext, out: SectionOutput, src: cldata.Source) -> None:
    """Series used, as the caller's source holds them up to the as-of date.

    A source other than the store has no raw files or splices: the files table is left out.
    """
    t, lang = ctx.t, ctx.lang
    rows = []
    for name in sorted(ctx.used & set(src.names())):
        sp = cldata.spec(name)
        frame = src.read(sp.name, None, ctx.asof)
        idx = frame.dropna(how="all").index
        rows.append([sp.name, sp.description, t.get(f"unit.{sp.unit}", sp.unit),
                     t.get(f"freq.{sp.frequency.value}", sp.frequency.value),
                     fmt.date(idx.min() if len(idx) else None, lang),
                     fmt.date(idx.max() if len(idx) else None, lang),
                     fmt.num(len(idx), 0, lang), src.label, ""])
    out.tables.append(Table(t("prov.series_table"), _series_headers(ctx), rows,
                            ident="prov-series"))
