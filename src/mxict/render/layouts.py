"""Records laid out for reading on a terminal: `show`, `sectors show`, `country`."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from mxict.dates import partial_date_end
from mxict.query import annual_usd, latest_event, total_usd
from mxict.query.status import PASSED, is_passed
from mxict.render.table import BOUND_MARK, rich_table
from mxict.render.text import human, inert

if TYPE_CHECKING:
    from rich.console import Console

Doc = dict[str, Any]


def _heading(console: Console, text: str) -> None:
    from rich.text import Text

    console.print()
    console.print(Text(inert(text), style="bold underline"))


PROSE_WIDTH = 100  # prose is easier to read in lines no longer than this
UNWRAPPED = 10_000  # a console this wide is a pipe: lines are not wrapped at all


def prose_width(console: Console) -> int:
    """Where prose wraps: the terminal, at most PROSE_WIDTH; never when piped."""
    return console.width if console.width >= UNWRAPPED else min(console.width, PROSE_WIDTH)


def _para(console: Console, text: str) -> None:
    from rich.text import Text

    console.print(Text(inert(" ".join(text.split()))), width=prose_width(console))


def table_of(table: Doc, width: int | None = None) -> Any:
    """A source table (Tables 2-15) as a rich Table."""
    columns = [c["name"] + (f" ({c['unit']})" if c.get("unit") else "") for c in table["columns"]]
    rows = [dict(zip(columns, row, strict=True)) for row in table["rows"]]
    return rich_table(rows, columns, f"Table {table['number']}: {table['title']}", width)


def _bullets(console: Console, points: list[Any], marker: str = "•") -> None:
    """Bulleted lines whose wrapped lines stay indented under their bullet's text."""
    from rich.table import Table as RichTable
    from rich.text import Text

    if not points:
        return
    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for point in points:
        grid.add_row(Text("  " + marker), point if isinstance(point, Text) else Text(inert(point)))
    console.print(grid, width=prose_width(console))


def _sections(console: Console, sections: list[Doc], *, bold: bool = False) -> None:
    from rich.text import Text

    for section in sections:
        if bold:
            console.print(Text(inert(section["heading"]), style="bold"))
        else:
            _heading(console, section["heading"])
        _para(console, section["summary"])
        _bullets(console, section.get("points", []))


def figure_value(figure: Doc) -> str:
    """A figure's number and unit as a reader takes it in (`≤20,000 km`, `~66.7%`), or the
    printed words in quotes when the source gives no number."""
    value = figure.get("value")
    if value is None:
        return f"“{figure['as_printed']}”"
    whole = float(value).is_integer()
    number = f"{int(value):,}" if whole else f"{value:,}"
    unit = figure.get("unit") or ""
    if unit == "percent":
        shown = f"{number}%"
    elif unit == "year" and whole:
        shown = str(int(value))  # a year, not a count: no thousands separator
    elif unit == "rank" and whole:
        shown = _ordinal(int(value))
    elif unit.startswith("USD"):
        shown = " ".join(part for part in (f"${number}", unit.removeprefix("USD").strip()) if part)
    elif unit in ("MXN", "EUR") or unit.startswith(("MXN ", "EUR ")):
        code, _, rest = unit.partition(" ")
        shown = " ".join(part for part in (code, number, rest) if part)
    else:
        shown = " ".join(part for part in (number, unit) if part)
    return BOUND_MARK.get(str(figure.get("bound")), "") + shown


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _figures_table(figures: list[Doc], title: str, width: int | None = None) -> Any:
    rows = []
    for f in figures:
        row = {
            "figure": f["label"],
            "value": figure_value(f),
            "year": f.get("year") or "",
            "source": f.get("cited_source")
            or "; ".join(f"{ref['file']}: {ref['section']}" for ref in f.get("sources", [])),
        }
        if row not in rows:  # one statement printed twice in the source is one row
            rows.append(row)
    return rich_table(rows, ["figure", "value", "year", "source"], title, width)


ROLE_LABELS = {
    "project_sponsor": "Project sponsor",
    "ustda": "USTDA",
    "us_commercial_service": "U.S. Commercial Service",
    "other": "Other",
}


