"""`mxict export oc4ids`: the projects as an OC4IDS 0.9 project package.

Open Contracting for Infrastructure Data Standards (OC4IDS) describes infrastructure
projects; the output validates against the published 0.9.5 project-package schema.

How mxict maps to OC4IDS:

- `id`: "oc4ids-mxict-" + the mxict id. "mxict" is not a registered OC4IDS project
  identifier prefix; a publisher with a registered prefix should substitute its own.
- `title`, `description`: the project name and our summary.
- `status` (closed projectStatus codelist), from the current status:
  proposed -> identification, planned -> preparation, approved / in_progress /
  active -> implementation (approval of the loan or programme starts procurement and
  delivery), completed -> completion, cancelled -> cancelled, superseded -> cancelled
  (no longer carried out and never completed). stalled and unknown say nothing about the
  phase, so `status` is left out.
- `sector`: ["communications"] for every project (projectSector codelist: ICT, IT,
  telecommunications, broadband).
- `budget.amount`: the project value when its basis is a total (an annual figure is not a
  project budget); `budget.description` keeps the value as printed with its qualifiers.
  `budget.finance` lists each funding with its amount, its financier and, for loans and
  grants, its type.
- `parties`: the sponsor as "publicAuthority" (the entity developing the assets or
  delivering the service), with the sponsor's contact point where the profile prints one;
  every financier of `financing.funding` as "funder". An organisation that is both gets
  both roles. `publicAuthority` references the sponsor.
- `locations`: the place as printed (`description`) and an address with the Mexican state
  as `region` and the country as `countryName`.
- `milestones`: the timeline. Events that happened are "met", forecasts "scheduled";
  `dateMet` / `dueDate` are given only when the source gives an exact day; otherwise the
  description gives the date at its printed precision (`2021-05`, `about 2022`).
- `updated` and the package's `publishedDate`: the records' `last_verified` dates, so the
  same data always gives the same package.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mxict.exports.tables import LICENSE_URL, absolute_url, catalog_info
from mxict.textfold import fold
from mxict.vocab import ContactRole, FundingKind, Status, ValueBasis

if TYPE_CHECKING:
    from datetime import date

    from mxict.dataset.catalog import Catalog
    from mxict.models import Money, Organization, Project

OC4IDS_VERSION = "0.9"
ID_PREFIX = "oc4ids-mxict-"
PACKAGE_URI = "urn:mxict:oc4ids:project-package"
PUBLISHER = "mxict"

STATUS_MAP: dict[Status, str | None] = {
    Status.PROPOSED: "identification",
    Status.PLANNED: "preparation",
    Status.APPROVED: "implementation",
    Status.IN_PROGRESS: "implementation",
    Status.ACTIVE: "implementation",
    Status.COMPLETED: "completion",
    Status.STALLED: None,
    Status.SUPERSEDED: "cancelled",
    Status.CANCELLED: "cancelled",
    Status.UNKNOWN: None,
}

FINANCE_TYPES: dict[FundingKind, str] = {
    FundingKind.LOAN: "loan",
    FundingKind.GRANT: "grant",
    FundingKind.EQUITY: "shares.unlisted",
}

PROJECT_SECTOR = "communications"


def _datetime(day: date | str) -> str:
    return f"{day}T00:00:00Z"


def _party_id(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "party"


def _value(money: Money | None) -> dict[str, Any] | None:
    if money is None or money.amount is None or money.basis is not ValueBasis.TOTAL:
        return None
    return {"amount": money.amount, "currency": money.currency}


def _qualified(money: Money) -> str:
    words = [money.bound.value.replace("_", " "), money.scope.value.replace("_", " ")]
    if money.basis is not ValueBasis.TOTAL:
        words.insert(0, money.basis.value)
    return f"{money.as_printed} ({'; '.join(words)})"


class _Parties:
    """The parties of one project, merged by name so an organisation appears once."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self._by_key: dict[str, dict[str, Any]] = {}

    def add(self, organization: Organization, role: str) -> dict[str, Any]:
        keys = {fold(organization.name)} | (
            {fold(organization.acronym)} if organization.acronym else set()
        )
        party = next((self._by_key[k] for k in keys if k in self._by_key), None)
        if party is None:
            party = {"id": self._unique_id(_party_id(organization.name)), "name": organization.name}
            party["roles"] = []
            self.entries.append(party)
        for key in keys:
            self._by_key.setdefault(key, party)
        if role not in party["roles"]:
            party["roles"].append(role)
        return party

    def _unique_id(self, base: str) -> str:
        taken = {p["id"] for p in self.entries}
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate


def _sponsor_contact(project: Project) -> dict[str, str]:
    for contact in project.contacts:
        if contact.role is ContactRole.PROJECT_SPONSOR:
            point = {
                "name": contact.name or contact.title or contact.organization,
                "email": contact.email,
                "telephone": contact.phone,
                "url": absolute_url(contact.url) if contact.url else None,
            }
            return {k: v for k, v in point.items() if v}
    return {}


def project_record(project: Project) -> dict[str, Any]:
    """One project in OC4IDS form."""
    parties = _Parties()
    sponsor = parties.add(project.sponsor, "publicAuthority")
    contact = _sponsor_contact(project)
    if contact:
        sponsor["contactPoint"] = contact

    finance: list[dict[str, Any]] = []
    for index, funding in enumerate(project.financing.funding, 1):
        funder = parties.add(funding.funder, "funder")
        entry: dict[str, Any] = {
            "id": str(index),
            "financingParty": {"id": funder["id"], "name": funder["name"]},
        }
        description = funding.description or (
            _qualified(funding.amount) if funding.amount else None
        )
        if description:
            entry["description"] = description
        value = _value(funding.amount)
        if value:
            entry["value"] = value
        if funding.kind in FINANCE_TYPES:
            entry["type"] = FINANCE_TYPES[funding.kind]
        finance.append(entry)

    record: dict[str, Any] = {
        "id": ID_PREFIX + project.id,
        "updated": _datetime(project.modified),
        "language": "en",
        "title": project.name,
        "description": project.summary,
    }
    status = STATUS_MAP[project.current_status]
    if status is not None:
        record["status"] = status
    record["sector"] = [PROJECT_SECTOR]
    record["publicAuthority"] = {"id": sponsor["id"], "name": sponsor["name"]}

    budget: dict[str, Any] = {"description": _qualified(project.value)}
    value = _value(project.value)
    if value:
        budget["amount"] = value
    if finance:
        budget["finance"] = finance
    record["budget"] = budget
    record["parties"] = parties.entries

    locations = []
    for index, place in enumerate(project.locations, 1):
        address = {"region": place.state, "countryName": place.country}
        locations.append(
            {
                "id": str(index),
                "description": place.name,
                "address": {k: v for k, v in address.items() if v},
            }
        )
    record["locations"] = locations

    milestones = []
    for index, event in enumerate(project.timeline, 1):
        milestone: dict[str, Any] = {
            "id": str(index),
            "title": event.event,
            "status": "scheduled" if event.expected else "met",
        }
        if len(event.date) == 10 and not event.approximate:
            milestone["dueDate" if event.expected else "dateMet"] = _datetime(event.date)
        else:
            when = f"about {event.date}" if event.approximate else event.date
            milestone["description"] = f"Date as given by the source: {when}"
        milestones.append(milestone)
    if milestones:
        record["milestones"] = milestones
    return record


def project_package(catalog: Catalog) -> dict[str, Any]:
    """Every project of the catalog as one OC4IDS project package."""
    info = catalog_info(catalog)
    return {
        "uri": PACKAGE_URI,
        # The day the data last changed: the newest `modified` of any record.
        "publishedDate": _datetime(info["modified"]),
        "publisher": {"name": PUBLISHER},
        "license": LICENSE_URL,
        "version": OC4IDS_VERSION,
        "projects": [project_record(p) for p in catalog.projects.values()],
        # An extension field (OCDS convention: camelCase, ignored by readers that do not
        # know it): the dataset version, counts and content hash, as `mxict info` gives.
        "mxictDataset": info,
    }
