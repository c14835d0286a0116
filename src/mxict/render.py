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

    from mxict.models import Project, Sector, Table


class OutputFormat(StrEnum):
    """The closed set of output formats; every member renders (tested)."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    MD = "md"
    YAML = "yaml"


# C0 controls except tab/newline, DEL, and C1 controls (ESC, CSI, OSC starters...).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
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


def make_console(file: IO[str], *, color: bool, width: int | None = None) -> Console:
    """A rich console that never interprets markup or emoji in data."""
    from rich.console import Console

    return Console(
        file=file,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        markup=False,
        emoji=False,
        width=width,
        soft_wrap=False,
    )


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
                text = inert(flat(value))
                if delimiter == "\t":
                    text = text.replace("\t", " ").replace("\n", " ")
                cells.append(neutralise_formula(text))
        writer.writerow(cells)


def _markdown(rows: list[dict[str, Any]], fields: list[str], out: IO[str]) -> None:
    from tabulate import tabulate

    def cell(value: Any) -> str:
        text = inert(flat(value)).replace("|", "\\|").replace("\n", "<br>")
        return text

    body = [[cell(row.get(name)) for name in fields] for row in rows]
    out.write(tabulate(body, headers=fields, tablefmt="github", disable_numparse=True) + "\n")


def rich_table(rows: list[dict[str, Any]], fields: list[str], title: str | None = None) -> Any:
    """A rich Table of rows; every cell is inert Text, never markup."""
    from rich.table import Table as RichTable
    from rich.text import Text

    table = RichTable(
        title=Text(inert(title)) if title else None,
        show_lines=False,
        header_style="bold",
        expand=False,
    )
    for name in fields:
        numeric = any(
            isinstance(r.get(name), int | float) and not isinstance(r.get(name), bool) for r in rows
        )
        table.add_column(Text(name), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*[Text(inert(_human(row.get(name)))) for name in fields])
    return table


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
) -> None:
    """Write rows in one of the output formats; the one place formats are dispatched."""
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
        make_console(out, color=color, width=width).print(rich_table(rows, fields, title))
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


# --------------------------------------------------------------------------- show layouts


def _heading(console: Console, text: str) -> None:
    from rich.text import Text

    console.print()
    console.print(Text(inert(text), style="bold underline"))


def _para(console: Console, text: str) -> None:
    from rich.text import Text

    console.print(Text(inert(" ".join(text.split()))))


def table_of(table: Table) -> Any:
    """A source table (Tables 2-15) as a rich Table."""
    columns = [c.name + (f" ({c.unit})" if c.unit else "") for c in table.columns]
    rows = [dict(zip(columns, row, strict=True)) for row in table.rows]
    return rich_table(rows, columns, f"Table {table.number}: {table.title}")


def show_project(
    project: Project, console: Console, *, stale_after_days: int | None = None, today: Any = None
) -> None:
    """The whole project laid out for reading on a terminal."""
    from rich.text import Text

    from mxict.query import usd_amount

    event = project.current_event()
    console.print(Text(inert(project.name), style="bold"))
    status = project.current_status.value.replace("_", " ")
    line = f"Status: {status}" + (f" (as of {event.date})" if event else "")
    console.print(Text(line, style="bold cyan"))
    if stale_after_days is not None and today is not None:
        age = (today - project.last_verified).days
        if age > stale_after_days:
            console.print(
                Text(
                    f"Last verified {project.last_verified} ({age} days ago): "
                    "information may be out of date",
                    style="yellow",
                )
            )
    facts = [
        ("id", project.id),
        (
            "sponsor",
            project.sponsor.name
            + (f" ({project.sponsor.acronym})" if project.sponsor.acronym else ""),
        ),
        ("sector", project.sector.value),
        ("subsector", project.subsector),
        ("location", "; ".join(loc.name for loc in project.locations)),
        (
            "value",
            f"{project.value.as_printed} [{project.value.basis.value}, "
            f"{project.value.bound.value}, {project.value.scope.value}]",
        ),
        ("value (USD)", _human(usd_amount(project.value)) or "n/a"),
        ("last verified", str(project.last_verified)),
    ]
    for successor in project.sponsor.successors:
        facts.append(("sponsor change", f"{successor.date}: {successor.description}"))
    for label, value in facts:
        console.print(Text(f"{label:>14}: ", style="dim") + Text(inert(value)))
    _heading(console, "Summary")
    _para(console, project.summary)
    _heading(console, "Background")
    _para(console, project.background)
    for component in project.components:
        console.print(Text(inert(component.heading), style="bold"))
        _para(console, component.summary)
        for point in component.points:
            console.print(Text("  • " + inert(point)))
    _heading(console, "Status and timeline")
    _para(console, project.status_summary)
    for item in project.timeline:
        mark = " (expected)" if item.expected else ""
        tag = f" [{item.status.value}]" if item.status else ""
        console.print(Text(f"  {item.date}{mark}{tag}  ", style="cyan") + Text(inert(item.event)))
    _heading(console, "Cost and financing")
    _para(console, project.financing.summary)
    for funding in project.financing.funding:
        amount = f": {funding.amount.as_printed}" if funding.amount else ""
        console.print(Text(f"  • {inert(funding.funder.name)} ({funding.kind.value}){amount}"))
    _heading(console, "U.S. export opportunities")
    for opportunity in project.opportunities:
        console.print(
            Text(f"  • [{inert(opportunity.category)}] ", style="dim")
            + Text(inert(opportunity.description))
        )
    if project.contacts:
        _heading(console, "Contacts")
        for contact in project.contacts:
            parts = [
                contact.name,
                contact.title,
                contact.organization,
                contact.email,
                contact.phone,
                contact.address,
                contact.url,
            ]
            console.print(
                Text(f"  {contact.role.value}: ", style="dim")
                + Text(inert(" | ".join(p for p in parts if p)))
            )
    for table in project.tables:
        console.print()
        console.print(table_of(table))
    _heading(console, "Sources")
    for ref in project.sources:
        console.print(Text(inert(f"  {ref.file}: {ref.section}")))


def show_sector(sector: Sector, projects: list[Project], console: Console) -> None:
    """A sector overview laid out for reading on a terminal."""
    from rich.text import Text

    console.print(Text(inert(f"{sector.annex} {sector.title}"), style="bold"))
    _para(console, sector.summary)
    if sector.figures or sector.mexico_figures:
        rows = [
            {
                "figure": f.label,
                "value": f.as_printed,
                "year": f.year or "",
                "source": f.cited_source or "",
            }
            for f in (*sector.figures, *sector.mexico_figures)
        ]
        console.print()
        console.print(rich_table(rows, ["figure", "value", "year", "source"], "Key figures"))
    for section in sector.sections:
        _heading(console, section.heading)
        _para(console, section.summary)
        for point in section.points:
            console.print(Text("  • " + inert(point)))
    _heading(console, sector.mexico.heading)
    _para(console, sector.mexico.summary)
    for point in sector.mexico.points:
        console.print(Text("  • " + inert(point)))
    for table in sector.tables:
        console.print()
        console.print(table_of(table))
    if projects:
        _heading(console, "Projects")
        for project in projects:
            console.print(Text(f"  {project.id}: ", style="cyan") + Text(inert(project.name)))