def show_project(
    project: Doc,
    console: Console,
    *,
    today: date | None = None,
    stale_after_days: int = 365,
    leads: list[Doc] | None = None,
) -> None:
    """A project laid out for an exporter: status, value, sponsor and place first, then
    what U.S. firms can sell and whom to call, then the narrative and the sources."""
    from rich.text import Text

    console.print(Text(inert(project["name"]), style="bold"))
    for line in status_lines(project["current_status"]):
        console.print(Text(inert(line), style="bold cyan"), width=prose_width(console))
    if today is not None:
        for warning in staleness_warnings(project, today, stale_after_days):
            console.print(Text(warning, style="yellow"))
    sponsor = project["sponsor"]
    value = project["value"]
    facts = [
        ("value", f"{value['as_printed']} [{value['basis']}, {value['bound']}, {value['scope']}]"),
        ("value (USD)", _usd_line(value)),
    ]
    if value.get("original"):
        facts.append(("original", _original_line(value["original"])))
    facts += [
        (
            "sponsor",
            sponsor["name"] + (f" ({sponsor['acronym']})" if sponsor.get("acronym") else ""),
        ),
        ("location", "; ".join(loc["name"] for loc in project["locations"])),
        ("sector", f"{project['sector']}: {project['subsector']}"),
        ("id", project["id"]),
        ("last verified", project["last_verified"]),
    ]
    for successor in sponsor.get("successors", []):
        facts.append(("sponsor change", f"{successor['date']}: {successor['description']}"))
    _facts(console, facts)
    _heading(console, "U.S. export opportunities")
    points = []
    for opportunity in project["opportunities"]:
        text = Text(f"[{inert(opportunity['category'])}] ", style="dim")
        text += Text(inert(opportunity["description"]))
        codes = opportunity.get("codes")
        if codes:
            text += Text(f"  NAICS {', '.join(codes['naics'])}", style="dim")
            if codes.get("hs"):
                text += Text(f"; HS {', '.join(codes['hs'])}", style="dim")
        points.append(text)
    _bullets(console, points)
    if project["contacts"]:
        _heading(console, "Contacts")
        console.print(_contacts_table(project["contacts"], width=console.width))
    _heading(console, "Summary")
    _para(console, project["summary"])
    _heading(console, "Background")
    _para(console, project["background"])
    _sections(console, project["components"], bold=True)
    if project["figures"]:
        console.print()
        console.print(_figures_table(project["figures"], "Figures", width=console.width))
    _heading(console, "Status and timeline")
    _para(console, project["status_summary"])
    _timeline(console, project["timeline"], today)
    _heading(console, "Cost and financing")
    _para(console, project["financing"]["summary"])
    funding = []
    for item in project["financing"]["funding"]:
        amount = f": {item['amount']['as_printed']}" if item.get("amount") else ""
        funding.append(f"{item['funder']['name']} ({item['kind']}){amount}")
    _bullets(console, funding)
    for table in project["tables"]:
        console.print()
        console.print(table_of(table, width=console.width))
    if leads:
        _heading(console, "Related leads (named by later sources)")
        for lead in leads:
            _lead_line(console, lead, project["id"])
    _sources(console, project["sources"])


def _facts(console: Console, facts: list[tuple[str, Any]]) -> None:
    from rich.table import Table as RichTable
    from rich.text import Text

    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim", no_wrap=True)
    grid.add_column()
    for label, text in facts:
        grid.add_row(Text(f"{label}:"), Text(inert(str(text))))
    console.print(grid, width=prose_width(console))


def _original_line(original: Doc) -> str:
    """A peso original and the rate behind its USD figure, as recorded."""
    printed = original.get("as_printed") or f"{original['currency']} {human(original['amount'])}"
    line = f"{printed} ({original['currency']} {human(original['amount'])}"
    if original.get("amount_max") is not None:
        line += f" to {human(original['amount_max'])}"
    line += ")"
    if original.get("rate"):
        line += f" at {original['rate']:g} {original['currency']} per USD"
        if original.get("rate_date"):
            line += f" ({original['rate_date']})"
    return line


