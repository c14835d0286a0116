"""`mxict match`: rank export-opportunity items by how well they fit what a company sells.

The score of an item, documented in the README and deterministic:
- industry codes: for each NAICS code the company gives, the longest prefix it shares
  with one of the item's codes scores 10 (all six digits), 7 (five), 5 (four), 3 (three)
  or 2 (two); a shorter company code (`3359`) matches every code under it at its own
  length. HS codes score 10 (subheading), 6 (heading) or 2 (chapter). Each company code
  counts once, at its best level.
- keywords: Okapi BM25 of the company's words (English stems, so "cables" finds
  "cable") over the item's own text, plus half of BM25 over its project's name,
  subsector and summary (a word's rarity counted over projects, each once); the BM25
  sum is multiplied by 2 so that a good keyword fit is worth about an exact code.
- place and sector: 3 points when the project is in one of the given states, 3 when it
  is in one of the given sectors. Asked for and not met, they remove the item.
An item whose only matches are words common to most items is marked `weak`. Ties are
broken by project id and item position.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from mxict.errors import UsageError
from mxict.query.derived import record_kind
from mxict.query.text import words
from mxict.textfold import fold

if TYPE_CHECKING:
    from mxict.dataset.snapshot import Snapshot

Doc = dict[str, Any]
NAICS_POINTS = {6: 10, 5: 7, 4: 5, 3: 3, 2: 2}
HS_POINTS = {6: 10, 4: 6, 2: 2}
PLACE_POINTS = 3
KEYWORD_WEIGHT = 2.0
CONTEXT_WEIGHT = 0.5
K1, B = 1.2, 0.75
COMMON_SHARE = 0.3  # a stem found in more than this share of items says little
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "our",
        "the",
        "their",
        "to",
        "we",
        "with",
        "services",
        "service",
        "products",
        "product",
        "solutions",
        "solution",
        "systems",
        "system",
        "company",
    ]
)
_CODE = re.compile(r"\d{2,6}")


@cache
def _stemmer() -> Any:
    from snowballstemmer.english_stemmer import EnglishStemmer  # type: ignore[import-untyped]

    return EnglishStemmer()


# Word -> stem. Snowball is slow per word and texts repeat words; a caller may fill this
# with the stems of an earlier run over the same data (the CLI keeps them in the cache).
STEMS: dict[str, str] = {}


def _stem(word: str) -> str:
    found = STEMS.get(word)
    if found is None:
        found = STEMS[word] = str(_stemmer().stemWord(word))
    return found


def stems(text: str) -> list[str]:
    """Folded English stems of a text's words ("Cables" -> "cabl"), stopwords left out."""
    return [_stem(w) for w in words(text) if w not in STOPWORDS]


@dataclass(frozen=True)
class Wanted:
    """What a company sells and where it wants to work."""

    naics: tuple[str, ...] = ()
    hs: tuple[str, ...] = ()
    keywords: str = ""
    states: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()

    def check(self) -> Wanted:
        """Itself, or a usage error for a malformed code or an empty request."""
        for code in self.naics:
            if not _CODE.fullmatch(code):
                raise UsageError(f"--naics {code!r}: a NAICS code has 2 to 6 digits")
        for code in self.hs:
            if not _CODE.fullmatch(code) or len(code) % 2:
                raise UsageError(f"--hs {code!r}: an HS code has 2, 4 or 6 digits")
        if not (self.naics or self.hs or stems(self.keywords)):
            raise UsageError("say what the company sells: --naics, --hs or --keywords")
        return self


@dataclass
class Hit:
    """One item's fit: its score, and the reasons, as data."""

    project: Doc
    position: int
    item: Doc
    score: float = 0.0
    codes: list[Doc] = field(default_factory=list)
    words: list[Doc] = field(default_factory=list)
    place: list[Doc] = field(default_factory=list)
    weak: bool = False


def _items(snapshot: Snapshot, kinds: Sequence[str]) -> Iterable[tuple[Doc, int, Doc]]:
    records = [*snapshot.records()] if "profile" in kinds else []
    records += snapshot.leads if "lead" in kinds else []
    for record in records:
        for position, item in enumerate(record.get("opportunities", []), 1):
            yield record, position, item


def _context_text(record: Doc) -> str:
    """What an item's project says about itself: name, subsector, summary, background."""
    parts = [record["name"], record.get("subsector", ""), record["summary"]]
    parts += [record.get("background", "")]
    for component in record.get("components", []):
        parts += [component["heading"], component["summary"], *component.get("points", [])]
    return " ".join(parts)


def _prefix(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


def _code_points(wanted: Sequence[str], have: Sequence[str], table: dict[int, int]) -> list[Doc]:
    found: list[Doc] = []
    for query in wanted:
        best: tuple[int, str] | None = None
        for code in have:
            shared = _prefix(query, code)
            # A code's levels are fixed (HS: chapter, heading, subheading): round down.
            level = max((n for n in table if n <= shared), default=0)
            if level and (best is None or level > best[0]):
                best = (level, code)
        if best is not None:
            found.append({"query": query, "code": best[1], "level": best[0]})
    return [dict(f, points=table[f["level"]]) for f in found]


def _bm25(
    query: list[str], docs: list[list[str]], corpus: list[list[str]] | None = None
) -> list[tuple[float, set[str]]]:
    """BM25 of `query` stems against each document's stems, and which stems matched.

    Word rarity and average length come from `corpus` (default: the documents), so a
    project's text repeated once per item still counts as one document."""
    corpus = docs if corpus is None else corpus
    total = len(corpus) or 1
    average = sum(len(d) for d in corpus) / total or 1.0
    having = Counter(stem for d in corpus for stem in set(d))
    scored = []
    for doc in docs:
        counts = Counter(doc)
        score, matched = 0.0, set()
        for stem in set(query):
            frequency = counts.get(stem, 0)
            if not frequency:
                continue
            matched.add(stem)
            idf = math.log(1 + (total - having[stem] + 0.5) / (having[stem] + 0.5))
            score += (
                idf * frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * len(doc) / average))
            )
        scored.append((score, matched))
    return scored


