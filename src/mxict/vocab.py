"""The closed vocabularies of the dataset, in the standard library only.

Query, render and completion code import these instead of the pydantic models, so that
a query never pays for pydantic; `models.py` builds its fields on them.
"""

from __future__ import annotations

from enum import StrEnum

# ISO 4217 codes the dataset may use; a closed list catches typos such as "USS".
CURRENCY_CODES = frozenset({"USD", "MXN", "EUR", "CAD", "GBP", "JPY", "CNY", "BRL"})


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