def _contacts_table(contacts: list[Doc], width: int | None = None) -> Any:
    rows = []
    for contact in contacts:
        email = contact.get("email") or (
            f"…@{contact['email_partial']} (only the domain is printed)"
            if contact.get("email_partial")
            else ""
        )
        rows.append(
            {
                "role": ROLE_LABELS.get(contact["role"], contact["role"]),
                "name": contact.get("name") or "",
                "title": contact.get("title") or "",
                "organization": contact["organization"],
                "e-mail": email,
                "phone": contact.get("phone") or "",
            }
        )
    fields = ["role", "name", "title", "organization", "e-mail", "phone"]
    shown = [f for f in fields if any(r[f] for r in rows) or f == "role"]
    return rich_table(rows, shown, None, width)


def status_lines(status: Doc) -> list[str]:
    """`Status: in progress (as of 2021-05: ...)`, or `(since 2021, the newest source: ...)`
    when no event set it; then the forecast it waits on, if any (see query.status)."""
    line = "Status: " + status["status"].replace("_", " ")
    if status.get("basis") == "source":
        line += f" (since {status['date']}, the date of the newest source: {status['source']})"
    elif status["date"]:
        line += f" (as of {status['date']}: {status['event']})"
    lines = [line]
    if status.get("expected"):
        expected = status["expected"]
        lines.append(f"Forecast: {expected['status'].replace('_', ' ')}, {expected['label']}")
    return lines


def expected_mark(item: Doc, today: date | None) -> str:
    """`(expected)`, or `(expected; passed, not confirmed)` once its date has gone by."""
    if not item.get("expected"):
        return ""
    if today is not None and is_passed(item["date"], today):
        return f" (expected; {PASSED})"
    return " (expected)"


def _timeline(console: Console, events: list[Doc], today: date | None) -> None:
    from rich.text import Text

    points = []
    for item in events:
        tag = f" [{item['status']}]" if item.get("status") else ""
        mark = expected_mark(item, today)
        points.append(
            Text(f"{item['date']}{mark}{tag}  ", style="cyan") + Text(inert(item["event"]))
        )
    _bullets(console, points, marker="-")


def _sources(console: Console, refs: list[Doc]) -> None:
    from rich.text import Text

    _heading(console, "Sources")
    for ref in refs:
        console.print(Text(inert(f"  {ref['file']}: {ref['section']}")))


def _lead_line(console: Console, lead: Doc, project_id: str) -> None:
    from rich.text import Text

    how = next(
        (
            r["relation"].replace("_", " ")
            for r in lead["relations"]
            if r.get("project") == project_id
        ),
        "related to",
    )
    grade = lead["evidence"]["grade"]
    console.print(
        Text(f"  {inert(lead['id'])} ", style="cyan")
        + Text(inert(f"({how}; evidence: {grade}): {lead['name']}"))
    )


def show_lead(
    lead: Doc, console: Console, *, today: date | None = None, stale_after_days: int = 365
) -> None:
    """A lead laid out for reading: what it is, how far to trust it, its dated facts."""
    from rich.text import Text

    console.print(Text(inert(lead["name"]), style="bold"))
    for line in status_lines(lead["current_status"]):
        console.print(Text(inert(line), style="bold cyan"))
    evidence = lead["evidence"]
    console.print(
        Text("Evidence: ", style="bold")
        + Text(inert(f"{evidence['grade']} (graded by mxict): {evidence['reason']}"))
    )
    if today is not None:
        for warning in staleness_warnings(lead, today, stale_after_days):
            console.print(Text(warning, style="yellow"))
    value = lead.get("value")
    facts: list[tuple[str, str]] = [("id", lead["id"]), ("kind", "lead")]
    sector = lead["sector"] + (f" ({lead['sector_note']})" if lead.get("sector_note") else "")
    facts.append(("sector", sector))
    for actor in lead["actors"]:
        label = actor["name"] + (f" ({actor['acronym']})" if actor.get("acronym") else "")
        facts.append((actor["role"], label))
    if lead["locations"]:
        facts.append(("location", "; ".join(loc["name"] for loc in lead["locations"])))
    if value:
        facts.append(
            (
                "value",
                f"{value['as_printed']} [{value['basis']}, {value['bound']}, {value['scope']}]",
            )
        )
        facts.append(("value (USD)", _usd_line(value)))
    facts.append(("last verified", lead["last_verified"]))
    _facts(console, facts)
    _heading(console, "Summary")
    _para(console, lead["summary"])
    if lead["opportunities"]:
        _heading(console, "What U.S. firms could supply (as the sources say)")
        for opportunity in lead["opportunities"]:
            console.print(
                Text(f"  • [{inert(opportunity['category'])}] ", style="dim")
                + Text(inert(opportunity["description"]))
            )
    if lead["facts"]:
        _heading(console, "Dated facts")
        _timeline(console, lead["facts"], today)
    if lead["figures"]:
        console.print()
        console.print(_figures_table(lead["figures"], "Figures", width=console.width))
    if lead["relations"]:
        _heading(console, "Relations")
        for relation in lead["relations"]:
            target = relation.get("project") or ""
            if relation.get("to"):
                target = f"{target} ({relation['to']})" if target else relation["to"]
            note = f": {relation['note']}" if relation.get("note") else ""
            console.print(Text(inert(f"  {relation['relation'].replace('_', ' ')} {target}{note}")))
    _sources(console, lead["sources"])


