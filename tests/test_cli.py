"""The query CLI driven in-process on the real data: formats, filters, errors."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, remove_project, run_cli
from mxict.cli.main import app
from mxict.render.formats import FILE_FORMATS, OutputFormat

ALL_IDS = sorted(
    [
        "cemex-digital-transformation",
        "chetumal-smart-city",
        "digital-transformation-social-inclusion",
        "gignet-1",
        "ift-roadmap-2021-25",
        "national-digital-identity-system",
        "national-digital-strategy",
        "public-financial-management-modernization",
        "queretaro-digital-hub",
        "rural-semi-urban-telecom-smes",
        "tabasco-telecom-master-plan",
    ]
)


def ids(result_json: list[dict[str, object]]) -> list[object]:
    return [row["id"] for row in result_json]


def test_list_json_is_every_project() -> None:
    result = run_cli("list", "--json")
    assert result.exit_code == 0
    rows = result.json()
    assert ids(rows) == ALL_IDS
    assert set(rows[0]) == {
        "id",
        "name",
        "sponsor",
        "sponsor_name",
        "sector",
        "location",
        "states",
        "value",
        "value_usd",
        "annual_value_usd",
        "status",
        "status_date",
        "status_basis",
        "forecast",
        "forecast_status",
        "forecast_date",
        "forecast_passed",
        "kind",
        "grade",
    }


def test_list_sector_subsea_is_exactly_gignet() -> None:
    rows = run_cli("list", "--sector", "subsea", "--json").json()
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == "gignet-1"
    assert row["name"] == "GigNet-1: Submarine Cable – Florida to Cancun"
    assert row["sponsor"] == "FB Submarine Partners LLC"
    assert row["sector"] == "subsea"
    assert row["value"] == {
        "amount": 38000000.0,
        "currency": "USD",
        "basis": "total",
        "bound": "approximate",
        "scope": "investment",
        "as_printed": "$38 Million",
    }
    assert row["value_usd"] == 38000000.0


def test_sector_by_annex_code_and_prefix() -> None:
    by_code = ids(run_cli("list", "--sector", "A4", "--json").json())
    by_prefix = ids(run_cli("list", "--sector", "smart", "--json").json())
    assert (
        by_code
        == by_prefix
        == [
            "chetumal-smart-city",
            "national-digital-identity-system",
            "public-financial-management-modernization",
        ]
    )


def test_repeated_flag_is_or_different_flags_and() -> None:
    either = ids(run_cli("list", "-s", "subsea", "-s", "data-centers", "--json").json())
    assert either == ["gignet-1", "queretaro-digital-hub"]
    both = ids(run_cli("list", "-s", "terrestrial", "--min-value", "100000000", "--json").json())
    assert both == [  # IFT's ">$1 Billion Annually" is annual: not a total to compare
        "digital-transformation-social-inclusion",
        "national-digital-strategy",
    ]


def test_state_matching_ignores_accents_and_case() -> None:
    assert ids(run_cli("list", "--state", "queretaro", "--json").json()) == [
        "queretaro-digital-hub"
    ]
    assert ids(run_cli("list", "--state", "QUINTANA ROO", "--json").json()) == [
        "chetumal-smart-city",
        "gignet-1",
    ]


def test_sponsor_query_and_value_range() -> None:
    assert ids(run_cli("list", "--sponsor", "segob", "--json").json()) == [
        "national-digital-identity-system"
    ]
    assert ids(run_cli("list", "-q", "Xtera", "--json").json()) == ["gignet-1"]
    ranged = run_cli("list", "--min-value", "100e6", "--max-value", "200e6", "--json").json()
    assert ids(ranged) == [
        "cemex-digital-transformation",
        "digital-transformation-social-inclusion",
        "public-financial-management-modernization",
    ]


def test_sort_descending_limit_and_fields() -> None:
    result = run_cli(
        "list", "--sort", "-value_usd", "--limit", "3", "--fields", "id,value_usd", "--json"
    )
    assert result.json() == [
        {"id": "national-digital-strategy", "value_usd": 550000000},
        {"id": "chetumal-smart-city", "value_usd": 500000000},
        {"id": "queretaro-digital-hub", "value_usd": 400000000},
    ]
    assert '"value_usd": 550000000\n' in result.stdout  # whole amounts are integers


def test_unknown_field_is_usage_error_listing_valid_ones() -> None:
    result = run_cli("list", "--fields", "id,colour")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "colour" in result.stderr and "valid fields: id, name" in result.stderr


def test_unknown_sort_field_and_status() -> None:
    assert run_cli("list", "--sort", "size").exit_code == 2
    bad = run_cli("list", "--status", "sleeping")
    assert bad.exit_code == 2 and "approved" in bad.stderr


def test_piped_default_is_tsv_with_header() -> None:
    result = run_cli("list")
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == [
        "id",
        "name",
        "kind",
        "sponsor",
        "sponsor_name",
        "sector",
        "location",
        "states",
        "value",
        "value_usd",
        "annual_value_usd",
        "status",
        "status_date",
        "status_basis",
        "forecast",
        "forecast_status",
        "forecast_date",
        "forecast_passed",
        "grade",
    ]
    assert len(lines) == 12
    assert "\x1b[" not in result.stdout


def test_csv_parses_and_numbers_stay_numbers() -> None:
    result = run_cli("list", "--format", "csv", "--fields", "id,value,value_usd")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    gignet = next(r for r in rows if r["id"] == "gignet-1")
    assert gignet == {"id": "gignet-1", "value": "$38 Million", "value_usd": "38000000"}


@pytest.mark.parametrize("fmt", [f.value for f in OutputFormat if not f.binary])
def test_every_format_renders_list(fmt: str) -> None:
    result = run_cli("list", "--format", fmt, "--sector", "subsea")
    assert result.exit_code == 0, result.stderr
    assert "gignet-1" in result.stdout
    if fmt == "json":
        assert json.loads(result.stdout)[0]["id"] == "gignet-1"
    elif fmt == "jsonl":
        assert json.loads(result.stdout.splitlines()[0])["id"] == "gignet-1"
    elif fmt == "yaml":
        assert yaml.safe_load(result.stdout)[0]["id"] == "gignet-1"
    elif fmt == "md":
        assert result.stdout.startswith("| id ")


def test_json_keeps_spanish_text_unescaped() -> None:
    result = run_cli("list", "--state", "querétaro", "--json")
    assert "Querétaro" in result.stdout and "\\u00e9" not in result.stdout


def test_show_json_is_the_full_record() -> None:
    result = run_cli("show", "gignet-1", "--json")
    assert result.exit_code == 0
    record = result.json()
    assert record["id"] == "gignet-1"
    assert record["value"]["as_printed"] == "$38 Million"
    assert {
        "summary",
        "background",
        "timeline",
        "financing",
        "opportunities",
        "contacts",
        "tables",
        "sources",
        "last_verified",
    } <= set(record)


def test_show_layout_has_every_section() -> None:
    result = run_cli("show", "national-digital-identity-system")
    assert result.exit_code == 0
    for heading in (
        "Summary",
        "Background",
        "Status and timeline",
        "Cost and financing",
        "U.S. export opportunities",
        "Contacts",
        "Table 7",
        "Table 8",
        "Sources",
    ):
        assert heading in result.stdout
    assert "Jorge Leonel Wheatley Fernández" in result.stdout


def test_show_is_case_insensitive() -> None:
    assert run_cli("show", "GIGNET-1", "--json").json()["id"] == "gignet-1"


def test_unknown_id_suggests_and_exits_1() -> None:
    result = run_cli("show", "gignet-2")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "mxict: error: no project or lead 'gignet-2'; did you mean 'gignet-1'?\n"
    )


def test_filter_by_sector_json_has_headline_and_projects() -> None:
    result = run_cli("filter-by-sector", "a2", "--json")
    document = result.json()
    assert document["sector"]["id"] == "subsea"
    assert document["sector"]["annex"] == "A2"
    assert document["sector"]["title"] == "Subsea Communications Infrastructure"
    assert ids(document["projects"]) == ["gignet-1"]


def test_filter_by_sector_unknown_and_ambiguous() -> None:
    unknown = run_cli("filter-by-sector", "subsee")
    assert unknown.exit_code == 1 and "did you mean 'subsea'" in unknown.stderr
    ambiguous = run_cli("filter-by-sector", "a")
    assert ambiguous.exit_code == 2 and "ambiguous" in ambiguous.stderr


def test_export_opportunities_rows() -> None:
    rows = run_cli("export-opportunities", "--sector", "subsea", "--json").json()
    assert rows and all(r["project_id"] == "gignet-1" for r in rows)
    from mxict.rows import OPPORTUNITY_FIELDS

    assert list(rows[0]) == list(OPPORTUNITY_FIELDS)
    assert {"value_usd", "status", "naics", "hs", "ustda_title", "sponsor_email"} <= set(rows[0])
    total = run_cli("export-opportunities", "--json").json()
    from mxict import load_catalog

    assert len(total) == sum(len(p.opportunities) for p in load_catalog().projects.values())


def test_export_opportunities_to_file_atomic_and_no_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "opps.csv"
    first = run_cli("export-opportunities", "-o", str(target))
    assert first.exit_code == 0 and first.stdout == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0]["project_id"]
    again = run_cli("export-opportunities", "-o", str(target))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert run_cli("export-opportunities", "-o", str(target), "--force").exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["opps.csv"]


def test_export_opportunities_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "opps.xlsx"
    assert run_cli("export-opportunities", "-o", str(target)).exit_code == 0
    sheet = openpyxl.load_workbook(target).active
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["project_id", "project_name", "record", "sector"]
    assert run_cli("export-opportunities", "--format", "xlsx").exit_code == 2


def test_compare_value_json_sets_annual_apart() -> None:
    document = run_cli("compare-value", "--json").json()
    ranked = [r["id"] for r in document["compared"]]
    assert ranked[:3] == [
        "national-digital-strategy",
        "chetumal-smart-city",
        "queretaro-digital-hub",
    ]
    assert [r["rank"] for r in document["compared"]] == list(range(1, 11))
    apart = {r["id"]: r["reason"] for r in document["not_compared"]}
    assert apart == {"ift-roadmap-2021-25": "annual figure, not comparable with totals"}
    assert (
        next(r for r in document["compared"] if r["id"] == "chetumal-smart-city")["converted"]
        is True
    )


def test_compare_value_by_sector() -> None:
    groups = run_cli("compare-value", "--by", "sector", "--json").json()["groups"]
    smart = next(g for g in groups if g["sector"] == "smart-cities")
    assert smart == {
        "sector": "smart-cities",
        "count": 3,
        "sum_usd": 835e6,
        "min_usd": 110e6,
        "max_usd": 500e6,
        "left_out": [],
    }
    terrestrial = next(g for g in groups if g["sector"] == "terrestrial")
    assert terrestrial["count"] == 4  # of the five terrestrial projects in `sectors`
    assert terrestrial["left_out"] == [
        "ift-roadmap-2021-25 (annual figure, not comparable with totals)"
    ]
    bogus = run_cli("compare-value", "--by", "colour")
    assert (bogus.exit_code, bogus.stderr) == (
        2,
        "mxict: error: cannot group by 'colour'; choose sector, sponsor, state\n",
    )
    empty = run_cli("compare-value", "--by", "colour", "--sector", "subsea", "--state", "nowhere")
    assert empty.exit_code == 2  # checked even when nothing is left to group


def test_compare_value_chart_on_terminal_format() -> None:
    result = run_cli("compare-value", "--format", "table")
    assert "█" in result.stdout and "Not compared" in result.stdout


def test_sectors_and_sector_show() -> None:
    rows = run_cli("sectors", "--json").json()
    assert [(r["id"], r["annex"], r["projects"]) for r in rows] == [
        ("terrestrial", "A1", 5),
        ("subsea", "A2", 1),
        ("data-centers", "A3", 1),
        ("smart-cities", "A4", 3),
        ("iot-ai", "A5", 1),
    ]
    shown = run_cli("sectors", "show", "A3")
    assert "Table 12" in shown.stdout and "queretaro-digital-hub" in shown.stdout
    assert run_cli("sectors", "show", "subsea", "--json").json()["annex"] == "A2"


def test_acronyms_lookup() -> None:
    rows = run_cli("acronyms", "ift", "--json").json()
    assert rows[0] == {
        "acronym": "IFT",
        "definition": "Instituto Federal de Telecomunicaciones",
        "note": None,
    }
    assert len(rows) == 1  # not 5G, whose definition merely contains the letters "ift"
    none = run_cli("acronyms", "zzzz", "--json")
    assert none.exit_code == 0 and none.json() == [] and "no acronym" in none.stderr


def test_country_json() -> None:
    document = run_cli("country", "--json").json()
    assert document["regulator"]["acronym"] == "IFT"
    assert run_cli("country").exit_code == 0


def test_search_shows_matching_fields() -> None:
    (hit,) = run_cli("search", "wheatley", "--json").json()
    assert (hit["kind"], hit["id"]) == ("project", "national-digital-identity-system")
    assert hit["fields"] == ["contacts.0.name"]  # words, not letters inside "jwheatley@"
    assert hit["snippet"] == "Jorge Leonel Wheatley Fernández"
    assert set(hit) == {"kind", "id", "name", "score", "fields", "snippet"}
    assert run_cli("search", "  ").exit_code == 2


def test_missing_data_dir_is_usage_error(tmp_path: Path) -> None:
    result = run_cli("--data-dir", str(tmp_path / "missing"), "list")
    assert result.exit_code == 2
    assert "missing" in result.stderr and "does not exist" in result.stderr


def test_invalid_data_is_domain_error(data_copy: Path) -> None:
    (data_copy / "projects" / "gignet-1.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = run_cli("--data-dir", str(data_copy), "list")
    assert result.exit_code == 1
    assert "gignet-1.yaml:2:1: while parsing a flow sequence" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--json"],
        ["show", "gignet-1", "--json"],
        ["filter-by-sector", "subsea", "--json"],
        ["sectors", "--json"],
        ["sectors", "show", "subsea", "--json"],
        ["validate"],
        ["stale", "--dormant", "--json"],
    ],
    ids=" ".join,
)
def test_global_options_work_before_or_after_the_command(args: list[str], data_copy: Path) -> None:
    # The copy has one project less and a renamed sector, so the data directory that
    # was used shows in every output.
    remove_project(data_copy, "gignet-1")
    sector = data_copy / "sectors" / "subsea.yaml"
    text = sector.read_text(encoding="utf-8")
    sector.write_text(text.replace("\nname: ", "\nname: Renamed ", 1), encoding="utf-8")
    before = run_cli("--data-dir", str(data_copy), "--no-cache", "--no-color", *args)
    after = run_cli(*args, "--data-dir", str(data_copy), "--no-cache", "--no-color")
    assert (after.exit_code, after.stdout, after.stderr) == (
        before.exit_code,
        before.stdout,
        before.stderr,
    )
    bundled = run_cli(*args)
    assert bundled.stdout != after.stdout or bundled.stderr != after.stderr


def test_every_command_help_shows_the_global_options() -> None:
    commands = [[c.name] for c in app.registered_commands if c.name]
    commands += [["sectors"], ["sectors", "show"], ["export", "sqlite"], ["export", "oc4ids"]]
    for command in commands:
        text = run_cli(*command, "--help").stdout
        for flag in ("--data-dir", "--no-cache", "--no-color"):
            assert flag in text, (command, flag)


def test_an_option_after_the_command_wins(data_copy: Path) -> None:
    remove_project(data_copy, "gignet-1")
    result = run_cli("--data-dir", "/nonexistent", "list", "--json", "--data-dir", str(data_copy))
    assert result.exit_code == 0, result.stderr
    assert "gignet-1" not in result.stdout


def test_every_command_has_help_with_example_and_is_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name for c in app.registered_commands]
    assert len(names) >= 10  # plus the `sectors` and `export` groups
    for name in [*names, "sectors show"]:
        result = run_cli(*name.split(), "--help")
        assert result.exit_code == 0
        assert "Example" in result.stdout, name
        assert re.search(rf"mxict {re.escape(name)}\b", readme), f"README lacks `mxict {name}`"


def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Python API.*?```python\n(.*?)```", readme, re.S)
    assert block
    exec(compile(block.group(1), "README.md", "exec"), {})  # the documented example
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "38000000.0 USD"
    assert out[2] == "['gignet-1']"


ROW_COMMANDS = [
    ["list"],
    ["filter-by-sector", "subsea"],
    ["export-opportunities", "--sector", "subsea"],
    ["compare-value"],
    ["compare-value", "--by", "state"],
    ["sectors"],
    ["acronyms", "IFT"],
    ["search", "Cancun"],
    ["stale", "--dormant"],
    ["changes", "--since", "2024"],
]


@pytest.mark.parametrize("command", ROW_COMMANDS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize("fmt", [f.value for f in OutputFormat if not f.binary])
def test_every_row_command_renders_every_format(command: list[str], fmt: str) -> None:
    result = run_cli(*command, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    if fmt == "json":
        assert json.loads(result.stdout)
    elif fmt == "jsonl":
        assert all(json.loads(line) for line in result.stdout.splitlines())
    elif fmt == "yaml":
        assert yaml.safe_load(result.stdout)
    elif fmt in ("csv", "tsv"):
        delimiter = "," if fmt == "csv" else "\t"
        rows = list(csv.reader(io.StringIO(result.stdout), delimiter=delimiter))
        assert len({len(r) for r in rows}) == 1  # a rectangular table with a header


@pytest.mark.parametrize(
    "command",
    [["show", "gignet-1"], ["sectors", "show", "A2"], ["country"]],
    ids=lambda c: " ".join(c),
)
@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "yaml"])
def test_every_document_command_renders_its_formats(command: list[str], fmt: str) -> None:
    result = run_cli(*command, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    if fmt in ("json", "jsonl"):
        assert isinstance(json.loads(result.stdout), dict)
    elif fmt == "yaml":
        assert isinstance(yaml.safe_load(result.stdout), dict)
    else:
        assert result.stdout.strip()
    assert run_cli(*command, "--format", "csv").exit_code == 2


@pytest.mark.parametrize("command", ROW_COMMANDS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize("fmt", [f.value for f in FILE_FORMATS])
def test_every_row_command_writes_every_file_format(
    command: list[str], fmt: str, tmp_path: Path
) -> None:
    target = tmp_path / f"out.{fmt}"
    result = run_cli(*command, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert re.fullmatch(
        rf"wrote (\d+ rows|the document) to {re.escape(str(target))}\n", result.stderr
    )
    assert target.stat().st_size > 0
    if fmt == "json":
        assert json.loads(target.read_text(encoding="utf-8"))
    elif fmt == "xlsx":
        assert target.read_bytes().startswith(b"PK")
    # A second write is refused without --force, and leaves the file alone.
    before = target.read_bytes()
    assert run_cli(*command, "-o", str(target)).exit_code == 2
    assert target.read_bytes() == before


@pytest.mark.parametrize("command", ROW_COMMANDS, ids=lambda c: " ".join(c))
def test_output_dash_is_stdout(command: list[str], tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    dashed = run_cli(*command, "--format", "csv", "-o", "-")
    assert dashed.exit_code == 0, dashed.stderr
    assert dashed.stdout == run_cli(*command, "--format", "csv").stdout
    assert list(tmp_path.iterdir()) == []  # no file named '-'


def test_xlsx_needs_a_file_and_a_table_cannot_be_one(tmp_path: Path) -> None:
    no_file = run_cli("list", "--format", "xlsx")
    assert (no_file.exit_code, no_file.stderr) == (
        2,
        "mxict: error: xlsx is a binary format: give a file with -o FILE.xlsx\n",
    )
    table = run_cli("list", "--format", "table", "-o", str(tmp_path / "x.txt"))
    assert table.exit_code == 2
    assert "unknown file format 'table'" in table.stderr


def test_the_command_table_names_every_command_with_its_summary() -> None:
    """`--help` lists commands from COMMANDS without building them: it must match them."""
    import importlib

    from mxict.cli.app import COMMANDS, _build, app

    for module in {module for module, _, _ in COMMANDS.values()}:
        importlib.import_module(module)
    registered = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    assert sorted(registered) == sorted(COMMANDS)  # the order: the golden `--help`
    for name, (_, panel, summary) in COMMANDS.items():
        built = _build(name)
        assert built.get_short_help_str(200) == summary, name
        assert built.rich_help_panel == panel, name
    assert "match" in run_cli("--help").stdout


def test_only_the_invoked_command_module_is_imported() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "sys.argv = ['mxict', '--version']\n"
        "from mxict.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('mxict.cli.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.splitlines()[-1]
    for module in ("projects", "match", "reference", "freshness", "maintenance", "export"):
        assert f"'mxict.cli.{module}'" not in loaded
