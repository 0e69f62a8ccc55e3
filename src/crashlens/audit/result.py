"""Result of a claims audit."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from crashlens._result import Result, json_safe
from crashlens.audit.checks import Verdict, VerdictKind


@dataclasses.dataclass(frozen=True)
class AuditResult(Result):
    """Verdicts of every claim of a claims file.

    Attributes
    ----------
    name, source, path : str
        From the claims file.
    source_zh : str
        The file's Chinese source line when it gives one (else empty).
    verdicts : list of Verdict
        One per claim, in file order: verdict, claimed vs measured, evidence, note.
    counts : dict
        Number of confirmed / refuted / not_checkable claims.
    synthetic : bool
        True when the data is the synthetic market (verdicts then say nothing about reality).
    """

    name: str
    source: str
    path: str
    verdicts: list[Verdict]
    counts: dict[str, int]
    synthetic: bool = False
    source_zh: str = ""

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """JSON-safe dict; each verdict a record."""
        out = super().to_dict()
        out["verdicts"] = [json_safe(dataclasses.asdict(v)) for v in self.verdicts]
        return out

    def verdict(self, claim_id: str) -> Verdict:
        """The verdict of the claim ``claim_id``."""
        for v in self.verdicts:
            if v.id == claim_id:
                return v
        raise KeyError(claim_id)

    def to_frame(self) -> pd.DataFrame:
        """One row per claim: kind, verdict, claimed, measured, measured_text, note."""
        return pd.DataFrame([
            {"id": v.id, "kind": v.kind, "verdict": v.verdict.value, "claimed": v.claimed,
             "measured": v.measured, "measured_text": v.measured_text, "note": v.note,
             "text": v.text, "source": v.source}
            for v in self.verdicts
        ]).set_index("id")

    def summary(self) -> str:
        """Text summary: one line per claim."""
        c = self.counts
        lines = [f"Audit '{self.name}' ({self.source}): {c['confirmed']} confirmed, "
                 f"{c['refuted']} refuted, {c['not_checkable']} not checkable"
                 + ("  [SYNTHETIC DATA]" if self.synthetic else "")]
        mark = {VerdictKind.CONFIRMED: "CONFIRMED", VerdictKind.REFUTED: "REFUTED",
                VerdictKind.NOT_CHECKABLE: "NOT CHECKABLE"}
        for v in self.verdicts:
            lines.append(f"  [{mark[v.verdict]}] {v.id}: {v.text or v.claimed}")
            lines.append(f"      claimed: {v.claimed}")
            if v.measured_text:
                lines.append(f"      measured: {v.measured_text}")
            if v.note:
                lines.append(f"      note: {v.note}")
        for w in self.warnings:
            lines.append(f"  warning: {w}")
        return "\n".join(lines)

    def plot_verdicts(self) -> go.Figure:
        """Bar of verdict counts."""
        fig = go.Figure(go.Bar(x=list(self.counts), y=list(self.counts.values())))
        fig.update_layout(title=f"Claims audit — {self.name}")
        return fig
