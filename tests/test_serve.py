"""`mxict serve` as a trade officer sees it (headless Chromium), the states behind its map,
`export geojson`, and how the server behaves when killed, stopped or short of disk."""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import fetch, free_port, run_cli, serving
from mxict.dataset.catalog import load_catalog
from mxict.textfold import fold

CHROMIUM = Path("/usr/bin/chromium")
NO_CHROMIUM = (
    "headless Chromium is not installed (/usr/bin/chromium): .ci/run installs Debian's "
    "chromium package where apt-get can; here it could not, so the browser test is skipped"
)
MEXICO_LATITUDES, MEXICO_LONGITUDES = (14.0, 33.0), (-118.5, -86.5)


@pytest.fixture(scope="module")
def catalog() -> Any:
    return load_catalog()


# --------------------------------------------------------------------------- states


def test_curated_inegi_table_matches_the_iso3166_2_package() -> None:
    from mxict.exports.geo import iso_subdivisions, states
    from mxict.states import INEGI_STATES

    package = iso_subdivisions()
    assert sorted(code for code, _, _ in INEGI_STATES) == sorted(package)
    assert len(package) == 32
    assert [inegi for _, inegi, _ in INEGI_STATES] == [f"{n:02d}" for n in range(1, 33)]
    for code, _, name in INEGI_STATES:
        assert fold(name) == fold(str(package[code]["name"])), code  # same state, by name
    for code, state in states().items():
        assert [state.latitude, state.longitude] == package[code]["latLng"]
        assert MEXICO_LATITUDES[0] < state.latitude < MEXICO_LATITUDES[1], code
        assert MEXICO_LONGITUDES[0] < state.longitude < MEXICO_LONGITUDES[1], code
    assert states()["MX-QUE"].inegi_code == "22" and states()["MX-ROO"].inegi_code == "23"


def test_every_state_the_data_names_is_found(catalog: Any) -> None:
    from mxict.exports.geo import state_named

    named = {loc.state for p in catalog.projects.values() for loc in p.locations if loc.state}
    named |= {loc.state for lead in catalog.leads.values() for loc in lead.locations if loc.state}
    assert named  # the data does name states
    for name in named:
        assert state_named(name) is not None, name
    assert state_named("Veracruz").iso_code == "MX-VER"  # type: ignore[union-attr]
    assert state_named("CDMX").iso_code == "MX-CMX"  # type: ignore[union-attr]
    assert state_named("Atlantis") is None


def test_export_geojson_puts_projects_at_their_states_centres(tmp_path: Path) -> None:
    from mxict.exports.geo import iso_subdivisions

    result = run_cli("export", "geojson")
    assert result.exit_code == 0, result.stderr
    collection = result.json()
    assert collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert len(features) == 11
    roo = iso_subdivisions()["MX-ROO"]["latLng"]
    assert features["gignet-1"]["geometry"] == {"type": "Point", "coordinates": roo[::-1]}
    gignet = features["gignet-1"]["properties"]
    assert gignet["state_codes"] == ["MX-ROO"] and gignet["inegi_codes"] == ["23"]
    assert gignet["value_usd"] == 38_000_000
    assert features["national-digital-strategy"]["geometry"] is None  # nationwide
    located = {k for k, f in features.items() if f["geometry"]}
    assert located == {
        "gignet-1",
        "chetumal-smart-city",
        "queretaro-digital-hub",
        "tabasco-telecom-master-plan",
    }

    target = tmp_path / "projects.geojson"
    written = run_cli("export", "geojson", "-o", str(target))
    assert written.exit_code == 0
    assert written.stderr == f"wrote 11 projects (4 with a point) to {target}\n"
    assert json.loads(target.read_text(encoding="utf-8")) == collection
    refused = run_cli("export", "geojson", "-o", str(target))
    assert refused.exit_code == 2 and "already exists" in refused.stderr


# --------------------------------------------------------------------------- the database


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("db") / "mxict.db"
    assert run_cli("export", "sqlite", str(path)).exit_code == 0
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


def canned(name: str) -> str:
    from mxict.exports.site import QUERIES

    return str(QUERIES[name]["sql"])


