"""Records as rows: the stable, documented shape of every command's output."""

from __future__ import annotations

from typing import Any

from mxict.query import SearchHit, converted, usd_amount

Doc = dict[str, Any]

PROJECT_FIELDS = (
    "id",
    "name",
    "sponsor",
    "sponsor_name",
    "sector",
    "location",
    "states",
    "value",
    "value_usd",
    "status",
    "status_date",
)
OPPORTUNITY_FIELDS = (
    "project_id",
    "project_name",
    "sector",
    "category",
    "kind",
    "description",
    "project_value",
    "sponsor_contact",
)
SECTOR_FIELDS = ("id", "annex", "name", "title", "projects", "figures", "tables")
ACRONYM_FIELDS = ("acronym", "definition", "note")
SEARCH_FIELDS = ("kind", "id", "name", "field", "text")
COMPARE_FIELDS = (
    "rank",
    "id",
    "name",
    "sector",
    "sponsor",
    "value_usd",
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
    "event",
    "sources",
)
GROUP_FIELDS = ("count", "sum_usd", "min_usd", "max_usd")


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


def project_row(project: Doc) -> Doc:
    """One row of `mxict list`."""
    status = project["current_status"]
    return {
        "id": project["id"],
        "name": project["name"],
        "sponsor": project["sponsor"].get("acronym") or project["sponsor"]["name"],
        "sponsor_name": project["sponsor"]["name"],
        "sector": project["sector"],
        "location": "; ".join(loc["name"] for loc in project["locations"]),
        "states": [loc["state"] for loc in project["locations"] if loc.get("state")],
        "value": money(project["value"]),
        "value_usd": usd_amount(project["value"]),
        "status": status["status"],
        "status_date": status["date"],
    }


def sponsor_contact(project: Doc) -> str:
    """The project sponsor's first contact as 'Name, Title <email>', or ''."""
    for contact in project["contacts"]:
        if contact["role"] == "project_sponsor":
            parts = [p for p in (contact.get("name"), contact.get("title")) if p]
            text = ", ".join(parts) or contact["organization"]
            return f"{text} <{contact['email']}>" if contact.get("email") else text
    return ""


def opportunity_rows(projects: list[Doc]) -> list[Doc]:
    """One row per U.S. export opportunity item of each project."""
    rows = []
    for project in projects:
        contact = sponsor_contact(project)
        for item in project["opportunities"]:
            rows.append(
                {
                    "project_id": project["id"],
                    "project_name": project["name"],
                    "sector": project["sector"],
                    "category": item["category"],
                    "kind": item["kind"],
                    "description": item["description"],
                    "project_value": money(project["value"]),
                    "sponsor_contact": contact,
                }
            )
    return rows


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
    return {"kind": hit.kind, "id": hit.id, "name": hit.name, "field": hit.field, "text": hit.text}


def compare_row(rank: int | None, project: Doc, reason: str | None = None) -> Doc:
    """One row of `mxict compare-value`."""
    value = project["value"]
    row = {
        "rank": rank,
        "id": project["id"],
        "name": project["name"],
        "sector": project["sector"],
        "sponsor": project["sponsor"].get("acronym") or project["sponsor"]["name"],
        "value_usd": usd_amount(value),
        "basis": value["basis"],
        "bound": value["bound"],
        "scope": value["scope"],
        "converted": converted(value),
        "value": money(value),
    }
    if reason is not None:
        row["reason"] = reason
    return row


def record_json(record: Any) -> dict[str, Any]:
    """A whole record as JSON-ready data, with derived fields for projects."""
    from mxict.models import Project

    data: dict[str, Any] = record.model_dump(mode="json")
    if isinstance(record, Project):
        event = record.current_event()
        data["current_status"] = {
            "status": record.current_status.value,
            "date": event.date if event else None,
            "event": event.event if event else None,
        }
    return data
