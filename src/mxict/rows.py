"""Records as rows: the stable, documented shape of every command's output.

Each row command has one `RowSpec`: its fields (the JSON keys, in order), the columns a
table shows by default, and which of those give way on a narrow terminal. `shape` is
the one pipeline from rows to output: sort, then limit, then pick the fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from mxict.errors import UsageError
from mxict.query import (
    annual_usd,
    converted,
    organisations,
    record_kind,
    sort_rows,
    sponsor_label,
    total_usd,
)
from mxict.query.status import status_fields

if TYPE_CHECKING:
    from mxict.query.search import SearchHit  # importing it costs every list

Doc = dict[str, Any]

PROJECT_FIELDS = (
    "id",
    "name",
    "kind",
    "sponsor",
    "sponsor_name",
    "sector",
    "location",
    "states",
    "value",
    "value_usd",
    "annual_value_usd",
    "status",
    "status_date",
    "status_basis",
    "forecast",
    "forecast_status",
    "forecast_date",
    "forecast_passed",
    "grade",
)
# The people a lead names, each in their own columns (a sales team calls them).
CONTACT_ROLES = (
    ("sponsor", "project_sponsor"),
    ("ustda", "ustda"),
    ("commercial_service", "us_commercial_service"),
)
CONTACT_PARTS = ("name", "title", "organization", "email", "phone")
OPPORTUNITY_FIELDS = (
    "project_id",
    "project_name",
    "record",
    "sector",
    "category",
    "kind",
    "description",
    "naics",
    "hs",
    "project_value",
    "value_usd",
    "annual_value_usd",
    "value_basis",
    "status",
    "status_date",
    "status_basis",
    "forecast",
    "forecast_status",
    "forecast_date",
    "forecast_passed",
    "sponsor_contact",
    *(f"{prefix}_{part}" for prefix, _ in CONTACT_ROLES for part in CONTACT_PARTS),
)
SECTOR_FIELDS = ("id", "annex", "name", "title", "projects", "figures", "tables")
ACRONYM_FIELDS = ("acronym", "definition", "note")
SEARCH_FIELDS = ("kind", "id", "name", "score", "fields", "snippet")
COMPARE_FIELDS = (
    "rank",
    "id",
    "name",
    "sector",
    "sponsor",
    "value_usd",
    "annual_value_usd",
    "basis",
    "bound",
    "scope",
    "converted",
    "value",
)
STALE_FIELDS = ("kind", "id", "name", "last_verified", "latest_event", "age_days", "reason")
CHANGE_FIELDS = (
    "date",
    "project_id",
    "project_name",
    "kind",
    "status",
    "expected",
    "passed",
    "event",
    "sources",
)
CALENDAR_FIELDS = (
    "date",
    "precision",
    "start",
    "project_id",
    "project_name",
    "record",
    "status",
    "expected",
    "passed",
    "mark",
    "approximate",
    "event",
    "sources",
    "modified",
    "uid",
)
GROUP_FIELDS = ("count", "sum_usd", "min_usd", "max_usd", "left_out")


class RowSpec(NamedTuple):
    """The shape of one command's rows: every field, and what a table shows of them."""

    fields: tuple[str, ...]
    default: tuple[str, ...] | None = None  # table columns when --fields is not given
    optional: tuple[str, ...] = ()  # default columns that give way on a narrow terminal
    noun: str = "rows"  # what the rows are, for "no projects match"


LIST = RowSpec(
    PROJECT_FIELDS,
    default=("id", "name", "sponsor", "sector", "location", "value", "status", "forecast"),
    optional=("location", "sector", "sponsor", "forecast"),
    noun="projects",
)
LIST_WITH_LEADS = RowSpec(
    PROJECT_FIELDS,
    default=("id", "kind", "name", "sector", "value", "status", "grade", "forecast"),
    optional=("grade", "sector", "forecast"),
    noun="projects or leads",
)
SECTOR_PROJECTS = RowSpec(
    PROJECT_FIELDS,
    default=("id", "name", "sponsor", "location", "value", "status", "forecast"),
    optional=("forecast",),
    noun="projects",
)
OPPORTUNITIES = RowSpec(
    OPPORTUNITY_FIELDS,
    default=("project_id", "category", "kind", "description"),
    noun="opportunities",
)
COMPARE = RowSpec((*COMPARE_FIELDS, "reason"), noun="projects")
SECTORS = RowSpec(
    SECTOR_FIELDS, default=("id", "annex", "name", "projects", "tables"), noun="sectors"
)
ACRONYMS = RowSpec(ACRONYM_FIELDS, noun="acronyms")
SEARCH = RowSpec(
    SEARCH_FIELDS,
    default=("id", "kind", "name", "snippet"),
    optional=("kind", "name"),
    noun="records",
)
STALE = RowSpec(STALE_FIELDS, noun="records")
CHANGES = RowSpec(CHANGE_FIELDS, default=("date", "project_id", "status", "event"), noun="events")
CHANGES_EXPECTED = RowSpec(
    CHANGE_FIELDS,
    default=("date", "expected", "passed", "project_id", "status", "event"),
    noun="events",
)

