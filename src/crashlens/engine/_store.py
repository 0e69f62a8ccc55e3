"""On-disk state of a batch job: one Parquet file per finished partition and a manifest.

Layout under ``CRASHLENS_HOME/batch/<job-id>/``::

    manifest.json           job spec, partition list, finished partitions (rewritten atomically)
    parts/<partition>.parquet  one file per finished partition (written atomically; its
                               compute record, seconds / worker / warnings, in the metadata)
    result.parquet          the combined output (written by the combine step)

A partition file only ever appears by ``os.replace`` of a complete temporary file in the same
folder, so its existence means the partition finished; a batch killed at any moment leaves
either no file or a complete one. On restart the finished partitions are skipped (never
recomputed, never duplicated) and stray temporary files are removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from crashlens._atomic import write_atomic
from crashlens._result import json_safe
from crashlens.config import home_dir
from crashlens.errors import DataError, ParameterError

_JOB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_TMP = ".tmp-"
_META_KEY = b"crashlens.batch"


def spec_hash(spec: dict[str, Any]) -> str:
    """Stable 12-hex-digit hash of a JSON-safe job spec."""
    text = json.dumps(json_safe(spec), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    write_atomic(path, data)  # temporary file + fsync + os.replace; regular files only


class JobStore:
    """Folder of one batch job.

    Parameters
    ----------
    kind : str
        ``cta`` or ``gex``.
    spec : dict
        JSON-safe description of the request (what is computed, not how); hashed into the
        default job id and checked on resume.
    job_id : str, optional
        Folder name; default ``<kind>-<hash of spec>`` so re-running the same request resumes.
    root : Path, optional
        Parent folder; default ``CRASHLENS_HOME/batch``.
    fresh : bool
        Delete the job's finished partitions first (recompute everything).

    Raises
    ------
    ParameterError
        Malformed job id, or an existing job with that id computed a different spec.
    """

    def __init__(self, kind: str, spec: dict[str, Any], job_id: str | None = None, *,
                 root: Path | None = None, fresh: bool = False) -> None:
        self.kind = kind
        self.spec = json_safe(spec)
        self.hash = spec_hash(spec)
        self.job_id = job_id or f"{kind}-{self.hash}"
        if not _JOB_ID.match(self.job_id):
            raise ParameterError(f"job id {self.job_id!r}: use letters, digits, '-', '_', '.' "
                                 "(at most 100 characters)")
        self.root = (root or home_dir() / "batch") / self.job_id
        self.parts_dir = self.root / "parts"
        self.manifest_path = self.root / "manifest.json"
        self.result_path = self.root / "result.parquet"
        self.parts_dir.mkdir(parents=True, exist_ok=True)
        old = self.read_manifest()
        if old is not None and old.get("spec_hash") != self.hash and not fresh:
            raise ParameterError(
                f"batch job '{self.job_id}' in {self.root} was started with a different "
                "request; pass --fresh to recompute it or choose another --job-id")
        # leftovers of a killed writer: the old naming and write_atomic's (.NAME.XXXX.tmp)
        for pattern in (f"{_TMP}*", ".*.tmp"):
            for tmp in self.root.rglob(pattern):
                tmp.unlink(missing_ok=True)
        if fresh:
            for f in self.parts_dir.glob("*.parquet"):
                f.unlink()
            self.result_path.unlink(missing_ok=True)

    # ------------------------------------------------------------------ partitions
    def part_path(self, pid: str) -> Path:
        """File of partition ``pid``."""
        return self.parts_dir / f"{pid}.parquet"

    def finished(self) -> set[str]:
        """Ids of the partitions whose file exists (complete by construction)."""
        return {p.stem for p in self.parts_dir.glob("*.parquet") if not p.name.startswith(".")}

    def write_partition(self, pid: str, frame: pd.DataFrame, info: dict[str, Any]) -> Path:
        """Write one partition atomically, its compute record in the Parquet metadata."""
        table = pa.Table.from_pandas(frame, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[_META_KEY] = json.dumps(json_safe(
            {**info, "rows": len(frame),
             "written_at": dt.datetime.now(dt.UTC).isoformat()})).encode()
        path = self.part_path(pid)
        buf = io.BytesIO()
        pq.write_table(table.replace_schema_metadata(meta), buf)
        _atomic_write_bytes(path, buf.getvalue())  # atomic for readers and against a kill
        return path

    def read_partition(self, pid: str) -> tuple[pd.DataFrame, dict[str, Any]]:
        """Frame and compute record of one finished partition (one read)."""
        path = self.part_path(pid)
        try:
            table = pq.read_table(path)
            meta = table.schema.metadata or {}
            info: dict[str, Any] = json.loads(meta.get(_META_KEY, b"{}"))
            return table.to_pandas(), info
        except (OSError, ValueError) as exc:
            raise DataError(f"cannot read batch partition ({exc}); rerun with --fresh",
                            path=str(path)) from exc

    # ------------------------------------------------------------------ manifest
    def read_manifest(self) -> dict[str, Any] | None:
        """The manifest, or None when the job is new."""
        if not self.manifest_path.is_file():
            return None
        try:
            out: dict[str, Any] = json.loads(self.manifest_path.read_text())
        except (OSError, ValueError) as exc:
            raise DataError(f"batch manifest is unreadable ({exc}); rerun with --fresh",
                            path=str(self.manifest_path)) from exc
        return out

    def write_manifest(self, partitions: list[str], state: str,
                       extra: dict[str, Any] | None = None) -> None:
        """Rewrite the manifest atomically (spec, partition list, finished partitions)."""
        done = self.finished()
        payload = {
            "job_id": self.job_id, "kind": self.kind, "spec_hash": self.hash,
            "spec": self.spec, "state": state,
            "n_partitions": len(partitions), "n_finished": len(done & set(partitions)),
            "pending": [p for p in partitions if p not in done],
            "finished": [p for p in partitions if p in done],
            **(json_safe(extra) if extra else {}),
        }
        _atomic_write_bytes(self.manifest_path,
                            json.dumps(payload, indent=1, allow_nan=False).encode())

    def write_result(self, frame: pd.DataFrame) -> Path:
        """Write the combined output atomically."""
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        _atomic_write_bytes(self.result_path, buf.getvalue())
        return self.result_path
