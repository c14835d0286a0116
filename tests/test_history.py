"""The data's history (#21): dated status evidence, passed forecasts everywhere, versions,
`modified`, `info`, `diff` and the calendar of milestones."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli

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
