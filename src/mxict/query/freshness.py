"""How current the data is: records due for re-checking, and dated changes since a date."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from mxict.dates import (
    PARTIAL_DATE_HELP,
    check_partial_date,
    partial_date_end,
    partial_date_key,
    partial_date_start,
)
from mxict.errors import UsageError
from mxict.query.status import is_passed

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
    """A --since or --until value as an ISO partial date (YYYY, YYYY-Qn, YYYY-Hn, YYYY-MM
    or YYYY-MM-DD)."""
    try:
        return check_partial_date(text.strip())
    except ValueError:
        raise UsageError(f"cannot read date {text!r}; use {PARTIAL_DATE_HELP}") from None


def latest_event(record: Doc) -> str | None:
    """The date of the record's latest known event: the newest timeline event that has
    happened (not a forecast), compared by the last day each date may stand for.

    The one notion used by `stale --dormant`, the `show` warning and `changes`."""
    events = record.get("timeline") or record.get("events") or record.get("facts") or []
    happened = [e["date"] for e in events if not e.get("expected")]
    return max(happened, key=partial_date_end) if happened else None


def stale_records(
    snapshot: Snapshot, older_than_days: int, today: date, *, dormant: bool = False
) -> list[Doc]:
    """Records due for re-checking, oldest first.

    By default a record is stale when its `last_verified` date is older than the
    threshold, so re-verifying it takes it off the list. With `dormant`, the records whose
    latest known event is older than the threshold are listed instead (the project may
    have moved on without the sources saying so).
    """
    records: list[tuple[str, Doc]] = [("project", p) for p in snapshot.records()]
    records += [("lead", lead) for lead in snapshot.leads]
    records += [("sector", s) for s in snapshot.sectors]
    records += [("acronyms", snapshot.acronyms), ("country", snapshot.country)]
    found = []
    for kind, record in records:
        latest = latest_event(record)
        if dormant:
            if latest is None:
                continue
            age = (today - partial_date_end(latest)).days
            reason = f"latest event {age} days ago"
        else:
            age = (today - date.fromisoformat(record["last_verified"])).days
            reason = f"last verified {age} days ago"
        if age > older_than_days:
            found.append(
                {
                    "kind": kind,
                    "id": record["id"],
                    "name": record.get("name") or record.get("title", ""),
                    "last_verified": record["last_verified"],
                    "latest_event": latest,
                    "age_days": age,
                    "reason": reason,
                }
            )
    found.sort(key=lambda row: (-row["age_days"], row["kind"], row["id"]))
    return found


def changes_since(
    snapshot: Snapshot, since: str, today: date, *, expected: bool = False
) -> list[Doc]:
    """Dated events on or after `since` across all projects (timelines and sponsor changes),
    newest first. Partial dates compare as in the timelines: 2024-11 is on or after 2024-11
    and 2024-10-31; a bare year 2024 is on or after 2024 but not after 2024-06.

    Only events that have happened (not forecasts, and begun by `today`) are listed,
    unless `expected` adds the forecasts too (each row says which it is)."""
    threshold = partial_date_key(since)
    rows = []
    for project in [*snapshot.records(), *snapshot.leads]:
        lead = "evidence" in project
        events = [
            (
                "lead fact" if lead else "event",
                e["date"],
                e.get("status"),
                bool(e.get("expected")),
                e["event"],
                e["sources"],
            )
            for e in project["facts" if lead else "timeline"]
        ]
        events += [
            ("sponsor " + s["change"], s["date"], None, False, s["description"], s["sources"])
            for s in ([] if lead else project["sponsor"].get("successors", []))
        ]
        for kind, when, status, forecast, text, sources in events:
            if forecast and not expected:
                continue
            if not forecast and partial_date_start(when) > today:
                continue  # dated in the future but not marked as a forecast: not yet
            if partial_date_key(when) >= threshold:
                rows.append(
                    {
                        "date": when,
                        "project_id": project["id"],
                        "project_name": project["name"],
                        "kind": kind,
                        "status": status,
                        "expected": forecast,
                        # A forecast whose date has gone by with nothing to confirm it.
                        "passed": forecast and is_passed(when, today),
                        "event": text,
                        "sources": sorted({f"{s['file']}: {s['section']}" for s in sources}),
                    }
                )
    rows.sort(key=lambda r: (partial_date_key(r["date"]), r["project_id"]), reverse=True)
    return rows
