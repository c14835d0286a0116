"""Terminal injection: escapes and rich markup in data or arguments print as inert text."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from hostile import FORBIDDEN, HOSTILE_NAME, MARKUP, SGR, load_record, write_record

from conftest import DATA, run_cli
from mxict.cli.session import Session
from mxict.render.table import make_console, rich_table
from mxict.render.text import inert


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data with escapes and markup in gignet-1's name and other free text."""
    data_copy = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(DATA, data_copy)
    path = data_copy / "projects" / "gignet-1.yaml"
    project = load_record(path)
    project["name"] = HOSTILE_NAME
    project["sponsor"]["name"] = "Sponsor " + HOSTILE_NAME
    project["summary"] = "Summary " + HOSTILE_NAME
    project["locations"][0]["name"] = "Place \x1b[2J\x1b[H cleared"
    project["timeline"][0]["event"] = "Event " + HOSTILE_NAME
    project["opportunities"][0]["description"] = "Opportunity " + HOSTILE_NAME
    write_record(path, project)
    assert run_cli("--data-dir", str(data_copy), "validate").exit_code == 0
    return data_copy


def assert_inert(text: str, *, markup: bool = True) -> None:
    """No escape, BEL or C1 byte; the markup, if expected, shown literally."""
    assert not FORBIDDEN.search(text), repr(FORBIDDEN.search(text))
    if markup:
        for literal in MARKUP:
            assert literal in text


def assert_inert_coloured(text: str) -> None:
    """Coloured output: mxict's own SGR colour codes, and nothing else."""
    assert SGR.search(text), "expected colour"
    assert "\x1b]" not in text  # no OSC (hyperlinks, window titles)
    assert_inert(SGR.sub("", text))


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--format", "table", "--fields", "id,name,sponsor"),
        ("list", "--format", "table"),
        ("list",),  # piped: tab-separated
        ("list", "--format", "csv"),
        ("list", "--format", "md"),
        ("show", "gignet-1"),
        ("filter-by-sector", "subsea", "--format", "table", "--fields", "id,name"),
        ("export-opportunities", "--sector", "subsea", "--format", "table"),
        ("search", "evil", "--format", "table"),
        ("changes", "--since", "2019", "--format", "table", "--fields", "date,event"),
    ],
)
def test_hostile_text_prints_inert(hostile_data: Path, args: tuple[str, ...]) -> None:
    result = run_cli("--data-dir", str(hostile_data), *args)
    assert result.exit_code == 0, result.stderr
    # The default table may fold the long name across lines: check the markup only where
    # the whole name fits on a line.
    assert_inert(result.stdout, markup=args[-1] not in ("table", "subsea"))
    assert_inert(result.stderr, markup=False)


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--format", "table", "--fields", "id,name"),
        ("show", "gignet-1"),
    ],
)
def test_hostile_text_prints_inert_in_colour(
    hostile_data: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CLI colours only on a terminal; pretend stdout is one.
    monkeypatch.setattr(Session, "color", lambda self: True)
    result = run_cli("--data-dir", str(hostile_data), *args)
    assert result.exit_code == 0, result.stderr
    assert_inert_coloured(result.stdout)


def test_rich_table_in_colour_keeps_data_inert() -> None:
    buffer = io.StringIO()
    rows = [{"id": "gignet-1", "name": HOSTILE_NAME, "value_usd": 38_000_000.0}]
    console = make_console(buffer, color=True, width=300)
    console.print(rich_table(rows, ["id", "name", "value_usd"], title="T " + HOSTILE_NAME))
    assert_inert_coloured(buffer.getvalue())
    assert buffer.getvalue().count("[red]x[/red]") == 2  # the title and the cell


def test_machine_formats_keep_the_exact_text(hostile_data: Path) -> None:
    rows = run_cli("--data-dir", str(hostile_data), "list", "--json", "-s", "subsea").json()
    assert rows[0]["name"] == HOSTILE_NAME
    line = run_cli("--data-dir", str(hostile_data), "show", "gignet-1", "--format", "jsonl")
    assert "\x1b" not in line.stdout  # JSON writes it as \u001b
    assert json.loads(line.stdout)["name"] == HOSTILE_NAME


def test_inert_strips_every_control_and_keeps_text() -> None:
    every = "".join(chr(c) for c in range(0xA0)) + "\u202a\u202e\u2066\u2069"
    printable = "".join(chr(c) for c in range(0x20, 0x7F))
    assert inert(every + "é中𝄞\u200f") == "\t\n" + printable + "é中𝄞\u200f"


# --------------------------------------------------------------------------- messages

ESCAPED_ID = "gig\x1b]8;;http://evil\x1b\\net\x07\x9b2J"


def test_unknown_id_with_escapes_is_an_inert_error() -> None:
    result = run_cli("show", ESCAPED_ID)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert_inert(result.stderr, markup=False)
    assert result.stderr.startswith("mxict: error: no project ")


@pytest.mark.parametrize(
    "args",
    [
        ("show", "[red]x[/red]"),
        ("sectors", "show", "[red]x[/red]"),
        ("list", "--sort", "[red]x[/red]"),
        ("list", "--status", "[red]x[/red]"),
        ("changes", "--since", "[red]x[/red]"),
        ("stale", "--older-than", "[red]x[/red]"),
    ],
)
def test_markup_in_arguments_is_shown_literally(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.exit_code in (1, 2)
    assert "[red]x[/red]" in result.stderr
    assert_inert(result.stderr, markup=False)


@pytest.mark.parametrize(
    "args",
    [
        ("--data-dir", "/nonexistent\x1b[31m\x07"),
        ("list", "--limit", "\x1b]0;title\x07"),
        ("list", "--fields", "\x1b[31mname"),
        ("list", "--format", "\x1b[31m"),
        ("\x1b[31mcommand",),
        ("acronyms", "\x1b[31mIFT"),
    ],
)
def test_escapes_in_arguments_never_reach_the_terminal(args: tuple[str, ...]) -> None:
    full = (*args, "list") if args[0] == "--data-dir" else args
    result = run_cli(*full)
    assert not FORBIDDEN.search(result.stderr), result.stderr
    assert not FORBIDDEN.search(result.stdout)


def test_validate_messages_about_hostile_keys_are_inert(data_copy: Path) -> None:
    path = data_copy / "projects" / "gignet-1.yaml"
    with path.open("a", encoding="utf-8") as fh:
        fh.write('"bad\\e]8;;http://evil\\e\\\\key\\a": 1\n')
    result = run_cli("--data-dir", str(data_copy), "--no-cache", "validate")
    assert result.exit_code == 1
    assert_inert(result.stdout, markup=False)
    assert "[key-type]" in result.stdout
    github = run_cli("--data-dir", str(data_copy), "--no-cache", "validate", "--format", "github")
    assert_inert(github.stdout, markup=False)


def test_data_errors_shown_by_query_commands_are_inert(data_copy: Path) -> None:
    evil = data_copy / "projects" / "evil\x1b[31mred\x07.yaml"
    shutil.copy(data_copy / "projects" / "gignet-1.yaml", evil)
    result = run_cli("--data-dir", str(data_copy), "--no-cache", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("mxict: error: the data has")
    assert_inert(result.stderr, markup=False)


def test_validate_report_escapes_hostile_file_names(data_copy: Path) -> None:
    evil = data_copy / "projects" / "evil\x1b[31mred\x07.yaml"
    shutil.copy(data_copy / "projects" / "gignet-1.yaml", evil)
    result = run_cli("--data-dir", str(data_copy), "--no-cache", "validate")
    assert result.exit_code == 1
    assert_inert(result.stdout, markup=False)
