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

PARTIAL_DATE = re.compile(
    r"^\d{4}(?:-(?:(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?|Q[1-4]|H[12]))?$"
)
PARTIAL_DATE_HELP = "YYYY, YYYY-Qn (quarter), YYYY-Hn (half-year), YYYY-MM or YYYY-MM-DD"
# The first and last month of each quarter and half-year.
_SPANS = {"Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12), "H1": (1, 6), "H2": (7, 12)}


def check_partial_date(value: str) -> str:
    """`value` if it is an ISO 8601 date at the precision a source gives, else ValueError.

    Years are kept to 1000-9998, the range every date computation here can handle."""
    if not PARTIAL_DATE.match(value):
        raise ValueError(f"must be a date at the precision the source gives: {PARTIAL_DATE_HELP}")
    if not 1000 <= int(value[:4]) <= 9998:
        raise ValueError("year must be between 1000 and 9998")
    if len(value) == 10:
        date.fromisoformat(value)  # rejects 2021-02-30
    return value


def precision(value: str) -> str:
    """`year`, `half`, `quarter`, `month` or `day`."""
    if len(value) == 4:
        return "year"
    if value[5] in "QH":
        return "quarter" if value[5] == "Q" else "half"
    return "month" if len(value) == 7 else "day"


def partial_date_start(value: str) -> date:
    """The first day a partial date may stand for (2021 -> 2021-01-01, 2022-Q4 -> 2022-10-01)."""
    year = int(value[:4])
    if len(value) == 4:
        return date(year, 1, 1)
    if value[5] in "QH":
        return date(year, _SPANS[value[5:7]][0], 1)
    return date(year, int(value[5:7]), int(value[8:10]) if len(value) == 10 else 1)


def partial_date_end(value: str) -> date:
    """The last day a partial date may stand for (2021 -> 2021-12-31, 2022-H1 -> 2022-06-30)."""
    year = int(value[:4])
    if len(value) == 10:
        return date.fromisoformat(value)
    if len(value) == 4:
        last_month = 12
    elif value[5] in "QH":
        last_month = _SPANS[value[5:7]][1]
    else:
        last_month = int(value[5:7])
    first_of_next = date(year + last_month // 12, last_month % 12 + 1, 1)
    return date.fromordinal(first_of_next.toordinal() - 1)


def partial_date_key(value: str) -> tuple[int, int]:
    """Sort key for partial dates of any precision: by first day, the wider span first at
    the same start (2022 < 2022-H2 < 2022-Q3 < 2022-07 < 2022-07-01)."""
    return partial_date_start(value).toordinal(), -partial_date_end(value).toordinal()


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


class EvidenceGrade(StrEnum):
    """mxict's grade of a lead, following its sources' reliability and how specific they are."""

    COMMITTED = "committed"  # a dated, sourced commitment, decision or event
    REPORTED = "reported"  # a specific development a good source reports, no firm commitment
    RECOMMENDED = "recommended"  # a policy recommendation or proposal
    HISTORICAL = "historical"  # named in a dated source, not confirmed as current since
    LOW = "low"  # only in the low-reliability source: cannot stand on its own


class ActorRole(StrEnum):
    """The part an organisation plays in a lead."""

    SPONSOR = "sponsor"
    PROMOTER = "promoter"
    OPERATOR = "operator"
    REGULATOR = "regulator"
    FINANCIER = "financier"
    VENDOR = "vendor"
    PARTNER = "partner"
    OTHER = "other"


class RelationKind(StrEnum):
    """How a lead relates to a profiled project or programme."""

    PART_OF = "part_of"
    CONTEXT_FOR = "context_for"
    FOLLOWS = "follows"
    RELATED_TO = "related_to"


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
