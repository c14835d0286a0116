"""Keeping the data current: dated events from later sources, successors, staleness, money."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import run_cli
from mxict import load_catalog, load_snapshot
from mxict.query import changes_since, parse_age, stale_records, usd_amount


def test_ift_dissolution_is_a_dated_cited_event_and_sponsor_successor() -> None:
    project = load_catalog().project("ift-roadmap-2021-25")
    dissolved = [e for e in project.timeline if e.date == "2024-11"]
    assert [e.status.value for e in dissolved if e.status] == ["superseded"]
    assert dissolved[0].sources[0].file == "csis-2025-competitive-ict-nearshoring.txt"
    assert project.current_status.value == "superseded"
    assert project.current_event() is dissolved[0]
    successor = project.sponsor.successors[0]
    assert (successor.date, successor.change.value, successor.acronym) == (
        "2024-11",
        "dissolved",
        "ATDT",
    )
    assert successor.name == "Agency of Digital Transformation and Telecommunications"
    # the original sponsor stays as printed in 2021
    assert project.sponsor.name == "Instituto Federal de Telecomunicaciones"


def test_altan_bankruptcy_and_cfe_takeover_are_recorded() -> None:
    project = load_catalog().project("rural-semi-urban-telecom-smes")
    by_date = {e.date: e for e in project.timeline}
    assert "bankruptcy" in by_date["2021-06"].event.lower()
    assert {s.file for s in by_date["2021-06"].sources} >= {
        "csis-2025-competitive-ict-nearshoring.txt"
    }
    assert "CFE" in by_date["2024-01"].event


def test_list_filters_and_sorts_on_current_status() -> None:
    rows = run_cli("list", "--status", "superseded", "--json").json()
    assert [(r["id"], r["status"], r["status_date"]) for r in rows] == [
        ("ift-roadmap-2021-25", "superseded", "2024-11")
    ]
    ordered = run_cli(
        "list", "--sort", "-status_date", "--fields", "id,status_date", "--json"
    ).json()
    assert ordered[0] == {"id": "ift-roadmap-2021-25", "status_date": "2024-11"}


def test_staleness_against_a_fixed_today() -> None:
    snapshot = load_snapshot()
    # Every record was verified on 2026-11-23: none is due 13 days later...
    assert stale_records(snapshot, 365, date(2026, 12, 6)) == []
    # ...and all the records are (the source registry aside), two years later.
    later = stale_records(snapshot, 365, date(2028, 12, 6))
    assert len(later) == len(snapshot.records()) + len(snapshot.leads) + 7
    assert {r["reason"] for r in later if r["kind"] != "lead"} == {"last verified 744 days ago"}
    # Dormant: the latest known event (not a forecast) is older than the threshold.
    rows = stale_records(snapshot, 365, date(2022, 1, 1), dormant=True)
    rows = [r for r in rows if r["kind"] == "project"]
    assert [(r["id"], r["latest_event"], r["age_days"]) for r in rows] == [
        ("digital-transformation-social-inclusion", "2020-09-23", 465),
        ("public-financial-management-modernization", "2020-11-05", 422),
    ]
    result = run_cli(
        "stale", "--dormant", "--older-than", "1y", "--json", env={"MXICT_TODAY": "2022-01-01"}
    )
    shown = [r for r in result.json() if r["kind"] == "project"]
    assert [r["id"] for r in shown] == [r["id"] for r in rows]
    assert {r["reason"] for r in shown} == {
        "latest event 465 days ago",
        "latest event 422 days ago",
    }


def test_reverifying_a_record_takes_it_off_stale(data_copy: Path) -> None:
    env = {"MXICT_TODAY": "2028-12-06"}
    due = run_cli("--data-dir", str(data_copy), "stale", "--json", env=env).json()
    assert "gignet-1" in [r["id"] for r in due]
    path = data_copy / "projects" / "gignet-1.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "last_verified: 2026-11-23", "last_verified: 2028-12-01"
    )
    path.write_text(text, encoding="utf-8")
    after = run_cli("--data-dir", str(data_copy), "stale", "--json", env=env).json()
    assert "gignet-1" not in [r["id"] for r in after]
    assert len(after) == len(due) - 1


def test_stale_ages_and_bad_input() -> None:
    assert parse_age("365d") == parse_age("1y") == 365
    assert parse_age("2w") == 14
    assert run_cli("stale", "--older-than", "soon").exit_code == 2
    assert run_cli("stale", env={"MXICT_TODAY": "not-a-date"}).exit_code == 2


def test_changes_since_newest_first() -> None:
    rows = changes_since(load_snapshot(), "2024-11", date(2026, 12, 1))
    happened = [
        r for r in rows if not r["expected"] and r["date"] == "2024-11" and r["kind"] != "lead fact"
    ]
    assert {(r["project_id"], r["kind"]) for r in happened} == {
        ("ift-roadmap-2021-25", "event"),
        ("ift-roadmap-2021-25", "sponsor dissolved"),
    }
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates, key=lambda d: tuple(int(p) for p in d.split("-")), reverse=True)
    cli = run_cli("changes", "--since", "2024-11", "--json", env={"MXICT_TODAY": "2026-12-01"})
    assert cli.json() == rows
    assert run_cli("changes", "--since", "yesterday").exit_code == 2


def test_changes_lists_what_happened_unless_forecasts_are_asked_for() -> None:
    env = {"MXICT_TODAY": "2026-12-01"}
    happened = run_cli("changes", "--since", "2024", "--json", env=env).json()
    assert happened and not any(r["expected"] for r in happened)
    assert all(r["date"] < "2027" for r in happened)
    with_plans = run_cli("changes", "--since", "2024", "--expected", "--json", env=env).json()
    forecasts = [r for r in with_plans if r["expected"]]
    assert forecasts and forecasts[0]["date"] == "2040"  # the jobs forecast, marked
    assert [r for r in with_plans if not r["expected"]] == happened
    table = run_cli("changes", "--since", "2024", "--expected", "--format", "table", env=env)
    assert "expected" in table.stdout.splitlines()[0]  # a column says which rows are forecasts


def test_peso_amount_keeps_original_and_recorded_rate() -> None:
    value = load_catalog().project("national-digital-strategy").value
    assert (value.amount, value.currency) == (550_000_000, "USD")
    original = value.original
    assert original is not None
    assert (original.amount, original.currency) == (11_000_000_000, "MXN")
    assert original.rate == 20.0
    assert original.rate_source is not None
    assert original.rate_source.file == "ustda-mexico-ict-resource-guide.txt"
    # the rate is data: USD figure x rate gives back the printed peso figure
    assert value.amount * original.rate == original.amount
    document = run_cli("compare-value", "--json").json()
    flags = {r["id"]: r["converted"] for r in document["compared"]}
    assert flags["national-digital-strategy"] is True
    assert flags["gignet-1"] is False
    assert usd_amount({"amount": 5, "currency": "MXN"}) is None


def test_show_leads_with_status_and_flags_old_information() -> None:
    result = run_cli("show", "ift-roadmap-2021-25", env={"MXICT_TODAY": "2027-06-01"})
    lines = result.stdout.splitlines()
    assert lines[1].startswith("Status: superseded (as of 2024-11")
    # The latest known event (the 2025 auction), as `stale --dormant` counts it, not the
    # latest status-setting one (2024-11).
    warning = next(line for line in lines if "Latest known event" in line)
    assert warning.startswith("Latest known event is from 2025 (517 days ago)")
    none = run_cli("show", "ift-roadmap-2021-25", env={"MXICT_TODAY": "2026-11-23"})
    assert "Latest known event" not in none.stdout
    fresh = run_cli("show", "ift-roadmap-2021-25", env={"MXICT_TODAY": "2024-12-01"})
    assert not any("days ago" in line for line in fresh.stdout.splitlines()[:5])


def test_dates_keep_the_precision_the_guide_prints() -> None:
    catalog = load_catalog()
    gignet = [e.date for e in catalog.project("gignet-1").timeline]
    assert "2022-Q4" in gignet  # "the fourth quarter of 2022"
    tabasco = [e.date for e in catalog.project("tabasco-telecom-master-plan").timeline]
    assert "2022-H2" in tabasco  # "the second half of 2022"
    chetumal = {e.date: e for e in catalog.project("chetumal-smart-city").timeline}
    assert chetumal["2023-12"].approximate and chetumal["2023-12"].expected  # "by the end of 2023"


def test_a_passed_forecast_is_marked_as_not_confirmed() -> None:
    env = {"MXICT_TODAY": "2026-12-06"}
    rows = run_cli("changes", "--since", "2022", "--expected", "--json", env=env).json()
    gignet = next(r for r in rows if r["project_id"] == "gignet-1" and r["date"] == "2022-Q4")
    assert (gignet["expected"], gignet["passed"]) == (True, True)
    assert not any(r["passed"] for r in rows if not r["expected"])
    early = run_cli(
        "changes", "--since", "2022", "--expected", "--json", env={"MXICT_TODAY": "2022-11-01"}
    )
    gignet = next(
        r for r in early.json() if r["project_id"] == "gignet-1" and r["date"] == "2022-Q4"
    )
    assert gignet["passed"] is False
    layout = run_cli("show", "gignet-1", env=env).stdout
    assert "2022-Q4 (expected; passed, not confirmed)" in layout