def test_opportunities_view_carries_project_value_and_contacts(
    database: sqlite3.Connection, catalog: Any
) -> None:
    total = sum(len(p.opportunities) for p in catalog.projects.values())
    assert database.execute("select count(*) from opportunities").fetchone() == (total,)
    row = database.execute(
        "select project, sector, states, status, value_usd, contacts, latitude, longitude"
        " from opportunities where project_id = 'chetumal-smart-city' limit 1"
    ).fetchone()
    chetumal = catalog.projects["chetumal-smart-city"]
    assert row[:5] == (chetumal.name, "smart-cities", "Quintana Roo", "active", 500_000_000)
    lines = row[5].split("\n")
    assert len(lines) == len(chetumal.contacts) == 3
    first = chetumal.contacts[0]
    assert lines[0].startswith(f"{first.name}, {first.title}, {first.organization}")
    assert (row[6], row[7]) == (19.6667, -88.5)


def test_canned_queries_answer_with_their_parameters(database: sqlite3.Connection) -> None:
    subsea = database.execute(
        canned("opportunities_by_sector_and_value"), {"sector": "subsea", "min_usd_millions": "10"}
    ).fetchall()
    assert len(subsea) == 6 and {r[0] for r in subsea} == {
        "GigNet-1: Submarine Cable – Florida to Cancun"
    }
    by_annex = database.execute(
        canned("opportunities_by_sector_and_value"), {"sector": "A2", "min_usd_millions": "$10"}
    ).fetchall()
    assert by_annex == subsea
    too_big = database.execute(
        canned("opportunities_by_sector_and_value"), {"sector": "subsea", "min_usd_millions": "50"}
    ).fetchall()
    assert too_big == []
    largest = database.execute(canned("largest_projects"), {"top": "3", "sector": ""}).fetchall()
    assert [r[0] for r in largest] == [
        "National Digital Strategy/Internet for All",
        "Chetumal Free Trade Zone and Smart City",
        "Querétaro Digital Hub",
    ]
    changes = database.execute(canned("changes_since"), {"since": "2024"}).fetchall()
    assert changes and all(r[0] >= "2024" for r in changes)
    assert [r[0] for r in changes] == sorted((r[0] for r in changes), reverse=True)
    contacts = database.execute(canned("contacts_for_project"), {"project": "chetumal"}).fetchall()
    assert len(contacts) == 3 and {r[0] for r in contacts} == {
        "Chetumal Free Trade Zone and Smart City"
    }
    assert database.execute(canned("contacts_for_project"), {"project": ""}).fetchall() == []


def test_export_metadata_has_queries_facets_and_sorts(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    assert run_cli("export", "sqlite", str(path)).exit_code == 0
    metadata = json.loads((tmp_path / "x.metadata.json").read_text(encoding="utf-8"))
    db = metadata["databases"]["x"]
    assert list(db["queries"]) == [
        "opportunities_by_sector_and_value",
        "largest_projects",
        "changes_since",
        "contacts_for_project",
    ]
    assert all(q["description"] and q["params"] for q in db["queries"].values())
    assert db["tables"]["opportunities"]["sort_desc"] == "value_usd"
    assert {"array": "naics_codes"} in db["tables"]["opportunities"]["facets"]
    assert db["tables"]["projects"]["columns"]["value_usd"]  # the glossary, for Datasette


def test_facets_configured_by_default_are_dropped_from_the_query_string() -> None:
    from mxict.exports.web.plugins.mxict_site import facets_once

    assert facets_once(b"_facet=sector&_facet=status&_facet=kind", ["sector", "status"]) == (
        b"_facet=kind"
    )
    assert facets_once(b"_facet=kind&_facet=kind&_size=5", []) == b"_facet=kind&_size=5"
    assert facets_once(b"_search=cable", ["sector"]) == b"_search=cable"


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with serving(tmp_path_factory.mktemp("serve")) as running:
        yield running


def run_chromium(args: list[str], timeout: float = 120) -> str:
    """Run headless Chromium in its own process group; kill the whole group if it hangs."""
    process = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"chromium did not finish in {timeout} s: {args[-1]}")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # helpers it may have left behind
    assert process.returncode == 0, args
    return out


def chromium(url: str, out: Path, *, screenshot: str | None = None) -> str:
    """The DOM of `url` after its scripts ran, in headless Chromium; a screenshot if asked."""
    assert url.startswith("http://127.0.0.1:")
    profile = Path(tempfile.mkdtemp(prefix="mxict-chromium-"))
    flags = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        # Only 127.0.0.1: the map's tile requests fail at once instead of waiting on DNS.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
        "--virtual-time-budget=5000",  # lets the map script fetch its rows and draw
    ]
    try:
        if screenshot:
            shot = out / screenshot
            run_chromium([*flags, f"--screenshot={shot}", url])
            assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
            assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
            keep = os.environ.get("MXICT_SCREENSHOT_DIR")
            if keep:  # to look at them: MXICT_SCREENSHOT_DIR=/some/dir pytest ...
                shutil.copy(shot, Path(keep) / screenshot)
        dom = run_chromium([*flags, "--dump-dom", url])
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert "<html" in dom
    return dom


