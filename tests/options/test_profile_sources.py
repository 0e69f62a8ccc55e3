"""gamma_profile() sources, and gex() recovering the synthetic chain's ground truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crashlens.errors import DataError
from crashlens.options import chain_from_frame, gamma_profile, gex


@pytest.fixture(scope="module")
def market():
    from crashlens.data.synthetic import generate

    return generate()


def test_gex_recovers_synthetic_truth(market):
    truth = market.truth.chain
    ch = chain_from_frame(market.chain(truth.asof), spot=truth.spot)
    # the generator's own grid: linspace(0.8, 1.2 x spot, 801)
    res = gex(ch, grid_points=801, grid_spacing="linear")
    assert res.zero_gamma == pytest.approx(truth.zero_gamma, rel=1e-9)
    assert res.total_gex_usd_per_1pct == pytest.approx(truth.gex_at_spot, rel=1e-9)
    assert res.call_wall == truth.call_wall and res.put_wall == truth.put_wall
    assert res.zero_dte_share == pytest.approx(truth.zero_dte_volume_share, rel=1e-12)
    assert res.next_expiry == truth.expiries[0]
    # 2025-11-21 is November's third Friday (standard monthly expiration date)
    assert res.next_monthly_expiry == truth.expiries[1].normalize()


def test_gamma_profile_synthetic(monkeypatch, market):
    monkeypatch.delenv("CRASHLENS_DATA", raising=False)
    prof = gamma_profile("2025-11-20")
    assert prof.source == "synthetic" and any("SYNTHETIC" in w for w in prof.warnings)
    assert prof.spot0 == pytest.approx(market.truth.chain.spot)
    assert prof.spot.shape == prof.gex_per_1pct.shape == (201,)
    assert np.isfinite(prof.gex_per_1pct).all()


@pytest.mark.realdata
def test_gamma_profile_real(spy_chain_path):
    prof = gamma_profile("2025-09-26")
    assert prof.underlying == "SPY" and prof.spot0 == 658.05 and prof.status == "current"
    # 2025-11-19: the September chain's last expiry (31 Oct) has settled -> shown, labelled
    old = gamma_profile("2025-11-19")
    assert old.asof == prof.asof and old.zero_gamma == prof.zero_gamma
    assert old.status == "expired" and not old.is_current
    assert any("2025-09-25, 55 days before 2025-11-19" in w and "last chain, expired" in w
               for w in old.warnings)
    # 2025-11-20: the Spanish-locale event-day chain, quoted 9:52 GMT-5 = 9:52 ET
    day = gamma_profile("2025-11-20")
    assert day.status == "current" and day.spot0 == 673.47
    assert day.asof == pd.Timestamp("2025-11-20 09:52")
    # 2025-12-10: the November chain still has open expiries (to 2028) but is 20 days old
    later = gamma_profile("2025-12-10")
    assert later.asof == day.asof and later.status == "stale"
    with pytest.raises(DataError, match="no option chain"):
        gamma_profile("2025-09-01")  # before the snapshot


def test_gamma_profile_summary_and_plot(monkeypatch, market):
    monkeypatch.delenv("CRASHLENS_DATA", raising=False)
    prof = gamma_profile("2025-11-20")
    i = int(np.argmin(np.abs(prof.spot - prof.spot0)))
    lines = prof.summary().splitlines()
    assert lines[0].startswith(f"{prof.underlying} dealer gamma profile as of ")
    assert f"spot {prof.spot0:,.2f}" in lines[1]
    assert f"GEX at spot {prof.gex_per_1pct[i] / 1e9:+,.2f} bn USD per 1 %" in lines[1]
    assert lines[2] == (f"  grid {prof.spot.min():,.0f}..{prof.spot.max():,.0f} "
                        f"({len(prof.spot)} spots)")
    fig = prof.plot_profile()
    np.testing.assert_allclose(np.asarray(fig.data[0].x, dtype=float), prof.spot)


@pytest.mark.realdata
def test_gamma_history_uses_only_chains_quoted_by_the_date(spy_chain_path):
    import csv

    from crashlens.options import gamma_history

    folder = spy_chain_path.parent
    files = sorted(folder.glob("*quotedata*.csv"))
    hist = gamma_history("2026-02-06")
    f = hist.frame
    assert len(f) == len(files) and f.index.is_monotonic_increasing
    for name, row in zip(f["source"], f.to_dict("records"), strict=True):
        with open(folder / name, newline="") as fh:
            lines = list(csv.reader(fh))
        # spot and the number of expiries, read from the file with plain csv
        last = next(c for c in lines[1] if c.startswith("Last:"))
        assert row["spot"] == float(last.split(":")[1])
        assert row["expiries"] == len({r[0] for r in lines[4:] if r})
        assert row["put_wall"] <= row["call_wall"]
    # as of 19 Nov 2025 only the September chain had been quoted
    early = gamma_history("2025-11-19").frame
    assert list(early["source"]) == ["spy_options_chain_20250925_quotedata.csv"]
    with pytest.raises(DataError, match="no option chain is quoted on or before 2025-09-01"):
        gamma_history("2025-09-01")
