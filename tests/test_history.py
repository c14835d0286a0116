"""The data's history (#21): dated status evidence, passed forecasts everywhere, versions,
`modified`, `info`, `diff` and the calendar of milestones."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from conftest import DATA, DATA_FILES, run_cli

TODAY = {"MXICT_TODAY": "2026-12-06"}
PASSED_GIGNET = "expected 2022-Q4; passed, not confirmed"


# --------------------------------------------------------------------------- status evidence


def test_list_marks_a_passed_forecast_and_dates_every_status() -> None:
    rows = run_cli("list", "--json", env=TODAY).json()
    by_id = {r["id"]: r for r in rows}
    gignet = by_id["gignet-1"]
    assert (gignet["status"], gignet["status_date"], gignet["status_basis"]) == (
        "in_progress",
        "2021-05",
        "event",
    )
    assert (gignet["forecast"], gignet["forecast_status"], gignet["forecast_passed"]) == (
        PASSED_GIGNET,
        "active",
        True,
    )
    # Tabasco's events are all forecasts: unknown since the guide (2021), not an empty date.
    tabasco = by_id["tabasco-telecom-master-plan"]
    assert (tabasco["status"], tabasco["status_date"], tabasco["status_basis"]) == (
        "unknown",
        "2021",
        "source",
    )
    assert tabasco["forecast"] == "expected 2022-H2; passed, not confirmed"
    assert all(r["status_date"] for r in rows)  # every status carries its date
    # A project with no status forecast after its current status has none.
    assert by_id["queretaro-digital-hub"]["forecast"] is None


def test_a_forecast_is_not_passed_before_its_whole_span_has_gone_by() -> None:
    # 2022-Q4 runs to 2022-12-31: on that day it is still only expected.
    rows = run_cli("list", "--json", env={"MXICT_TODAY": "2022-12-31"}).json()
    gignet = next(r for r in rows if r["id"] == "gignet-1")
    assert (gignet["forecast"], gignet["forecast_passed"]) == ("expected 2022-Q4", False)
    rows = run_cli("list", "--json", env={"MXICT_TODAY": "2023-01-01"}).json()
    gignet = next(r for r in rows if r["id"] == "gignet-1")
    assert (gignet["forecast"], gignet["forecast_passed"]) == (PASSED_GIGNET, True)


def test_a_lead_without_events_is_unknown_since_its_newest_source() -> None:
    rows = run_cli("list", "--kind", "lead", "--json", env=TODAY).json()
    altan = next(r for r in rows if r["id"] == "altan-redes-5g")
    # It cites the 2025 CSIS paper: the newest source that speaks of it.
    assert (altan["status"], altan["status_date"], altan["status_basis"]) == (
        "unknown",
        "2025",
        "source",
    )


def test_show_and_the_opportunity_rows_say_the_same() -> None:
    layout = run_cli("show", "tabasco-telecom-master-plan", env=TODAY).stdout.splitlines()
    assert layout[1] == (
        "Status: unknown (since 2021, the date of the newest source: "
        "ustda-mexico-ict-resource-guide.txt)"
    )
    assert layout[2] == "Forecast: in progress, expected 2022-H2; passed, not confirmed"
    document = run_cli("show", "gignet-1", "--json", env=TODAY).json()
    assert document["current_status"]["expected"]["label"] == PASSED_GIGNET
    assert document["current_status"]["note"] == (
        "in_progress since 2021-05; active expected 2022-Q4; passed, not confirmed"
    )
    items = run_cli(
        "export-opportunities", "--fields", "project_id,forecast", "--json", env=TODAY
    ).json()
    assert {r["forecast"] for r in items if r["project_id"] == "gignet-1"} == {PASSED_GIGNET}


def test_the_exports_carry_the_status_evidence_and_the_passed_marking(tmp_path: Path) -> None:
    target = tmp_path / "mxict.db"
    assert run_cli("export", "sqlite", str(target), env=TODAY).exit_code == 0
    db = sqlite3.connect(target)
    try:
        row = db.execute(
            "select status, status_date, status_basis, forecast, forecast_passed "
            "from projects where id = 'tabasco-telecom-master-plan'"
        ).fetchone()
        passed = db.execute(
            "select date, passed from milestones where project_id = 'gignet-1' and expected"
        ).fetchall()
    finally:
        db.close()
    assert row == ("unknown", "2021", "source", "expected 2022-H2; passed, not confirmed", 1)
    assert passed == [("2022-Q4", 1)]


# --------------------------------------------------------------------------- modified dates


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` as a throw-away identity; its output."""
    done = subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


