"""Result object of a batch job."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from crashlens._result import Result, json_safe


@dataclasses.dataclass(frozen=True)
class BatchResult(Result):
    """Outcome of a partitioned batch job (``crashlens batch cta|gex``).

    Attributes
    ----------
    job_id : str
        Folder name under ``CRASHLENS_HOME/batch``.
    kind : str
        ``cta`` or ``gex``.
    path : str
        Job folder (``manifest.json``, ``parts/``, ``result.parquet``).
    output : str
        The combined Parquet file.
    n_partitions, computed, skipped : int
        Partitions in the job; computed by this run; found finished on disk and skipped
        (a resumed job).
    rows : int
        Rows of the combined output.
    engine : dict
        Backend used (``engine``, ``workers``, ``scheduler``).
    seconds : float
        Wall time of this run (compute + combine).
    frame : DataFrame
        The combined output. CTA: one row per (date, asset) with ``price``, ``signal``,
        ``trigger_*``, ``weight``, ``notional_usd``, ``flow_<h>_<tape>``, ``mc_<h>_q<NN>``
        (USD; ``asset == "TOTAL"`` rows hold book sums). GEX: one row per chain file.
    partitions : DataFrame
        One row per partition: ``partition``, ``rows``, ``seconds`` (compute time),
        ``worker_pid``, ``computed`` (this run) or not (resumed).
    """

    job_id: str
    kind: str
    path: str
    output: str
    n_partitions: int
    computed: int
    skipped: int
    rows: int
    engine: dict[str, Any]
    seconds: float
    frame: pd.DataFrame = dataclasses.field(repr=False)
    partitions: pd.DataFrame = dataclasses.field(repr=False)

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """Job metadata, the per-partition table and the assumptions (not the output rows)."""
        return {
            "job_id": self.job_id, "kind": self.kind, "path": self.path,
            "output": self.output, "n_partitions": self.n_partitions,
            "computed": self.computed, "skipped": self.skipped, "rows": self.rows,
            "engine": json_safe(self.engine), "seconds": json_safe(self.seconds),
            "partitions": json_safe(self.partitions),
            "assumptions": json_safe(dict(self.assumptions)),
            "warnings": list(self.warnings),
        }

    def to_frame(self) -> pd.DataFrame:
        """The combined output."""
        return self.frame

    def summary(self) -> str:
        """A few lines: job, partitions computed / resumed, output file, warnings."""
        lines = [
            f"batch {self.kind} job {self.job_id}: {self.n_partitions} partitions "
            f"({self.computed} computed, {self.skipped} already finished), {self.rows} rows "
            f"in {self.seconds:.1f} s on {self.engine.get('engine')} "
            f"x{self.engine.get('workers')}",
            f"output: {self.output}",
        ]
        shown = self.warnings[:10]
        lines.extend(f"warning: {w}" for w in shown)
        if len(self.warnings) > len(shown):
            lines.append(f"... and {len(self.warnings) - len(shown)} more warnings")
        return "\n".join(lines)

    def plot_partitions(self) -> go.Figure:
        """Compute seconds per partition, coloured by worker process (load balance)."""
        p = self.partitions
        fig = go.Figure()
        for pid, g in p.groupby("worker_pid", dropna=False, sort=True):
            fig.add_trace(go.Bar(x=g["partition"], y=g["seconds"], name=f"worker {pid}"))
        fig.update_layout(title=f"batch {self.job_id}: seconds per partition",
                          xaxis_title="partition", yaxis_title="seconds")
        return fig
