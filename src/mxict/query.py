"""Pure functions over a Snapshot (validated records as dicts): filter, search, sort, compare."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from mxict.errors import UsageError
from mxict.textfold import fold

if TYPE_CHECKING:
    from mxict.snapshot import Snapshot

Doc = dict[str, Any]


# --------------------------------------------------------------------------- money


def usd_amount(money: Doc | None) -> float | None:
    """The figure in US dollars, or None when it has no amount or no USD equivalent."""
    if not money or money.get("amount") is None:
        return None
    if money.get("currency") == "USD":
        return float(money["amount"])
    original = money.get("original") or {}
    if original.get("currency") == "USD" and original.get("amount") is not None:
        return float(original["amount"])
    return None


def converted(money: Doc) -> bool:
    """True when the USD figure was converted from another currency."""
    original = money.get("original") or {}
    return bool(original) and original.get("currency") != money.get("currency")


# --------------------------------------------------------------------------- filters


class ProjectFilter(NamedTuple):
    """Filters shared by every list-like command: repeated flag = OR, different flags = AND."""

    sectors: Sequence[str] = ()
    sponsors: Sequence[str] = ()
    states: Sequence[str] = ()
    statuses: Sequence[str] = ()
    min_value: float | None = None
    max_value: float | None = None
    queries: Sequence[str] = ()


def _sponsor_names(project: Doc) -> list[str]:
    sponsor = project["sponsor"]
    names = [sponsor["name"], sponsor.get("acronym"), sponsor.get("name_en")]
    for successor in sponsor.get("successors", []):
        names += [successor.get("name"), successor.get("acronym")]
    return [n for n in names if n]


def _location_names(project: Doc) -> list[str]:
    names: list[str] = []
    for location in project["locations"]:
        names += [location["name"], location.get("state") or "", location.get("country") or ""]
    return [n for n in names if n]


def strings_in(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (field path, text) pair inside plain JSON-like data, depth first."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from strings_in(item, f"{path}.{index}")


def _matches_any(wanted: Sequence[str], names: list[str]) -> bool:
    folded = [fold(n) for n in names]
    return any(fold(w) in name for w in wanted for name in folded)


def project_status(project: Doc) -> str:
    """The project's current status, derived from its latest status event."""
    return str(project["current_status"]["status"])


def filter_projects(snapshot: Snapshot, flt: ProjectFilter, *, full: bool = False) -> list[Doc]:
    """Projects matching every given filter; sector names resolve like `filter-by-sector`.

    Gives project summaries, or whole records with `full` (a text query reads whole
    records anyway).
    """
    sector_ids = {snapshot.sector(s)["id"] for s in flt.sectors}
    statuses = {parse_status(s) for s in flt.statuses}
    found = []
    candidates = snapshot.records() if full or flt.queries else snapshot.projects
    for project in candidates:
        if sector_ids and project["sector"] not in sector_ids:
            continue
        if flt.sponsors and not _matches_any(flt.sponsors, _sponsor_names(project)):
            continue
        if flt.states and not _matches_any(flt.states, _location_names(project)):
            continue
        if statuses and project_status(project) not in statuses:
            continue
        if flt.min_value is not None or flt.max_value is not None:
            usd = usd_amount(project["value"])
            if usd is None:
                continue
            if flt.min_value is not None and usd < flt.min_value:
                continue
            if flt.max_value is not None and usd > flt.max_value:
                continue
        if flt.queries:
            needles = [fold(q) for q in flt.queries]
            if not any(n in fold(text) for _, text in strings_in(project) for n in needles):
                continue
        found.append(project)
    return found


def parse_status(wanted: str) -> str:
    """A status name as typed (`in progress`, `In-Progress`) -> its enum value."""
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


class SearchHit(NamedTuple):
    """One record field that contains the searched text."""

    kind: str
    id: str
    name: str
    field: str
    text: str


def search(snapshot: Snapshot, text: str) -> list[SearchHit]:
    """Every field of every record whose text contains `text` (case/accent-insensitive)."""
    needle = fold(text)
    if not needle:
        raise UsageError("search text must not be empty")
    hits: list[SearchHit] = []
    records: list[tuple[str, str, str, Doc]] = [
        ("project", p["id"], p["name"], p) for p in snapshot.records()
    ]
    records += [("sector", s["id"], s["name"], s) for s in snapshot.sectors]
    records.append(("acronyms", "acronyms", snapshot.acronyms["title"], snapshot.acronyms))
    records.append(("country", "country", snapshot.country["name"], snapshot.country))
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


class Comparison:
    """Projects ranked by USD value, those that cannot be ranked, and optional aggregates."""

    def __init__(self) -> None:
        self.compared: list[Doc] = []
        self.not_compared: list[tuple[Doc, str]] = []
        self.groups: list[Doc] = []


