"""contagion(assets=...) with the source among the assets."""

from __future__ import annotations

import pandas as pd
import pytest

from crashlens.errors import ParameterError


@pytest.mark.realdata
def test_source_among_assets_is_dropped_not_an_error(raw_dir):
    from crashlens.systemic import contagion

    with_btc = contagion("2025-11-21", assets=["SPX", "BTC", "NDX", "spx"])
    without = contagion("2025-11-21", assets=["SPX", "NDX"])
    assert set(with_btc.betas) == set(without.betas) == {"SPX", "NDX"}
    assert with_btc.betas["SPX"]["beta"] == without.betas["SPX"]["beta"]
    with pytest.raises(ParameterError, match="besides the source BTC"):
        contagion("2025-11-21", assets=["BTC"])


@pytest.mark.realdata
def test_history_drops_the_transmitter_and_keeps_the_other_columns(raw_dir):
    """Before, BTC in the list reached aligned_returns(["BTC", "BTC"]): 'duplicate names'."""
    from crashlens.systemic import contagion_history

    # "btc" in lower case and a repeated COIN: the same filter as contagion()
    with_tx = contagion_history("2025-06-01", "2025-11-21",
                                equities=("COIN", "btc", "NDX", "COIN"))
    without = contagion_history("2025-06-01", "2025-11-21", equities=("COIN", "NDX"))
    assert list(with_tx.betas.columns) == list(with_tx.correlations.columns) == ["COIN", "NDX"]
    pd.testing.assert_frame_equal(with_tx.betas, without.betas)
    pd.testing.assert_frame_equal(with_tx.correlations, without.correlations)
    # the history of a name that is kept does not depend on the names around it: COIN alone
    alone = contagion_history("2025-06-01", "2025-11-21", equities=("COIN",))
    pd.testing.assert_series_equal(with_tx.betas["COIN"], alone.betas["COIN"])


@pytest.mark.realdata
def test_history_with_only_the_transmitter_is_the_contagion_error(raw_dir):
    from crashlens.systemic import contagion_history

    with pytest.raises(ParameterError, match="besides the source NDX"):
        contagion_history("2025-06-01", "2025-11-21", transmitter="ndx", equities=("NDX",))