CALENDAR = RowSpec(
    CALENDAR_FIELDS,
    # The status an event sets is rare here (most are forecasts): --fields shows it.
    default=("date", "project_id", "mark", "event"),
    noun="milestones",
)


def group_spec(by: str) -> RowSpec:
    """The rows of `compare-value --by BY`: one per sector, sponsor or state."""
    return RowSpec((by, *GROUP_FIELDS), noun="groups")


def parse_fields(raw: str | None) -> list[str] | None:
    """`a,b, c` -> ['a', 'b', 'c']; None or blank -> None."""
    if raw is None or not raw.strip():
        return None
    return [part.strip() for part in raw.split(",") if part.strip()]


def select_fields(
    rows: list[Doc], fields: Sequence[str] | None, valid: Sequence[str]
) -> tuple[list[Doc], list[str]]:
    """Keep only the asked fields, in the asked order; an unknown field is a usage error."""
    chosen = list(fields) if fields else list(valid)
    unknown = [f for f in chosen if f not in valid]
    if unknown:
        raise UsageError(f"unknown field(s) {', '.join(unknown)}; valid fields: {', '.join(valid)}")
    return [{name: row.get(name) for name in chosen} for row in rows], chosen


class Shaped(NamedTuple):
    """Rows ready to render: the chosen fields, and the columns that may give way."""

    rows: list[Doc]
    fields: list[str]
    optional: tuple[str, ...] = ()


def shape(
    rows: list[Doc],
    spec: RowSpec,
    *,
    sort: str | None = None,
    limit: int | None = None,
    fields: str | None = None,
    table: bool = False,
) -> Shaped:
    """Sort, then limit, then pick fields: the one pipeline every row command uses.

    A `table` without --fields shows the spec's default columns, of which the optional
    ones may give way on a narrow terminal.
    """
    rows = sort_rows(rows, sort, spec.fields)
    if limit is not None:
        rows = rows[:limit]
    wanted = parse_fields(fields)
    defaulted = wanted is None and table and spec.default is not None
    if defaulted:
        wanted = list(spec.default or ())
    selected, chosen = select_fields(rows, wanted, spec.fields)
    return Shaped(selected, chosen, spec.optional if defaulted else ())


def money(value: Doc | None) -> Doc | None:
    """Money as `{amount, currency, basis, bound, scope, as_printed}` (plus `original`)."""
    if not value:
        return None
    out = {
        name: value.get(name)
        for name in ("amount", "currency", "basis", "bound", "scope", "as_printed")
    }
    if value.get("original"):
        out["original"] = {k: v for k, v in value["original"].items() if v is not None}
    return out


def project_row(project: Doc, registry: Doc, today: date) -> Doc:
    """One row of `mxict list`: a profile, or a lead (with its evidence grade); `registry`
    (the source registry) and `today` date its status (see `mxict.query.status.status_fields`)."""
    named = organisations(project)
    locations = project.get("locations", [])
    value = project.get("value")
    return {
        "id": project["id"],
        "name": project["name"],
        "kind": record_kind(project),
        "sponsor": sponsor_label(project),
        "sponsor_name": named[0]["name"] if named else "",
        "sector": project["sector"],
        "location": "; ".join(loc["name"] for loc in locations),
        "states": [loc["state"] for loc in locations if loc.get("state")],
        "value": money(value),
        "value_usd": total_usd(value),
        "annual_value_usd": annual_usd(value),
        **status_fields(project, registry, today),
        "grade": project["evidence"]["grade"] if "evidence" in project else None,
    }


def sponsor_contact(project: Doc) -> str:
    """The project sponsor's first contact as 'Name, Title <email>', or ''."""
    for contact in project.get("contacts", []):
        if contact["role"] == "project_sponsor":
            parts = [p for p in (contact.get("name"), contact.get("title")) if p]
            text = ", ".join(parts) or contact["organization"]
            if contact.get("email"):
                return f"{text} <{contact['email']}>"
            if contact.get("email_partial"):  # the source prints only part of the address
                return f"{text} <…@{contact['email_partial']}>"
            return text
    return ""


