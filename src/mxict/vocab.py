"""The closed vocabularies and partial dates of the dataset, in the standard library only.

Query, render and completion code import these instead of the pydantic models, so that
a query never pays for pydantic; `models.py` builds its fields on them.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

# ISO 4217 codes the dataset may use; a closed list catches typos such as "USS".
CURRENCY_CODES = frozenset({"USD", "MXN", "EUR", "CAD", "GBP", "JPY", "CNY", "BRL"})

PARTIAL_DATE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")


def check_partial_date(value: str) -> str:
    """`value` if it is an ISO 8601 date at some precision, else ValueError."""
    if not PARTIAL_DATE.match(value):
        raise ValueError("must be an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD")
    if len(value) == 10:
        date.fromisoformat(value)  # rejects 2021-02-30
    return value


def partial_date_key(value: str) -> tuple[int, int, int]:
    """Sort key for a partial ISO date; a bare year sorts before its months."""
    parts = [int(p) for p in value.split("-")]
    parts += [0] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def partial_date_start(value: str) -> date:
    """The first day a partial date may stand for (2021 -> 2021-01-01)."""
    year, month, day = partial_date_key(value)
    return date(year, month or 1, day or 1)


def partial_date_end(value: str) -> date:
    """The last day a partial date may stand for (2021 -> 2021-12-31)."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(parts[0], parts[1], parts[2])
    if len(parts) == 2:
        year, month = parts
        first_of_next = date(year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(first_of_next.toordinal() - 1)
    return date(parts[0], 12, 31)


class SectorId(StrEnum):
    """The five ICT sectors of Annex A, in annex order."""

    TERRESTRIAL = "terrestrial"
    SUBSEA = "subsea"
    DATA_CENTERS = "data-centers"
    SMART_CITIES = "smart-cities"
    IOT_AI = "iot-ai"


class ValueBasis(StrEnum):
    """Over what span an amount is counted."""

    TOTAL = "total"
    ANNUAL = "annual"


class ValueBound(StrEnum):
    """How the source qualifies a figure ("at least", ">", "about", "up to")."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    APPROXIMATE = "approximate"
    UP_TO = "up_to"


class ValueScope(StrEnum):
    """What the figure measures: the whole project, only a loan, an investment..."""

    PROJECT_COST = "project_cost"
    LOAN = "loan"
    INVESTMENT = "investment"
    BUDGET = "budget"
    ESTIMATE = "estimate"


class Status(StrEnum):
    """Project status vocabulary; a status event moves a project to one of these."""

    PROPOSED = "proposed"
    PLANNED = "planned"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    ACTIVE = "active"
    COMPLETED = "completed"
    STALLED = "stalled"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


class OpportunityKind(StrEnum):
    """Whether an export opportunity is for goods, services, or both."""

    GOODS = "goods"
    SERVICES = "services"
    GOODS_AND_SERVICES = "goods_and_services"
    UNSPECIFIED = "unspecified"


class ContactRole(StrEnum):
    """Which box of a profile's CONTACTS table a contact comes from."""

    PROJECT_SPONSOR = "project_sponsor"
    USTDA = "ustda"
    US_COMMERCIAL_SERVICE = "us_commercial_service"
    OTHER = "other"


class FundingKind(StrEnum):
    """How a financier takes part in a project."""

    LOAN = "loan"
    GRANT = "grant"
    EQUITY = "equity"
    PUBLIC_BUDGET = "public_budget"
    PRIVATE = "private"
    TECHNICAL_ASSISTANCE = "technical_assistance"
    OTHER = "other"


class OrgChange(StrEnum):
    """What happened to an organisation (regulator dissolved, agency renamed...)."""

    DISSOLVED = "dissolved"
    RENAMED = "renamed"
    MERGED = "merged"
    FUNCTIONS_TRANSFERRED = "functions_transferred"
    BANKRUPT = "bankrupt"
    RESTRUCTURED = "restructured"


class Reliability(StrEnum):
    """How far a source document is trusted (see the source registry)."""

    PRIMARY = "primary"
    GOOD = "good"
    CONTEXT = "context"
    LOW = "low"


# Annex order (A1-A5): how sectors are listed everywhere.
SECTOR_ORDER = tuple(SectorId)


def sector_rank(sector_id: str) -> int:
    """Position of a sector in annex order; unknown ids sort last."""
    ids = [s.value for s in SECTOR_ORDER]
    return ids.index(sector_id) if sector_id in ids else len(ids)
