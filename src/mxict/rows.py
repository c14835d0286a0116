"""Records as rows: the stable, documented shape of every command's output."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mxict.query import SearchHit, converted, usd_amount

if TYPE_CHECKING:
    from mxict.catalog import Catalog
    from mxict.models import Acronym, Money, Project, Sector

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
GROUP_FIELDS = ("count", "sum_usd", "min_usd", "max_usd")


def money(value: Money | None) -> dict[str, Any] | None:
    """Money as `{amount, currency, basis, bound, scope, as_printed}` (plus conversion)."""
    if value is None:
        return None
    out: dict[str, Any] = {
        "amount": value.amount,
        "currency": value.currency,
        "basis": value.basis.value,
        "bound": value.bound.value,
        "scope": value.scope.value,
        "as_printed": value.as_printed,
    }
    if value.original is not None:
        out["original"] = value.original.model_dump(mode="json", exclude_none=True)
    return out


def project_row(project: Project) -> dict[str, Any]:
    """One row of `mxict list`."""
    event = project.current_event()
    return {
        "id": project.id,
        "name": project.name,
        "sponsor": project.sponsor.acronym or project.sponsor.name,
        "sponsor_name": project.sponsor.name,
        "sector": project.sector.value,
        "location": "; ".join(loc.name for loc in project.locations),
        "states": project.states,
        "value": money(project.value),
        "value_usd": usd_amount(project.value),
        "status": project.current_status.value,
        "status_date": event.date if event else None,
    }


def sponsor_contact(project: Project) -> str:
    """The project sponsor's first contact as 'Name, Title <email>', or ''."""
    from mxict.models import ContactRole

    for contact in project.contacts:
        if contact.role is ContactRole.PROJECT_SPONSOR:
            parts = [p for p in (contact.name, contact.title) if p]
            text = ", ".join(parts) or contact.organization
            return f"{text} <{contact.email}>" if contact.email else text
    return ""


def opportunity_rows(projects: list[Project]) -> list[dict[str, Any]]:
    """One row per U.S. export opportunity item of each project."""
    rows = []
    for project in projects:
        contact = sponsor_contact(project)
        for item in project.opportunities:
            rows.append(
                {
                    "project_id": project.id,
                    "project_name": project.name,
                    "sector": project.sector.value,
                    "category": item.category,
                    "kind": item.kind.value,
                    "description": item.description,
                    "project_value": money(project.value),
                    "sponsor_contact": contact,
                }
            )
    return rows


def sector_row(sector: Sector, catalog: Catalog) -> dict[str, Any]:
    """One row of `mxict sectors`."""
    return {
        "id": sector.id.value,
        "annex": sector.annex,
        "name": sector.name,
        "title": sector.title,
        "projects": sum(1 for p in catalog.projects.values() if p.sector == sector.id),
        "figures": len(sector.figures) + len(sector.mexico_figures),
        "tables": [t.number for t in sector.tables],
    }


def acronym_row(entry: Acronym) -> dict[str, Any]:
    """One row of `mxict acronyms`."""
    return {"acronym": entry.acronym, "definition": entry.definition, "note": entry.note}


def search_row(hit: SearchHit) -> dict[str, Any]:
    """One row of `mxict search`."""
    return {"kind": hit.kind, "id": hit.id, "name": hit.name, "field": hit.field, "text": hit.text}


def compare_row(rank: int | None, project: Project, reason: str | None = None) -> dict[str, Any]:
    """One row of `mxict compare-value`."""
    row = {
        "rank": rank,
        "id": project.id,
        "name": project.name,
        "sector": project.sector.value,
        "sponsor": project.sponsor.acronym or project.sponsor.name,
        "value_usd": usd_amount(project.value),
        "basis": project.value.basis.value,
        "bound": project.value.bound.value,
        "scope": project.value.scope.value,
        "converted": converted(project.value),
        "value": money(project.value),
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
