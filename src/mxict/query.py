"""Pure functions over a Catalog: filter, search, sort and compare projects."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mxict.errors import UsageError
from mxict.textfold import fold

if TYPE_CHECKING:
    from mxict.catalog import Catalog
    from mxict.models import Money, Project


# --------------------------------------------------------------------------- money


def usd_amount(money: Money | None) -> float | None:
    """The figure in US dollars, or None when it has no amount or no USD equivalent."""
    if money is None or money.amount is None:
        return None
    if money.currency == "USD":
        return money.amount
    if money.original is not None and money.original.currency == "USD":
        return money.original.amount
    return None


def converted(money: Money) -> bool:
    """True when the USD figure was converted from another currency."""
    return money.original is not None and money.original.currency != money.currency


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class ProjectFilter:
    """Filters shared by every list-like command: repeated flag = OR, different flags = AND."""

    sectors: Sequence[str] = ()
    sponsors: Sequence[str] = ()
    states: Sequence[str] = ()
    statuses: Sequence[str] = ()
    min_value: float | None = None
    max_value: float | None = None
    queries: Sequence[str] = ()

    def is_empty(self) -> bool:
        """True when no filter is set."""
        return not (
            self.sectors
            or self.sponsors
            or self.states
            or self.statuses
            or self.queries
            or self.min_value is not None
            or self.max_value is not None
        )


def _sponsor_names(project: Project) -> list[str]:
    sponsor = project.sponsor
    names = [sponsor.name, sponsor.acronym or "", sponsor.name_en or ""]
    for successor in sponsor.successors:
        names += [successor.name or "", successor.acronym or ""]
    return [n for n in names if n]


def _location_names(project: Project) -> list[str]:
    names: list[str] = []
    for location in project.locations:
        names += [location.name, location.state or "", location.country]
    return [n for n in names if n]


def strings_in(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (field path, text) pair inside a record or plain data, depth first."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from strings_in(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, str):
        yield path, value
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from strings_in(item, f"{path}.{index}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(item, f"{path}.{key}" if path else str(key))


def _matches_any(wanted: Sequence[str], names: list[str]) -> bool:
    folded = [fold(n) for n in names]
    return any(fold(w) in name for w in wanted for name in folded)


def filter_projects(catalog: Catalog, flt: ProjectFilter) -> list[Project]:
    """Projects matching every given filter; sector names resolve like `filter-by-sector`."""
    sector_ids = {catalog.sector(s).id.value for s in flt.sectors}
    statuses = {_parse_status(s) for s in flt.statuses}
    found = []
    for project in catalog.projects.values():
        if sector_ids and project.sector.value not in sector_ids:
            continue
        if flt.sponsors and not _matches_any(flt.sponsors, _sponsor_names(project)):
            continue
        if flt.states and not _matches_any(flt.states, _location_names(project)):
            continue
        if statuses and project.current_status.value not in statuses:
            continue
        if flt.min_value is not None or flt.max_value is not None:
            usd = usd_amount(project.value)
            if usd is None:
                continue
            if flt.min_value is not None and usd < flt.min_value:
                continue
            if flt.max_value is not None and usd > flt.max_value:
                continue
        if flt.queries:
            texts = [fold(text) for _, text in strings_in(project)]
            if not any(fold(q) in text for q in flt.queries for text in texts):
                continue
        found.append(project)
    return found


def _parse_status(wanted: str) -> str:
    from mxict.models import Status

    key = fold(wanted).replace("-", "_").replace(" ", "_")
    for status in Status:
        if status.value == key:
            return status.value
    allowed = ", ".join(s.value for s in Status)
    raise UsageError(f"unknown status {wanted!r}; choose from: {allowed}")


# --------------------------------------------------------------------------- sorting


def sort_rows(
    rows: list[dict[str, Any]], sort: str | None, valid_fields: Sequence[str]
) -> list[dict[str, Any]]:
    """Sort rows by a field name; a leading '-' sorts descending; missing values last."""
    if not sort:
        return rows
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    if name not in valid_fields:
        raise UsageError(f"cannot sort by {name!r}; valid fields: {', '.join(valid_fields)}")

    def key(row: dict[str, Any]) -> tuple[int, Any]:
        value = row.get(name)
        if value is None or value == "":
            return (1, "")
        if isinstance(value, int | float):
            return (0, value)
        return (0, fold(str(value)))

    present = [r for r in rows if key(r)[0] == 0]
    absent = [r for r in rows if key(r)[0] == 1]
    present.sort(key=lambda r: key(r)[1], reverse=descending)
    return present + absent


# --------------------------------------------------------------------------- search


@dataclass(frozen=True)
class SearchHit:
    """One record field that contains the searched text."""

    kind: str
    id: str
    name: str
    field: str
    text: str


def search(catalog: Catalog, text: str) -> list[SearchHit]:
    """Every field of every record whose text contains `text` (case/accent-insensitive)."""
    needle = fold(text)
    if not needle:
        raise UsageError("search text must not be empty")
    hits: list[SearchHit] = []
    records: list[tuple[str, str, str, Any]] = [
        ("project", p.id, p.name, p) for p in catalog.projects.values()
    ]
    records += [("sector", s.id.value, s.name, s) for s in catalog.sectors.values()]
    records.append(("acronyms", "acronyms", catalog.acronyms.title, catalog.acronyms))
    records.append(("country", "country", catalog.country.name, catalog.country))
    for kind, record_id, name, record in records:
        for path, value in strings_in(record):
            if needle in fold(value):
                hits.append(SearchHit(kind, record_id, name, path, snippet(value, needle)))
    return hits


def snippet(text: str, needle: str, width: int = 90) -> str:
    """A window of `text` around the first match of the folded `needle`."""
    flat = " ".join(text.split())
    position = fold(flat).find(needle)
    if len(flat) <= width or position < 0:
        return flat
    start = max(0, position - width // 3)
    end = min(len(flat), start + width)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


# --------------------------------------------------------------------------- compare-value


@dataclass
class Comparison:
    """Projects ranked by USD value, those that cannot be ranked, and optional aggregates."""

    compared: list[Project] = field(default_factory=list)
    not_compared: list[tuple[Project, str]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)


def _group_keys(project: Project, by: str) -> list[str]:
    if by == "sector":
        return [project.sector.value]
    if by == "sponsor":
        return [project.sponsor.acronym or project.sponsor.name]
    if by == "state":
        return project.states or ["(national / not a state)"]
    raise UsageError(f"cannot group by {by!r}; choose sector, sponsor or state")


def compare_values(projects: Sequence[Project], by: str | None = None) -> Comparison:
    """Rank whole-project totals in USD; annual figures and missing amounts are set aside."""
    from mxict.models import ValueBasis

    result = Comparison()
    for project in projects:
        usd = usd_amount(project.value)
        if usd is None:
            result.not_compared.append((project, "no amount in US dollars"))
        elif project.value.basis is ValueBasis.ANNUAL:
            result.not_compared.append((project, "annual figure, not comparable with totals"))
        else:
            result.compared.append(project)
    result.compared.sort(key=lambda p: (-(usd_amount(p.value) or 0.0), p.id))
    if by:
        groups: dict[str, list[float]] = {}
        for project in result.compared:
            for key in _group_keys(project, by):
                groups.setdefault(key, []).append(usd_amount(project.value) or 0.0)
        result.groups = sorted(
            (
                {
                    by: key,
                    "count": len(vals),
                    "sum_usd": sum(vals),
                    "min_usd": min(vals),
                    "max_usd": max(vals),
                }
                for key, vals in groups.items()
            ),
            key=lambda g: (-g["sum_usd"], g[by]),
        )
    return result
