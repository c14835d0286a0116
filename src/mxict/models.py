"""Pydantic models for every mxict record kind; validation only, no I/O."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from mxict.codelists import check_hs, check_naics
from mxict.dates import PARTIAL_DATE, PARTIAL_DATE_HELP, check_partial_date, partial_date_key
from mxict.states import check_state
from mxict.vocab import (
    CURRENCY_CODES,
    ActorRole,
    ContactRole,
    EvidenceGrade,
    FundingKind,
    OpportunityKind,
    OrgChange,
    RelationKind,
    Reliability,
    SectorId,
    Status,
    ValueBasis,
    ValueBound,
    ValueScope,
)

__all__ = [  # the vocabulary is part of the models' API
    "ContactRole",
    "FundingKind",
    "OpportunityKind",
    "OrgChange",
    "Reliability",
    "SectorId",
    "Status",
    "ValueBasis",
    "ValueBound",
    "ValueScope",
]

# --------------------------------------------------------------------------- basics

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_URL = re.compile(r"^(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#]\S*)?$")

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1)]
MAX_NAME = 200  # the longest real name has 121 characters; a name is a title, not a text
# A record's name is repeated in every listing, search hit and export row: a 2,000,000
# character name (within the file size limit) multiplied every output.
RecordName = Annotated[
    str, StringConstraints(strip_whitespace=False, min_length=1, max_length=MAX_NAME)
]


def _check_kebab(value: str) -> str:
    if not _KEBAB.match(value):
        raise ValueError("must be kebab-case: lowercase letters, digits and single hyphens")
    return value


def _check_currency(value: str) -> str:
    if value not in CURRENCY_CODES:
        allowed = ", ".join(sorted(CURRENCY_CODES))
        raise ValueError(f"must be an ISO 4217 currency code ({allowed})")
    return value


def _check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("must be a well-formed email address")
    return value


def _check_url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError("must be a well-formed URL or domain")
    return value


Slug = Annotated[str, AfterValidator(_check_kebab)]
PartialDate = Annotated[
    str,
    AfterValidator(check_partial_date),
    Field(
        description=f"Date at the precision the source gives: {PARTIAL_DATE_HELP}",
        json_schema_extra={"pattern": PARTIAL_DATE},
    ),
]
Currency = Annotated[str, AfterValidator(_check_currency), Field(description="ISO 4217 code")]
Email = Annotated[str, AfterValidator(_check_email)]
Url = Annotated[str, AfterValidator(_check_url)]
# Numbers must be numbers: YAML 1.1's `yes` (a bool) is refused, and so are .inf and .nan.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Amount = Annotated[float, Field(ge=0, strict=True, allow_inf_nan=False)]
Day = Annotated[date, Field(strict=True)]  # a YAML date, never a number (0 is not 1970-01-01)
Cell = str | int | Number | None


class Record(BaseModel):
    """Base of every model: strict about unknown fields, immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --------------------------------------------------------------------------- shared parts


class SourceRef(Record):
    """Where a fact came from: a file of the source registry and its section or table."""

    file: NonEmpty = Field(description="File name from the source registry (data/sources.yaml)")
    section: NonEmpty = Field(description='Section or table, e.g. "GigNet-1 / COST AND FINANCING"')


class Conversion(Record):
    """An original-currency figure and the exchange rate used to state it in USD."""

    amount: Amount
    amount_max: Amount | None = Field(
        default=None, description="Upper end when the source prints a range ('120 to 150')"
    )
    currency: Currency
    as_printed: NonEmpty | None = None
    rate: Annotated[float, Field(gt=0, strict=True, allow_inf_nan=False)] | None = Field(
        default=None, description="Units of the original currency per USD"
    )
    rate_date: PartialDate | None = None
    rate_source: SourceRef | None = None


class Money(Record):
    """An amount with its currency and the source's qualifiers, plus the text as printed."""

    amount: Amount | None = Field(default=None, description="Number in `currency`; null if none")
    currency: Currency = "USD"
    basis: ValueBasis = ValueBasis.TOTAL
    bound: ValueBound = ValueBound.EXACT
    scope: ValueScope = ValueScope.PROJECT_COST
    as_printed: NonEmpty
    original: Conversion | None = Field(
        default=None, description="The figure in its original currency, where printed"
    )
    note: NonEmpty | None = None