def opportunity_rows(projects: Iterable[Doc], registry: Doc, today: date) -> list[Doc]:
    """One row per U.S. export opportunity item of each project."""
    rows = []
    for project in projects:
        contact = sponsor_contact(project)
        people = _people(project)
        value = project.get("value")
        status = status_fields(project, registry, today)
        for item in project["opportunities"]:
            codes = item.get("codes") or {}
            rows.append(
                {
                    "project_id": project["id"],
                    "project_name": project["name"],
                    "record": record_kind(project),
                    "sector": project["sector"],
                    "category": item["category"],
                    "kind": item["kind"],
                    "description": item["description"],
                    "naics": codes.get("naics", []),
                    "hs": codes.get("hs", []),
                    "project_value": money(value),
                    "value_usd": total_usd(value),
                    "annual_value_usd": annual_usd(value),
                    "value_basis": value.get("basis") if value else None,
                    **status,
                    "sponsor_contact": contact,
                    **people,
                }
            )
    return rows


def _people(project: Doc) -> Doc:
    """The first contact of each role, its parts in their own columns (None if none)."""
    people: Doc = {}
    for prefix, role in CONTACT_ROLES:
        contact: Doc = next((c for c in project.get("contacts", []) if c["role"] == role), {})
        for part in CONTACT_PARTS:
            value = contact.get(part)
            if part == "email" and not value and contact.get("email_partial"):
                value = f"…@{contact['email_partial']}"
            people[f"{prefix}_{part}"] = value
    return people


def sector_row(sector: Doc, projects: list[Doc]) -> Doc:
    """One row of `mxict sectors`."""
    return {
        "id": sector["id"],
        "annex": sector["annex"],
        "name": sector["name"],
        "title": sector["title"],
        "projects": sum(1 for p in projects if p["sector"] == sector["id"]),
        "figures": len(sector["figures"]) + len(sector["mexico_figures"]),
        "tables": [t["number"] for t in sector["tables"]],
    }


def acronym_row(entry: Doc) -> Doc:
    """One row of `mxict acronyms`."""
    return {
        "acronym": entry["acronym"],
        "definition": entry["definition"],
        "note": entry.get("note"),
    }


def search_row(hit: SearchHit) -> Doc:
    """One row of `mxict search`."""
    return hit._asdict()


def compare_row(rank: int | None, project: Doc, reason: str | None = None) -> Doc:
    """One row of `mxict compare-value`."""
    value = project.get("value") or {}
    row = {
        "rank": rank,
        "id": project["id"],
        "name": project["name"],
        "sector": project["sector"],
        "sponsor": sponsor_label(project),
        "value_usd": total_usd(value),
        "annual_value_usd": annual_usd(value),
        "basis": value.get("basis"),
        "bound": value.get("bound"),
        "scope": value.get("scope"),
        "converted": converted(value),
        "value": money(value),
    }
    if reason is not None:
        row["reason"] = reason
    return row


MATCH_FIELDS = (
    "rank",
    "score",
    "project_id",
    "record",
    "item",
    "kind",
    "description",
    "why",
    "reasons",
    "weak",
    "naics",
    "hs",
    "project_value",
    "status",
)
MATCH = RowSpec(
    MATCH_FIELDS,
    default=("rank", "score", "project_id", "description", "why"),
    optional=("why",),
    noun="opportunities",
)
MATCH_PROJECT_FIELDS = (
    "rank",
    "score",
    "project_id",
    "name",
    "record",
    "items",
    "best_item",
    "why",
    "reasons",
    "weak",
    "value",
    "status",
)
MATCH_PROJECTS = RowSpec(
    MATCH_PROJECT_FIELDS,
    default=("rank", "score", "project_id", "items", "value", "best_item"),
    optional=("best_item",),
    noun="projects",
)
CODES = RowSpec(("scheme", "code", "title", "opportunities"), noun="codes")


def _reasons(hit: Any) -> Doc:
    return {"codes": hit.codes, "words": hit.words, "place": hit.place}


def match_row(rank: int, hit: Any) -> Doc:
    """One row of `mxict match`: an item, its score and why."""
    from mxict.query.match import reasons

    codes = hit.item.get("codes") or {}
    return {
        "rank": rank,
        "score": hit.score,
        "project_id": hit.project["id"],
        "record": record_kind(hit.project),
        "item": hit.position,
        "kind": hit.item["kind"],
        "description": hit.item["description"],
        "why": reasons(hit),
        "reasons": _reasons(hit),
        "weak": hit.weak,
        "naics": codes.get("naics", []),
        "hs": codes.get("hs", []),
        "project_value": money(hit.project.get("value")),
        "status": hit.project["current_status"]["status"],
    }


def match_project_row(rank: int, fit: Any) -> Doc:
    """One row of `mxict match --by project`."""
    from mxict.query.match import reasons

    return {
        "rank": rank,
        "score": fit.score,
        "project_id": fit.project["id"],
        "name": fit.project["name"],
        "record": record_kind(fit.project),
        "items": fit.items,
        "best_item": fit.best.item["description"],
        "why": reasons(fit.best),
        "reasons": _reasons(fit.best),
        "weak": fit.weak,
        "value": money(fit.project.get("value")),
        "status": fit.project["current_status"]["status"],
    }
