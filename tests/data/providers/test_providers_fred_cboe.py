"""FRED CSV and CBOE option-chain providers against recorded-format responses."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import numpy as np
import pandas as pd
import pytest
from _provider_replay import Reply, load, make

from crashlens.data.providers import CboeOptionsProvider, FredProvider, parse_option_symbol
from crashlens.data.schema import CHAIN_COLUMNS
from crashlens.errors import ParameterError, ProviderError

FRED = "/graph/fredgraph.csv"


# --- FRED ------------------------------------------------------------------------------------


def test_fred_values_and_missing_holiday(server):
    server.add(FRED, Reply.file("fred_dgs10.csv"))
    res = make(FredProvider, server).fetch(
        series_id="DGS10", start=dt.date(2025, 11, 17), end=dt.date(2025, 11, 28)
    )
    # Independent parse with the csv module: every non-empty value, by date.
    rows = list(csv.DictReader(io.StringIO(load("fred_dgs10.csv").decode())))
    expected = {r["observation_date"]: float(r["DGS10"]) for r in rows if r["DGS10"] != ""}
    got = {d.date().isoformat(): v for d, v in res.frame["value"].items()}
    assert got == expected
    assert "2025-11-27" not in got  # Thanksgiving: missing, not NaN
    assert not res.frame["value"].isna().any()
    assert res.frame.loc["2025-11-20", "value"] == 4.10  # SOURCES.md: DGS10 on 2025-11-20
    assert any("1 missing observation" in w and "2025-11-27" in w for w in res.warnings)
    (hit,) = server.hits
    assert hit.query == {"id": "DGS10", "cosd": "2025-11-17", "coed": "2025-11-28"}
    assert res.kind == "value" and res.symbol == "DGS10"


def test_fred_legacy_header_and_dot_missing(server):
    server.add(FRED, Reply.file("fred_unrate_legacy.csv"))
    res = make(FredProvider, server).fetch(series_id="UNRATE")
    assert [d.date().isoformat() for d in res.frame.index] == [
        "2025-06-01", "2025-07-01", "2025-08-01", "2025-09-01", "2025-11-01"
    ]
    assert res.frame["value"].tolist() == [4.1, 4.2, 4.3, 4.4, 4.5]
    assert any("2025-10-01" in w for w in res.warnings)  # the shutdown gap is reported


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (load("fred_html_error.html"), "expected CSV, got HTML"),
        (load("fred_dgs10_truncated.csv"), r"line 4: expected 2 fields, got 1 \(truncated"),
        (b"observation_date,DGS10\n2025-11-1,4.1\n", "'2025-11-1' is not a YYYY-MM-DD date"),
        (load("fred_dgs10_nonnumeric.csv"), r"line 3, column 'DGS10': 'n/a\?' is not a number"),
        (b"observation_date,DGS2\n2025-11-17,3.6\n", "is not the requested series 'DGS10'"),
        (b"when,what,why\n1,2,3\n", "unexpected CSV header"),
        (b"observation_date,DGS10\n2025-11-17,4.1,9\n", "expected 2 fields, got 3"),
        (b"", "empty response body"),
    ],
    ids=["html", "truncated", "bad-date", "non-numeric", "other-series", "header", "fields",
         "empty"],
)
def test_fred_bad_bodies(server, body, match):
    server.add(FRED, Reply(200, body))
    with pytest.raises(ProviderError, match=match) as exc:
        make(FredProvider, server).fetch(series_id="DGS10")
    assert str(exc.value).startswith("fred: ") and f"{server.url}{FRED}?id=DGS10" in str(exc.value)


# --- CBOE ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("symbol", "root", "expiry", "cp", "strike"),
    [
        ("SPY250926C00650000", "SPY", "2025-09-26", "C", 650.0),
        ("SPXW251017P05800000", "SPXW", "2025-10-17", "P", 5800.0),
        ("QQQ251219C00512500", "QQQ", "2025-12-19", "C", 512.5),
        ("VIX251022C00017500", "VIX", "2025-10-22", "C", 17.5),
    ],
)
def test_parse_option_symbol(symbol, root, expiry, cp, strike):
    assert parse_option_symbol(symbol) == (root, pd.Timestamp(expiry), cp, strike)


@pytest.mark.parametrize("bad", ["SPY", "SPY250926X00650000", "SPY259926C00650000", ""])
def test_parse_option_symbol_rejects(bad):
    with pytest.raises(ValueError):
        parse_option_symbol(bad)


def test_cboe_chain(server):
    server.add("/api/global/delayed_quotes/options/SPY.json", Reply.file("cboe_spy.json"))
    res = make(CboeOptionsProvider, server).fetch(symbol="SPY")
    f = res.frame
    assert tuple(f.columns) == CHAIN_COLUMNS and res.kind == "chain"
    raw = [o for o in json.loads(load("cboe_spy.json"))["data"]["options"]
           if o["option"] != "SPY_BAD_SYMBOL"]
    assert len(f) == len(raw) == 7
    # Row check by hand: SPY 2025-09-26 650 call.
    row = f[(f.expiry == pd.Timestamp("2025-09-26 16:00")) & (f.strike == 650.0)
            & (f.option_type == "C")].iloc[0]
    assert (row.bid, row.ask, row["last"], row.iv) == (7.95, 8.10, 8.02, 0.1532)
    assert (row.open_interest, row.volume, row.multiplier) == (12873.0, 45120.0, 100.0)
    assert row.underlying == "SPY"
    # 2025-09-26 01:05 UTC is 2025-09-25 21:05 EDT (the snapshot time of the raw quotedata).
    assert (f.quote_time == pd.Timestamp("2025-09-25 21:05")).all()
    # iv 0 means "not solvable": NaN, with a warning; the unparsable symbol is reported.
    assert np.isnan(f.loc[f.strike == 700.0, "iv"]).all()
    text = " ".join(res.warnings)
    assert "SPY_BAD_SYMBOL" in text and "iv <= 0" in text
    assert res.meta["underlying_price"] == 658.05
    assert list(f.sort_values(["expiry", "strike", "option_type"]).index) == list(f.index)


def test_cboe_index_underscore_path_and_am_settlement(server):
    server.add("/api/global/delayed_quotes/options/_SPX.json", Reply.file("cboe_spx.json"))
    res = make(CboeOptionsProvider, server).fetch(symbol="SPX")
    f = res.frame.set_index("option_type")
    assert res.symbol == "SPX" and set(res.frame.underlying) == {"SPX"}
    assert f.loc["C", "expiry"] == pd.Timestamp("2025-10-17 09:30")  # SPX monthly: AM
    assert f.loc["P", "expiry"] == pd.Timestamp("2025-10-17 16:00")  # SPXW: PM


def test_cboe_timestamp_zone_is_a_parameter(server):
    server.add("/api/global/delayed_quotes/options/SPY.json", Reply.file("cboe_spy.json"))
    res = make(CboeOptionsProvider, server).fetch(symbol="SPY", timestamp_tz="America/New_York")
    assert (res.frame.quote_time == pd.Timestamp("2025-09-26 01:05")).all()
    assert res.assumptions["timestamp_tz"] == "America/New_York"
    with pytest.raises(ParameterError, match="unknown time zone"):
        make(CboeOptionsProvider, server).fetch(symbol="SPY", timestamp_tz="Mars/Olympus")


@pytest.mark.parametrize(
    ("doc", "match"),
    [
        ({"timestamp": "2025-09-26 01:05:00", "data": {"options": []}}, "no option contracts"),
        ({"timestamp": "2025-09-26 01:05:00"}, "no 'data' object"),
        ({"timestamp": "soon", "data": {"options": [{"option": "SPY250926C00650000"}]}},
         "bad or missing 'timestamp'"),
        ({"timestamp": "2025-09-26 01:05:00", "data": {"options": [{"option": "garbage"}]}},
         "no contract symbol could be parsed"),
        ({"timestamp": "2025-09-26 01:05:00",
          "data": {"options": [{"option": "SPY250926C00650000", "bid": "cheap"}]}},
         "non-numeric field"),
    ],
    ids=["empty", "no-data", "timestamp", "symbols", "non-numeric"],
)
def test_cboe_bad_bodies(server, doc, match):
    server.add("/api/global/delayed_quotes/options/SPY.json", Reply(200, json.dumps(doc).encode()))
    with pytest.raises(ProviderError, match=match):
        make(CboeOptionsProvider, server).fetch(symbol="SPY")


def test_cboe_chain_feeds_the_options_engine(server):
    # The provider's chain must be accepted as is by the options layer's validator, with the
    # same settlement times that layer would assign.
    from crashlens.options.chains import chain_from_frame

    server.add("/api/global/delayed_quotes/options/_SPX.json", Reply.file("cboe_spx.json"))
    server.add("/api/global/delayed_quotes/options/SPY.json", Reply.file("cboe_spy.json"))
    for sym in ("SPX", "SPY"):
        res = make(CboeOptionsProvider, server).fetch(symbol=sym)
        chain = chain_from_frame(res.frame, spot=res.meta["underlying_price"])
        assert len(chain.frame) == len(res.frame)
        pd.testing.assert_series_equal(
            chain.frame["expiry"].reset_index(drop=True),
            res.frame["expiry"].reset_index(drop=True),
        )


def test_am_settled_roots_agree_with_the_options_layer():
    from crashlens.data.providers.cboe import AM_SETTLED_ROOTS
    from crashlens.options.chains import AM_SETTLED_ROOTS as OPTIONS_AM

    assert AM_SETTLED_ROOTS == OPTIONS_AM
