"""``crashlens batch``: one-line errors with exit code 2, JSON output, a real-data CTA run."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from crashlens.cli.main import main


def cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["crashlens", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(("args", "message"), [
    (["batch", "cta", "--start", "2024-03-01", "--end", "2024-02-01"],
     "--start 2024-03-01 is after --end 2024-02-01"),
    (["batch", "cta", "--start", "2024-13-01"], "--start: '2024-13-01' is not a date"),
    pytest.param(["batch", "cta", "--start", "2024-01-01", "--end", "2024-02-01",
                  "--scheduler", "tcp://127.0.0.1:9", "--timeout", "1"],
                 "cannot reach the Dask scheduler", marks=pytest.mark.slow),
    (["batch", "cta", "--start", "2024-01-01", "--end", "2024-02-01", "--scheduler",
      "localhost:8786"], "expected tcp://host:port"),
    (["batch", "cta", "--start", "2024-01-01", "--end", "2024-02-01", "--scheduler",
      "tcp://127.0.0.1:9", "--dask-local", "2"], "exclusive"),
    (["batch", "gex", "/nonexistent-crashlens/*.csv"], "no chain file matches this pattern"),
    (["batch", "gex", "/nonexistent-crashlens/chains"], "no such chain file or folder"),
])
def test_errors_are_one_line(monkeypatch, capsys, home, args, message):
    code, _out, err = cli(monkeypatch, capsys, *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], err
    assert "Traceback" not in err


@pytest.mark.slow
def test_batch_gex_json(monkeypatch, capsys, home, chain_dir):
    code, out, err = cli(monkeypatch, capsys, "batch", "gex", str(chain_dir), "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["kind"] == "gex" and payload["n_partitions"] == payload["rows"] == 6
    assert payload["engine"] == {"engine": "local", "workers": 1, "processes": False}
    assert payload["assumptions"]["rate"] == 0.0
    code, out, _ = cli(monkeypatch, capsys, "batch", "gex", str(chain_dir), "--json")
    assert json.loads(out)["skipped"] == 6  # same request: resumed, nothing recomputed


@pytest.mark.realdata
@pytest.mark.slow
def test_batch_cta_on_real_data(monkeypatch, capsys, home, raw_dir):
    """Real SPX and GOLD, Nov-Dec 2024, monthly blocks: equals one direct history() call."""
    import pandas as pd

    from crashlens import cta

    code, out, err = cli(monkeypatch, capsys, "batch", "cta", "--start", "2024-11-01",
                         "--end", "2024-12-31", "--assets", "SPX,GOLD", "--block-months", "1",
                         "--no-flows", "--mc-paths", "20", "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["n_partitions"] == 6 and payload["computed"] == 6
    frame = pd.read_parquet(payload["output"])
    direct = cta.history("2024-11-01", "2024-12-31", assets=["SPX", "GOLD"],
                         triggers=True).frame.set_index(["date", "asset"])
    got = frame[frame["asset"] != "TOTAL"].set_index(["date", "asset"]).loc[direct.index]
    for col in ("price", "signal", "weight", "notional_usd", "trigger_short"):
        np.testing.assert_allclose(got[col].to_numpy(float), direct[col].to_numpy(float),
                                   rtol=1e-10, err_msg=col)
    spx_close = pd.read_csv(raw_dir / "sp500_daily_ohlc.csv", parse_dates=["Date"],
                            index_col="Date")["Close"]
    spx = frame[frame["asset"] == "SPX"].set_index("date")["price"]
    assert spx.loc["2024-12-31"] == pytest.approx(float(spx_close.loc["2024-12-31"]), rel=1e-9)
    mc = frame.dropna(subset=["mc_1w_q50"])
    assert sorted(mc["date"].dt.strftime("%Y-%m-%d").unique()) == ["2024-11-29", "2024-12-31"]
