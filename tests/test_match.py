"""`mxict match` and `mxict codes`: an exporter's questions, answered from the real data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_cli


def top_projects(*args: str, count: int = 1) -> list[str]:
    rows = run_cli("match", *args, "--by", "project", "--json").json()
    return [r["project_id"] for r in rows][:count]


@pytest.mark.parametrize(
    ("company", "args", "expected"),
    [
        ("fiber-optic cable maker", ["--naics", "335921", "-k", "fiber optic cable"], "gignet-1"),
        ("subsea installer", ["-k", "subsea cable installation ship"], "gignet-1"),
        (
            "biometric identity vendor",
            ["-k", "biometric identity"],
            "national-digital-identity-system",
        ),
        (
            "ERP / financial software firm",
            ["--naics", "5415", "-k", "financial management software"],
            "public-financial-management-modernization",
        ),
        ("data-center builder", ["-k", "data center construction"], "queretaro-digital-hub"),
        (
            "industrial IoT supplier",
            ["-k", "industrial IoT sensors"],
            "cemex-digital-transformation",
        ),
        (
            "spectrum-management consultancy",
            ["--naics", "541690", "-k", "radio spectrum management 5G"],
            "ift-roadmap-2021-25",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_kinds_of_exporters_find_their_project_first(
    company: str, args: list[str], expected: str
) -> None:
    assert top_projects(*args) == [expected], company


def test_each_hit_says_why_as_data() -> None:
    (first, *_) = run_cli("match", "--naics", "3359", "-k", "fiber cables", "--json").json()
    assert first["project_id"] == "gignet-1"
    code = first["reasons"]["codes"][0]
    assert code == {"query": "3359", "code": "335921", "level": 4, "points": 5, "scheme": "naics"}
    words = {w["word"] for w in first["reasons"]["words"]}
    assert {"fiber", "cabl"} <= words  # English stems: "cables" found "cabling"
    assert first["weak"] is False
    assert "NAICS 335921 (4-digit match of 3359)" in first["why"]


def test_the_ranking_is_deterministic_and_sorted() -> None:
    one = run_cli("match", "-k", "software", "--json").json()
    assert one == run_cli("match", "-k", "software", "--json").json()
    scores = [r["score"] for r in one]
    assert scores == sorted(scores, reverse=True)
    assert [r["rank"] for r in one] == list(range(1, len(one) + 1))


def test_state_and_sector_narrow_and_add_points() -> None:
    rows = run_cli("match", "-k", "fiber", "--state", "quintana roo", "--json").json()
    assert {r["project_id"] for r in rows} <= {"gignet-1", "chetumal-smart-city"}
    assert all({"state": "quintana roo"} in r["reasons"]["place"] for r in rows)
    subsea = run_cli("match", "-k", "fiber", "--sector", "subsea", "--json").json()
    assert {r["project_id"] for r in subsea} == {"gignet-1"}


def test_weak_fits_and_no_fit_are_honest() -> None:
    none = run_cli("match", "--keywords", "zzzz", "--format", "table")
    assert (none.exit_code, none.stdout, none.stderr) == (0, "", "mxict: no opportunities match\n")
    assert run_cli("match", "--keywords", "zzzz", "--json").json() == []
    weak = run_cli("match", "--keywords", "network", "--json").json()
    assert weak and all(r["weak"] for r in weak)  # in most items: says little
    assert "weak: only common words" in weak[0]["why"]


def test_a_profile_file_is_validated_and_used(tmp_path: Path) -> None:
    company = tmp_path / "company.yaml"
    company.write_text(
        "name: Example Fiber Co.\nnaics: ['335921']\nkeywords: [fiber optic cable]\n",
        encoding="utf-8",
    )
    assert top_projects("--profile", str(company)) == ["gignet-1"]
    company.write_text("naics: [abc]\n", encoding="utf-8")
    bad = run_cli("match", "--profile", str(company))
    assert bad.exit_code == 2
    assert f"{company}:1:9: naics.0: String should match pattern" in bad.stderr
    schema = run_cli("schema", "profile").json()
    assert set(schema["properties"]) == {"name", "naics", "hs", "keywords", "states", "sectors"}


def test_bad_requests_are_usage_errors() -> None:
    assert run_cli("match").exit_code == 2
    assert run_cli("match", "--naics", "3").exit_code == 2
    assert run_cli("match", "--hs", "85447").exit_code == 2
    assert run_cli("match", "-k", "x y", "--by", "state").exit_code == 2


def test_codes_search_titles_and_count_opportunities() -> None:
    rows = run_cli("codes", "fiber optic cable", "--json").json()
    assert rows[0] == {
        "scheme": "NAICS",
        "code": "335921",
        "title": "Fiber Optic Cable Manufacturing",
        "opportunities": rows[0]["opportunities"],
    }
    assert rows[0]["opportunities"] >= 5
    by_digits = run_cli("codes", "5415", "--json").json()
    assert {r["code"] for r in by_digits} >= {"5415", "541511", "541512"}
    head = next(r for r in by_digits if r["code"] == "5415")
    assert head["opportunities"] >= max(
        r["opportunities"] for r in by_digits if r["code"] != "5415"
    )
    assert run_cli("codes", "  ").exit_code == 2


def test_opportunity_rows_carry_what_a_lead_needs() -> None:
    rows = run_cli("export-opportunities", "--sector", "terrestrial", "--json").json()
    promtel = next(r for r in rows if r["project_id"] == "rural-semi-urban-telecom-smes")
    assert (promtel["value_usd"], promtel["value_basis"], promtel["status"]) == (
        30000000,
        "total",
        "active",
    )
    assert promtel["naics"] and promtel["sponsor_organization"] == "PROMTEL"
    assert promtel["sponsor_email"] == "…@promtel.gob.mx"
    assert (promtel["ustda_name"], promtel["ustda_email"]) == ("Anna Coby", "LAC@ustda.gov")
    assert promtel["commercial_service_name"] == "Adriana Carillo"


def test_the_workbook_opens_ready_to_use(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "mxict.xlsx"
    assert run_cli("export", "xlsx", str(target)).exit_code == 0
    workbook = openpyxl.load_workbook(target)
    for sheet in workbook.worksheets:
        assert sheet.auto_filter.ref, sheet.title
    leads = workbook["opportunity_leads"]
    header = [c.value for c in leads[1]]
    row = dict(zip(header, leads[2], strict=True))
    assert row["value_usd"].number_format == "#,##0"
    assert row["status"].value and row["ustda_title"].value
    assert leads.max_row == 108  # every item of the eleven profiles, and the header


def test_match_keeps_the_stems_of_the_data_for_the_next_run(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "MXICT_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "mxict", "match", "-k", "fiber optic cable", "--json"]
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    (memo,) = (tmp_path / "cache").glob("snapshot-*/memo-stems.json")
    assert json.loads(memo.read_text(encoding="utf-8"))["values"]["cable"] == "cabl"
    probe = "import sys; sys.argv = ['mxict', *sys.argv[1:]]; from mxict.cli.main import main\n"
    probe += "try:\n    main()\nfinally:\n    print('snowballstemmer' in sys.modules)"
    again = subprocess.run(
        [sys.executable, "-c", probe, "match", "-k", "fiber optic cable", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    ).stdout
    assert again.rsplit("\n", 2)[-2] == "False"  # every stem came from the memo
    assert again.rsplit("\n", 2)[0] + "\n" == first


def test_stems_kept_by_another_stemmer_are_not_used(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mxict.dataset.snapshot import load_snapshot

    monkeypatch.setenv("MXICT_CACHE_DIR", str(tmp_path / "cache"))
    snapshot = load_snapshot(data_copy)
    snapshot.keep_memo("stems", "stemmer 1", {"cables": "cable"})
    assert load_snapshot(data_copy).memo("stems", "stemmer 1") == {"cables": "cable"}
    assert load_snapshot(data_copy).memo("stems", "stemmer 2") == {}
