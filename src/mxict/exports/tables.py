"""The dataset as normalised tables: one spec per table and typed rows for every export.

The SQLite database, the workbook and the Data Package all come from `build_tables`, so
their tables, columns, keys and descriptions agree. Cell values are Python `str`,
`int`, `float`, `bool`, `datetime.date` or None; each format converts them its own way.
Dates the source gives only to the year or month stay ISO strings (`2021`, `2021-05`),
never padded to a made-up day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from mxict.exports.geo import ISO_SOURCE, state_named, states
from mxict.query.derived import annual_usd, total_usd
from mxict.query.status import is_passed
from mxict.states import INEGI_SOURCE
from mxict.vocab import (
    ContactRole,
    EvidenceGrade,
    FundingKind,
    OpportunityKind,
    RelationKind,
    Reliability,
    SectorId,
    Status,
    ValueBasis,
    ValueBound,
    ValueScope,
)

if TYPE_CHECKING:
    from mxict.dataset.catalog import Catalog
    from mxict.models import Money

# The dataset ships inside the mxict distribution, which pyproject.toml licenses as MIT.
LICENSE_NAME = "MIT"
LICENSE_TITLE = "MIT License"
LICENSE_URL = "https://opensource.org/license/mit"
TITLE = "mxict: ICT investment projects in Mexico"
DESCRIPTION = (
    "The eleven ICT projects profiled in the U.S. Trade and Development Agency's ICT "
    "Resource Guide – Mexico (2021), its five sector annexes and its acronym list, and "
    "the leads that later sources name, each graded by mxict; hand-curated from the "
    "source documents and validated by mxict."
)

FieldType = Literal["string", "integer", "number", "boolean", "date"]
Row = dict[str, Any]

PARTIAL_DATE = (
    "ISO 8601 date at the precision the source gives: YYYY, YYYY-Qn (quarter), "
    "YYYY-Hn (half-year), YYYY-MM or YYYY-MM-DD"
)


@dataclass(frozen=True)
class Field:
    """One column: name, type, what it holds, and its closed vocabulary if any."""

    name: str
    type: FieldType
    description: str
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignKey:
    """`column` holds a value of `table.other_column`."""

    column: str
    table: str
    other_column: str


@dataclass(frozen=True)
class TableSpec:
    """A table: its columns, keys, the text columns to index for search, and its source."""

    name: str
    title: str
    description: str
    source: str
    primary_key: str
    fields: tuple[Field, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    search: tuple[str, ...] = ()
    label: str | None = None  # the column that names a row (Datasette's label_column)
    facets: tuple[str, ...] = ()

    @property
    def field_names(self) -> list[str]:
        """Column names in order."""
        return [f.name for f in self.fields]


@dataclass(frozen=True)
class TableData:
    """A table spec with its rows."""

    spec: TableSpec
    rows: list[Row]


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


# The status columns of projects and leads, as `mxict list` gives them (query.status).
STATUS_FIELDS = (
    Field(
        "status_date",
        "string",
        "Date of the evidence for the status: the event that set it or, when none did, the "
        f"publication date of the newest source citing the record; {PARTIAL_DATE}",
    ),
    Field(
        "status_basis",
        "string",
        "What status_date is the date of: event, or source (no event set the status)",
        ("event", "source"),
    ),
    Field(
        "forecast",
        "string",
        "The first forecast of a status after the current one, e.g. 'expected 2022-Q4; "
        "passed, not confirmed' once its date has gone by with nothing to confirm it",
    ),
    Field("forecast_status", "string", "The status that forecast expects", _values(Status)),
    Field("forecast_date", "string", f"Date of that forecast; {PARTIAL_DATE}"),
    Field(
        "forecast_passed",
        "boolean",
        "The forecast's date has gone by (on the export's date) without evidence it happened",
    ),
)
MODIFIED = Field("modified", "date", "When the record's content last changed")


def _money_fields(prefix: str, what: str) -> tuple[Field, ...]:
    return (
        Field(f"{prefix}amount", "number", f"{what}: the number, in {prefix}currency"),
        Field(f"{prefix}currency", "string", f"{what}: ISO 4217 currency code"),
        Field(
            f"{prefix}basis",
            "string",
            f"{what}: over what span the amount counts (total or annual)",
            _values(ValueBasis),
        ),
        Field(
            f"{prefix}bound",
            "string",
            f'{what}: how the source qualifies it ("at least", "about"...)',
            _values(ValueBound),
        ),
        Field(
            f"{prefix}scope",
            "string",
            f"{what}: what it measures (project cost, loan, investment...)",
            _values(ValueScope),
        ),
        Field(f"{prefix}as_printed", "string", f"{what} exactly as the source prints it"),
        Field(
            f"{prefix}usd",
            "number",
            f"{what} in US dollars, for a total (basis total) where the source gives a USD "
            "figure; never an annual figure, so sums compare like with like",
        ),
        Field(
            f"{prefix}annual_usd",
            "number",
            f"{what} in US dollars per year, for an annual figure (basis annual)",
        ),
    )


_GUIDE = "USTDA, ICT Resource Guide – Mexico (2021)"
_PROJECT_SOURCE = f"{_GUIDE} and the other documents in the sources table (data/projects/)"
_PROJECT_FK = (ForeignKey("project_id", "projects", "id"),)
_PROJECT_ID = Field("project_id", "string", "The project (projects.id)")
_POSITION = Field("position", "integer", "Order within the project, from 1")

PROJECTS = TableSpec(
    name="projects",
    title="Projects",
    description="One row per project profiled in the guide (Table 1).",
    source=_PROJECT_SOURCE,
    primary_key="id",
    fields=(
        Field("id", "string", "Stable kebab-case project id"),
        Field("name", "string", "Project name as printed in Table 1"),
        Field("sponsor_name", "string", "Project sponsor as printed (Spanish where the source is)"),
        Field("sponsor_acronym", "string", "Sponsor acronym, if any"),
        Field("sponsor_name_en", "string", "Sponsor name in English, if the source gives one"),
        Field("sector", "string", "Annex A sector (sectors.id)", _values(SectorId)),
        Field("subsector", "string", "SUBSECTOR as printed"),
        Field("location", "string", "Locations as printed, separated by '; '"),
        Field("states", "string", "Mexican states, separated by '; '"),
        *_money_fields("value_", "Project value"),
        Field(
            "status",
            "string",
            "Current status: the latest status-setting event that happened",
            _values(Status),
        ),
        *STATUS_FIELDS,
        Field("summary", "string", "Our own summary of PROJECT SUMMARY"),
        Field("background", "string", "Our own summary of BACKGROUND AND DESCRIPTION"),
        Field("status_summary", "string", "Our own summary of STATUS AND TIMELINE"),
        Field("financing_summary", "string", "Our own summary of COST AND FINANCING"),
        Field("last_verified", "date", "When the record was last checked against its sources"),
        MODIFIED,
    ),
    foreign_keys=(ForeignKey("sector", "sectors", "id"),),
    search=(
        "name",
        "sponsor_name",
        "sponsor_name_en",
        "subsector",
        "location",
        "summary",
        "background",
        "status_summary",
        "financing_summary",
    ),
    label="name",
    facets=("sector", "status", "value_scope"),
)

SECTORS = TableSpec(
    name="sectors",
    title="Sectors",
    description="The five ICT sector overviews of Annex A (A1–A5).",
    source=f"{_GUIDE}, Annex A (data/sectors/)",
    primary_key="id",
    fields=(
        Field("id", "string", "Sector slug", _values(SectorId)),
        Field("annex", "string", "Annex code, A1–A5"),
        Field("name", "string", "Short name"),
        Field("title", "string", "Annex title as printed"),
        Field("summary", "string", "Our own summary of the overview"),
        Field("mexico_summary", "string", "Our own summary of the sector in Mexico"),
        Field("last_verified", "date", "When the record was last checked against its sources"),
        MODIFIED,
    ),
    search=("name", "title", "summary", "mexico_summary"),
    label="name",
)

EXPORT_OPPORTUNITIES = TableSpec(
    name="export_opportunities",
    title="U.S. export opportunities",
    description="One row per U.S. export opportunity item of each project profile.",
    source=_PROJECT_SOURCE,
    primary_key="id",
    fields=(
        Field("id", "integer", "Row number"),
        _PROJECT_ID,
        _POSITION,
        Field("category", "string", "Heading of the opportunity list, as printed"),
        Field("kind", "string", "Goods, services, or both", _values(OpportunityKind)),
        Field("description", "string", "The opportunity, as printed"),
        Field(
            "naics",
            "string",
            "NAICS 2022 codes chosen by mxict (not the guide), best fit first, separated by '; '",
        ),
        Field("hs", "string", "HS 2022 codes chosen by mxict for goods, separated by '; '"),
    ),
    foreign_keys=_PROJECT_FK,
    search=("category", "description"),
    facets=("kind",),
)

CONTACTS = TableSpec(
    name="contacts",
    title="Contacts",
    description="People and offices from each profile's CONTACTS box, exactly as printed.",
    source=_PROJECT_SOURCE,
    primary_key="id",
    fields=(
        Field("id", "integer", "Row number"),
        _PROJECT_ID,
        _POSITION,
        Field("role", "string", "Which box the contact comes from", _values(ContactRole)),
        Field("name", "string", "Person's name"),
        Field("title", "string", "Person's title"),
        Field("organization", "string", "Organisation"),
        Field("email", "string", "Email address"),
        Field(
            "email_partial",
            "string",
            "What survives of an e-mail address the source prints only in part (its domain)",
        ),
        Field("phone", "string", "Telephone number as printed"),
        Field("address", "string", "Postal address as printed"),
        Field("url", "string", "Web address"),
    ),
    foreign_keys=_PROJECT_FK,
    search=("name", "title", "organization"),
    facets=("role",),
)

MILESTONES = TableSpec(
    name="milestones",
    title="Milestones",
    description="Each project's timeline: dated, cited events, in date order.",
    source=_PROJECT_SOURCE,
    primary_key="id",
    fields=(
        Field("id", "integer", "Row number"),
        _PROJECT_ID,
        _POSITION,
        Field("date", "string", PARTIAL_DATE),
        Field("event", "string", "What happened or is planned"),
        Field("status", "string", "The status this event puts the project in", _values(Status)),
        Field("expected", "boolean", "A planned or forecast date, not a fact"),
        Field(
            "passed",
            "boolean",
            "A forecast whose date has gone by (on the export's date) with nothing to confirm "
            "it: expected; passed, not confirmed",
        ),
        Field("approximate", "boolean", "The date is approximate"),
        Field("sources", "string", "Cited source files and sections, separated by '; '"),
    ),
    foreign_keys=_PROJECT_FK,
    search=("event",),
    facets=("status", "expected"),
)

FINANCING = TableSpec(
    name="financing",
    title="Financing",
    description="Who funds each project and how (COST AND FINANCING).",
    source=_PROJECT_SOURCE,
    primary_key="id",
    fields=(
        Field("id", "integer", "Row number"),
        _PROJECT_ID,
        _POSITION,
        Field("funder_name", "string", "Financier as printed"),
        Field("funder_acronym", "string", "Financier acronym, if any"),
        Field("funder_name_en", "string", "Financier name in English, if the source gives one"),
        Field("kind", "string", "How the financier takes part", _values(FundingKind)),
        *_money_fields("amount_", "Funding amount"),
        Field("approved", "string", f"Approval date; {PARTIAL_DATE}"),
        Field("description", "string", "Our own description of the funding"),
    ),
    foreign_keys=_PROJECT_FK,
    search=("funder_name", "funder_name_en", "description"),
    label="funder_name",
    facets=("kind",),
)

SOURCES = TableSpec(
    name="sources",
    title="Sources",
    description="The source documents records cite, and how far each is trusted.",
    source="The mxict source registry (data/sources.yaml)",
    primary_key="file",
    fields=(
        Field("file", "string", "File name records cite"),
        Field("title", "string", "Document title"),
        Field("publisher", "string", "Publisher"),
        Field("published", "string", f"Publication date; {PARTIAL_DATE}"),
        Field("reliability", "string", "How far the document is trusted", _values(Reliability)),
        Field("description", "string", "What the document is"),
        Field("url", "string", "Where to find it, if public"),
    ),
    search=("title", "publisher", "description"),
    label="title",
    facets=("reliability",),
)

ACRONYMS = TableSpec(
    name="acronyms",
    title="Acronyms",
    description="The guide's acronym list (Annex B), every entry as printed.",
    source=f"{_GUIDE}, Annex B (data/acronyms.yaml)",
    primary_key="id",
    fields=(
        Field("id", "integer", "Position in the list, from 1"),
        Field("acronym", "string", "Acronym as printed"),
        Field("definition", "string", "Definition as printed"),
        Field("note", "string", "Why an entry is special, e.g. listed twice"),
    ),
    search=("acronym", "definition", "note"),
    label="acronym",
)

_LEAD_SOURCE = "The later documents in the sources table (data/leads/), graded by mxict"

LEADS = TableSpec(
    name="leads",
    title="Leads",
    description=(
        "ICT opportunities that the later sources name, outside the guide's eleven profiles, "
        "each with mxict's evidence grade."
    ),
    source=_LEAD_SOURCE,
    primary_key="id",
    fields=(
        Field("id", "string", "Stable kebab-case lead id"),
        Field("name", "string", "Short name"),
        Field(
            "sector", "string", "One of the five sectors, or other", (*_values(SectorId), "other")
        ),
        Field("sector_note", "string", "Why none of the five sectors fits, for other"),
        Field("actors", "string", "Organisations named, as 'role: name', separated by '; '"),
        Field("location", "string", "Locations given, separated by '; '"),
        *_money_fields("value_", "Value, only where a source prints one"),
        Field(
            "status", "string", "Current status: the latest status-setting fact", _values(Status)
        ),
        *STATUS_FIELDS,
        Field("grade", "string", "mxict's evidence grade", _values(EvidenceGrade)),
        Field("grade_reason", "string", "Why mxict gave that grade"),
        Field("summary", "string", "Our own summary of what the sources say"),
        Field("sources", "string", "Cited source files and sections, separated by '; '"),
        Field("last_verified", "date", "When the record was last checked against its sources"),
        MODIFIED,
    ),
    search=("name", "summary", "actors"),
    label="name",
    facets=("sector", "grade", "status"),
)

LEAD_RELATIONS = TableSpec(
    name="lead_relations",
    title="Leads and profiles",
    description="How each lead relates to a profiled project or a named programme.",
    source=_LEAD_SOURCE,
    primary_key="id",
    fields=(
        Field("id", "integer", "Row number"),
        Field("lead_id", "string", "The lead (leads.id)"),
        Field(
            "relation", "string", "part of, context for, follows, related to", _values(RelationKind)
        ),
        Field("project_id", "string", "The profiled project (projects.id), if any"),
        Field("to", "string", "A named programme, e.g. Red Compartida"),
        Field("note", "string", "Why"),
    ),
    foreign_keys=(
        ForeignKey("lead_id", "leads", "id"),
        ForeignKey("project_id", "projects", "id"),
    ),
)

STATES = TableSpec(
    name="states",
    title="Mexican states",
    description="Mexico's 32 states with their ISO 3166-2:MX and INEGI codes and a centre point.",
    source=f"{ISO_SOURCE}; INEGI codes: {INEGI_SOURCE}",
    primary_key="iso_code",
    fields=(
        Field("iso_code", "string", "ISO 3166-2:MX subdivision code, e.g. MX-QUE"),
        Field("inegi_code", "string", "INEGI state key (CVE_ENT), 01-32"),
        Field("name", "string", "Official name (INEGI NOM_ENT)"),
        Field("latitude", "number", "Centre point: latitude in degrees (iso3166-2 latLng)"),
        Field("longitude", "number", "Centre point: longitude in degrees (iso3166-2 latLng)"),
    ),
    label="name",
)

LOCATIONS = TableSpec(
    name="locations",
    title="Project locations",
    description=(
        "Where each project takes place, with its state's codes and centre point; "
        "nationwide locations name no state and have no point."
    ),
    source=f"{_PROJECT_SOURCE}; states: {ISO_SOURCE}; INEGI codes: {INEGI_SOURCE}",
    primary_key="id",
    fields=(
        Field("id", "integer", "Row number"),
        _PROJECT_ID,
        _POSITION,
        Field("name", "string", "Location as printed"),
        Field("country", "string", "Country"),
        Field("state", "string", "Mexican state as the record names it, if any"),
        Field("state_code", "string", "The state's ISO 3166-2:MX code (states.iso_code)"),
        Field("inegi_code", "string", "The state's INEGI key (CVE_ENT), 01-32"),
        Field("latitude", "number", "The state's centre point: latitude in degrees"),
        Field("longitude", "number", "The state's centre point: longitude in degrees"),
    ),
    foreign_keys=(*_PROJECT_FK, ForeignKey("state_code", "states", "iso_code")),
    facets=("state_code",),
)

TABLES: tuple[TableSpec, ...] = (
    PROJECTS,
    LEADS,
    SECTORS,
    EXPORT_OPPORTUNITIES,
    CONTACTS,
    LOCATIONS,
    MILESTONES,
    FINANCING,
    LEAD_RELATIONS,
    STATES,
    SOURCES,
    ACRONYMS,
)


# --------------------------------------------------------------------------- rows


def usd(money: Money | None) -> tuple[float | None, float | None]:
    """The figure in US dollars as (total, annual), by the one rule in `query.derived`."""
    if money is None:
        return None, None
    data = money.model_dump(mode="json")
    return total_usd(data), annual_usd(data)


def absolute_url(url: str) -> str:
    """A URL with a scheme: the data prints some as bare domains (`www.cemex.com`)."""
    return url if "://" in url else f"https://{url}"


def _money(prefix: str, money: Money | None) -> Row:
    return {
        f"{prefix}amount": money.amount if money else None,
        f"{prefix}currency": money.currency if money else None,
        f"{prefix}basis": money.basis.value if money else None,
        f"{prefix}bound": money.bound.value if money else None,
        f"{prefix}scope": money.scope.value if money else None,
        f"{prefix}as_printed": money.as_printed if money else None,
        f"{prefix}usd": usd(money)[0],
        f"{prefix}annual_usd": usd(money)[1],
    }


def _numbered(rows: Iterable[Row]) -> list[Row]:
    return [{"id": index, **row} for index, row in enumerate(rows, 1)]


def build_tables(catalog: Catalog, today: date | None = None) -> list[TableData]:
    """Every table of the dataset, in `TABLES` order, with typed rows; forecasts count as
    passed against `today` (the real today by default)."""
    from mxict.models import record_json

    today = today or date.today()
    registry = record_json(catalog.sources)
    projects: list[Row] = []
    opportunities: list[Row] = []
    contacts: list[Row] = []
    milestones: list[Row] = []
    financing: list[Row] = []
    locations: list[Row] = []
    for project in catalog.projects.values():
        projects.append(
            {
                "id": project.id,
                "name": project.name,
                "sponsor_name": project.sponsor.name,
                "sponsor_acronym": project.sponsor.acronym,
                "sponsor_name_en": project.sponsor.name_en,
                "sector": project.sector.value,
                "subsector": project.subsector,
                "location": "; ".join(loc.name for loc in project.locations),
                "states": "; ".join(project.states) or None,
                **_money("value_", project.value),
                **_status(record_json(project), registry, today),
                "summary": project.summary,
                "background": project.background,
                "status_summary": project.status_summary,
                "financing_summary": project.financing.summary,
                "last_verified": project.last_verified,
                "modified": project.modified,
            }
        )
        owner = {"project_id": project.id}
        for position, item in enumerate(project.opportunities, 1):
            opportunities.append(
                {
                    **owner,
                    "position": position,
                    "category": item.category,
                    "kind": item.kind.value,
                    "description": item.description,
                    "naics": "; ".join(item.codes.naics) if item.codes else None,
                    "hs": "; ".join(item.codes.hs) if item.codes and item.codes.hs else None,
                }
            )
        for position, contact in enumerate(project.contacts, 1):
            contacts.append(
                {
                    **owner,
                    "position": position,
                    "role": contact.role.value,
                    "name": contact.name,
                    "title": contact.title,
                    "organization": contact.organization,
                    "email": contact.email,
                    "email_partial": contact.email_partial,
                    "phone": contact.phone,
                    "address": contact.address,
                    "url": contact.url,
                }
            )
        for position, place in enumerate(project.locations, 1):
            state = state_named(place.state) if place.state else None
            locations.append(
                {
                    **owner,
                    "position": position,
                    "name": place.name,
                    "country": place.country,
                    "state": place.state,
                    "state_code": state.iso_code if state else None,
                    "inegi_code": state.inegi_code if state else None,
                    "latitude": state.latitude if state else None,
                    "longitude": state.longitude if state else None,
                }
            )
        for position, step in enumerate(project.timeline, 1):
            milestones.append(
                {
                    **owner,
                    "position": position,
                    "date": step.date,
                    "event": step.event,
                    "status": step.status.value if step.status else None,
                    "expected": step.expected,
                    "passed": step.expected and is_passed(step.date, today),
                    "approximate": step.approximate,
                    "sources": "; ".join(f"{ref.file}: {ref.section}" for ref in step.sources),
                }
            )
        for position, funding in enumerate(project.financing.funding, 1):
            financing.append(
                {
                    **owner,
                    "position": position,
                    "funder_name": funding.funder.name,
                    "funder_acronym": funding.funder.acronym,
                    "funder_name_en": funding.funder.name_en,
                    "kind": funding.kind.value,
                    **_money("amount_", funding.amount),
                    "approved": funding.approved,
                    "description": funding.description,
                }
            )
    sectors = [
        {
            "id": sector.id.value,
            "annex": sector.annex,
            "name": sector.name,
            "title": sector.title,
            "summary": sector.summary,
            "mexico_summary": sector.mexico.summary,
            "last_verified": sector.last_verified,
            "modified": sector.modified,
        }
        for sector in catalog.sectors.values()
    ]
    sources = [
        {
            "file": doc.file,
            "title": doc.title,
            "publisher": doc.publisher,
            "published": doc.published,
            "reliability": doc.reliability.value,
            "description": doc.description,
            "url": doc.url,
        }
        for doc in catalog.sources.documents
    ]
    acronyms = [
        {"acronym": entry.acronym, "definition": entry.definition, "note": entry.note}
        for entry in catalog.acronyms.entries
    ]
    leads, relations = _lead_rows(catalog, registry, today)
    rows = {
        "projects": projects,
        "leads": leads,
        "lead_relations": _numbered(relations),
        "sectors": sectors,
        "export_opportunities": _numbered(opportunities),
        "contacts": _numbered(contacts),
        "locations": _numbered(locations),
        "states": [
            {
                "iso_code": state.iso_code,
                "inegi_code": state.inegi_code,
                "name": state.name,
                "latitude": state.latitude,
                "longitude": state.longitude,
            }
            for state in states().values()
        ],
        "milestones": _numbered(milestones),
        "financing": _numbered(financing),
        "sources": sources,
        "acronyms": _numbered(acronyms),
    }
    return [TableData(spec, [_in_order(spec, row) for row in rows[spec.name]]) for spec in TABLES]


def _status(record: Row, registry: Row, today: date) -> Row:
    """The status columns (STATUS_FIELDS and status), as every row output gives them."""
    from mxict.query.status import status_fields

    fields = status_fields(record, registry, today)
    return {name: fields[name] for name in ("status", *(f.name for f in STATUS_FIELDS))}


def _lead_rows(catalog: Catalog, registry: Row, today: date) -> tuple[list[Row], list[Row]]:
    from mxict.models import record_json

    leads, relations = [], []
    for lead in catalog.leads.values():
        leads.append(
            {
                "id": lead.id,
                "name": lead.name,
                "sector": str(lead.sector),
                "sector_note": lead.sector_note,
                "actors": "; ".join(f"{a.role.value}: {a.name}" for a in lead.actors) or None,
                "location": "; ".join(loc.name for loc in lead.locations) or None,
                **_money("value_", lead.value),
                **_status(record_json(lead), registry, today),
                "grade": lead.evidence.grade.value,
                "grade_reason": lead.evidence.reason,
                "summary": lead.summary,
                "sources": "; ".join(f"{ref.file}: {ref.section}" for ref in lead.sources),
                "last_verified": lead.last_verified,
                "modified": lead.modified,
            }
        )
        relations += [
            {
                "lead_id": lead.id,
                "relation": relation.relation.value,
                "project_id": relation.project,
                "to": relation.to,
                "note": relation.note,
            }
            for relation in lead.relations
        ]
    return leads, relations


def _in_order(spec: TableSpec, row: Row) -> Row:
    # Every row carries exactly the spec's columns, in its order; a mismatch is a bug here.
    if set(row) != set(spec.field_names):
        raise AssertionError(f"{spec.name}: row keys {sorted(row)} != {spec.field_names}")
    return {name: row[name] for name in spec.field_names}


def dependency_order(tables: list[TableData]) -> list[TableData]:
    """Tables ordered so that every foreign key points at a table that comes earlier."""
    done: set[str] = set()
    ordered: list[TableData] = []
    pending = list(tables)
    while pending:
        ready = [
            t
            for t in pending
            if all(fk.table in done or fk.table == t.spec.name for fk in t.spec.foreign_keys)
        ]
        if not ready:
            raise AssertionError("foreign keys between export tables form a cycle")
        for table in ready:
            ordered.append(table)
            done.add(table.spec.name)
            pending.remove(table)
    return ordered


def dataset_source(catalog: Catalog) -> str:
    """Where the data comes from: the primary source document and the source registry."""
    primary = [d for d in catalog.sources.documents if d.reliability is Reliability.PRIMARY]
    cited = "; ".join(f"{d.title} ({d.publisher}, {d.published})" for d in primary)
    return f"{cited} and the documents in the sources table" if cited else "The sources table"


def catalog_info(catalog: Catalog) -> Row:
    """What `mxict info` says of the catalog's data (versions, counts by kind, newest
    `modified`, content hash): every export's metadata carries it."""
    from mxict._version import __version__
    from mxict.dataset.release import dataset_version
    from mxict.models import record_json
    from mxict.query.info import dataset_info

    records: list[tuple[str, Row]] = [
        ("project", record_json(p)) for p in catalog.projects.values()
    ]
    records += [("lead", record_json(lead)) for lead in catalog.leads.values()]
    records += [("sector", record_json(s)) for s in catalog.sectors.values()]
    records += [
        ("acronyms", record_json(catalog.acronyms)),
        ("country", record_json(catalog.country)),
        ("sources", record_json(catalog.sources)),
    ]
    return dataset_info(records, dataset_version(catalog.data_dir), __version__)


def info_rows(info: Row) -> list[Row]:
    """`catalog_info` as key/value rows (a workbook sheet, a database table)."""
    flat = {key: value for key, value in info.items() if key != "records"}
    flat |= {f"records.{kind}": count for kind, count in info["records"].items()}
    return [
        {"key": key, "value": None if value is None else str(value)} for key, value in flat.items()
    ]
