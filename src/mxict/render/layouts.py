"""Records laid out for reading on a terminal: `show`, `sectors show`, `country`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from mxict.query import annual_usd, latest_event, total_usd
from mxict.render.table import rich_table
from mxict.render.text import human, inert
from mxict.vocab import partial_date_end

if TYPE_CHECKING:
    from rich.console import Console

Doc = dict[str, Any]


def _heading(console: Console, text: str) -> None:
    from rich.text import Text

    console.print()
    console.print(Text(inert(text), style="bold underline"))


def _para(console: Console, text: str) -> None:
    from rich.text import Text

    console.print(Text(inert(" ".join(text.split()))))


def table_of(table: Doc) -> Any:
    """A source table (Tables 2-15) as a rich Table."""
    columns = [c["name"] + (f" ({c['unit']})" if c.get("unit") else "") for c in table["columns"]]
    rows = [dict(zip(columns, row, strict=True)) for row in table["rows"]]
    return rich_table(rows, columns, f"Table {table['number']}: {table['title']}")


def _bullets(console: Console, points: list[str]) -> None:
    from rich.text import Text

    for point in points:
        console.print(Text("  • " + inert(point)))


def _sections(console: Console, sections: list[Doc], *, bold: bool = False) -> None:
    from rich.text import Text

    for section in sections:
        if bold:
            console.print(Text(inert(section["heading"]), style="bold"))
        else:
            _heading(console, section["heading"])
        _para(console, section["summary"])
        _bullets(console, section.get("points", []))


def _figures_table(figures: list[Doc], title: str) -> Any:
    rows = [
        {
            "figure": f["label"],
            "value": f["as_printed"],
            "year": f.get("year") or "",
            "source": f.get("cited_source")
            or "; ".join(f"{ref['file']}: {ref['section']}" for ref in f.get("sources", [])),
        }
        for f in figures
    ]
    return rich_table(rows, ["figure", "value", "year", "source"], title)


def show_project(
    project: Doc,
    console: Console,
    *,
    today: date | None = None,
    stale_after_days: int = 365,
    leads: list[Doc] | None = None,
) -> None:
    """The whole project laid out for reading on a terminal, current status first."""
    from rich.text import Text

    status = project["current_status"]
    console.print(Text(inert(project["name"]), style="bold"))
    line = "Status: " + status["status"].replace("_", " ")
    if status["date"]:
        line += f" (as of {status['date']}: {status['event']})"
    console.print(Text(inert(line), style="bold cyan"))
    if today is not None:
        for warning in staleness_warnings(project, today, stale_after_days):
            console.print(Text(warning, style="yellow"))
    sponsor = project["sponsor"]
    value = project["value"]
    facts = [
        ("id", project["id"]),
        (
            "sponsor",
            sponsor["name"] + (f" ({sponsor['acronym']})" if sponsor.get("acronym") else ""),
        ),
        ("sector", project["sector"]),
        ("subsector", project["subsector"]),
        ("location", "; ".join(loc["name"] for loc in project["locations"])),
        ("value", f"{value['as_printed']} [{value['basis']}, {value['bound']}, {value['scope']}]"),
        ("value (USD)", _usd_line(value)),
        ("last verified", project["last_verified"]),
    ]
    for successor in sponsor.get("successors", []):
        facts.append(("sponsor change", f"{successor['date']}: {successor['description']}"))
    for label, text in facts:
        console.print(Text(f"{label:>14}: ", style="dim") + Text(inert(str(text))))
    _heading(console, "Summary")
    _para(console, project["summary"])
    _heading(console, "Background")
    _para(console, project["background"])
    _sections(console, project["components"], bold=True)
    _heading(console, "Status and timeline")
    _para(console, project["status_summary"])
    for item in project["timeline"]:
        mark = " (expected)" if item["expected"] else ""
        tag = f" [{item['status']}]" if item.get("status") else ""
        console.print(
            Text(f"  {item['date']}{mark}{tag}  ", style="cyan") + Text(inert(item["event"]))
        )
    _heading(console, "Cost and financing")
    _para(console, project["financing"]["summary"])
    for funding in project["financing"]["funding"]:
        amount = f": {funding['amount']['as_printed']}" if funding.get("amount") else ""
        console.print(
            Text("  • " + inert(f"{funding['funder']['name']} ({funding['kind']}){amount}"))
        )
    _heading(console, "U.S. export opportunities")
    for opportunity in project["opportunities"]:
        console.print(
            Text(f"  • [{inert(opportunity['category'])}] ", style="dim")
            + Text(inert(opportunity["description"]))
        )
    if project["contacts"]:
        _heading(console, "Contacts")
        for contact in project["contacts"]:
            partial = contact.get("email_partial")
            parts = [contact.get(k) for k in ("name", "title", "organization", "email", "phone")]
            parts.insert(4, f"e-mail @{partial} (only the domain is printed)" if partial else None)
            parts += [contact.get("address"), contact.get("url")]
            console.print(
                Text(f"  {contact['role']}: ", style="dim")
                + Text(inert(" | ".join(p for p in parts if p)))
            )
    for table in project["tables"]:
        console.print()
        console.print(table_of(table))
    if leads:
        _heading(console, "Related leads (named by later sources)")
        for lead in leads:
            _lead_line(console, lead, project["id"])
    _sources(console, project["sources"])


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

    status = lead["current_status"]
    console.print(Text(inert(lead["name"]), style="bold"))
    line = "Status: " + status["status"].replace("_", " ")
    if status["date"]:
        line += f" (as of {status['date']}: {status['event']})"
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
    for label, text in facts:
        console.print(Text(f"{label:>14}: ", style="dim") + Text(inert(str(text))))
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
        for item in lead["facts"]:
            mark = " (expected)" if item["expected"] else ""
            tag = f" [{item['status']}]" if item.get("status") else ""
            console.print(
                Text(f"  {item['date']}{mark}{tag}  ", style="cyan") + Text(inert(item["event"]))
            )
    if lead["figures"]:
        console.print()
        console.print(_figures_table(lead["figures"], "Figures"))
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
        console.print(_figures_table(figures, "Key figures"))
    _sections(console, [*sector["sections"], sector["mexico"]])
    for table in sector["tables"]:
        console.print()
        console.print(table_of(table))
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
            console.print(_figures_table(country[key], title))
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
        console.print(rich_table(rows, ["segment", "count", "providers"], "Providers"))
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