@pytest.fixture
def data_repo(data_copy: Path) -> Path:
    """A copy of the data committed in a fresh git repository (the data is its data/)."""
    repo = data_copy.parent
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "data")
    return data_copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_validate_wants_modified_moved_when_a_record_changed(data_repo: Path) -> None:
    gignet = data_repo / "projects" / "gignet-1.yaml"
    assert run_cli("validate", str(data_repo)).exit_code == 0
    # Only the dates of its life changed: not a change of content.
    edit(gignet, "last_verified: 2026-11-23", "last_verified: 2026-12-07")
    assert run_cli("validate", str(data_repo)).exit_code == 0
    edit(gignet, "Florida to Cancun", "Florida to Cancún")
    result = run_cli("validate", "--data-dir", str(data_repo))
    assert result.exit_code == 1
    line = next(
        n for n, text in enumerate(gignet.read_text().splitlines(), 1) if "modified" in text
    )
    assert result.stdout.endswith(
        f"projects/gignet-1.yaml:{line}:11: modified: the record's content changed since "
        "HEAD but modified is still 2026-12-06; set it to the day of the change "
        "[modified-not-moved]\n"
    )
    assert result.stdout.count("\n") == 1
    edit(gignet, "modified: 2026-12-06", "modified: 2026-12-07")
    assert run_cli("validate", "--data-dir", str(data_repo)).exit_code == 0
    # Committed: HEAD now holds the change; --against an older revision still sees it
    # with the date moved, so it passes; with the date put back it would not.
    git(data_repo.parent, "commit", "-q", "-am", "accent")
    assert run_cli("validate", "--data-dir", str(data_repo), "--against", "HEAD~1").exit_code == 0
    edit(gignet, "modified: 2026-12-07", "modified: 2026-12-06")
    again = run_cli("validate", "--data-dir", str(data_repo), "--against", "HEAD~1")
    assert again.exit_code == 1 and "[modified-not-moved]" in again.stdout
    # A base that is not there (a shallow clone in CI) fails instead of checking nothing.
    missing = run_cli("validate", "--data-dir", str(data_repo), "--against", "origin/main")
    assert missing.exit_code == 2
    assert "--against 'origin/main' is not a git revision" in missing.stderr


