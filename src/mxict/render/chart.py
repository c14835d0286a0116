"""The `compare-value` bar chart for terminals, drawn with rich."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mxict.render.text import flat, inert

if TYPE_CHECKING:
    from rich.console import Console

BAR_WIDTH = 30


def _usd(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value >= 1e9:
        return f"${value / 1e9:,.2f} bn"
    return f"${value / 1e6:,.1f} m"


def bar_chart(console: Console, ranked: list[dict[str, Any]], apart: list[dict[str, Any]]) -> None:
    """Horizontal bars for ranked projects, then the ones that cannot be compared."""
    from rich.table import Table
    from rich.text import Text

    top = max((row["value_usd"] or 0.0 for row in ranked), default=0.0)
    table = Table(
        title="Project value, USD (total figures)",
        show_header=True,
        header_style="bold",
        box=None,
        pad_edge=False,
    )
    table.add_column("#", justify="right")
    table.add_column("project")
    table.add_column("value", justify="right")
    table.add_column("basis")
    table.add_column("")
    for row in ranked:
        share = (row["value_usd"] or 0.0) / top if top else 0.0
        bar = "█" * max(1, round(share * BAR_WIDTH))
        basis = row["bound"].replace("_", " ") + (", converted" if row["converted"] else "")
        table.add_row(
            str(row["rank"]),
            Text(inert(row["id"])),
            _usd(row["value_usd"]),
            Text(basis),
            Text(bar, style="green"),
        )
    console.print(table)
    if apart:
        console.print()
        console.print(Text("Not compared:", style="bold"))
        for row in apart:
            console.print(
                Text(f"  {inert(row['id'])}: {inert(flat(row['value']))} ({row['reason']})")
            )
