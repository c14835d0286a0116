"""What a dataset is: its versions, record counts by kind, newest change and content hash.

`mxict info` prints it and every export's metadata carries it, so a file can be traced
back to the data it was made from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mxict.dataset.snapshot import Snapshot

Doc = dict[str, Any]
# Record kinds in the order `info` counts them.
KINDS = ("project", "lead", "sector", "acronyms", "country", "sources")
# Fields mxict derives from a record on loading: not part of its content.
DERIVED = ("current_status",)


def snapshot_records(snapshot: Snapshot) -> list[tuple[str, Doc]]:
    """Every record of a snapshot with its kind."""
    records: list[tuple[str, Doc]] = [("project", p) for p in snapshot.records()]
    records += [("lead", lead) for lead in snapshot.leads]
    records += [("sector", s) for s in snapshot.sectors]
    records += [
        ("acronyms", snapshot.acronyms),
        ("country", snapshot.country),
        ("sources", snapshot.sources),
    ]
    return records


def content(record: Doc) -> Doc:
    """A record's own content: every field as validated, without the derived ones."""
    return {key: value for key, value in record.items() if key not in DERIVED}


def content_hash(records: Iterable[tuple[str, Doc]]) -> str:
    """`sha256:…` over the canonical JSON of every record (its content: all fields as
    validated, `modified` and `last_verified` included, the derived `current_status`
    left out), sorted keys, no spaces, UTF-8, one line per record in kind and id order.

    Equal hashes mean equal records, whatever the files' formatting, comments or order."""
    import hashlib
    import json

    lines = sorted(
        (kind, str(doc["id"]), json.dumps(content(doc), sort_keys=True, separators=(",", ":")))
        for kind, doc in records
    )
    digest = hashlib.sha256()
    for kind, record_id, text in lines:
        digest.update(f"{kind}\t{record_id}\t{text}\n".encode())
    return f"sha256:{digest.hexdigest()}"


def dataset_info(
    records: list[tuple[str, Doc]], dataset_version: str | None, tool_version: str
) -> Doc:
    """The tool and dataset versions, record counts by kind, the newest `modified` date
    and the content hash."""
    counts = {kind: sum(1 for k, _ in records if k == kind) for kind in KINDS}
    dates = [str(doc["modified"]) for _, doc in records if doc.get("modified")]
    return {
        "tool_version": tool_version,
        "dataset_version": dataset_version,
        "records": counts,
        "total": len(records),
        "modified": max(dates) if dates else None,
        "content_hash": content_hash(records),
    }