def _group_keys(project: Doc, by: str) -> list[str]:
    if by == "sector":
        return [project["sector"]]
    if by == "sponsor":
        return [project["sponsor"].get("acronym") or project["sponsor"]["name"]]
    if by == "state":
        states = [loc["state"] for loc in project["locations"] if loc.get("state")]
        return states or ["(national / not a state)"]
    raise UsageError(f"cannot group by {by!r}; choose sector, sponsor or state")


def compare_values(projects: Sequence[Doc], by: str | None = None) -> Comparison:
    """Rank whole-project totals in USD; annual figures and missing amounts are set aside."""
    result = Comparison()
    for project in projects:
        usd = usd_amount(project["value"])
        if usd is None:
            result.not_compared.append((project, "no amount in US dollars"))
        elif project["value"]["basis"] == "annual":
            result.not_compared.append((project, "annual figure, not comparable with totals"))
        else:
            result.compared.append(project)
    result.compared.sort(key=lambda p: (-(usd_amount(p["value"]) or 0.0), p["id"]))
    if by:
        groups: dict[str, list[float]] = {}
        for project in result.compared:
            for key in _group_keys(project, by):
                groups.setdefault(key, []).append(usd_amount(project["value"]) or 0.0)
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


# --------------------------------------------------------------------------- currency of data


def parse_age(text: str) -> int:
    """'365d', '12w', '6m', '1y' or a bare number of days -> days."""
    import re

    match = re.fullmatch(r"\s*(\d+)\s*([dwmy]?)\s*", text.lower())
    if not match:
        raise UsageError(f"cannot read age {text!r}; use e.g. 365d, 12w, 6m or 1y")
    number, unit = int(match.group(1)), match.group(2) or "d"
    return number * {"d": 1, "w": 7, "m": 30, "y": 365}[unit]


def parse_since(text: str) -> str:
    """A --since value as an ISO partial date (YYYY, YYYY-MM or YYYY-MM-DD)."""
    from mxict.models import _check_partial_date

    try:
        return _check_partial_date(text.strip())
    except ValueError:
        raise UsageError(f"cannot read date {text!r}; use YYYY, YYYY-MM or YYYY-MM-DD") from None


def stale_records(snapshot: Snapshot, older_than_days: int, today: date) -> list[Doc]:
    """Records whose last check or latest known event is older than the threshold, oldest first.

    A project counts as stale when either its `last_verified` date or the date of its
    latest event (by its last possible day) is older than `older_than_days`.
    """
    from mxict.models import partial_date_end

    records: list[tuple[str, Doc]] = [("project", p) for p in snapshot.records()]
    records += [("sector", s) for s in snapshot.sectors]
    records += [("acronyms", snapshot.acronyms), ("country", snapshot.country)]
    found = []
    for kind, record in records:
        verified = date.fromisoformat(record["last_verified"])
        events = record.get("timeline") or record.get("events") or []
        happened = [e["date"] for e in events if not e.get("expected")]
        latest = max(happened, key=partial_date_end) if happened else None
        verified_age = (today - verified).days
        event_age = (today - partial_date_end(latest)).days if latest else None
        reasons = []
        if verified_age > older_than_days:
            reasons.append(f"last verified {verified_age} days ago")
        if event_age is not None and event_age > older_than_days:
            reasons.append(f"latest event {event_age} days ago")
        if reasons:
            oldest = min(verified, partial_date_end(latest)) if latest else verified
            found.append(
                {
                    "kind": kind,
                    "id": record["id"],
                    "name": record.get("name") or record.get("title", ""),
                    "last_verified": record["last_verified"],
                    "latest_event": latest,
                    "age_days": (today - oldest).days,
                    "reason": "; ".join(reasons),
                }
            )
    found.sort(key=lambda row: (-row["age_days"], row["kind"], row["id"]))
    return found


def changes_since(snapshot: Snapshot, since: str) -> list[Doc]:
    """Dated events on or after `since` across all projects (timelines and sponsor changes),
    newest first. Partial dates compare as in the timelines: 2024-11 is on or after 2024-11
    and 2024-10-31; a bare year 2024 is on or after 2024 but not after 2024-06."""
    from mxict.models import partial_date_key

    threshold = partial_date_key(since)
    rows = []
    for project in snapshot.records():
        events = [
            ("event", e["date"], e.get("status"), bool(e.get("expected")), e["event"], e["sources"])
            for e in project["timeline"]
        ]
        events += [
            ("sponsor " + s["change"], s["date"], None, False, s["description"], s["sources"])
            for s in project["sponsor"].get("successors", [])
        ]
        for kind, when, status, expected, text, sources in events:
            if partial_date_key(when) >= threshold:
                rows.append(
                    {
                        "date": when,
                        "project_id": project["id"],
                        "project_name": project["name"],
                        "kind": kind,
                        "status": status,
                        "expected": expected,
                        "event": text,
                        "sources": sorted({f"{s['file']}: {s['section']}" for s in sources}),
                    }
                )
    rows.sort(key=lambda r: (partial_date_key(r["date"]), r["project_id"]), reverse=True)
    return rows
