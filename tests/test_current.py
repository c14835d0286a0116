"""Keeping the data current: dated events from later sources, successors, staleness, money."""

from __future__ import annotations

from datetime import date

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
    rows = stale_records(snapshot, 365, date(2022, 1, 1))
    assert [(r["id"], r["latest_event"], r["age_days"]) for r in rows] == [
        ("digital-transformation-social-inclusion", "2020-09-23", 465),
        ("public-financial-management-modernization", "2020-11-05", 422),
    ]
    result = run_cli("stale", "--older-than", "1y", "--json", env={"MXICT_TODAY": "2022-01-01"})
    assert [r["id"] for r in result.json()] == [r["id"] for r in rows]


def test_stale_ages_and_bad_input() -> None:
    assert parse_age("365d") == parse_age("1y") == 365
    assert parse_age("2w") == 14
    assert run_cli("stale", "--older-than", "soon").exit_code == 2
    assert run_cli("stale", env={"MXICT_TODAY": "not-a-date"}).exit_code == 2


def test_changes_since_newest_first() -> None:
    rows = changes_since(load_snapshot(), "2024-11")
    happened = [r for r in rows if not r["expected"] and r["date"] == "2024-11"]
    assert {(r["project_id"], r["kind"]) for r in happened} == {
        ("ift-roadmap-2021-25", "event"),
        ("ift-roadmap-2021-25", "sponsor dissolved"),
    }
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates, key=lambda d: tuple(int(p) for p in d.split("-")), reverse=True)
    cli = run_cli("changes", "--since", "2024-11", "--json").json()
    assert cli == rows
    assert run_cli("changes", "--since", "yesterday").exit_code == 2


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
    result = run_cli("show", "ift-roadmap-2021-25", env={"MXICT_TODAY": "2026-11-23"})
    lines = result.stdout.splitlines()
    assert lines[1].startswith("Status: superseded (as of 2024-11")
    assert any("Latest known event is from 2024-11" in line for line in lines[:5])
    fresh = run_cli("show", "ift-roadmap-2021-25", env={"MXICT_TODAY": "2024-12-01"})
    assert not any("days ago" in line for line in fresh.stdout.splitlines()[:5])