def test_the_modified_check_is_skipped_outside_git_or_without_git(
    data_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    gignet = data_repo / "projects" / "gignet-1.yaml"
    edit(gignet, "Florida to Cancun", "Florida to Cancún")
    assert run_cli("validate", "--data-dir", str(data_repo)).exit_code == 1
    empty = tmp_path_factory.mktemp("no-git-here")
    no_git = run_cli("validate", "--data-dir", str(data_repo), env={"PATH": str(empty)})
    assert (no_git.exit_code, no_git.stdout) == (0, "")
    outside = empty / "data"  # in no git checkout
    shutil.copytree(data_repo, outside)
    result = run_cli("validate", "--data-dir", str(outside))
    assert (result.exit_code, result.stdout) == (0, "")


# --------------------------------------------------------------------------- info


def test_info_counts_versions_and_hash() -> None:
    facts = run_cli("info", "--json").json()
    assert facts["records"] == {
        "project": 11,
        "lead": 31,
        "sector": 5,
        "acronyms": 1,
        "country": 1,
        "sources": 1,
    }
    assert facts["total"] == DATA_FILES == 50
    assert facts["dataset_version"] == (DATA / "VERSION").read_text(encoding="utf-8").strip()
    assert facts["modified"] == "2026-12-06"
    assert facts["content_hash"].startswith("sha256:") and len(facts["content_hash"]) == 71
    text = run_cli("info").stdout.splitlines()
    assert text[1] == f"     dataset: {facts['dataset_version']}"
    assert text[3] == (
        "     records: 50 (11 projects, 31 leads, 5 sectors, 1 acronym list, "
        "1 country overview, 1 source registry)"
    )


def test_the_content_hash_follows_content_not_formatting(data_copy: Path) -> None:
    before = run_cli("info", "--json").json()["content_hash"]
    gignet = data_copy / "projects" / "gignet-1.yaml"
    # A comment and a quoted key change the file, not the record.
    edit(gignet, "id: gignet-1\n", "# a comment\n'id': gignet-1\n")
    same = run_cli("--data-dir", str(data_copy), "info", "--json").json()["content_hash"]
    assert same == before
    edit(gignet, "Florida to Cancun", "Florida to Cancún")
    changed = run_cli("--data-dir", str(data_copy), "info", "--json").json()["content_hash"]
    assert changed != before


def test_every_export_carries_the_info(tmp_path: Path) -> None:
    facts = run_cli("info", "--json").json()
    del facts["data_dir"]
    assert run_cli("export", "datapackage", str(tmp_path / "pkg")).exit_code == 0
    descriptor = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["mxict"] == facts
    assert descriptor["version"] == facts["dataset_version"]
    assert run_cli("export", "sqlite", str(tmp_path / "m.db")).exit_code == 0
    metadata = json.loads((tmp_path / "m.metadata.json").read_text(encoding="utf-8"))
    assert metadata["mxict_dataset"] == facts
    db = sqlite3.connect(tmp_path / "m.db")
    try:
        stored = dict(db.execute("select key, value from dataset_info").fetchall())
    finally:
        db.close()
    assert stored["content_hash"] == facts["content_hash"]
    assert stored["records.lead"] == "31"
    oc4ids = run_cli("export", "oc4ids").json()
    assert oc4ids["mxictDataset"] == facts
    assert oc4ids["publishedDate"] == f"{facts['modified']}T00:00:00Z"
    from openpyxl import load_workbook

    assert run_cli("export", "xlsx", str(tmp_path / "m.xlsx")).exit_code == 0
    sheet = load_workbook(tmp_path / "m.xlsx", read_only=True)["info"]
    cells = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells["content_hash"] == facts["content_hash"]
    assert cells["dataset_version"] == facts["dataset_version"]


# --------------------------------------------------------------------------- diff


@pytest.fixture
def two_trees(tmp_path: Path) -> tuple[Path, Path]:
    """OLD: a copy of the data; NEW: one project added, one lead removed, one field changed."""
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(DATA, old)
    shutil.copytree(DATA, new)
    added = (new / "projects" / "gignet-1.yaml").read_text(encoding="utf-8")
    (new / "projects" / "gignet-2.yaml").write_text(
        added.replace("id: gignet-1\n", "id: gignet-2\n"), encoding="utf-8"
    )
    (new / "leads" / "prosoft.yaml").unlink()
    edit(
        new / "projects" / "tabasco-telecom-master-plan.yaml",
        "  as_printed: $7 million",
        "  as_printed: $8 million",
    )
    return old, new


def test_diff_between_two_trees(two_trees: tuple[Path, Path]) -> None:
    old, new = two_trees
    result = run_cli("diff", str(old), str(new), "--json")
    assert result.exit_code == 1
    assert result.json() == {
        "old": str(old),
        "new": str(new),
        "equal": False,
        "added": [{"kind": "project", "id": "gignet-2"}],
        "removed": [{"kind": "lead", "id": "prosoft"}],
        "changed": [
            {
                "kind": "project",
                "id": "tabasco-telecom-master-plan",
                "changes": [{"path": "value.as_printed", "old": "$7 million", "new": "$8 million"}],
            }
        ],
    }
    human = run_cli("diff", str(old), str(new))
    assert (human.exit_code, human.stdout) == (
        1,
        f"{old} -> {new}: 1 added, 1 removed, 1 changed\n"
        "+ project gignet-2\n"
        "- lead prosoft\n"
        "~ project tabasco-telecom-master-plan\n"
        '    value.as_printed: "$7 million" -> "$8 million"\n',
    )
    ids = run_cli("diff", str(old), str(new), "--jq", ".changed[].id")
    assert (ids.exit_code, ids.stdout) == (1, "tabasco-telecom-master-plan\n")


def test_diff_of_equal_trees_exits_0_and_a_bad_argument_2(two_trees: tuple[Path, Path]) -> None:
    old, _ = two_trees
    same = run_cli("diff", str(old), str(DATA))
    assert (same.exit_code, same.stdout) == (0, f"no differences between {old} and {DATA}\n")
    assert run_cli("diff", str(old), str(DATA), "--json").json()["equal"] is True
    bad = run_cli("diff", "no-such-thing", str(DATA))
    assert bad.exit_code == 2
    assert "OLD 'no-such-thing' is neither a data directory nor a git revision" in bad.stderr
    empty = run_cli("diff", str(old), str(old.parent.parent))
    assert empty.exit_code == 2 and "is a directory without mxict records" in empty.stderr


def test_diff_between_git_revisions_cleans_up(data_repo: Path) -> None:
    import tempfile

    repo = data_repo.parent
    edit(data_repo / "projects" / "gignet-1.yaml", "Florida to Cancun", "Florida to Cancún")
    edit(data_repo / "projects" / "gignet-1.yaml", "modified: 2026-12-06", "modified: 2026-12-07")
    git(repo, "commit", "-q", "-am", "accent")
    before = set(Path(tempfile.gettempdir()).glob("mxict-diff-*"))
    result = run_cli("--data-dir", str(data_repo), "diff", "HEAD~1", "HEAD", "--json")
    assert result.exit_code == 1
    changed = result.json()["changed"]
    assert [(c["id"], [x["path"] for x in c["changes"]]) for c in changed] == [
        ("gignet-1", ["modified", "name"])
    ]
    # A revision against a directory: the working tree equals HEAD.
    same = run_cli("--data-dir", str(data_repo), "diff", "HEAD", str(data_repo))
    assert same.exit_code == 0
    assert set(Path(tempfile.gettempdir()).glob("mxict-diff-*")) == before


# --------------------------------------------------------------------------- calendar


def test_calendar_lists_milestones_soonest_first_across_precisions() -> None:
    rows = run_cli("calendar", "--since", "2022", "--until", "2022", "--json", env=TODAY).json()
    tabasco = [r["date"] for r in rows if r["project_id"] == "tabasco-telecom-master-plan"]
    assert tabasco == ["2022-06", "2022-06", "2022-H2"]
    dates = [r["date"] for r in rows]
    # The year first (the wider span at the same start), then by first day: H2 (July)
    # before Q4 (October).
    assert dates.index("2022") < dates.index("2022-06") < dates.index("2022-H2")
    assert dates.index("2022-H2") < dates.index("2022-Q4")
    assert all(d.startswith("2022") for d in dates)
    gignet = next(r for r in rows if r["project_id"] == "gignet-1")
    assert (gignet["date"], gignet["precision"], gignet["start"]) == (
        "2022-Q4",
        "quarter",
        "2022-10-01",
    )
    assert (gignet["expected"], gignet["passed"], gignet["mark"]) == (
        True,
        True,
        "passed, not confirmed",
    )
    # Leads' dated facts are milestones too.
    assert "cfe-red-compartida-towers-fiber" in {r["project_id"] for r in rows}
    early = run_cli("calendar", "--since", "2022-Q4", "--json", env={"MXICT_TODAY": "2022-11-01"})
    gignet = next(r for r in early.json() if r["project_id"] == "gignet-1")
    assert (gignet["passed"], gignet["mark"]) == (False, "expected")
    assert run_cli("calendar", "--until", "soon").exit_code == 2


def test_calendar_ics_reads_back_with_stable_uids(tmp_path: Path) -> None:
    from datetime import date

    from icalendar import Calendar

    target = tmp_path / "milestones.ics"
    result = run_cli("calendar", "--ics", str(target), env=TODAY)
    assert result.exit_code == 0, result.stderr
    rows = run_cli("calendar", "--json", env=TODAY).json()
    assert result.stderr == f"wrote {len(rows)} milestones to {target}\n"
    calendar = Calendar.from_ical(target.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [r["uid"] for r in rows]
    assert len({str(e["UID"]) for e in events}) == len(events)  # one UID per milestone
    gignet = next(e for e in events if str(e["UID"]).startswith("gignet-1.2022-Q4."))
    start, end = gignet.decoded("DTSTART"), gignet.decoded("DTEND")
    assert (type(start), start, end) == (date, date(2022, 10, 1), date(2022, 10, 2))
    assert str(gignet["SUMMARY"]).endswith("(expected; passed, not confirmed; 2022-Q4, a quarter)")
    description = str(gignet["DESCRIPTION"]).splitlines()
    assert description[0] == "Date: 2022-Q4 (a quarter; shown on its first day)"
    assert description[-1] == "mxict show gignet-1"
    assert any(
        line.startswith("Source: ustda-mexico-ict-resource-guide.txt") for line in description
    )
    # The same data writes the same file, and an existing file needs --force.
    first = target.read_bytes()
    refused = run_cli("calendar", "--ics", str(target), env=TODAY)
    assert refused.exit_code == 2 and "use --force" in refused.stderr
    assert run_cli("calendar", "--ics", str(target), "--force", env=TODAY).exit_code == 0
    assert target.read_bytes() == first
    both = run_cli("calendar", "--ics", str(target), "-o", str(tmp_path / "m.csv"))
    assert both.exit_code == 2 and "give one of them" in both.stderr