def text_of(dom: str) -> str:
    """What a reader sees: the DOM without tags, scripts and styles, whitespace folded."""
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom)).split())


def facets_shown(dom: str) -> list[str]:
    return re.findall(r'<div class="facet-info[^"]*" id="facet-([^"]+)"', dom)


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_a_trade_officer_finds_subsea_opportunities_with_contacts_and_a_map(
    served: Any, tmp_path: Path, catalog: Any
) -> None:
    base = served.base

    # The home page: questions first, then projects and opportunities, reference last.
    home = text_of(chromium(f"{base}/", tmp_path, screenshot="index.png"))
    order = [
        "Ask a question",
        "Export opportunities in a sector above a USD value, with contacts",
        "Projects at a glance, on a map",
        "Opportunities with their project and contacts",
        "Reference",
        "Acronyms",
    ]
    positions = [home.index(heading) for heading in order]
    assert positions == sorted(positions), home[:2000]
    assert "the smallest project value in millions of US dollars" in home

    # Click one: the question, and the form filled in (sector subsea, over $10M).
    answer_url = f"{base}/mxict/opportunities_by_sector_and_value?sector=subsea&min_usd_millions=10"
    answer_dom = chromium(answer_url, tmp_path, screenshot="canned-query.png")
    answer = text_of(answer_dom)
    assert "returning 6 rows" in answer
    assert answer.count("GigNet-1: Submarine Cable – Florida to Cancun") == 6
    assert "$38,000,000" in answer
    contact = catalog.projects["gignet-1"].contacts[0]
    assert f"{contact.title}, {contact.organization}" in answer
    assert 'href="/mxict/projects/gignet-1"' in answer_dom  # one more click to the project
    assert "leaflet-container" in answer_dom  # the map drew
    assert re.search(r"marker-cluster|leaflet-marker-icon", answer_dom)

    # The opportunities view: facets once each, money as money, biggest first.
    opportunities_dom = chromium(f"{base}/mxict/opportunities", tmp_path, screenshot="opps.png")
    assert sorted(facets_shown(opportunities_dom)) == [
        "kind",
        "naics_codes",
        "sector",
        "states",
        "status",
    ]
    opportunities = text_of(opportunities_dom)
    assert "sorted by value_usd descending" in opportunities
    assert opportunities.index("$550,000,000") < opportunities.index("$38,000,000")

    # The projects table with facets asked for in the URL: still each facet once.
    projects_url = f"{base}/mxict/projects?_facet=sector&_facet=status"
    projects_dom = chromium(projects_url, tmp_path, screenshot="projects-faceted.png")
    assert sorted(facets_shown(projects_dom)) == ["sector", "states", "status"]
    projects = text_of(projects_dom)
    from mxict.exports.tables import PROJECTS

    assert f"What the {len(PROJECTS.fields)} columns mean" in projects  # glossary, folded
    assert '<details class="mxict-glossary">' in projects_dom
    assert "Subsea Communications Networks 1" in projects  # sector facet, by label
    summary = catalog.projects["gignet-1"].summary
    assert summary[:100] in projects and summary not in projects  # long text cut

    # The projects at a glance, on a map: markers from latitude/longitude columns.
    overview_dom = chromium(f"{base}/mxict/project_overview", tmp_path, screenshot="map.png")
    assert "leaflet-container" in overview_dom
    tiles = re.findall(r'<img[^>]+src="(/-/tiles/basemap/\d+/\d+/\d+\.png)"', overview_dom)
    assert tiles, "no basemap tiles on the map"  # served by this server, no network needed
    assert fetch(f"{base}{tiles[0]}").startswith(b"\x89PNG\r\n\x1a\n")
    assert len(re.findall(r"leaflet-marker-icon|marker-cluster ", overview_dom)) >= 3
    rows = json.loads(fetch(f"{base}/mxict/project_overview.json?_shape=array&_size=max"))
    points = {r["id"]: (r["latitude"], r["longitude"]) for r in rows if r["latitude"]}
    assert points == {
        "gignet-1": (19.6667, -88.5),
        "chetumal-smart-city": (19.6667, -88.5),
        "queretaro-digital-hub": (20.8052, -99.8837),
        "tabasco-telecom-master-plan": (17.9999, -92.6682),
    }

    # A project's page: its opportunities and contacts first, then the whole story.
    page_dom = chromium(f"{base}/mxict/projects/gignet-1", tmp_path, screenshot="project.png")
    page = text_of(page_dom)
    assert page.index("6 in export_opportunities") < page.index("summary")
    assert summary in page  # not cut on the record's own page
    assert "value_usd $38,000,000" in page and "value_amount 38,000,000" in page


