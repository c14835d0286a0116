"""Full-text search over every record: one hit per record, ranked by BM25.

Every term of the query must occur in the record (in any field, in any order; see
`query.text`). Hits are ranked by Okapi BM25 over each record's words, the name counting
three times, and each hit lists the fields that matched with a short snippet of the best.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from mxict.query.text import Term, TextQuery, folded_record, parse_query, word_count
from mxict.textfold import fold

if TYPE_CHECKING:
    from mxict.dataset.snapshot import Snapshot

Doc = dict[str, Any]
K1, B = 1.2, 0.75  # the usual BM25 constants
NAME_WEIGHT = 3
MAX_FIELDS = 5  # matched field paths listed per hit; the rest are counted
MAX_NAME = 120  # a record's name as a hit shows it, at most (output per hit is bounded)


class SearchHit(NamedTuple):
    """One record that matches every term: its score, the fields that matched, a snippet."""

    kind: str
    id: str
    name: str
    score: float
    fields: list[str]
    snippet: str


def searchable(snapshot: Snapshot) -> Iterable[tuple[str, str, str, Doc]]:
    """Every record as (kind, id, name, record), in catalog order (projects are read one
    at a time: a search keeps only what it needs of each)."""
    for project in snapshot.iter_records():
        yield "project", project["id"], project["name"], project
    for lead in snapshot.leads:
        yield "lead", lead["id"], lead["name"], lead
    for sector in snapshot.sectors:
        yield "sector", sector["id"], sector["name"], sector
    yield "acronyms", "acronyms", snapshot.acronyms["title"], snapshot.acronyms
    yield "country", "country", snapshot.country["name"], snapshot.country


def search(snapshot: Snapshot, text: str) -> list[SearchHit]:
    """Records in which every term of `text` occurs, best first (ties by kind and id)."""
    query = parse_query(text)
    candidates = []
    lengths = []
    for kind, record_id, name, record in searchable(snapshot):
        matched = _match(query, record)
        lengths.append(matched[2])
        if matched[0] is not None:
            candidates.append((kind, record_id, name, matched))
    if not candidates:
        return []
    total, average = len(lengths), sum(lengths) / len(lengths) or 1.0
    having = {
        term: sum(1 for *_, m in candidates if m[0] and m[0].get(term)) for term in query.terms
    }
    hits = []
    for kind, record_id, name, (counts, fields, length, best) in candidates:
        assert counts is not None
        score = 0.0
        for term, frequency in counts.items():
            idf = math.log(1 + (total - having[term] + 0.5) / (having[term] + 0.5))
            score += idf * frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * length / average))
        shown = fields[:MAX_FIELDS] + (
            [f"+{len(fields) - MAX_FIELDS} more"] if len(fields) > MAX_FIELDS else []
        )
        hits.append(SearchHit(kind, record_id, _short(name), round(score, 3), shown, best))
    hits.sort(key=lambda h: (-h.score, h.kind, h.id))
    return hits


NAME_PATHS = ("name", "title", "acronym")


def _match(query: TextQuery, record: Doc) -> tuple[dict[Term, float] | None, list[str], int, str]:
    """Weighted term counts (None unless every term occurs), the matching fields, the
    record's length in words, and a snippet of the field that matched most."""
    folded = folded_record(record)
    names = [i for i, path in enumerate(folded.paths) if path in NAME_PATHS]
    length = word_count(folded.text) + (NAME_WEIGHT - 1) * sum(
        word_count(fold(folded.values[i])) for i in names
    )
    counts: dict[Term, float] = {}
    found: dict[int, int] = {}  # field index -> occurrences of any term
    for term in query.terms:
        for start in term.starts(folded.text):
            index = folded.field_at(start)
            weight = NAME_WEIGHT if index in names else 1
            counts[term] = counts.get(term, 0) + weight
            found[index] = found.get(index, 0) + 1
    if len(counts) < len(query.terms):
        return None, [], length, ""
    matched = sorted(found)
    best, best_count = "", 0
    for index in matched:  # the field that matched most, the first of equals; not an id
        if found[index] > best_count and folded.paths[index] != "id":
            best, best_count = snippet(folded.values[index], query), found[index]
    return counts, [folded.paths[i] for i in matched], length, best


def snippet(text: str, query: TextQuery, width: int = 90) -> str:
    """A window of `text` (at most `width` characters) around the first matched word."""
    flat = " ".join(text[: 20 * width].split())
    folded = fold(flat)
    starts = [
        found.start()
        for term in query.terms
        if (found := re.search(r"\b" + re.escape(term.words[0]), folded)) is not None
    ]
    if len(flat) <= width:
        return flat
    start = max(0, min(starts, default=0) - width // 3)
    end = min(len(flat), start + width)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def _short(name: str) -> str:
    flat = " ".join(name[: MAX_NAME * 4].split())
    return flat if len(flat) <= MAX_NAME else flat[: MAX_NAME - 1] + "…"
