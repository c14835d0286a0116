"""What a person sees at a terminal: one line per row, whole ids, a pager, --jq, --no-headers."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from conftest import CACHE, run_cli

MXICT = Path(sys.executable).parent / "mxict"
ROW_COMMANDS = [
    ["list"],
    ["list", "--kind", "all"],
    ["filter-by-sector", "terrestrial"],
    ["export-opportunities"],
    ["compare-value", "--by", "sector"],
    ["stale", "--dormant"],
    ["changes", "--since", "2021"],
    ["search", "fiber"],
    ["acronyms"],
    ["sectors"],
]


def ids_of(command: list[str]) -> list[str]:
    key = {"export-opportunities": "project_id", "acronyms": "acronym", "changes": "project_id"}
    rows = run_cli(*command, "--json").json()
    if isinstance(rows, dict):
        rows = rows.get("groups") or rows.get("projects") or []
    field = key.get(command[0], "sector" if "--by" in command else "id")
    return [str(row[field]) for row in rows]


@pytest.mark.parametrize("width", [80, 100, 140, 200])
@pytest.mark.parametrize("command", ROW_COMMANDS, ids=" ".join)
def test_one_line_per_row_and_whole_ids(command: list[str], width: int) -> None:
    table = run_cli(*command, "--format", "table", env={"COLUMNS": str(width)}).stdout
    lines = table.splitlines()
    if command[0] == "filter-by-sector":
        lines = lines[lines.index("") + 1 :]  # below the sector's headline
    _header, rule, *body = lines
    assert set(rule) == {"─"} and len(rule) <= width
    expected = ids_of(command)
    assert len(body) == len(expected)  # no row wraps onto a second line
    for line, key in zip(body, expected, strict=True):
        assert len(line) <= width
        assert line.startswith(key) or key in line.split("   ")  # the id, whole


def test_money_is_compact_on_a_terminal_and_exact_for_programs() -> None:
    table = run_cli("list", "--format", "table", env={"COLUMNS": "100"}).stdout
    assert "~$38M" in table and ">$1B/yr" in table and "≥$150M" in table
    rows = run_cli("list", "--json").json()
    gignet = next(r for r in rows if r["id"] == "gignet-1")
    assert gignet["value"]["amount"] == 38000000


def test_no_headers_for_table_csv_and_tsv() -> None:
    for fmt in ("csv", "tsv"):
        lines = run_cli("list", "--format", fmt, "--no-headers", "--fields", "id").stdout
        assert lines.splitlines()[0] == "cemex-digital-transformation"
    table = run_cli("list", "--format", "table", "--no-headers", env={"COLUMNS": "100"})
    assert table.stdout.splitlines()[0].startswith("cemex-digital-transformation")


def test_jq_filters_with_a_real_engine() -> None:
    big = run_cli("list", "--jq", ".[] | select(.value_usd > 300000000) | .id")
    assert big.stdout.splitlines() == [
        "chetumal-smart-city",
        "national-digital-strategy",
        "queretaro-digital-hub",
    ]
    value = run_cli("show", "gignet-1", "--jq", ".value")
    assert json.loads(value.stdout)["as_printed"] == "$38 Million"
    assert run_cli("sectors", "show", "A2", "--jq", ".annex").stdout == "A2\n"
    bad = run_cli("list", "--jq", ".[")
    assert bad.exit_code == 2 and bad.stderr.startswith("mxict: error: --jq '.[':")
    clash = run_cli("list", "--jq", ".", "--format", "csv")
    assert clash.exit_code == 2


def test_help_names_each_row_command_fields_and_the_environment() -> None:
    listed = " ".join(run_cli("list", "--help").stdout.split())
    assert "in order: id, name, kind, sponsor," in listed
    top = " ".join(run_cli("--help").stdout.split())
    for name in ("MXICT_DATA_DIR", "MXICT_CACHE_DIR", "MXICT_TODAY", "MXICT_PAGER", "NO_COLOR"):
        assert name in top
    assert "One row per U.S. export opportunity item, with its project and sponsor contact." in top


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("mxict list --status app", ["approved"]),
        ("mxict list --format js", ["json", "jsonl"]),
        (
            "mxict list --fields id,sta",
            ["id,states", "id,status", "id,status_date", "id,status_basis"],
        ),
        ("mxict list --sort value", ["value", "value_usd"]),
        ("mxict compare-value --by s", ["sector", "sponsor", "state"]),
        ("mxict schema l", ["lead"]),
        ("mxict list --sector sub", ["subsea"]),
        ("mxict show gig", ["gignet-1"]),
        ("mxict list --kind l", ["lead"]),
    ],
)
def test_shell_completion_of_every_enumerated_value(words: str, expected: list[str]) -> None:
    env = {
        **os.environ,
        "_MXICT_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    env.pop("MXICT_DATA_DIR", None)
    done = subprocess.run([str(MXICT)], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == expected


# --------------------------------------------------------------------------- a real terminal


def on_a_terminal(args: list[str], *, rows: int = 20, columns: int = 100, **env: str) -> str:
    """Run mxict with stdout and stderr on a pseudo-terminal of the given size."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environment = {**os.environ, "MXICT_CACHE_DIR": str(CACHE), "TERM": "xterm", **env}
    for name in ("MXICT_DATA_DIR", "COLUMNS", "LINES", "NO_COLOR"):
        environment.pop(name, None)
    environment.update(env)
    proc = subprocess.Popen([str(MXICT), *args], stdout=follower, stderr=follower, env=environment)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_long_output_goes_through_the_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    pager = f"sh -c 'cat > {paged}'"
    screen = on_a_terminal(["show", "gignet-1"], MXICT_PAGER=pager, NO_COLOR="1")
    assert "GigNet-1" not in screen  # it went to the pager, not straight to the terminal
    assert paged.read_text(encoding="utf-8").startswith("GigNet-1: Submarine Cable")
    paged.unlink()
    direct = on_a_terminal(["show", "gignet-1", "--no-pager"], MXICT_PAGER=pager, NO_COLOR="1")
    assert "GigNet-1: Submarine Cable" in direct and not paged.exists()
    short = on_a_terminal(["list", "--sector", "subsea"], MXICT_PAGER=pager, NO_COLOR="1")
    assert "gignet-1" in short and not paged.exists()  # fits the screen: no pager


def test_a_table_at_a_terminal_says_how_many_rows_it_shows() -> None:
    screen = on_a_terminal(["list", "--limit", "3"], MXICT_PAGER="", NO_COLOR="1")
    assert "showing 3 of 11 projects" in screen
    assert "11 projects" in on_a_terminal(["list"], MXICT_PAGER="", NO_COLOR="1")


def test_piped_layouts_are_not_wrapped_and_have_no_trailing_spaces() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "MXICT_DATA_DIR")}
    env["MXICT_CACHE_DIR"] = str(CACHE)
    text = subprocess.run(
        [str(MXICT), "show", "gignet-1"], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "1,104 km subsea fiber-optic cable linking Boca Raton, Florida, with Cancun" in text
    assert all(line == line.rstrip() for line in text.splitlines())
