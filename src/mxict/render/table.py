"""Rows as rich tables on a terminal, fitted to its width without cutting ids or words."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from mxict.render.text import human, inert

if TYPE_CHECKING:
    from rich.console import Console

MIN_WIDTH = 20  # narrower than this, tables and layouts are unreadable


def make_console(file: IO[str], *, color: bool, width: int | None = None) -> Console:
    """A rich console that never interprets markup or emoji in data."""
    from rich.console import Console

    console = Console(
        file=file,
        no_color=not color,
        color_system="auto" if color else None,
        # The caller decided colour is wanted (a terminal, no NO_COLOR): trust it.
        force_terminal=True if color else None,
        highlight=False,
        markup=False,
        emoji=False,
        width=width,
        soft_wrap=False,
    )
    if console.width < MIN_WIDTH:
        # COLUMNS=0 would print nothing at all, and a few columns one letter per line:
        # draw at a readable width and let the terminal wrap.
        console.width = MIN_WIDTH
    return console


KEY_COLUMNS = ("id", "project_id", "acronym", "date", "kind", "figure", "segment")


def rich_table(
    rows: list[dict[str, Any]],
    fields: list[str],
    title: str | None = None,
    width: int | None = None,
) -> Any:
    """A rich Table of rows; every cell is inert Text, never markup.

    Given the terminal `width`, columns get room for their longest word when that fits,
    so words are wrapped whole rather than cut.
    """
    from rich.table import Table as RichTable
    from rich.text import Text

    table = RichTable(
        title=Text(inert(title)) if title else None,
        show_lines=False,
        header_style="bold",
        expand=False,
    )
    widths = column_widths(rows, fields, width or 80)
    for index, name in enumerate(fields):
        numeric = any(
            isinstance(r.get(name), int | float) and not isinstance(r.get(name), bool) for r in rows
        )
        table.add_column(
            Text(name),
            justify="right" if numeric else "left",
            overflow="fold",
            no_wrap=widths is not None and index == 0 and name in KEY_COLUMNS,
            width=widths[index] if widths else None,
        )
    for row in rows:
        table.add_row(*[Text(inert(human(row.get(name)))) for name in fields])
    return table


def column_widths(rows: list[dict[str, Any]], fields: list[str], width: int) -> list[int] | None:
    """Column widths that show the key column whole and never cut a word, or None when
    `width` is too narrow for that (rich then folds as it must).

    Each column gets its longest word, then the spare room is shared out towards each
    column's longest value.
    """
    if not rows or not fields:
        return None
    longest = [max([len(name)] + [len(human(r.get(name))) for r in rows]) for name in fields]
    minimums = [_longest_word(name, rows) for name in fields]
    if fields[0] in KEY_COLUMNS:
        minimums[0] = longest[0]
    room = width - 3 * len(fields) - 1  # borders and one space of padding each side
    spare = room - sum(minimums)
    if spare < 0:
        return None
    widths = list(minimums)
    wants = [max(0, lo - mi) for lo, mi in zip(longest, minimums, strict=True)]
    total_want = sum(wants)
    for index, want in enumerate(wants):
        if total_want:
            widths[index] += min(want, spare * want // total_want)
    return widths


def columns_fit(rows: list[dict[str, Any]], fields: list[str], width: int) -> bool:
    """Whether `fields` can be shown without cutting words or the key column."""
    return column_widths(rows, fields, width) is not None


def _longest_word(name: str, rows: list[dict[str, Any]]) -> int:
    # Wide enough that no word is cut in half ("terrestria|l"), but never huge.
    words = [len(name)] + [len(w) for r in rows for w in human(r.get(name)).split()]
    return min(max(words), 24)


def write_table(
    rows: list[dict[str, Any]],
    fields: list[str],
    out: IO[str],
    *,
    color: bool = False,
    title: str | None = None,
    width: int | None = None,
    optional: tuple[str, ...] = (),
) -> None:
    """Draw rows as a table; `optional` columns are dropped (in order) when the terminal
    is too narrow to show every column without cutting words."""
    console = make_console(out, color=color, width=width)
    shown = list(fields)
    for name in optional:
        if name in shown and not columns_fit(rows, shown, console.width):
            shown.remove(name)
    console.print(rich_table(rows, shown, title, console.width))
