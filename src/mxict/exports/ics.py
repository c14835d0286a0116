"""`mxict calendar --ics FILE`: the milestones as an iCalendar file (RFC 5545).

Each milestone is an all-day event: DTSTART is a DATE and DTEND the day after (the end is
exclusive). A date the source gives only to the month, quarter, half-year or year is an
event on its first day whose summary says the precision ("2022-Q4, a quarter"): a
calendar cannot show a span that vague without claiming more than the source does. The
UID is the milestone's stable id, so importing the file again updates the events instead
of adding copies; DTSTAMP is the day the record last changed (its `modified` date), so
the same data always writes the same file.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from mxict.atomic import write_atomic
from mxict.query.status import PASSED

Doc = dict[str, Any]
PRODID = "-//mxict//ICT investment milestones in Mexico//EN"
PRECISION_WORDS = {
    "year": "a year",
    "half": "a half-year",
    "quarter": "a quarter",
    "month": "a month",
}


def _forecast(row: Doc) -> str:
    return f"expected; {PASSED}" if row["passed"] else "expected"


def summary_of(row: Doc) -> str:
    """`GigNet-1 ...: the cable is expected to be ready (expected; passed, not confirmed;
    2022-Q4, a quarter)`."""
    notes = [_forecast(row)] if row["expected"] else []
    if row["precision"] in PRECISION_WORDS:
        notes.append(f"{row['date']}, {PRECISION_WORDS[row['precision']]}")
    if row["approximate"]:
        notes.append("approximate")
    text = f"{row['project_name']}: {row['event']}"
    return f"{text} ({'; '.join(notes)})" if notes else text


def description_of(row: Doc) -> str:
    """The milestone's date as the source gives it, its project, status, sources and the
    command that shows the whole record."""
    lines = [f"Date: {row['date']}"]
    if row["precision"] != "day":
        lines[0] += f" ({PRECISION_WORDS[row['precision']]}; shown on its first day)"
    if row["expected"]:
        lines.append(f"Forecast: {_forecast(row)}")
    if row["status"]:
        lines.append(f"Status it sets: {row['status']}")
    lines.append(f"{'Lead' if row['record'] == 'lead' else 'Project'}: {row['project_name']}")
    lines += [f"Source: {source}" for source in row["sources"]]
    lines.append(f"mxict show {row['project_id']}")
    return "\n".join(lines)


def calendar_of(rows: list[Doc]) -> Any:
    """The milestones as an icalendar Calendar."""
    from icalendar import Calendar, Event  # a dependency; imported only for --ics

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "mxict milestones")
    for row in rows:
        start = date.fromisoformat(row["start"])
        stamp = date.fromisoformat(row["modified"]) if row["modified"] else start
        event = Event()
        event.add("uid", row["uid"])
        event.add("dtstamp", datetime(stamp.year, stamp.month, stamp.day, tzinfo=UTC))
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(days=1))
        event.add("summary", summary_of(row))
        event.add("description", description_of(row))
        event.add("categories", ["expected" if row["expected"] else "event", row["record"]])
        event.add("transp", "TRANSPARENT")  # a milestone does not make anyone busy
        calendar.add_component(event)
    return calendar


def write_ics(rows: list[Doc], path: Path, *, force: bool = False) -> None:
    """Write the milestones to `path` atomically; an existing file only with `force`."""
    data = calendar_of(rows).to_ical()

    def write(fh: IO[bytes]) -> None:
        fh.write(data)

    write_atomic(path, write, force=force, binary=True)
