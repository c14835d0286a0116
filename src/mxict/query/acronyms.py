"""Looking a term up in the acronym list: the exact acronym first, then whole words, then
word prefixes, never letters inside a word (`IFT` does not find "Fifth")."""

from __future__ import annotations

import re
from typing import Any

from mxict.textfold import fold

Doc = dict[str, Any]
_WORD = re.compile(r"\w+")
# A prefix of fewer letters than this matches too much ("ai" starts "air" and "aid").
MIN_PREFIX = 4


def words(text: str) -> list[str]:
    """The words of a text, folded (case and accents ignored); hyphens and slashes split."""
    return _WORD.findall(fold(text))


def _rank(entry: Doc, key: str, wanted: list[str]) -> int | None:
    acronym, definition = words(entry["acronym"]), words(entry["definition"])
    if fold(entry["acronym"]) == key or "".join(acronym) == "".join(wanted):
        return 0
    if all(word in acronym for word in wanted):
        return 1
    if all(word in acronym or word in definition for word in wanted):
        return 2

    def prefixed(word: str) -> bool:
        return len(word) >= MIN_PREFIX and any(w.startswith(word) for w in acronym + definition)

    if all(word in acronym or word in definition or prefixed(word) for word in wanted):
        return 3
    return None


def find_acronyms(entries: list[Doc], term: str) -> list[Doc]:
    """Entries matching every word of `term`, best first: the acronym itself, a word of
    the acronym, a whole word of the definition, then a word prefix (4 letters or more);
    source order within each rank."""
    wanted = words(term)
    if not wanted:
        return []
    key = fold(term)
    ranked = [
        (rank, index, e)
        for index, e in enumerate(entries)
        if (rank := _rank(e, key, wanted)) is not None
    ]
    return [entry for _, _, entry in sorted(ranked, key=lambda item: item[:2])]