class Figure(Record):
    """A quoted statistic: value with unit, the year it describes, and where it came from."""

    label: NonEmpty
    value: Number | None = None
    unit: NonEmpty | None = None
    year: PartialDate | None = None
    bound: ValueBound = ValueBound.EXACT
    as_printed: NonEmpty
    cited_source: NonEmpty | None = Field(
        default=None, description="The source the document itself cites for this figure"
    )
    sources: list[SourceRef] = Field(
        default_factory=list,
        description="Where this figure came from, when the record's sources differ on it "
        "(figures that disagree stay side by side, each with its own source)",
    )


class Column(Record):
    """A table column: header as printed, plus the unit where the header gives one."""

    name: NonEmpty
    unit: NonEmpty | None = None


class Table(Record):
    """A numbered table of the source, transcribed as typed rows."""

    number: Annotated[int, Field(ge=1, strict=True)]
    title: NonEmpty
    columns: list[Column] = Field(min_length=1)
    rows: list[list[Cell]] = Field(min_length=1)
    notes: list[NonEmpty] = Field(default_factory=list)
    cited_source: NonEmpty | None = None

    @model_validator(mode="after")
    def _rows_match_columns(self) -> Table:
        width = len(self.columns)
        for index, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(
                    f"row {index} has {len(row)} cells but the table has {width} columns"
                )
        return self


class Section(Record):
    """A titled part of a narrative, summarised in our own words."""

    heading: NonEmpty
    summary: NonEmpty
    points: list[NonEmpty] = Field(default_factory=list)


class Event(Record):
    """A dated, cited fact about a project's progress."""

    date: PartialDate
    event: NonEmpty
    status: Status | None = Field(
        default=None, description="The status this event puts the project in, if any"
    )
    expected: bool = Field(default=False, description="A planned or forecast date, not a fact")
    approximate: bool = False
    sources: list[SourceRef] = Field(min_length=1)


class Successor(Record):
    """A dated change to an organisation; the original name is never overwritten."""

    date: PartialDate
    change: OrgChange
    name: NonEmpty | None = Field(default=None, description="The successor, if any")
    acronym: NonEmpty | None = None
    name_en: NonEmpty | None = None
    description: NonEmpty
    sources: list[SourceRef] = Field(min_length=1)


class Organization(Record):
    """An organisation as printed (Spanish where the source is), with English rendering."""

    name: NonEmpty
    acronym: NonEmpty | None = None
    name_en: NonEmpty | None = None
    successors: list[Successor] = Field(default_factory=list)


class Location(Record):
    """Where a project takes place, as printed, with the Mexican state where applicable."""

    name: NonEmpty
    state: NonEmpty | None = Field(
        default=None, description="One of Mexico's 32 states (INEGI's names, or a short form)"
    )
    country: NonEmpty = "Mexico"

    @model_validator(mode="after")
    def _state_in_mexico(self) -> Location:
        # The exports place a location at its state's centre: a misspelt state would
        # silently lose its point on the map.
        if self.state is not None and self.country == "Mexico":
            check_state(self.state)
        return self


class Contact(Record):
    """A person or office from a profile's CONTACTS box, exactly as printed."""

    role: ContactRole
    name: NonEmpty | None = None
    title: NonEmpty | None = None
    organization: NonEmpty
    email: Email | None = None
    email_partial: NonEmpty | None = Field(
        default=None,
        description="What survives of an e-mail address the source prints only in part "
        "(e.g. only its domain); never completed by guesswork",
    )
    phone: NonEmpty | None = None
    address: NonEmpty | None = None
    url: Url | None = None


class Funding(Record):
    """One financier's part in a project's cost."""

    funder: Organization
    kind: FundingKind
    amount: Money | None = None
    approved: PartialDate | None = None
    description: NonEmpty | None = None


class Financing(Record):
    """The COST AND FINANCING section: total cost, who pays, in our own words."""

    summary: NonEmpty
    total_cost: Money | None = None
    funding: list[Funding] = Field(default_factory=list)


NaicsCode = Annotated[
    str, AfterValidator(check_naics), Field(description="NAICS 2022 six-digit code")
]
HsCode = Annotated[
    str, AfterValidator(check_hs), Field(description="HS 2022 heading (4 digits) or subheading (6)")
]


class Classification(Record):
    """Industry codes for an export opportunity: mxict's reading, not the guide's."""

    naics: list[NaicsCode] = Field(min_length=1, max_length=3, description="Best fit first")
    hs: list[HsCode] = Field(default_factory=list, max_length=3, description="For goods")
    classified_by: Literal["mxict"] = Field(
        default="mxict", description="The codes are mxict's classification, not the source's"
    )
    classified_on: Day
    note: NonEmpty | None = None


