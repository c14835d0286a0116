"""Golden files of what a person sees: tables, layouts, charts, help and validation reports.

Each case runs the real CLI at a fixed width with colour off and a pinned today, and the
whole output (exit code, stdout and stderr) must equal its stored copy in
`tests/__snapshots__/test_golden.ambr`. A deliberate change of the human output is made
with `pytest tests/test_golden.py --snapshot-update`, and the diff of that file is
reviewed like code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from conftest import ROOT, run_cli

WIDTHS = (60, 80, 100, 140, 200)
# Row commands are asked for a table: under the test runner stdout is no terminal.
TABLE = ["--format", "table"]
COMMANDS = {
    "list": ["list", *TABLE],
    "list-piped": ["list"],
    "list-subsea": ["list", "--sector", "subsea", *TABLE],
    "filter-by-sector": ["filter-by-sector", "A4", *TABLE],
    "compare-value": ["compare-value", *TABLE],
    "compare-value-by-sector": ["compare-value", "--by", "sector", *TABLE],
    "export-opportunities": ["export-opportunities", "--sector", "smart-cities", *TABLE],
    "show-gignet-1": ["show", "gignet-1"],
    "show-chetumal": ["show", "chetumal-smart-city"],
    "show-ift-roadmap": ["show", "ift-roadmap-2021-25"],
    "sectors": ["sectors", *TABLE],
    "sectors-show": ["sectors", "show", "subsea"],
    "country": ["country"],
    "acronyms": ["acronyms", "IFT", *TABLE],
    "stale": ["stale", *TABLE],
    "stale-dormant": ["stale", "--dormant", *TABLE],
    "changes-expected": ["changes", "--since", "2024", "--expected", *TABLE],
    "changes": ["changes", "--since", "2024", *TABLE],
    "search": ["search", "Querétaro", "--limit", "5", *TABLE],
}
HELP = [
    [],
    ["list"],
    ["show"],
    ["filter-by-sector"],
    ["export-opportunities"],
    ["compare-value"],
    ["sectors"],
    ["sectors", "show"],
    ["acronyms"],
    ["country"],
    ["search"],
    ["stale"],
    ["changes"],
    ["validate"],
    ["schema"],
    ["export"],
    ["export", "sqlite"],
    ["export", "xlsx"],
    ["export", "oc4ids"],
    ["export", "datapackage"],
    ["serve"],
]
PINNED = {"NO_COLOR": "1", "MXICT_TODAY": "2026-12-01", "TERM": "dumb"}


def seen(args: list[str], width: int) -> str:
    """Everything a person would see from one command, as one text."""
    result = run_cli(*args, env={**PINNED, "COLUMNS": str(width)})
    return f"exit {result.exit_code}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Reports name files relative to the working directory.
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_command(name: str, width: int, snapshot: SnapshotAssertion) -> None:
    assert seen(COMMANDS[name], width) == snapshot


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", HELP, ids=lambda a: "-".join(a) or "top")
def test_help(args: list[str], width: int, snapshot: SnapshotAssertion) -> None:
    assert seen([*args, "--help"], width) == snapshot


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_validate_report(fmt: str, snapshot: SnapshotAssertion) -> None:
    invalid = Path("tests") / "fixtures" / "invalid" / "projects"
    assert seen(["validate", "--format", fmt, str(invalid)], 100) == snapshot
