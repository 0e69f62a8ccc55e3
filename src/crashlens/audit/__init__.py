"""Claims audit: check a published note's numeric claims against data.

Each claim in a YAML file gets a verdict (confirmed / refuted / not checkable) with the measured
number beside the claimed one and the evidence (series, dates, method). See ``docs/scenarios.md``.
Typical use::

    import crashlens as cl
    res = cl.audit.audit("claims/2025-11-selloff.yaml")    # or audit("2025-11-selloff")
    res.to_frame()
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crashlens.audit.checks import Verdict, VerdictKind, check
from crashlens.audit.claims import (
    DEFAULT_TOLERANCE_PCT,
    EXAMPLES,
    Claim,
    ClaimsFile,
    load_claims,
    loads_claims,
)
from crashlens.audit.result import AuditResult
from crashlens.data.readers import make_source
from crashlens.data.source import SourceLike, reads_source
from crashlens.errors import ParameterError
from crashlens.notes import Note


@reads_source
def audit(claims: str | Path | ClaimsFile | list | dict, *, data: Any = None,
          source: SourceLike = None) -> AuditResult:
    """Check every claim of a claims file.

    Parameters
    ----------
    claims : path, ClaimsFile, list or dict
        A claims YAML file, the stem of a shipped example (``"2025-11-selloff"``,
        ``"2026-02-selloff"``), a loaded :class:`ClaimsFile`, or parsed content (a mapping
        with ``claims``, or a list of claim mappings).
    data : mapping, DataFrame or callable, optional
        Data instead of the store (tests); see :mod:`crashlens.data.readers`. Asset names
        are then checked against its keys; model claims are not checkable.
    source : Source, folder path, mapping of frames or None
        Where the series are read (default: the active source, normally the store); see
        :class:`crashlens.data.Source`. Everything the audit recomputes reads it: the claimed
        series, the engines behind model claims (CTA, contagion, crypto) and the files read by
        name (first prints, prediction-market odds, stablecoin caps) from its folder of raw
        files. A series the source lacks makes its claims "not checkable", naming it.

    Returns
    -------
    AuditResult

    Raises
    ------
    SpecError
        Invalid claims file (the message names the line).
    ParameterError
        Both ``data=`` and ``source=`` given.
    """
    if data is not None and source is not None:
        raise ParameterError("audit: give data= or source=, not both")
    known = None
    if data is not None and isinstance(data, dict):
        known = [str(k).upper() for k in data]
    cf = load_claims(claims, known=known)
    src = make_source(data)
    cache: dict[Any, Any] = {}  # one CTA model run per (date, assets)
    verdicts = [check(c, src, data, cache) for c in cf.claims]
    counts = {k.value: sum(v.verdict is k for v in verdicts) for k in VerdictKind}
    synthetic = False
    if data is None:
        from crashlens import data as cldata

        synthetic = cldata.is_synthetic()
    warnings = (Note("audit.synthetic"),) if synthetic else ()
    return AuditResult(
        name=cf.name, source=cf.source, path=cf.path, verdicts=verdicts, counts=counts,
        synthetic=synthetic, warnings=warnings, source_zh=cf.source_zh,
        assumptions={"default_tolerance_pct": DEFAULT_TOLERANCE_PCT,
                     "dating": "monthly macro series are dated by the month measured",
                     "vintage": "the data holds the latest revised vintage of macro series"})


__all__ = [
    "DEFAULT_TOLERANCE_PCT", "EXAMPLES", "AuditResult", "Claim", "ClaimsFile", "Verdict",
    "VerdictKind", "audit", "check", "load_claims", "loads_claims",
]
