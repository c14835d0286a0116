"""How current the data is: records due for re-checking, and dated changes since a date."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from mxict.errors import UsageError
from mxict.vocab import check_partial_date, partial_date_end, partial_date_key

if TYPE_CHECKING:
    from mxict.dataset.snapshot import Snapshot

Doc = dict[str, Any]


def parse_age(text: str) -> int:
    """'365d', '12w', '6m', '1y' or a bare number of days -> days."""
    match = re.fullmatch(r"\s*(\d+)\s*([dwmy]?)\s*", text.lower())
    if not match:
        raise UsageError(f"cannot read age {text!r}; use e.g. 365d, 12w, 6m or 1y")
    number, unit = int(match.group(1)), match.group(2) or "d"
    return number * {"d": 1, "w": 7, "m": 30, "y": 365}[unit]


def parse_since(text: str) -> str:
    """A --since value as an ISO partial date (YYYY, YYYY-MM or YYYY-MM-DD)."""
    try:
        return check_partial_date(text.strip())
    except ValueError:
        raise UsageError(f"cannot read date {text!r}; use YYYY, YYYY-MM or YYYY-MM-DD") from None


def stale_records(snapshot: Snapshot, older_than_days: int, today: date) -> list[Doc]:
    """Records whose last check or latest known event is older than the threshold, oldest first.

    A project counts as stale when either its `last_verified` date or the date of its
    latest event (by its last possible day) is older than `older_than_days`.
    """
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
