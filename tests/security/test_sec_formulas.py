"""Spreadsheet formula injection: CSV, TSV and XLSX cells a spreadsheet would run are
neutralised with a leading quote (OWASP); JSON keeps the exact text; numbers stay numbers."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hostile import load_record, write_record

from conftest import DATA, run_cli

PAYLOADS = [
    '=HYPERLINK("http://evil","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\x07=1+1",  # a control character hiding a formula
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def formula_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """gignet-1 with a formula in its name and in each of its opportunity descriptions."""
    data_copy = tmp_path_factory.mktemp("formulas") / "data"
    shutil.copytree(DATA, data_copy)
    path = data_copy / "projects" / "gignet-1.yaml"
    project = load_record(path)
    project["name"] = "=1+1 GigNet"
    opportunities = project["opportunities"]
    template = opportunities[0]
    project["opportunities"] = [{**template, "description": text} for text in PAYLOADS]
    write_record(path, project)
    assert run_cli("--data-dir", str(data_copy), "validate").exit_code == 0
    return data_copy


def export(data: Path, target: Path, *extra: str) -> None:
    result = run_cli(
        "--data-dir", str(data), "export-opportunities", "-s", "subsea", "-o", str(target), *extra
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""


def assert_neutral(cell: str) -> None:
    assert not cell.startswith(FORMULA_START), repr(cell)


@pytest.mark.parametrize(("suffix", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_delimited_exports_neutralise_formulas(
    formula_data: Path, tmp_path: Path, suffix: str, delimiter: str
) -> None:
    target = tmp_path / f"opportunities.{suffix}"
    export(formula_data, target)
    rows = list(
        csv.DictReader(io.StringIO(target.read_text(encoding="utf-8")), delimiter=delimiter)
    )
    descriptions = [row["description"] for row in rows]
    assert len(descriptions) == len(PAYLOADS)
    for row in rows:
        for cell in row.values():
            assert_neutral(cell)
    assert rows[0]["project_name"] == "'=1+1 GigNet"
    assert descriptions[0] == "'" + PAYLOADS[0]
    assert descriptions[2] == "'-2+3"
    # The tab still counted: neutralised before TSV turns tabs into spaces.
    assert descriptions[4] in ("'\t=1+1", "' =1+1")
    assert descriptions[5] == "'=1+1"  # the CR is dropped as a control character
    assert descriptions[6] == "'=1+1"


def test_stdout_csv_and_tsv_neutralise_formulas_too(formula_data: Path) -> None:
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        result = run_cli(
            "--data-dir", str(formula_data), "export-opportunities", "-s", "subsea", "-f", fmt
        )
        rows = list(csv.reader(io.StringIO(result.stdout), delimiter=delimiter))
        for row in rows[1:]:
            for cell in row:
                assert_neutral(cell)


def test_json_keeps_the_exact_text(formula_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "opportunities.json"
    export(formula_data, target)
    rows = json.loads(target.read_text(encoding="utf-8"))
    assert [row["description"] for row in rows] == PAYLOADS
    assert rows[0]["project_name"] == "=1+1 GigNet"


def xlsx_cells(path: Path) -> list[Any]:
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def test_xlsx_export_neutralises_formulas(formula_data: Path, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    target = tmp_path / "opportunities.xlsx"
    export(formula_data, target)
    cells = xlsx_cells(target)
    assert all(cell.data_type != "f" for cell in cells)  # no formula cell at all
    for cell in cells:
        if isinstance(cell.value, str):
            assert_neutral(cell.value)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert "'" + PAYLOADS[0] in texts
    assert "'=1+1" in texts  # the BEL before "=" was dropped, then the cell neutralised


def test_whole_dataset_workbook_neutralises_and_keeps_numbers(
    formula_data: Path, tmp_path: Path
) -> None:
    pytest.importorskip("openpyxl")
    target = tmp_path / "mxict.xlsx"
    result = run_cli("--data-dir", str(formula_data), "export", "xlsx", str(target))
    assert result.exit_code == 0, result.stderr
    cells = xlsx_cells(target)
    assert all(cell.data_type != "f" for cell in cells)
    for cell in cells:
        if isinstance(cell.value, str):
            assert_neutral(cell.value)
    numbers = [cell for cell in cells if cell.value == 38_000_000]
    assert numbers and all(cell.data_type == "n" for cell in numbers)


def test_numbers_stay_numbers(formula_data: Path, tmp_path: Path) -> None:
    result = run_cli(
        "--data-dir",
        str(formula_data),
        "list",
        "--format",
        "csv",
        "--fields",
        "id,name,value_usd",
        "-s",
        "subsea",
    )
    assert result.stdout.splitlines() == ["id,name,value_usd", "gignet-1,'=1+1 GigNet,38000000"]
    pytest.importorskip("openpyxl")
    from mxict.render.xlsx import write_xlsx

    target = tmp_path / "numbers.xlsx"
    with target.open("wb") as fh:
        write_xlsx(fh, {"data": (["n", "neg", "text"], [{"n": 5, "neg": -2.5, "text": "-2.5"}])})
    row = xlsx_cells(target)[3:]
    assert [(c.value, c.data_type) for c in row] == [(5, "n"), (-2.5, "n"), ("'-2.5", "s")]