class Opportunity(Record):
    """One U.S. export opportunity item of a profile."""

    category: NonEmpty
    description: NonEmpty
    kind: OpportunityKind = OpportunityKind.UNSPECIFIED
    codes: Classification | None = Field(
        default=None, description="NAICS and HS codes chosen by mxict for this item"
    )


# --------------------------------------------------------------------------- records


def _in_date_order(events: list[Event]) -> list[Event]:
    for index in range(1, len(events)):
        earlier, later = events[index - 1], events[index]
        if partial_date_key(later.date) < partial_date_key(earlier.date):
            raise ValueError(
                f"event {index} ({later.date}) comes before event {index - 1} "
                f"({earlier.date}); keep events in date order"
            )
    return events


def _status_of(event: Event | None) -> Status:
    return event.status if event and event.status else Status.UNKNOWN


def _current_event(events: list[Event]) -> Event | None:
    for event in reversed(events):
        if event.status is not None and not event.expected:
            return event
    return None


class Project(Record):
    """One project profile of the USTDA guide (Table 1)."""

    id: Slug
    name: RecordName = Field(description="Project name as printed in Table 1")
    sponsor: Organization
    sector: SectorId
    subsector: NonEmpty = Field(description="SUBSECTOR as printed")
    locations: list[Location] = Field(min_length=1)
    value: Money
    summary: NonEmpty = Field(description="Our own summary of PROJECT SUMMARY")
    background: NonEmpty = Field(description="Our own summary of BACKGROUND AND DESCRIPTION")
    components: list[Section] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    status_summary: NonEmpty = Field(description="Our own summary of STATUS AND TIMELINE")
    timeline: list[Event] = Field(default_factory=list)
    financing: Financing
    opportunities: list[Opportunity] = Field(min_length=1)
    contacts: list[Contact] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1)
    last_verified: Day
    modified: Day = Field(
        description="The date the record's content last changed (set from its git history)"
    )

    @field_validator("timeline")
    @classmethod
    def _timeline_in_order(cls, timeline: list[Event]) -> list[Event]:
        return _in_date_order(timeline)

    def current_event(self) -> Event | None:
        """The latest event that happened (not a forecast) and set a status."""
        return _current_event(self.timeline)

    @property
    def current_status(self) -> Status:
        """Status derived from the latest status-setting event; unknown without one."""
        return _status_of(self.current_event())

    @property
    def states(self) -> list[str]:
        """Mexican states the project is located in."""
        return [loc.state for loc in self.locations if loc.state]


class Sector(Record):
    """One sector overview of Annex A (A1-A5)."""

    id: SectorId
    annex: Literal["A1", "A2", "A3", "A4", "A5"]
    title: NonEmpty = Field(description="Annex title as printed")
    name: RecordName = Field(description="Short name, e.g. 'Subsea Communications Networks'")
    summary: NonEmpty
    figures: list[Figure] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    mexico: Section
    mexico_figures: list[Figure] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1)
    last_verified: Day
    modified: Day = Field(
        description="The date the record's content last changed (set from its git history)"
    )


class Acronym(Record):
    """One Annex B entry as printed."""

    acronym: NonEmpty
    definition: NonEmpty
    note: NonEmpty | None = Field(default=None, description="e.g. why an entry appears twice")


class AcronymList(Record):
    """Annex B: the acronym list, every entry in source order."""

    id: Literal["acronyms"]
    title: NonEmpty
    entries: list[Acronym] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)
    last_verified: Day
    modified: Day = Field(
        description="The date the record's content last changed (set from its git history)"
    )


class ProviderGroup(Record):
    """A market segment and the providers the source names for it."""

    segment: NonEmpty
    count_as_printed: NonEmpty | None = None
    providers: list[NonEmpty] = Field(default_factory=list)
    note: NonEmpty | None = None


class Country(Record):
    """The country overview (guide sections 1.1 and 2.1-2.4)."""

    id: Literal["country"]
    name: NonEmpty
    summary: NonEmpty
    demographics: list[Figure] = Field(default_factory=list)
    sector_figures: list[Figure] = Field(default_factory=list)
    providers: list[ProviderGroup] = Field(default_factory=list)
    regulator: Organization
    regulator_facts: list[Figure] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1)
    last_verified: Day
    modified: Day = Field(
        description="The date the record's content last changed (set from its git history)"
    )


class SourceDocument(Record):
    """One source document of the registry."""

    file: NonEmpty
    title: NonEmpty
    publisher: NonEmpty
    published: PartialDate
    reliability: Reliability
    description: NonEmpty
    url: Url | None = None


class SourceRegistry(Record):
    """data/sources.yaml: every document a record may cite."""

    id: Literal["sources"]
    documents: list[SourceDocument] = Field(min_length=1)
    last_verified: Day
    modified: Day = Field(
        description="The date the record's content last changed (set from its git history)"
    )


