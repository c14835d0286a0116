"""Rows and records to text: JSON, JSON Lines, CSV, TSV, Markdown, YAML and rich tables.

Never imports typer. Text that comes from data is always treated as inert: control
characters are stripped before it reaches a terminal, it is never parsed as rich markup,
and spreadsheet formats neutralise cells that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any

from mxict.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

Doc = dict[str, Any]


class OutputFormat(StrEnum):
    """The closed set of output formats; every member renders (tested)."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    MD = "md"
    YAML = "yaml"


# C0 controls except tab/newline, DEL, and C1 controls (ESC, CSI, OSC starters...), and
# the bidi embedding/override/isolate controls that make a terminal show text reordered
# ("Trojan Source"); the plain LRM/RLM marks stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """Text safe to print on a terminal: control and escape characters removed."""
    return _CONTROL.sub("", text)


def neutralise_formula(text: str) -> str:
    """Prefix a cell a spreadsheet would evaluate with a quote (OWASP CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def flat(value: Any) -> str:
    """One cell of text for a nested value: money by its printed form, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        if "as_printed" in value:
            return str(value["as_printed"])
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "; ".join(flat(item) for item in value)
    return str(value)


def select_fields(
    rows: list[dict[str, Any]], fields: Sequence[str] | None, valid: Sequence[str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Keep only the asked fields, in the asked order; an unknown field is a usage error."""
    chosen = list(fields) if fields else list(valid)
    unknown = [f for f in chosen if f not in valid]
    if unknown:
        raise UsageError(f"unknown field(s) {', '.join(unknown)}; valid fields: {', '.join(valid)}")
    return [{name: row.get(name) for name in chosen} for row in rows], chosen


def parse_fields(raw: str | None) -> list[str] | None:
    """`a,b, c` -> ['a', 'b', 'c']; None or blank -> None."""
    if raw is None or not raw.strip():
        return None
    return [part.strip() for part in raw.split(",") if part.strip()]


def to_json(data: Any) -> str:
    """Stable JSON: UTF-8 unescaped, two-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_yaml(data: Any) -> str:
    """YAML with Spanish text kept readable and keys in record order."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100))


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


def _delimited(rows: list[dict[str, Any]], fields: list[str], out: IO[str], delimiter: str) -> None:
    import csv

    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        cells: list[Any] = []
        for name in fields:
            value = row.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(flat(value))  # numbers stay numbers, never prefixed
            else:
                # Neutralise before tabs become spaces: a leading tab must still count.
                text = neutralise_formula(inert(flat(value)))
                if delimiter == "\t":
                    text = text.replace("\t", " ").replace("\n", " ")
                cells.append(text)
        writer.writerow(cells)


def _markdown(rows: list[dict[str, Any]], fields: list[str], out: IO[str]) -> None:
    from tabulate import tabulate

    def cell(value: Any) -> str:
        text = inert(flat(value)).replace("|", "\\|").replace("\n", "<br>")
        return text

    body = [[cell(row.get(name)) for name in fields] for row in rows]
    out.write(tabulate(body, headers=fields, tablefmt="github", disable_numparse=True) + "\n")


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
        table.add_row(*[Text(inert(_human(row.get(name)))) for name in fields])
    return table


def column_widths(rows: list[dict[str, Any]], fields: list[str], width: int) -> list[int] | None:
    """Column widths that show the key column whole and never cut a word, or None when
    `width` is too narrow for that (rich then folds as it must).

    Each column gets its longest word, then the spare room is shared out towards each
    column's longest value.
    """
    if not rows or not fields:
        return None
    longest = [max([len(name)] + [len(_human(r.get(name))) for r in rows]) for name in fields]
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
    words = [len(name)] + [len(w) for r in rows for w in _human(r.get(name)).split()]
    return min(max(words), 24)


def _human(value: Any) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool) and abs(value) >= 1000:
        return f"{value:,.0f}"
    return flat(value)


def render_rows(
    rows: list[dict[str, Any]],
    fields: list[str],
    fmt: OutputFormat,
    out: IO[str],
    *,
    color: bool = False,
    title: str | None = None,
    width: int | None = None,
    optional: tuple[str, ...] = (),
) -> None:
    """Write rows in one of the output formats; the one place formats are dispatched.

    For a table, `optional` columns are dropped (in order) when the terminal is too
    narrow to show every column without cutting words.
    """
    if fmt is OutputFormat.JSON:
        out.write(to_json(rows) + "\n")
    elif fmt is OutputFormat.JSONL:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.CSV:
        _delimited(rows, fields, out, ",")
    elif fmt is OutputFormat.TSV:
        _delimited(rows, fields, out, "\t")
    elif fmt is OutputFormat.MD:
        _markdown(rows, fields, out)
    elif fmt is OutputFormat.YAML:
        out.write(to_yaml(rows))
    elif fmt is OutputFormat.TABLE:
        console = make_console(out, color=color, width=width)
        shown = list(fields)
        for name in optional:
            if name in shown and not columns_fit(rows, shown, console.width):
                shown.remove(name)
        console.print(rich_table(rows, shown, title, console.width))
    else:  # pragma: no cover - the enum is closed
        raise UsageError(f"unsupported format {fmt}")


def render_document(data: Any, fmt: OutputFormat, out: IO[str]) -> None:
    """One whole record (for `show`): JSON, YAML, or JSON Lines of one line."""
    if fmt is OutputFormat.JSONL:
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.YAML:
        out.write(to_yaml(data))
    else:
        out.write(to_json(data) + "\n")
