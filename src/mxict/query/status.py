"""A record's current status with the date of its evidence, and the forecast it waits on.

The one home of two rules every output follows (`list`, `show`, `export-opportunities`,
the exports): a status set by no event is "unknown since" the newest source that speaks
of the record, and an expected event whose date has gone by with nothing to confirm it
is "passed, not confirmed".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mxict.dates import partial_date_end, partial_date_key

Doc = dict[str, Any]
PASSED = "passed, not confirmed"


def is_passed(when: str, today: date) -> bool:
    """True when a forecast's date has wholly gone by (2022-Q4 has passed on 2023-01-01)."""
    return partial_date_end(when) < today


def expected_label(when: str, today: date) -> str:
    """'expected 2022-Q4', with '; passed, not confirmed' once its date has gone by."""
    return f"expected {when}; {PASSED}" if is_passed(when, today) else f"expected {when}"


def events_of(record: Doc) -> list[Doc]:
    """A project's timeline, a lead's facts or the country's events, in date order."""
    return list(record.get("timeline") or record.get("facts") or record.get("events") or [])


def pending_forecast(record: Doc) -> Doc | None:
    """The first forecast of a status after the latest status that happened, if any."""
    pending = None
    # A snapshot's project summary keeps only its status-setting events.
    events = record.get("status_events") or events_of(record)
    for event in events:
        if not event.get("status"):
            continue
        if not event.get("expected"):
            pending = None  # a status that happened settles the forecasts before it
        elif pending is None:
            pending = event
    return pending


def newest_source(record: Doc, registry: Doc) -> Doc | None:
    """The newest registry document the record cites (by publication date), if any."""
    from mxict.dataset.cited import cited_files

    files = record["cited"] if "cited" in record else cited_files(record)
    documents = [d for d in registry["documents"] if d["file"] in files]
    if not documents:
        return None
    newest: Doc = max(documents, key=lambda d: (partial_date_key(d["published"]), d["file"]))
    return newest


def status_of(record: Doc, registry: Doc, today: date) -> Doc:
    """The record's current status, the date and basis of its evidence, and its forecast.

    `date` is the date of the event that set the status (`basis: event`) or, when no event
    did, the publication date of the newest source citing the record (`basis: source`):
    "unknown since 2021". `expected` is the first forecast of a status after it, with
    `passed` once its date has gone by; `note` says all of it in words.
    """
    current = record["current_status"]
    status = current["status"]
    doc: Doc = {"status": status, "date": current.get("date"), "event": current.get("event")}
    if doc["date"]:
        doc |= {"basis": "event", "source": None}
        note = f"{status} since {doc['date']}"
    else:
        newest = newest_source(record, registry)
        doc |= {
            "date": newest["published"] if newest else None,
            "basis": "source" if newest else None,
            "source": newest["file"] if newest else None,
        }
        note = f"{status} since {doc['date']} (newest source)" if newest else status
    forecast = pending_forecast(record)
    doc["expected"] = None
    if forecast is not None:
        label = expected_label(forecast["date"], today)
        doc["expected"] = {
            "date": forecast["date"],
            "status": forecast["status"],
            "passed": is_passed(forecast["date"], today),
            "label": label,
        }
        note += f"; {forecast['status']} {label}"
    doc["note"] = note
    return doc


def status_fields(record: Doc, registry: Doc, today: date) -> Doc:
    """The status columns of every row output: status, status_date (the date of its
    evidence), status_basis, and the forecast of a status it waits on (`forecast`:
    "expected 2022-Q4; passed, not confirmed", `forecast_status`, `forecast_date`,
    `forecast_passed`)."""
    doc = status_of(record, registry, today)
    expected = doc["expected"] or {}
    return {
        "status": doc["status"],
        "status_date": doc["date"],
        "status_basis": doc["basis"],
        "forecast": expected.get("label"),
        "forecast_status": expected.get("status"),
        "forecast_date": expected.get("date"),
        "forecast_passed": expected.get("passed"),
    }
