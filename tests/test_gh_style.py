"""gh-style terminal habits: `--json FIELDS`, help panels, a chart that fits, figure
tables a reader can scan, and search matches highlighted."""

from __future__ import annotations

import io
import re

import pytest

from conftest import run_cli
from mxict.cli.app import json_fields_argv
from mxict.query.text import highlights, parse_query
from mxict.render.chart import bar
from mxict.render.layouts import figure_value
from mxict.render.table import write_table
from mxict.render.text import cell_width

# --------------------------------------------------------------------------- --json FIELDS


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--json", "id,value_usd"],
        ["list", "--json=id,value_usd"],
        ["list", "--limit", "3", "--json", "id,value_usd"],
    ],
)
def test_json_takes_fields_like_gh(args: list[str]) -> None:
    wanted = run_cli("list", "--json", "--fields", "id,value_usd").json()
    got = run_cli(*args).json()
    assert got == wanted[: len(got)]
    assert all(set(row) == {"id", "value_usd"} for row in got)


def test_json_fields_on_a_command_with_an_argument() -> None:
    rows = run_cli("search", "--json", "id,kind", "subsea").json()
    assert rows and all(set(row) == {"id", "kind"} for row in rows)
    # A word that is not a field stays the search text.
    assert (
        run_cli("search", "--json", "subsea").json() == run_cli("search", "subsea", "--json").json()
    )


def test_json_with_an_unknown_field_lists_the_valid_ones() -> None:
    result = run_cli("list", "--json", "idd")
    assert result.exit_code == 2
    assert "unknown field(s) idd" in result.stderr
    assert "valid fields: id, name" in result.stderr


def test_show_takes_json_equals_fields() -> None:
    assert run_cli("show", "gignet-1", "--json=id,value_usd").json() == {
        "id": "gignet-1",
        "value_usd": 38000000,
    }


def test_json_fields_rewrite_leaves_everything_else_alone() -> None:
    known = ("id", "name")
    assert json_fields_argv(["--json", "fiber"], known) == ["--json", "fiber"]
    assert json_fields_argv(["--json", "id,name"], known) == ["--json", "--fields", "id,name"]
    assert json_fields_argv(["--", "--json=id"], known) == ["--", "--json=id"]
    assert json_fields_argv(["--json", "-s", "x"], known, positional=False) == [
        "--json",
        "-s",
        "x",
    ]


# --------------------------------------------------------------------------- help panels


def test_top_level_help_groups_commands_in_panels() -> None:
    out = run_cli("--help", env={"COLUMNS": "100"}).stdout
    headings = [line for line in out.splitlines() if re.fullmatch(r"[A-Z][a-z ]+:", line)]
    assert headings == [
        "Options:",
        "Query:",
        "Reference:",
        "History and maintenance:",
        "Export and serve:",
    ]
    listed = out[out.index("Query:") :]
    commands = re.findall(r"^  ([a-z-]+)  ", listed, flags=re.MULTILINE)
    assert commands[:2] == ["list", "export-opportunities"]
    assert commands.index("sectors") < commands.index("validate") < commands.index("serve")
    # Groups show their whole first sentence, not a cut "The five Annex A sector..."
    assert "The five Annex A sector overviews." in out


# --------------------------------------------------------------------------- the chart


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_chart_fits_and_keeps_every_rank_apart(width: int) -> None:
    out = run_cli(
        "compare-value", "--format", "table", env={"COLUMNS": str(width)}
    ).stdout.splitlines()
    bars = {}
    for line in out:
        found = re.match(r"\s*(\d+) (\S+)\s+\S+.*? ([█▏▎▍▌▋▊▉]+)$", line)
        if found:
            bars[found.group(2)] = found.group(3)
        assert len(line) <= width
    assert len(bars) == 10
    assert "public-financial-management-modernization" in bars  # the longest id, whole
    lengths = [bar_eighths(b) for b in bars.values()]
    assert lengths == sorted(lengths, reverse=True)
    # 550M, 500M and 400M never end up as three equal bars.
    assert len(set(lengths[:3])) == 3


def bar_eighths(drawn: str) -> int:
    partial = "▏▎▍▌▋▊▉"
    return 8 * drawn.count("█") + sum(partial.index(c) + 1 for c in drawn if c in partial)