class Actor(Organization):
    """An organisation a lead names, and the part it plays."""

    role: ActorRole


class Relation(Record):
    """How a lead relates to a profiled project or a named programme."""

    relation: RelationKind
    project: Slug | None = Field(default=None, description="The id of a profiled project")
    to: NonEmpty | None = Field(default=None, description="A named programme, e.g. Red Compartida")
    note: NonEmpty | None = None

    @model_validator(mode="after")
    def _names_a_target(self) -> Relation:
        if self.project is None and self.to is None:
            raise ValueError("a relation needs a project id or a named programme (to)")
        return self


class Evidence(Record):
    """mxict's grade of how far a lead can be relied on, and why."""

    grade: EvidenceGrade
    reason: NonEmpty
    graded_by: Literal["mxict"] = Field(
        default="mxict", description="The grade is mxict's judgement, not the sources'"
    )


LeadSector = SectorId | Literal["other"]


class Lead(Record):
    """An ICT opportunity the sources name outside the guide's eleven profiles (the later
    papers, the roadmap, or the guide's own sector annexes)."""

    id: Slug
    name: RecordName
    summary: NonEmpty = Field(description="Our own summary of what the sources say")
    sector: LeadSector = Field(description="One of the five sectors, or other")
    sector_note: NonEmpty | None = Field(default=None, description="Why none of the five fits")
    actors: list[Actor] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    value: Money | None = Field(default=None, description="Only where a source prints one")
    figures: list[Figure] = Field(default_factory=list)
    facts: list[Event] = Field(default_factory=list, description="Dated, cited facts, in order")
    relations: list[Relation] = Field(default_factory=list)
    opportunities: list[Opportunity] = Field(default_factory=list)
    evidence: Evidence
    sources: list[SourceRef] = Field(min_length=1)
    last_verified: Day
    modified: Day = Field(
        description="The date the record's content last changed (set from its git history)"
    )

    @field_validator("facts")
    @classmethod
    def _facts_in_order(cls, facts: list[Event]) -> list[Event]:
        return _in_date_order(facts)

    @model_validator(mode="after")
    def _other_sector_is_explained(self) -> Lead:
        if self.sector == "other" and self.sector_note is None:
            raise ValueError("sector: other needs a sector_note saying why none of the five fits")
        return self

    def current_event(self) -> Event | None:
        """The latest fact that happened (not a forecast) and set a status."""
        return _current_event(self.facts)

    @property
    def current_status(self) -> Status:
        """Status derived from the latest status-setting fact; unknown without one."""
        return _status_of(self.current_event())


CodePrefix = Annotated[
    str, StringConstraints(pattern=r"^\d{2,6}$"), Field(description="2 to 6 digits")
]


class CompanyProfile(Record):
    """What a company sells and where it wants to work, for `mxict match --profile`."""

    name: NonEmpty | None = None
    naics: list[CodePrefix] = Field(
        default_factory=list, description="NAICS 2022 codes; a shorter one covers those under it"
    )
    hs: list[CodePrefix] = Field(default_factory=list, description="HS 2022 codes")
    keywords: list[NonEmpty] = Field(default_factory=list, description="Words for what it sells")
    states: list[NonEmpty] = Field(default_factory=list, description="Mexican states wanted")
    sectors: list[NonEmpty] = Field(default_factory=list, description="Sectors wanted")

    @model_validator(mode="after")
    def _says_what_it_sells(self) -> CompanyProfile:
        if not (self.naics or self.hs or self.keywords):
            raise ValueError("a profile needs naics, hs or keywords")
        return self


RECORD_MODELS: dict[str, type[Record]] = {
    "project": Project,
    "lead": Lead,
    "sector": Sector,
    "acronyms": AcronymList,
    "country": Country,
    "sources": SourceRegistry,
}


def _whole_numbers(value: Any) -> Any:
    """38000000.0 -> 38000000 throughout: whole amounts read the same in every output.

    Table cells are left as transcribed (Table 10 prints "36.0")."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {key: item if key == "rows" else _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    return value


def record_json(record: Record) -> dict[str, Any]:
    """A whole record as JSON-ready data, with the derived `current_status` of a project;
    whole numbers are integers."""
    data: dict[str, Any] = _whole_numbers(record.model_dump(mode="json"))
    if isinstance(record, Project | Lead):
        event = record.current_event()
        data["current_status"] = {
            "status": record.current_status.value,
            "date": event.date if event else None,
            "event": event.event if event else None,
        }
    return data