def test_rejected_sql_is_one_log_line_and_stays_escaped(served: Any) -> None:
    import urllib.error
    import urllib.parse

    before = served.stderr.read_text("utf-8").count("\n")
    hostile = [
        "drop table projects",
        "select * from nope",
        "select load_extension('x')",
        "select '<script>alert(1)</script>' from nope",
    ]
    for sql in hostile:
        url = f"{served.base}/mxict?" + urllib.parse.urlencode({"sql": sql})
        with pytest.raises(urllib.error.HTTPError) as error:
            fetch(url)
        assert error.value.code == 400
        assert b"<script>alert(1)</script>" not in error.value.read()
    time.sleep(0.5)
    log = served.stderr.read_text("utf-8").splitlines()[before:]
    assert "Traceback" not in "\n".join(log)
    assert not any("ERROR: conn" in line for line in log)
    requests = [line for line in log if '"GET /mxict?sql=' in line]
    assert len(requests) == len(hostile)
    assert len(log) <= 2 * len(hostile), log  # the access line and at most one more


# --------------------------------------------------------------------------- the process


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_datasette_dies_with_a_killed_mxict(tmp_path: Path) -> None:
    with serving(tmp_path) as running:
        datasette = children(running.process.pid)
        assert len(datasette) == 1
        running.process.send_signal(signal.SIGKILL)
        running.process.wait(timeout=10)
        try:
            deadline = time.monotonic() + 15
            while alive(datasette[0]) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not alive(datasette[0]), "Datasette outlived mxict serve"
        finally:
            if alive(datasette[0]):
                os.kill(datasette[0], signal.SIGKILL)


def test_sigterm_stops_serve_like_ctrl_c(tmp_path: Path) -> None:
    with serving(tmp_path) as running:
        datasette = children(running.process.pid)
        running.process.send_signal(signal.SIGTERM)
        assert running.process.wait(timeout=15) == 0
        assert running.stderr.read_text("utf-8").endswith("mxict: server stopped\n")
        assert not any(alive(pid) for pid in datasette)


def test_serve_open_opens_the_home_page_in_a_browser(tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n', encoding="utf-8")
    browser.chmod(0o755)
    with serving(tmp_path, "--open", env={"BROWSER": f"{browser} %s"}) as running:
        deadline = time.monotonic() + 10
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.read_text("utf-8") == f"{running.base}/\n"
        announced = running.stderr.read_text("utf-8")
        assert f"mxict: serving {running.base}/ (Ctrl-C to stop)\n" in announced


@contextlib.contextmanager
def full_filesystem(path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs at `path` (root only), unmounted afterwards."""
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr!r}")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=False, timeout=30)


def test_full_tmpdir_is_one_clear_error(tmp_path: Path) -> None:
    with full_filesystem(tmp_path / "full") as full:
        env = {k: v for k, v in os.environ.items() if k != "MXICT_DATA_DIR"}
        env |= {"TMPDIR": str(full), "MXICT_CACHE_DIR": str(full / "cache")}
        proc = subprocess.run(
            [sys.executable, "-m", "mxict", "serve", "--port", str(free_port())],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("mxict: error: cannot build the SQLite database in ")
    assert lines[0].endswith("database or disk is full")
    assert proc.stdout == ""


def test_serve_cache_is_rebuilt_when_the_code_that_builds_it_changes(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mxict.exports import serve

    monkeypatch.setenv("MXICT_CACHE_DIR", str(tmp_path / "cache"))
    assert serve.prepare(data_copy).rebuilt is True
    assert serve.prepare(data_copy).rebuilt is False
    monkeypatch.setattr(serve, "_code_stamp", lambda: "another version of site.py")
    assert serve.prepare(data_copy).rebuilt is True
