"""CTA batch: equal to one direct history()/positioning() run, partition layout, resume, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crashlens import cta
from crashlens.engine import batch_cta, date_blocks
from crashlens.errors import ParameterError, UnknownSeriesError

START, END = "2022-01-01", "2022-03-31"


@pytest.fixture(scope="module")
def direct(prices, small_params):
    """The same numbers from a single CTA-engine call over the whole range (no partitions)."""
    return cta.history(START, END, prices=prices, params=small_params, triggers=True, flows=True)


@pytest.fixture(scope="module")
def monthly(tmp_path_factory, prices, small_params):
    """One monthly batch shared by the tests that read it (in its own CRASHLENS_HOME)."""
    home = tmp_path_factory.mktemp("monthly-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CRASHLENS_HOME", str(home))
        yield batch_cta(START, END, prices=prices, params=small_params, block_months=1)


def test_partition_layout(monthly):
    # 3 monthly blocks x (2 assets + 1 book)
    assert monthly.n_partitions == 9 and monthly.computed == 9 and monthly.skipped == 0
    assert sorted(monthly.partitions["partition"])[:3] == [
        "asset-GOLD-20220101-20220131", "asset-GOLD-20220201-20220228",
        "asset-GOLD-20220301-20220331"]
    assert monthly.partitions["rows"].sum() > 0
    stored = pd.read_parquet(monthly.output)
    pd.testing.assert_frame_equal(stored, monthly.frame, check_dtype=False)


def test_equals_one_history_call(monthly, direct):
    got = monthly.frame[monthly.frame["asset"] != "TOTAL"].set_index(["date", "asset"])
    want = direct.frame.set_index(["date", "asset"])
    assert not got.index.has_duplicates
    assert got.index.sort_values().equals(want.index.sort_values())
    got = got.loc[want.index]
    for col in want.columns:
        np.testing.assert_allclose(got[col].to_numpy(float), want[col].to_numpy(float),
                                   rtol=1e-10, atol=1e-6, err_msg=col)


def test_totals_are_sums_over_assets(monthly, direct):
    total = monthly.frame[monthly.frame["asset"] == "TOTAL"].set_index("date")
    by_date = direct.frame.groupby("date")[["notional_usd", "flow_1w_down"]].sum()
    np.testing.assert_allclose(total["notional_usd"], by_date.loc[total.index, "notional_usd"],
                               rtol=1e-10)
    np.testing.assert_allclose(total["flow_1w_down"], by_date.loc[total.index, "flow_1w_down"],
                               rtol=1e-10)


def test_monte_carlo_bands_on_month_ends(monthly, prices, small_params):
    mc = monthly.frame.dropna(subset=["mc_1w_q05"])
    days = sorted(mc["date"].unique())
    # last common trading day of each month
    assert [pd.Timestamp(d).date().isoformat() for d in days] == [
        "2022-01-31", "2022-02-28", "2022-03-31"]
    res = cta.positioning("2022-02-28", prices=prices, params=small_params, mc=True)
    row = mc[(mc["date"] == "2022-02-28")].set_index("asset")
    for name in ("SPX", "GOLD"):
        for h in ("1w", "1m"):
            for q, v in res.assets[name]["mc_flows_usd"][h].items():
                assert row.loc[name, f"mc_{h}_{q}"] == pytest.approx(v, rel=1e-12)
    assert row.loc["TOTAL", "mc_1m_q50"] == pytest.approx(
        res.total["mc_flows_usd"]["1m"]["q50"], rel=1e-12)
    assert np.all(mc["mc_1m_q05"] <= mc["mc_1m_q95"])


def test_rerun_resumes_without_recomputing(monthly, prices, small_params):
    parts = monthly.path + "/parts"
    import os

    before = {f: os.stat(os.path.join(parts, f)).st_mtime_ns for f in os.listdir(parts)}
    victim = "book-20220201-20220228.parquet"
    os.remove(os.path.join(parts, victim))
    again = batch_cta(START, END, prices=prices, params=small_params, block_months=1)
    assert again.job_id == monthly.job_id
    assert again.computed == 1 and again.skipped == 8
    assert again.partitions.set_index("partition").loc["book-20220201-20220228", "computed"]
    after = {f: os.stat(os.path.join(parts, f)).st_mtime_ns for f in os.listdir(parts)}
    assert set(after) == set(before)
    assert all(after[f] == before[f] for f in before if f != victim)
    pd.testing.assert_frame_equal(again.frame, monthly.frame)
    fresh = batch_cta(START, END, prices=prices, params=small_params, block_months=1,
                      fresh=True)
    assert fresh.computed == 9


def test_no_flows_no_mc_yearly_block(home, prices, small_params, direct):
    res = batch_cta(START, END, prices=prices, params=small_params, flows=False,
                    mc_freq="none")
    assert res.n_partitions == 3  # one 2022 block: 2 assets + book
    assert not any(c.startswith(("flow_", "mc_")) for c in res.frame.columns)
    got = res.frame[res.frame["asset"] == "SPX"]["trigger_short"].to_numpy()
    want = direct.frame[direct.frame["asset"] == "SPX"]["trigger_short"].to_numpy()
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_asset_without_enough_history_is_left_out_of_early_blocks(home, prices, small_params):
    late = prices.copy()
    late.loc[:"2021-03-31", "GOLD"] = np.nan  # GOLD starts 2021-04: no 252-day history in 2022-01
    res = batch_cta(START, "2022-02-28", prices=late, params=small_params, block_months=1,
                    flows=False, mc_freq="none")
    assert not (res.frame["asset"] == "GOLD").any()
    assert any("GOLD" in w for w in res.warnings)
    spx = res.frame[res.frame["asset"] == "SPX"]
    assert spx["weight"].notna().all() and len(spx) == len(pd.bdate_range(START, "2022-02-28"))


def test_date_blocks():
    b = date_blocks(pd.Timestamp("2020-11-15"), pd.Timestamp("2022-02-01"), 12)
    assert [(s.date().isoformat(), e.date().isoformat()) for s, e in b] == [
        ("2020-11-15", "2020-12-31"), ("2021-01-01", "2021-12-31"), ("2022-01-01", "2022-02-01")]
    q = date_blocks(pd.Timestamp("2021-02-10"), pd.Timestamp("2021-07-01"), 3)
    assert [s.month for s, _ in q] == [2, 4, 7]
    with pytest.raises(ParameterError, match="block_months"):
        date_blocks(pd.Timestamp("2021-01-01"), pd.Timestamp("2021-02-01"), 0)


def test_bad_input(home, prices, small_params):
    with pytest.raises(ParameterError, match="start 2022-03-01 is after end 2022-01-31"):
        batch_cta("2022-03-01", "2022-01-31", prices=prices)
    with pytest.raises(ParameterError, match="not a date"):
        batch_cta("yesterday-ish", "2022-01-31", prices=prices)
    with pytest.raises(UnknownSeriesError, match="SPY"):
        batch_cta(START, END, assets=["SPY"], prices=prices)
    with pytest.raises(ParameterError, match="mc_freq"):
        batch_cta(START, END, prices=prices, mc_freq="hourly")
    with pytest.raises(ParameterError, match="mc_paths"):
        batch_cta(START, END, prices=prices, mc_paths=0)
    with pytest.raises(ParameterError, match="job id"):
        batch_cta(START, END, prices=prices, job_id="../escape")


def test_job_id_reused_for_another_request(home, prices, small_params):
    batch_cta(START, "2022-01-31", prices=prices, params=small_params, flows=False,
              mc_freq="none", job_id="mine")
    with pytest.raises(ParameterError, match="different request"):
        batch_cta(START, "2022-02-28", prices=prices, params=small_params, flows=False,
                  mc_freq="none", job_id="mine")
