"""contagion(assets=...) with the source among the assets."""

from __future__ import annotations

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
