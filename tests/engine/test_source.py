"""CTA batch jobs read through ``source=``: the store, or frames sent to the worker processes.

Frames of every stored series cut at the job's end give the same rows as the store, in process
and in a pool of two spawned workers (the frames are pickled to them); a folder of files is sent
as its path; the job id follows the data. A source that cannot be sent to workers is refused in
one line.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pandas as pd
import pytest

from crashlens import data
from crashlens.engine import LocalEngine, batch_cta
from crashlens.errors import ParameterError

pytestmark = pytest.mark.realdata

START, END = "2025-03-01", "2025-04-30"
# PLTR's file starts 2024-12-06: too short a history for the book in these blocks
KW = {"assets": ["SPX", "PLTR"], "block_months": 1, "flows": False, "mc_freq": "none"}


def _frames(end: str) -> data.FramesSource:
    out = {n: data.get(n, None, end) for n in data.names()}
    return data.FramesSource({n: f for n, f in out.items() if len(f)}, label="store frames")


@pytest.fixture(scope="module")
def store_run():
    return batch_cta(START, END, fresh=True, **KW)


def test_frames_in_process_and_in_a_pool_equal_the_store(store_run, raw_dir) -> None:
    src = _frames(END)
    a = store_run
    b = batch_cta(START, END, source=src, fresh=True, **KW)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert b.job_id != a.job_id  # the data is part of the request
    assert list(b.warnings) == list(a.warnings)
    # SPX closes are the CSV's
    spx_csv = pd.read_csv(raw_dir / "sp500_daily_ohlc.csv", parse_dates=["Date"],
                          index_col="Date")["Close"]
    spx = a.frame[a.frame["asset"] == "SPX"].set_index("date")["price"]
    assert spx.loc["2025-04-30"] == pytest.approx(float(spx_csv.loc["2025-04-30"]), rel=1e-9)
    assert not (a.frame["asset"] == "PLTR").any()
    with LocalEngine(processes=2) as eng:
        c = batch_cta(START, END, source=src, engine=eng, fresh=True, **KW)
    pd.testing.assert_frame_equal(a.frame, c.frame)
    assert c.job_id == b.job_id and list(c.warnings) == list(a.warnings)


def test_a_folder_source_is_read_by_each_worker(tmp_path) -> None:
    # a folder of your own CSV files (here: the store's SPX and GOLD written out), sent to the
    # workers as its path: the same rows as the same frames held in memory
    names = ["SPX", "GOLD"]
    frames = {n: data.get(n, None, END) for n in names}
    for n, f in frames.items():
        f.to_csv(tmp_path / f"{n}.csv")
    kw = {**KW, "assets": names}
    with LocalEngine(processes=2) as eng:
        a = batch_cta(START, END, source=data.FolderSource(tmp_path), engine=eng, fresh=True,
                      **kw)
    b = batch_cta(START, END, source=data.FramesSource(frames), fresh=True, **kw)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert len(set(a.partitions["worker_pid"])) >= 1 and set(a.frame["asset"]) >= set(names)
    # read in the worker processes, not here; only the folder's assets and the book total
    assert os.getpid() not in set(a.partitions["worker_pid"])
    assert set(a.frame["asset"]) == {*names, "TOTAL"}


class _Elsewhere(data.Source):
    """A source that lives outside this process (a stand-in for a remote or online one)."""

    label = "remote"

    def names(self) -> list[str]:
        return ["SPX"]

    def read(self, name: str, start: pd.Timestamp | None = None,
             end: pd.Timestamp | None = None, fields: Sequence[str] | None = None
             ) -> pd.DataFrame:
        return data.StoreSource().read(name, start, end, fields)


def test_sources_that_cannot_reach_workers_are_refused() -> None:
    with pytest.raises(ParameterError) as err:
        batch_cta(START, END, assets=["SPX"], source=_Elsewhere())
    assert "'remote'" in str(err.value) and "FramesSource" in str(err.value)
    assert "\n" not in str(err.value)
    prices = pd.DataFrame({"SPX": data.close("SPX", None, END)})
    with pytest.raises(ParameterError, match="not both"):
        batch_cta(START, END, prices=prices, source=_frames(END))
