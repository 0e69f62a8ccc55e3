from __future__ import annotations

import json

import pytest

from crashlens.report import engines


def test_engine_endpoints_pass_validated_inputs(client, fake_engines):
    r = client.get("/api/cta", params={"asof": "2025-11-21", "assets": "spx,btc", "aum": 2e11})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["asof"] == "2025-11-21"
    assert body["assets"] == ["SPX", "BTC"]  # catalog names, normalised
    assert fake_engines[-1].aum == 2e11


@pytest.mark.parametrize("params, fragment", [
    ({"asof": "not-a-date"}, "not a date"),
    ({"asof": "2025-13-45"}, "not a date"),
    ({"asof": "2999-01-01"}, "after the newest data"),
    ({"asof": "1900-01-01"}, "before"),
    ({"assets": "SPX,NOPE"}, "unknown series 'NOPE'"),
    ({"event": "1999-01"}, "unknown event"),
    ({"event": "2025-11", "asof": "2025-11-21"}, "not both"),
    ({"aum": "-5"}, "non-negative"),
    ({"aum": "nan"}, "finite"),
    ({"example": "../../etc/passwd"}, "no path"),
])
def test_bad_inputs_are_422_with_a_message(client, fake_engines, params, fragment):
    for name in ("cta", "fragility", "scenarios"):
        r = client.get(f"/api/{name}", params=params)
        assert r.status_code == 422, (name, params, r.text)
        assert fragment in json.dumps(r.json()), r.text


def test_bad_language_and_section_are_422(client):
    assert client.get("/api/report", params={"lang": "fr"}).status_code == 422
    assert client.get("/api/section/nope").status_code == 422
    assert client.get("/api/section/anatomy", params={"asof": "xx"}).status_code == 422
    assert client.get("/", params={"lang": "de"}).status_code == 422


def test_unknown_engine_is_404_and_a_parameter_error(client):
    from crashlens.errors import ParameterError

    assert client.get("/api/no_such_engine").status_code == 404
    with pytest.raises(ParameterError, match="unknown engine 'no_such_engine'"):
        engines.call("no_such_engine", engines.Request())


@pytest.mark.parametrize("path", [
    "/reports/../pyproject.toml", "/reports/..%2Fpyproject.toml", "/reports/%2e%2e%2fMakefile",
    "/reports/..%2F..%2Fetc%2Fpasswd", "/reports/.hidden.html", "/reports/x.py",
    "/reports/%2Fetc%2Fpasswd",
])
def test_no_path_traversal(client, path, tmp_path, monkeypatch):
    monkeypatch.setenv("CRASHLENS_REPORTS", str(tmp_path))
    r = client.get(path)
    assert r.status_code == 404
    assert "root:" not in r.text and "[project]" not in r.text


def test_report_files_are_served_by_plain_name(client, tmp_path, monkeypatch):
    monkeypatch.setenv("CRASHLENS_REPORTS", str(tmp_path))
    (tmp_path / "crashlens-2025-11-en.html").write_text("<html>ok</html>")
    r = client.get("/reports/crashlens-2025-11-en.html")
    assert r.status_code == 200 and "ok" in r.text


def test_example_names_cannot_escape_the_examples_folder():
    from crashlens.errors import ParameterError

    with pytest.raises(ParameterError):
        engines.example_path("scenarios", "../../../pyproject")


def test_openapi_lists_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for name in ("cta", "gex", "crypto", "contagion", "fragility", "anatomy", "analogs", "macro",
                 "scenarios", "audit", "report"):
        assert f"/api/{name}" in paths


def test_dashboard_page_is_offline(client):
    r = client.get("/", params={"lang": "zh"})
    assert r.status_code == 200
    assert "http://" not in r.text and "https://" not in r.text
    assert "crashlens 看板" in r.text
    js = client.get("/static/plotly.js")
    assert js.status_code == 200 and "Plotly" in js.text[:5000]
    assert client.get("/monitor").status_code == 200
