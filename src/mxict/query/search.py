"""Full-text search over every record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from mxict.errors import UsageError
from mxict.query.filters import strings_in
from mxict.textfold import fold

if TYPE_CHECKING:
    from mxict.dataset.snapshot import Snapshot

Doc = dict[str, Any]


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
