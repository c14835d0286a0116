"""Milestones across every project and lead, soonest first: the events of the timelines
and the leads' dated facts, forecasts marked, each with a stable id for calendars."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from mxict.dates import partial_date_end, partial_date_key, partial_date_start, precision
from mxict.query.derived import record_kind
from mxict.query.status import PASSED, is_passed
from mxict.textfold import fold

if TYPE_CHECKING:
    from mxict.dataset.snapshot import Snapshot

Doc = dict[str, Any]
SLUG_WORDS = 6  # a milestone's slug: its date and the first words of its text


def slug(text: str) -> str:
    """The first words of a text in lowercase ASCII joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    return "-".join(words[:SLUG_WORDS]) or "event"


def milestones(
    snapshot: Snapshot, today: date, since: str | None = None, until: str | None = None
) -> list[Doc]:
    """Every dated event of every project timeline and lead, soonest first (a wider date
    first at the same start: 2022 before 2022-Q4), on or after `since` and starting by
    the end of `until`.

    `uid` is stable across runs and data edits elsewhere: the record id, the date and the
    first words of the event (a counter only when two events of a record would share it)."""
    rows: list[Doc] = []
    for record in [*snapshot.records(), *snapshot.leads]:
        seen: dict[str, int] = {}
        for event in record.get("timeline") or record.get("facts") or []:
            when = event["date"]
            base = f"{record['id']}.{when}.{slug(event['event'])}"
            seen[base] = seen.get(base, 0) + 1
            uid = base if seen[base] == 1 else f"{base}-{seen[base]}"
            if since is not None and partial_date_key(when) < partial_date_key(since):
                continue
            if until is not None and partial_date_start(when) > partial_date_end(until):
                continue
            forecast = bool(event.get("expected"))
            passed = forecast and is_passed(when, today)
            rows.append(
                {
                    "date": when,
                    "precision": precision(when),
                    "start": partial_date_start(when).isoformat(),
                    "project_id": record["id"],
                    "project_name": record["name"],
                    "record": record_kind(record),
                    "status": event.get("status"),
                    "expected": forecast,
                    "passed": passed,
                    # The table's word for it: a passed forecast is still only expected.
                    "mark": PASSED if passed else "expected" if forecast else "",
                    "approximate": bool(event.get("approximate")),
                    "event": event["event"],
                    "sources": [f"{s['file']}: {s['section']}" for s in event["sources"]],
                    "modified": record.get("modified"),
                    "uid": f"{uid}@mxict",
                }
            )
    rows.sort(key=lambda r: (partial_date_key(r["date"]), r["project_id"], r["uid"]))
    return rows