def _usd_line(value: Doc) -> str:
    total, annual = total_usd(value), annual_usd(value)
    if annual is not None:
        return f"{human(annual)} a year"
    return human(total) or "n/a"


def staleness_warnings(project: Doc, today: date, stale_after_days: int) -> list[str]:
    """Warnings when the record was verified, or its latest known event happened, more
    than `stale_after_days` ago (the same notion as `mxict stale` and `stale --dormant`)."""
    warnings = []
    verified = date.fromisoformat(project["last_verified"])
    age = (today - verified).days
    if age > stale_after_days:
        warnings.append(f"Last verified {verified} ({age} days ago): re-check this record")
    latest = latest_event(project)
    if latest:
        event_age = (today - partial_date_end(latest)).days
        if event_age > stale_after_days:
            warnings.append(
                f"Latest known event is from {latest} ({event_age} days ago): "
                "the status may have changed since"
            )
    return warnings


def show_sector(sector: Doc, projects: list[Doc], console: Console) -> None:
    """A sector overview laid out for reading on a terminal."""
    from rich.text import Text

    console.print(Text(inert(f"{sector['annex']} {sector['title']}"), style="bold"))
    _para(console, sector["summary"])
    figures = [*sector["figures"], *sector["mexico_figures"]]
    if figures:
        console.print()
        console.print(_figures_table(figures, "Key figures", width=console.width))
    _sections(console, [*sector["sections"], sector["mexico"]])
    for table in sector["tables"]:
        console.print()
        console.print(table_of(table, width=console.width))
    if projects:
        _heading(console, "Projects")
        for project in projects:
            console.print(Text(f"  {project['id']}: ", style="cyan") + Text(inert(project["name"])))


def show_country(country: Doc, console: Console) -> None:
    """Demographics, sector figures, providers and the regulator with its successors."""
    from rich.text import Text

    console.print(Text(inert(country["name"]), style="bold"))
    _para(console, country["summary"])
    for title, key in (
        ("Demographics", "demographics"),
        ("ICT sector", "sector_figures"),
        ("Broadcasting and regulation", "regulator_facts"),
    ):
        if country[key]:
            console.print()
            console.print(_figures_table(country[key], title, width=console.width))
    if country["providers"]:
        rows = [
            {
                "segment": g["segment"],
                "count": g.get("count_as_printed") or "",
                "providers": ", ".join(g["providers"]),
            }
            for g in country["providers"]
        ]
        console.print()
        console.print(
            rich_table(rows, ["segment", "count", "providers"], "Providers", console.width)
        )
    regulator = country["regulator"]
    console.print()
    name = regulator["name"] + (f" ({regulator['acronym']})" if regulator.get("acronym") else "")
    console.print(Text("Regulator: ", style="bold") + Text(inert(name)))
    for successor in regulator.get("successors", []):
        console.print(
            Text(f"  {successor['date']} {successor['change']}: ", style="yellow")
            + Text(inert(successor["description"]))
        )
    _sections(console, country["sections"])


def sector_headline(sector: Doc, console: Console) -> None:
    """A sector's title and the first sentences of its summary, above its projects."""
    from rich.text import Text

    console.print(Text(inert(f"{sector['annex']} {sector['title']}"), style="bold"))
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(sector["summary"].split()))
    console.print(Text(inert(" ".join(sentences[:2]))))
    console.print()
