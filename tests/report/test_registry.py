"""The engine registry refuses a parameter an engine does not take instead of dropping it."""

from __future__ import annotations

import pandas as pd
import pytest

from crashlens.errors import ParameterError
from crashlens.report import engines


@pytest.mark.parametrize("name, fn", [("crypto", "leverage"), ("analogs", "analogs"),
                                      ("macro", "lens")])
def test_assets_refused_where_meaningless(name, fn):
    req = engines.Request(asof=pd.Timestamp("2025-11-21"), assets=("SPX",))
    with pytest.raises(ParameterError, match=rf"^assets: the {fn}\(\) engine takes no 'assets'"):
        engines.call(name, req)


def test_to_json_detail_is_one_signature():
    class Stub:
        def to_dict(self, detail: bool = False) -> dict:
            return {"detail": detail}

    assert engines.to_json(Stub(), True) == {"detail": True}
    assert engines.to_json(Stub()) == {"detail": False}
