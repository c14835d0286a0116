"""`mxict validate`: every rule has a fixture that names the error it must produce."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import DATA, DATA_FILES, FIXTURES, ROOT, run_cli

INVALID = sorted(
    [*(FIXTURES / "invalid" / "projects").iterdir(), *(FIXTURES / "invalid" / "leads").iterdir()]
)
EXPECT = re.compile(r"^# expect: (\d+):(\d+) (\S+) (\S+) \|")


def expectation(path: Path) -> tuple[int, int, str, str]:
    match = EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} must start with '# expect: LINE:COL RULE PATH | why'"
    line, column, rule, field = match.groups()
    return int(line), int(column), rule, "" if field == "-" else field


def test_real_data_is_valid() -> None:
    result = run_cli("validate")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr == f"ok: {DATA_FILES} files valid in data/\n"


@pytest.mark.parametrize(
    "path", sorted((FIXTURES / "valid").glob("*/*.yaml")), ids=lambda p: p.name
)
def test_valid_fixture_passes(path: Path) -> None:
    result = run_cli("validate", str(path))
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_reports_exactly_its_error(path: Path) -> None:
    line, column, rule, field = expectation(path)
    result = run_cli("validate", "--format", "json", str(path))
    assert result.exit_code == 1
    document = result.json()
    assert document["valid"] is False
    assert document["files_checked"] == (0 if path.suffix != ".yaml" else 1)
    assert [(e["line"], e["column"], e["rule"], e["path"]) for e in document["errors"]] == [
        (line, column, rule, field)
    ]
    assert document["errors"][0]["file"].endswith(path.name)


def test_many_errors_in_many_files_reported_in_one_run(data_copy: Path) -> None:
    gignet = data_copy / "projects" / "gignet-1.yaml"
    gignet.write_text(
        gignet.read_text(encoding="utf-8").replace("sector: subsea", "sector: seabed"),
        encoding="utf-8",
    )
    tabasco = data_copy / "projects" / "tabasco-telecom-master-plan.yaml"
    text = tabasco.read_text(encoding="utf-8")
    tabasco.write_text(
        text.replace("id: tabasco-telecom-master-plan", "id: tabasco"), encoding="utf-8"
    )
    (data_copy / "projects" / "notes.txt").write_text("scratch", encoding="utf-8")
    clone = data_copy / "projects" / "gignet-2.yaml"
    clone.write_text(
        (data_copy / "projects" / "queretaro-digital-hub.yaml")
        .read_text(encoding="utf-8")
        .replace("id: queretaro-digital-hub", "id: gignet-2"),
        encoding="utf-8",
    )
    sector = data_copy / "sectors" / "subsea.yaml"
    sector.write_text(sector.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")

    result = run_cli("--data-dir", str(data_copy), "validate", "--format", "json")
    assert result.exit_code == 1
    found = {(Path(e["file"]).name, e["rule"]) for e in result.json()["errors"]}
    assert found == {
        ("gignet-1.yaml", "enum"),
        ("tabasco-telecom-master-plan.yaml", "id-matches-file"),
        ("notes.txt", "not-yaml"),
        ("queretaro-digital-hub.yaml", "duplicate-name"),
        ("subsea.yaml", "unknown-field"),
    } or found == {
        ("gignet-1.yaml", "enum"),
        ("tabasco-telecom-master-plan.yaml", "id-matches-file"),
        ("notes.txt", "not-yaml"),
        ("gignet-2.yaml", "duplicate-name"),
        ("subsea.yaml", "unknown-field"),
    }


def test_text_format_is_file_line_column(data_copy: Path) -> None:
    path = data_copy / "projects" / "gignet-1.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, ln in enumerate(lines, 1) if ln.startswith("sector:"))
    lines[number - 1] = "sector: seabed"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("--data-dir", str(data_copy), "validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:{number}:9: sector: Input should be 'terrestrial', 'subsea', 'data-centers', "
        "'smart-cities' or 'iot-ai' [enum]"
    ] or result.stdout.splitlines()[0].endswith(
        f"gignet-1.yaml:{number}:9: sector: Input should be 'terrestrial', 'subsea', "
        "'data-centers', 'smart-cities' or 'iot-ai' [enum]"
    )
    assert "1 problem in" in result.stderr


def test_github_annotations() -> None:
    path = FIXTURES / "invalid" / "projects" / "negative-amount.yaml"
    result = run_cli("validate", "--format", "github", str(path))
    assert result.exit_code == 1
    line = result.stdout.strip()
    assert line.startswith("::error file=")
    expected = ",line=13,col=11,title=mxict range::value.amount: Input should be greater than"
    assert expected in line


def test_missing_data_dir_is_usage_error(tmp_path: Path) -> None:
    result = run_cli("--data-dir", str(tmp_path / "nope"), "validate")
    assert result.exit_code == 2
    assert "nope" in result.stderr and "does not exist" in result.stderr


def test_empty_data_dir_reports_missing_parts(tmp_path: Path) -> None:
    result = run_cli("--data-dir", str(tmp_path), "validate", "--format", "json")
    assert result.exit_code == 1
    rules = sorted(e["rule"] for e in result.json()["errors"])
    assert rules == ["missing-dir", "missing-dir", "missing-file", "missing-file", "missing-file"]


def test_bad_report_format_is_usage_error() -> None:
    result = run_cli("validate", "--format", "xml")
    assert result.exit_code == 2
    assert "text, json, github" in result.stderr


def test_committed_schemas_are_current() -> None:
    from mxict.schemas import KINDS, schema_json

    for kind in KINDS:
        committed = ROOT / "schemas" / f"{kind}.schema.json"
        assert committed.exists(), f"run `make schemas` to create {committed.name}"
        assert committed.read_text(encoding="utf-8") == schema_json(kind), (
            f"{committed.name} is stale: run `make schemas`"
        )


def test_schema_command_prints_json_schema() -> None:
    result = run_cli("schema", "project")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Project"
    assert schema["additionalProperties"] is False
    assert "sector" in schema["required"]
    bad = run_cli("schema", "planet")
    assert bad.exit_code == 2 and "project, lead, sector" in bad.stderr


def test_real_data_files_are_all_checked() -> None:
    result = run_cli("validate", "--format", "json")
    expected = DATA_FILES
    assert result.json() == {
        "valid": True,
        "checked": "data/",
        "files_checked": expected,
        "errors": [],
    }


def test_data_files_point_editors_at_the_schemas() -> None:
    for path in sorted(DATA.rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("=", 1)[1]).resolve()
        assert schema.exists(), f"{path} points at a missing schema {schema}"
        kinds = {"projects": "project", "sectors": "sector", "leads": "lead"}
        kind = kinds.get(path.parent.name, path.stem)
        assert schema.name == f"{kind}.schema.json"


def test_pre_commit_hook_runs_mxict_validate() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"]: h["entry"] for h in hooks} == {
        "mxict-validate": "mxict validate",
        "mxict-validate-files": "mxict validate",
    }


def test_display_names_follow_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mxict.dataset.layout import display_name as _display

    (tmp_path / "a" / "projects").mkdir(parents=True)
    (tmp_path / "projects").mkdir()
    relative = Path("projects") / "x.yaml"
    monkeypatch.chdir(tmp_path / "a")
    assert _display(relative, None) == str(relative)
    # Folders are resolved once each; a relative one must not keep an old directory.
    monkeypatch.chdir(tmp_path)
    assert _display(relative, None) == str(relative)


def test_partial_dates_keep_quarter_and_half_year_precision() -> None:
    from mxict.dates import (
        check_partial_date,
        partial_date_end,
        partial_date_key,
        partial_date_start,
        precision,
    )

    mixed = ["2022-07-01", "2022-Q4", "2022", "2022-07", "2022-H2", "2021-12-31", "2022-Q3"]
    assert sorted(mixed, key=partial_date_key) == [
        "2021-12-31",
        "2022",
        "2022-H2",
        "2022-Q3",
        "2022-07",
        "2022-07-01",
        "2022-Q4",
    ]
    assert (partial_date_start("2022-Q4"), partial_date_end("2022-Q4")) == (
        date(2022, 10, 1),
        date(2022, 12, 31),
    )
    assert partial_date_end("2022-H1") == date(2022, 6, 30)
    assert [precision(d) for d in ("2022", "2022-H2", "2022-Q4", "2022-10", "2022-10-07")] == [
        "year",
        "half",
        "quarter",
        "month",
        "day",
    ]
    for bad in ("2022-Q5", "2022-H3", "2022-13", "0000", "9999-12", "2021-02-30"):
        with pytest.raises(ValueError):
            check_partial_date(bad)
