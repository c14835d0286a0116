"""The short form of a project record that listing and filtering need."""

from __future__ import annotations

from typing import Any

from mxict.dataset.cited import cited_files

Doc = dict[str, Any]
SUMMARY_FIELDS = (
    "id",
    "name",
    "sponsor",
    "sector",
    "locations",
    "value",
    "current_status",
    "last_verified",
)


def summary_of(project: Doc) -> Doc:
    """The part of a project record that listing and filtering need (kept small: the
    summaries of 100,000 projects are read whole by every `mxict list`)."""
    summary = {name: project[name] for name in SUMMARY_FIELDS}
    sponsor = project["sponsor"]
    summary["sponsor"] = {
        "name": sponsor["name"],
        "acronym": sponsor.get("acronym"),
        "name_en": sponsor.get("name_en"),
        "successors": [
            {"name": s.get("name"), "acronym": s.get("acronym")}
            for s in sponsor.get("successors", [])
        ],
    }
    summary["locations"] = [
        {k: loc.get(k) for k in ("name", "state", "country")} for loc in project["locations"]
    ]
    value = project["value"]
    summary["value"] = {
        k: value.get(k)
        for k in ("amount", "currency", "basis", "bound", "scope", "as_printed", "original")
    }
    if value.get("original"):
        summary["value"]["original"] = {
            k: value["original"].get(k)
            for k in ("amount", "amount_max", "currency", "as_printed", "rate")
        }
    status = project["current_status"]
    summary["current_status"] = {"status": status["status"], "date": status["date"]}
    # What `mxict.query.status` needs to date the status and find its forecast.
    summary["status_events"] = [
        {"date": e["date"], "status": e["status"], "expected": e["expected"]}
        for e in project["timeline"]
        if e.get("status")
    ]
    summary["cited"] = cited_files(project)
    return summary
