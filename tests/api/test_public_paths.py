"""HTTP answers never show the server's folders; the local report keeps full paths.

Successful answers used to carry absolute paths in their data: the gamma section's option
chain ``source``, the catalysts' ``events_file``, the provenance's "Store built ... from
<data folder>". ``crashlens.api.paths.PublicPaths`` rewrites every text answer so that a path
under a known root reads ``$CRASHLENS_DATA/...``, ``$CRASHLENS_HOME/...``, ``crashlens/...``
(the package), ``./...`` (working folder) or ``~/...``. Expected texts below are written by
hand from those rules.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import crashlens
from crashlens.api.paths import public_paths

PKG = str(Path(crashlens.__file__).parent)


@pytest.fixture()
def roots(tmp_path, monkeypatch):
    """Known roots inside tmp_path: data, a store home inside the user's home, a cwd."""
    user = tmp_path / "user"
    data, work = tmp_path / "srv" / "raw", tmp_path / "work"
    for d in (user, data, work):
        d.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(user))
    monkeypatch.setenv("CRASHLENS_DATA", str(data))
    monkeypatch.setenv("CRASHLENS_HOME", str(user / ".crashlens"))
    monkeypatch.chdir(work)
    return {"data": str(data), "home": str(user), "work": str(work), "tmp": str(tmp_path)}


def test_nested_payload_with_html_is_rewritten_and_markup_survives(roots):
    d, h = roots["data"], roots["home"]
    payload = {
        "html": (f'<table><tr><td><a href="{d}/spy.csv">{d}/spy.csv</a></td></tr>'
                 f"<tr><td>{PKG}/episodes/catalysts.yaml</td></tr></table>"),
        "sections": [{"data": {"chain": {"source": f"{d}/spy_options_chain_20251120.csv",
                                         "age_days": 1}},
                      "paragraphs": [f"Store built 2026-12-02 from {d}; fingerprint ab."]},
                     [f"{h}/.crashlens/store/v3", f"{h}/notes/odds.csv", "/api/gex"]],
        "url": "/reports/crashlens-2025-11-en.html",
    }
    text = json.dumps(payload, ensure_ascii=False)
    assert json.loads(public_paths(text)) == {
        "html": ('<table><tr><td><a href="$CRASHLENS_DATA/spy.csv">$CRASHLENS_DATA/spy.csv'
                 "</a></td></tr><tr><td>crashlens/episodes/catalysts.yaml</td></tr></table>"),
        "sections": [{"data": {"chain": {"source": "$CRASHLENS_DATA/spy_options_chain_20251120.csv",
                                         "age_days": 1}},
                      "paragraphs": ["Store built 2026-12-02 from $CRASHLENS_DATA; fingerprint ab."]},
                     ["$CRASHLENS_HOME/store/v3", "~/notes/odds.csv", "/api/gex"]],
        "url": "/reports/crashlens-2025-11-en.html",
    }


def test_only_whole_path_prefixes_of_known_roots_are_replaced(roots):
    d, w, tmp = roots["data"], roots["work"], roots["tmp"]
    cases = {
        f"{d}2/x.csv": f"{d}2/x.csv",               # a sibling folder is not under the root
        f"{d}.bak/x.csv": f"{d}.bak/x.csv",
        f"rel{d}/x.csv": f"rel{d}/x.csv",           # not an absolute path
        f"from {d}.": "from $CRASHLENS_DATA.",      # a sentence's full stop ends the root
        f"{w}/reports/a.html, {d}": "./reports/a.html, $CRASHLENS_DATA",
        f"file://{w}/a.html": "file://./a.html",
        f"{tmp}/other/x.csv": f"{tmp}/other/x.csv",  # under no root: left as is
        "</td></tr></table>": "</td></tr></table>",
        "/usr/lib/x.so 1/2 a/b": "/usr/lib/x.so 1/2 a/b",
    }
    assert {k: public_paths(k) for k in cases} == cases


def test_html_escaped_and_symlinked_roots(tmp_path, monkeypatch):
    real = tmp_path / "R&D data"
    real.mkdir()
    link = tmp_path / "raw"
    link.symlink_to(real)
    monkeypatch.setenv("CRASHLENS_DATA", str(link))
    monkeypatch.chdir(tmp_path.parent)  # the working folder above both: less specific
    assert public_paths(f"{link}/a.csv | {real}/b.csv") == "$CRASHLENS_DATA/a.csv | $CRASHLENS_DATA/b.csv"
    html = f"<td>{str(real).replace('&', '&amp;')}/c.csv</td>"
    assert public_paths(html) == "<td>$CRASHLENS_DATA/c.csv</td>"


def test_root_slash_and_unset_data_change_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("CRASHLENS_DATA", raising=False)
    monkeypatch.setenv("HOME", "/")                 # e.g. a daemon's account
    monkeypatch.setenv("CRASHLENS_HOME", str(tmp_path / "h"))
    monkeypatch.chdir("/")
    text = "/etc/passwd and /srv/data/raw/x.csv"
    assert public_paths(text) == text
    assert public_paths(f"{tmp_path}/h/store") == "$CRASHLENS_HOME/store"


