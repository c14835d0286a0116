"""Filters shared by every list-like command, over project summaries or whole records."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from mxict.errors import UsageError
from mxict.query.derived import RECORD_KINDS, organisations, total_usd
from mxict.textfold import fold

if TYPE_CHECKING:
    from mxict.dataset.snapshot import Snapshot

Doc = dict[str, Any]


class ProjectFilter(NamedTuple):
    """Filters shared by every list-like command: repeated flag = OR, different flags = AND."""

    sectors: Sequence[str] = ()
    sponsors: Sequence[str] = ()
    states: Sequence[str] = ()
    statuses: Sequence[str] = ()
    min_value: float | None = None
    max_value: float | None = None
    queries: Sequence[str] = ()
    kinds: Sequence[str] = ("profile",)  # profile (the guide's eleven), lead, or both


def _sponsor_names(project: Doc) -> list[str]:
    names: list[str | None] = []
    for sponsor in organisations(project):
        names += [sponsor["name"], sponsor.get("acronym"), sponsor.get("name_en")]
        for successor in sponsor.get("successors", []):
            names += [successor.get("name"), successor.get("acronym")]
    return [n for n in names if n]


def _location_names(project: Doc) -> list[str]:
    names: list[str] = []
    for location in project.get("locations", []):
        names += [location["name"], location.get("state") or "", location.get("country") or ""]
    return [n for n in names if n]


def _matches_any(wanted: Sequence[str], names: list[str]) -> bool:
    folded = [fold(n) for n in names]
    return any(fold(w) in name for w in wanted for name in folded)


def project_status(project: Doc) -> str:
    """The project's current status, derived from its latest status event."""
    return str(project["current_status"]["status"])


def filter_projects(snapshot: Snapshot, flt: ProjectFilter, *, full: bool = False) -> list[Doc]:
    """Projects (and leads, if asked) matching every given filter; sector names resolve
    like `filter-by-sector`, and `other` is the sector of leads that fit none of the five.

    Gives project summaries, or whole records with `full` (a text query reads whole
    records anyway); leads are always whole.
    """
    return list(iter_projects(snapshot, flt, full=full))


def iter_projects(snapshot: Snapshot, flt: ProjectFilter, *, full: bool = False) -> Iterator[Doc]:
    """`filter_projects`, one project at a time: whole records are read only for the
    projects whose summary matches (or, for a text query, streamed one by one), so memory
    holds what the caller keeps. The filters are checked before the first is given."""
    import math

    for name, bound in (("--min-value", flt.min_value), ("--max-value", flt.max_value)):
        if bound is not None and not math.isfinite(bound):
            raise UsageError(f"{name} must be a finite number of US dollars, not {bound}")
    unknown = [k for k in flt.kinds if k not in RECORD_KINDS]
    if unknown:
        raise UsageError(f"unknown kind {unknown[0]!r}; choose from: profile, lead, all")
    sector_ids = {"other" if fold(s) == "other" else snapshot.sector(s)["id"] for s in flt.sectors}
    statuses = {parse_status(s) for s in flt.statuses}
    queries = []
    if flt.queries:  # query.text and its regexes: only for a text query
        from mxict.query.text import parse_query

        queries = [parse_query(q) for q in flt.queries]  # repeated -q: OR; words of one: AND

    def kept(project: Doc) -> bool:
        if sector_ids and project["sector"] not in sector_ids:
            return False
        if flt.sponsors and not _matches_any(flt.sponsors, _sponsor_names(project)):
            return False
        if flt.states and not _matches_any(flt.states, _location_names(project)):
            return False
        if statuses and project_status(project) not in statuses:
            return False
        if flt.min_value is not None or flt.max_value is not None:
            usd = total_usd(project.get("value"))  # annual figures are not compared with totals
            if usd is None:
                return False
            if flt.min_value is not None and usd < flt.min_value:
                return False
            if flt.max_value is not None and usd > flt.max_value:
                return False
        return not queries or any(query.matches(project) for query in queries)

    def found() -> Iterator[Doc]:
        if "profile" in flt.kinds:
            if queries:
                yield from filter(kept, snapshot.iter_records())
            elif full:
                # A summary holds every field the filters read: seek only the matches
                # (the summaries streamed: only the ids of those that pass are kept).
                yield from snapshot.iter_full(filter(kept, snapshot.iter_projects()))
            else:
                yield from filter(kept, snapshot.iter_projects())
        if "lead" in flt.kinds:
            yield from filter(kept, snapshot.leads)

    return found()


def parse_status(wanted: str) -> str:
    """A status name as typed (`in progress`, `In-Progress`) -> its enum value."""
    from mxict.vocab import Status  # here: building the enums costs a query's start-up

    key = fold(wanted).replace("-", "_").replace(" ", "_")
    for status in Status:
        if status.value == key:
            return status.value
    allowed = ", ".join(s.value for s in Status)
    raise UsageError(f"unknown status {wanted!r}; choose from: {allowed}")


def related_leads(snapshot: Snapshot, project_id: str) -> list[Doc]:
    """The leads whose relations name the profiled project `project_id`."""
    wanted = set(snapshot.related_lead_ids(project_id))
    return [lead for lead in snapshot.leads if lead["id"] in wanted] if wanted else []
