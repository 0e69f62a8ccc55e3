"""Parameter validation of the public entry points (no data needed)."""

from __future__ import annotations

import pytest

from crashlens.crypto import leverage_history
from crashlens.errors import ParameterError
from crashlens.systemic import contagion, contagion_history, fragility, fragility_history


def test_unknown_parameters_and_weights():
    with pytest.raises(ParameterError, match="unknown fragility parameter"):
        fragility("2025-11-21", ar_windw=250)
    with pytest.raises(ParameterError, match="unknown component"):
        fragility("2025-11-21", weights={"turbulance": 1.0})
    with pytest.raises(ParameterError, match="positive sum"):
        fragility("2025-11-21", weights={"turbulence": 0.0})
    with pytest.raises(ParameterError, match="unknown contagion parameter"):
        contagion("2025-11-21", lag=2)


@pytest.mark.parametrize("fn", [fragility_history, contagion_history, leverage_history])
def test_start_after_end(fn):
    with pytest.raises(ParameterError, match="after end"):
        fn("2025-12-01", "2025-01-01")
