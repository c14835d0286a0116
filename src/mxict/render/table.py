"""Rows as rich tables on a terminal, fitted to its width without cutting ids or words."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from mxict.query.status import PASSED
from mxict.render.text import cell_width, char_width, human, inert

if TYPE_CHECKING:
    from rich.console import Console

MIN_WIDTH = 20  # narrower than this, tables and layouts are unreadable

# Where a text's words to highlight are: (start, end) spans.
Highlighter = Callable[[str], list[tuple[int, int]]]
HIGHLIGHT_SKIP = ("fields",)  # names of fields, not the record's text


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
            Text(inert(name)),  # a column name can come from data (a source table)
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


# Columns that are never cut: what a user copies (ids, dates) and what a number needs.
NEVER_CUT = (
    "id",
    "project_id",
    "acronym",
    "date",
    "rank",
    "annex",
    # Short closed vocabularies: cut, they would be unreadable.
    "status",
    "kind",
    "grade",
    "sector",
    "basis",
    "bound",
    "expected",
    "forecast",  # "2022-Q4 passed" (see compact)
    "mark",  # "expected" or "passed, not confirmed" (calendar)
)
MIN_TEXT = 10  # a text column narrower than this says too little to be worth showing
FLOOR = 5  # the narrowest a text column is cut to before columns are dropped
GAP = 3  # a space of padding, the column rule (a space here) and another space


def compact(value: Any, field: str) -> str:
    """A table cell for people: money as `$38M`, `~$38M`, `>$1B/yr`; lists joined."""
    if isinstance(value, dict) and "as_printed" in value:
        return compact_money(value)
    if field.endswith("_usd") and isinstance(value, int | float) and not isinstance(value, bool):
        return "$" + _short_number(value) + ("/yr" if field.startswith("annual") else "")
    if field == "forecast" and isinstance(value, str):
        # "expected 2022-Q4; passed, not confirmed" -> "2022-Q4 passed": the column says
        # it is a forecast, and a narrow table has no room for the whole sentence.
        return value.removeprefix("expected ").replace(f"; {PASSED}", " passed")
    return human(value)


BOUND_MARK = {"approximate": "~", "more_than": ">", "at_least": "≥", "up_to": "≤"}


def compact_money(money: dict[str, Any]) -> str:
    """`$38M` for a total, `>$1B/yr` for an annual figure; the printed text without USD."""
    from mxict.query import usd_amount

    usd = usd_amount(money)
    if usd is None:
        return str(money.get("as_printed") or "")
    mark = BOUND_MARK.get(str(money.get("bound")), "")
    yearly = "/yr" if money.get("basis") == "annual" else ""
    return f"{mark}${_short_number(usd)}{yearly}"


def _short_number(number: float) -> str:
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(number) >= size:
            return f"{number / size:.3g}{suffix}"
    return f"{number:.3g}"


def fitted_widths(
    cells: list[list[str]], fields: list[str], width: int, optional: tuple[str, ...] = ()
) -> tuple[list[str], list[int]]:
    """The columns to show and their widths, so that every row takes one line.

    Ids, dates and numbers keep their full width; optional columns give way in order
    while the rest cannot fit; text columns share what is left, towards their longest
    value, and are cut with an ellipsis.
    """
    shown = list(fields)

    def whole(index: int) -> bool:
        column = [row[index] for row in cells]
        numeric = any(column) and all(_numberlike(text) or not text for text in column)
        return index == 0 or fields[index] in NEVER_CUT or numeric

    def minimum(index: int) -> int:
        natural = max([cell_width(fields[index])] + [cell_width(row[index]) for row in cells])
        return natural if whole(index) else min(natural, max(cell_width(fields[index]), MIN_TEXT))

    def room(columns: list[str]) -> int:
        return width - GAP * (len(columns) - 1)

    for name in optional:
        chosen = [fields.index(c) for c in shown]
        if name in shown and sum(minimum(i) for i in chosen) > room(shown):
            shown.remove(name)

    # Still too wide (a narrow terminal): cut text further, then drop columns from the
    # right; the first column, the key, always stays whole.
    def cuttable(index: int) -> bool:
        return not whole(index)

    chosen = [fields.index(c) for c in shown]
    widths = [minimum(i) for i in chosen]
    while sum(widths) > room(shown) and len(shown) > 1:
        if any(cuttable(i) and w > FLOOR for i, w in zip(chosen, widths, strict=True)):
            widths = [
                min(w, FLOOR) if cuttable(i) else w for i, w in zip(chosen, widths, strict=True)
            ]
            if sum(widths) <= room(shown):
                break
        shown.pop()
        chosen = [fields.index(c) for c in shown]
        widths = [minimum(i) for i in chosen]
    natural = [max([cell_width(fields[i])] + [cell_width(row[i]) for row in cells]) for i in chosen]
    spare = room(shown) - sum(widths)
    wants = [n - w for n, w in zip(natural, widths, strict=True)]
    total = sum(wants)
    for position, want in enumerate(wants):
        if total and spare > 0:
            widths[position] += min(want, spare * want // total)
    # Whatever integer division left over goes to the first columns still short of room.
    leftover = room(shown) - sum(widths)
    for position in range(len(wants)):
        grow = min(leftover, natural[position] - widths[position])
        if grow > 0:
            widths[position] += grow
            leftover -= grow
    return shown, widths


_NUMBER = re.compile(r"[~>≥≤]?-?\$?\d[\d,]*(?:\.\d+)?[KMBT]?(?:/yr)?")
_DATE_FIELDS = ("date", "year", "last_verified", "latest_event", "status_date")


def _numberlike(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


def write_table(
    rows: list[dict[str, Any]],
    fields: list[str],
    out: IO[str],
    *,
    color: bool = False,
    title: str | None = None,
    width: int | None = None,
    optional: tuple[str, ...] = (),
    headers: bool = True,
    highlight: Highlighter | None = None,
) -> None:
    """Draw rows as a compact table, one line per row (like `gh pr list`): ids whole,
    money compact, long text cut with an ellipsis, `optional` columns dropped in order
    when the terminal is too narrow. `highlight` marks spans of text cells in colour
    (a search's matched words).

    Drawn here, not by rich: the widths are decided above, so what is left is padding
    and cutting, and a table on a terminal need not import rich (a third of the start-up
    of `mxict list`). Only a key wider than the whole terminal takes more than a line: it
    folds."""
    if width is None:  # drawn straight to the terminal: $COLUMNS, else its width
        import shutil

        width = shutil.get_terminal_size().columns
    width = max(width, MIN_WIDTH)
    cells = [[inert(compact(row.get(name), name)) for name in fields] for row in rows]
    cells = [[" ".join(cell.split()) for cell in row] for row in cells]
    shown, widths = fitted_widths(cells, fields, width, optional)
    if not shown:
        return  # every column was optional and none fits
    widths[0] = min(widths[0], width)
    indexes = [fields.index(name) for name in shown]
    right = [
        name not in _DATE_FIELDS
        and any(row[index] for row in cells)
        and all(_numberlike(row[index]) or not row[index] for row in cells)
        for name, index in zip(shown, indexes, strict=True)
    ]
    sgr = _Sgr(color)
    total = sum(widths) + GAP * (len(widths) - 1)
    lines = []
    if title:  # centred over the table, in italics
        for text in _fold(" ".join(inert(title).split()), total):
            lines.append(" " * ((total - cell_width(text)) // 2) + sgr.wrap(text, "3"))
    if headers:
        names = [inert(name) for name in shown]
        lines += _row_lines(_cells(names, widths), widths, right, sgr, bold=True)
        lines.append("─" * total)
    marks = highlight if highlight is not None and color else None
    for row in cells:
        texts = [row[index] for index in indexes]
        drawn = _cells(texts, widths)
        if marks is not None:  # never the key, nor the names of fields
            drawn[1:] = [
                cell._replace(
                    spans=tuple((a, min(b, cell.kept)) for a, b in marks(text) if a < cell.kept)
                )
                if name not in HIGHLIGHT_SKIP
                else cell
                for cell, text, name in zip(drawn[1:], texts[1:], shown[1:], strict=True)
            ]
        lines += _row_lines(drawn, widths, right, sgr)
    out.write("".join(line.rstrip(" ") + "\n" for line in lines))


class _Cell(NamedTuple):
    text: str  # as drawn: cut with an ellipsis (the key is folded instead)
    kept: int  # how many characters of the original text that shows
    spans: tuple[tuple[int, int], ...] = ()  # what to highlight, in those characters


def _cells(texts: list[str], widths: list[int]) -> list[_Cell]:
    """A row's cells: the key whole (it folds when it must), the others cut to width."""
    key = _Cell(texts[0], len(texts[0]))
    return [key, *(_Cell(*_cut(t, w)) for t, w in zip(texts[1:], widths[1:], strict=True))]


class _Sgr:
    """ANSI styles, or nothing without colour."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def wrap(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color and text else text

    def marked(self, text: str, spans: tuple[tuple[int, int], ...]) -> str:
        """`text` with the spans highlighted (bold yellow)."""
        if not spans or not self.color:
            return text
        pieces, at = [], 0
        for start, end in sorted(spans):
            if start < at or end <= start:
                continue
            pieces += [text[at:start], self.wrap(text[start:end], "1;33")]
            at = end
        return "".join([*pieces, text[at:]])


def _row_lines(
    cells: list[_Cell], widths: list[int], right: list[bool], sgr: _Sgr, *, bold: bool = False
) -> list[str]:
    """One row's lines: the key folded to its width, every other cell on the first line
    (the last, for the header: names sit on the rule); numbers to the right."""
    lines = []
    keys = _fold(cells[0].text, widths[0])
    beside = len(keys) - 1 if bold else 0
    for number, key in enumerate(keys):
        parts = []
        for position, (cell, column_width) in enumerate(zip(cells, widths, strict=True)):
            text = key if position == 0 else cell.text if number == beside else ""
            pad = " " * (column_width - cell_width(text))
            styled = sgr.wrap(text, "1") if bold else sgr.marked(text, cell.spans)
            parts.append(pad + styled if right[position] else styled + pad)
        lines.append((" " * GAP).join(parts))
    return lines


def _cut(text: str, width: int) -> tuple[str, int]:
    """`text` cut to `width` terminal cells with an ellipsis, and how many of its
    characters that keeps."""
    if cell_width(text) <= width:
        return text, len(text)
    kept, used = 0, 0
    for char in text:
        if used + char_width(char) > width - 1:
            break
        used += char_width(char)
        kept += 1
    # A wide character that would straddle the edge leaves a space, as rich does.
    return text[:kept] + " " * (width - 1 - used) + "…", kept


def _fold(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells: broken between words, a longer word cut in pieces."""
    if cell_width(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if cell_width(line) + char_width(char) > width:
                lines.append(line)
                line = ""
            line += char
    lines.append(line)
    return lines
