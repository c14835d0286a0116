"""The `compare-value` bar chart for terminals, drawn with rich."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mxict.render.table import compact_money
from mxict.render.text import flat, inert

if TYPE_CHECKING:
    from rich.console import Console

BAR_WIDTH = 40  # the longest bar, when the terminal has room for it
MIN_BAR = 4  # 32 eighths: narrower, bars could no longer tell the ranks apart
BASIS_BAR = 20  # the basis column is shown only when bars keep at least this much room
# Eighths of a block: bars grow in steps of 1/8 column, so close values stay apart even
# when the bars are short (550 and 500 in eight columns: 64 and 58 eighths).
_EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")
_MARKS = {"~": "approximate", ">": "more than", "≥": "at least", "≤": "up to"}


def bar(share: float, width: int) -> str:
    """A bar for `share` (0 to 1) of `width` columns, in eighths; never empty."""
    eighths = max(1, round(share * width * 8))
    return "█" * (eighths // 8) + _EIGHTHS[eighths % 8]


def _basis(row: dict[str, Any]) -> str:
    return str(row["bound"]).replace("_", " ") + (", converted" if row["converted"] else "")


def _value(row: dict[str, Any]) -> str:
    return compact_money(row["value"]) + ("*" if row["converted"] else "")


def bar_chart(console: Console, ranked: list[dict[str, Any]], apart: list[dict[str, Any]]) -> None:
    """Horizontal bars for ranked projects, then the ones that cannot be compared.

    Ids are never cut; the bars take the room that is left (at most BAR_WIDTH), and the
    basis column gives way to a legend of the value marks on a narrow terminal.
    """
    from rich.table import Table
    from rich.text import Text

    top = max((row["value_usd"] or 0.0 for row in ranked), default=0.0)
    values = [_value(row) for row in ranked]
    bases = [_basis(row) for row in ranked]
    widths = {
        "#": max([1] + [len(str(row["rank"])) for row in ranked]),
        "project": max([len("project")] + [len(row["id"]) for row in ranked]),
        "value": max([len("value")] + [len(v) for v in values]),
        "basis": max([len("basis")] + [len(b) for b in bases]),
    }
    gaps = 1  # one space between columns (collapsed padding)
    room = console.width - widths["#"] - widths["project"] - widths["value"] - 3 * gaps
    show_basis = room - widths["basis"] - gaps >= BASIS_BAR
    if show_basis:
        room -= widths["basis"] + gaps
    bar_width = max(MIN_BAR, min(BAR_WIDTH, room))

    table = Table(
        title="Project value, USD (total figures)",
        show_header=True,
        header_style="bold",
        box=None,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("project", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True)
    if show_basis:
        table.add_column("basis", no_wrap=True)
    table.add_column("", no_wrap=True, width=bar_width)
    for row, value, basis in zip(ranked, values, bases, strict=True):
        share = (row["value_usd"] or 0.0) / top if top else 0.0
        cells: list[Any] = [str(row["rank"]), Text(inert(row["id"])), value]
        if show_basis:
            cells.append(Text(basis))
        cells.append(Text(bar(share, bar_width), style="green"))
        table.add_row(*cells)
    console.print(table)
    if not show_basis:
        legend = [
            f"{mark} {word}" for mark, word in _MARKS.items() if any(mark in v for v in values)
        ]
        if any(row["converted"] for row in ranked):
            legend.append("* converted to USD")
        if legend:
            console.print(Text(", ".join(legend)))
    if apart:
        console.print()
        console.print(Text("Not compared:", style="bold"))
        notes = Table.grid(padding=(0, 1))
        notes.add_column(no_wrap=True)
        notes.add_column()  # wrapped lines stay indented under the text
        for row in apart:
            notes.add_row(
                " ", Text(f"{inert(row['id'])}: {inert(flat(row['value']))} ({row['reason']})")
            )
        console.print(notes)