def match(snapshot: Snapshot, wanted: Wanted, kinds: Sequence[str] = ("profile",)) -> list[Hit]:
    """Every item that fits at all, best first."""
    wanted = wanted.check()
    sector_ids = {snapshot.sector(s)["id"] for s in wanted.sectors}
    items = list(_items(snapshot, kinds))
    own = [stems(f"{item['category']} {item['description']}") for _, _, item in items]
    by_record: dict[str, list[str]] = {}  # each project's text is stemmed once
    for record, _, _ in items:
        if record["id"] not in by_record:
            by_record[record["id"]] = stems(_context_text(record))
    context = [by_record[record["id"]] for record, _, _ in items]
    query = stems(wanted.keywords)
    own_scores = _bm25(query, own) if query else [(0.0, set())] * len(items)
    context_scores = (
        _bm25(query, context, list(by_record.values())) if query else [(0.0, set())] * len(items)
    )
    share = Counter(stem for doc in own for stem in set(doc))
    common = {stem for stem, n in share.items() if n > COMMON_SHARE * max(len(items), 1)}
    hits = []
    for index, (record, position, item) in enumerate(items):
        states = [loc.get("state") or "" for loc in record.get("locations", [])]
        in_state = [s for s in wanted.states if any(fold(s) in fold(st) for st in states if st)]
        if wanted.states and not in_state:
            continue
        if sector_ids and record["sector"] not in sector_ids:
            continue
        hit = Hit(record, position, item)
        codes = item.get("codes") or {}
        hit.codes = _code_points(wanted.naics, codes.get("naics", []), NAICS_POINTS)
        hit.codes += [
            dict(c, scheme="hs") for c in _code_points(wanted.hs, codes.get("hs", []), HS_POINTS)
        ]
        for c in hit.codes:
            c.setdefault("scheme", "naics")
        own_score, own_matched = own_scores[index]
        context_score, context_matched = context_scores[index]
        keyword_points = KEYWORD_WEIGHT * (own_score + CONTEXT_WEIGHT * context_score)
        text = f"{item['category']}: {item['description']}"
        hit.words = [
            {"word": stem, "field": "item", "snippet": _snippet(text, stem)}
            for stem in sorted(own_matched)
        ] + [
            {"word": stem, "field": "project", "snippet": _snippet(record["summary"], stem)}
            for stem in sorted(context_matched - own_matched)
        ]
        if in_state:
            hit.place.append({"state": in_state[0]})
        if sector_ids:
            hit.place.append({"sector": record["sector"]})
        if not hit.codes and not hit.words:
            continue
        hit.score = round(
            sum(c["points"] for c in hit.codes) + keyword_points + PLACE_POINTS * len(hit.place),
            2,
        )
        matched = own_matched | context_matched
        hit.weak = not hit.codes and bool(matched) and matched <= common
        hits.append(hit)
    hits.sort(key=lambda h: (-h.score, h.project["id"], h.position))
    return hits


def _snippet(text: str, stem: str, width: int = 80) -> str:
    flat = " ".join(text.split())
    found = re.search(r"\b" + re.escape(stem), fold(flat))
    start = max(0, (found.start() if found else 0) - width // 3)
    end = min(len(flat), start + width)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def reasons(hit: Hit) -> str:
    """The reasons of a hit in a few words, for a table."""
    parts = [
        f"{c['scheme'].upper()} {c['code']} ({c['level']}-digit match of {c['query']})"
        for c in hit.codes
    ]
    if hit.words:
        parts.append("words: " + ", ".join(sorted({w["word"] for w in hit.words})))
    parts += [f"{k} {v}" for place in hit.place for k, v in place.items()]
    if hit.weak:
        parts.append("weak: only common words")
    return "; ".join(parts)


@dataclass
class ProjectFit:
    """A project's fit: its best item, a tenth of the next two, how many items fit."""

    project: Doc
    score: float
    items: int
    best: Hit
    weak: bool


def by_project(hits: list[Hit]) -> list[ProjectFit]:
    """Hits rolled up per project: its best item's score plus a tenth of the next two's."""
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.project["id"], []).append(hit)
    rolled = []
    for items in groups.values():
        best = items[0]
        rest = sum(h.score for h in items[1:3])  # many weak items must not outweigh one good
        rolled.append(
            ProjectFit(
                best.project,
                round(best.score + rest / 10, 2),
                len(items),
                best,
                all(h.weak for h in items),
            )
        )
    rolled.sort(key=lambda r: (-r.score, r.project["id"]))
    return rolled


def kind_of(record: Doc) -> str:
    """`profile` or `lead`."""
    return record_kind(record)