def test_reports_files_are_served_rewritten_even_across_chunks(client, roots, tmp_path,
                                                               monkeypatch):
    reports = tmp_path / "reports"
    reports.mkdir()
    monkeypatch.setenv("CRASHLENS_REPORTS", str(reports))
    # FileResponse sends 64 KiB chunks: put a path across the first boundary
    path = f"{roots['data']}/spy.csv"
    head = "<p>" + "x" * (65536 - 4 - len(path) // 2) + " "
    page = f"{head}{path}</p><p>{PKG}/episodes/e.yaml</p>"
    (reports / "r.html").write_text(page, encoding="utf-8")
    r = client.get("/reports/r.html")
    assert r.status_code == 200
    assert r.text == f"{head}$CRASHLENS_DATA/spy.csv</p><p>crashlens/episodes/e.yaml</p>"
    assert int(r.headers["content-length"]) == len(r.content)
    # not text: passed through byte for byte
    png = b"\x89PNG\r\n" + path.encode() + b"\xff\x00"
    (reports / "r.png").write_bytes(png)
    assert client.get("/reports/r.png").content == png
    # a byte range would cut the path before it is rewritten: the page is served whole
    cut = client.get("/reports/r.html", headers={"Range": f"bytes=0-{len(head) + 10}"})
    assert cut.status_code == 200 and cut.text == r.text
    assert "content-range" not in cut.headers and "accept-ranges" not in cut.headers


# --- real data: the leaks found in review ---------------------------------------------

CHAIN = "spy_options_chain_20251120_quotedata.csv"  # the chain dated 2025-11-20, in the raw folder
EVENTS_FILE = "catalysts_2025_2026.yaml"


@pytest.fixture(scope="module")
def answers(raw_dir):
    """One request per leaking answer, on the 2025-11 event (sections cached per session)."""
    from fastapi.testclient import TestClient

    from crashlens.api import create_app, sessions

    sessions.clear()
    with TestClient(create_app()) as c:
        got = {url: c.get(url, params=params) for url, params in [
            ("/api/section/gamma", {"event": "2025-11"}),
            ("/api/section/catalysts", {"event": "2025-11"}),
            ("/api/section/provenance", {"event": "2025-11"}),
            ("/api/catalysts", {"event": "2025-11"}),
            ("/api/audit", {"example": "2025-11-selloff"}),
            ("/api/report", {"event": "2025-11"}),
        ]}
    yield got
    sessions.clear()


def _private(raw_dir: Path) -> set[str]:
    home = os.environ["CRASHLENS_HOME"]
    return {str(raw_dir), str(raw_dir.resolve()), PKG, os.path.realpath(PKG), home,
            os.path.realpath(home), str(Path.home()) + "/", os.getcwd() + "/"}


@pytest.mark.realdata
def test_real_answers_show_no_server_folder(answers, raw_dir):
    for url, r in answers.items():
        assert r.status_code == 200, (url, r.text[:300])
        leaks = [p for p in _private(raw_dir) if p in r.text]
        assert not leaks, (url, leaks)


@pytest.mark.realdata
def test_real_answers_name_the_files_relative_to_their_root(answers, raw_dir):
    assert (raw_dir / CHAIN).is_file() and (Path(PKG) / "episodes" / EVENTS_FILE).is_file()
    gamma = answers["/api/section/gamma"].json()
    assert gamma["section"]["data"]["chain"]["source"] == f"$CRASHLENS_DATA/{CHAIN}"
    cat = answers["/api/section/catalysts"].json()
    assert f"crashlens/episodes/{EVENTS_FILE}" in json.dumps(cat["section"])
    assert (answers["/api/catalysts"].json()["assumptions"]["events_file"]
            == f"crashlens/episodes/{EVENTS_FILE}")
    assert answers["/api/audit"].json()["path"] == "crashlens/audit/examples/2025-11-selloff.yaml"
    prov = answers["/api/section/provenance"].json()
    assert prov["section"]["data"]["store"]["source"] == "$CRASHLENS_DATA"
    assert "from $CRASHLENS_DATA; fingerprint" in prov["html"]
    assert f"<td>crashlens/episodes/{EVENTS_FILE}</td>" in prov["html"]
    rep = answers["/api/report"].text
    assert f"$CRASHLENS_DATA/{CHAIN}" in rep and f"crashlens/episodes/{EVENTS_FILE}" in rep


@pytest.mark.realdata
def test_the_local_report_keeps_full_paths(answers, raw_dir):
    from crashlens.api import sessions

    ctx = sessions.session("2025-11", None, "en")  # cached by the answers above
    source = sessions.section(ctx, "gamma").data["chain"]["source"]
    assert Path(source).resolve() == (raw_dir / CHAIN).resolve()


def test_a_deleted_working_folder_is_no_root_and_no_error(roots, tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()  # os.getcwd() now raises FileNotFoundError
    assert public_paths(f"{roots['data']}/a.csv {gone}/b") == f"$CRASHLENS_DATA/a.csv {gone}/b"