def test_chart_legend_replaces_the_basis_column_when_narrow() -> None:
    narrow = run_cli("compare-value", "--format", "table", env={"COLUMNS": "60"}).stdout
    wide = run_cli("compare-value", "--format", "table", env={"COLUMNS": "120"}).stdout
    assert "~ approximate" in narrow and "basis" not in narrow
    assert "basis" in wide and "approximate, converted" in wide


def test_bars_grow_in_eighths_and_are_never_empty() -> None:
    assert bar(1.0, 4) == "████"
    assert bar(0.5, 3) == "█▌"
    assert bar(0.0, 10) == "▏"


# --------------------------------------------------------------------------- figure tables


@pytest.mark.parametrize(
    ("figure", "shown"),
    [
        ({"value": 20000, "unit": "km", "bound": "up_to"}, "≤20,000 km"),
        ({"value": 66.7, "unit": "percent", "bound": "approximate"}, "~66.7%"),
        ({"value": 2014, "unit": "year", "bound": "exact"}, "2014"),
        ({"value": 14, "unit": "rank", "bound": "exact"}, "14th"),
        ({"value": 2, "unit": "rank", "bound": "exact"}, "2nd"),
        ({"value": 14, "unit": "USD billion", "bound": "approximate"}, "~$14 billion"),
        ({"value": 2.5, "unit": "tons per km", "bound": "exact"}, "2.5 tons per km"),
        ({"value": None, "as_printed": "a few hundred km"}, "“a few hundred km”"),
    ],
)
def test_figure_values_read_as_number_and_unit(figure: dict[str, object], shown: str) -> None:
    assert figure_value(figure) == shown


def test_figure_tables_show_numbers_and_sources_without_duplicate_rows() -> None:
    out = run_cli("sectors", "show", "subsea", env={"COLUMNS": "200"}).stdout
    assert "≤20,000 km" in out and "10,000 km" in out
    assert "ReportLinker" in out
    rows = [line for line in out.splitlines() if line.startswith("│ ") and line[2] != " "]
    assert len(rows) == len(set(rows))


# --------------------------------------------------------------------------- highlighting


def test_highlights_find_words_as_search_matches_them() -> None:
    query = parse_query("cable queretaro")
    text = "Cables to Querétaro; no cab here"
    assert [text[a:b] for a, b in highlights(text, query)] == ["Cables", "Querétaro"]


def test_search_table_highlights_matches_only_in_colour() -> None:
    rows = [{"id": "gignet-1", "snippet": "a subsea cable to Cancún", "fields": "cable"}]
    query = parse_query("cable")
    coloured, plain = io.StringIO(), io.StringIO()
    for out, color in ((coloured, True), (plain, False)):
        write_table(
            rows,
            ["id", "snippet", "fields"],
            out,
            color=color,
            width=80,
            highlight=lambda text: highlights(text, query),
        )
    assert "\x1b[1;33mcable\x1b[0m" in coloured.getvalue()
    # the field names column is not the record's text
    assert coloured.getvalue().rstrip().endswith("cable")
    assert "\x1b" not in plain.getvalue()


def test_table_columns_line_up_in_terminal_cells() -> None:
    # Wide (CJK, emoji) characters take two cells and combining accents none: columns
    # are measured and cut in cells, so what follows a wide name still lines up.
    rows = [
        {"id": "a-1", "name": "中文字" * 6, "status": "active"},
        {"id": "b-22", "name": "Cafe\u0301 über", "status": "approved"},
        {"id": "c", "name": "🙂🙂 smile", "status": "unknown"},
    ]
    for width in (30, 80):
        out = io.StringIO()
        write_table(rows, ["id", "name", "status"], out, width=width)
        lines = out.getvalue().splitlines()
        starts = set()
        for line, status in zip(lines[2:], ("active", "approved", "unknown"), strict=True):
            assert line.endswith(status)
            starts.add(cell_width(line) - len(status))
            assert cell_width(line) <= width
        assert len(starts) == 1, lines  # the status column starts at one cell offset
        whole = "中文字" * 6
        assert (whole in lines[2]) == (width == 80), lines  # cut at 30 columns, with "…"


def test_a_key_wider_than_the_terminal_folds_and_the_header_sits_on_the_rule() -> None:
    rows = [{"id": "public-financial-management-modernization", "value": "$110M"}]
    out = io.StringIO()
    write_table(rows, ["id", "value"], out, width=20)
    assert out.getvalue().splitlines() == [
        "id",
        "─" * 20,
        "public-financial-man",
        "agement-modernizatio",
        "n",
    ]
