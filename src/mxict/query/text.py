"""Text queries: every word must match, in any order, in any field; quotes for a phrase.

Words are compared folded (case and accents ignored, `queretaro` finds Querétaro). A
word of three letters or more also matches the start of a longer word (`cable` finds
"cables", `fib` finds "fiber"); a shorter one must match a whole word (`ai` is not
"air").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from typing import Any, NamedTuple

from mxict.errors import UsageError
from mxict.textfold import fold

_WORD = re.compile(r"\w+")
_TERM = re.compile(r'"([^"]*)"|(\S+)')
MIN_PREFIX = 3


def words(text: str) -> list[str]:
    """The words of a text, folded; hyphens, slashes and punctuation split words."""
    return _WORD.findall(fold(text))


# UTF-8 bytes with every ASCII byte that is not a word character made a space.
_SPACED = bytes(c if c >= 128 or chr(c).isalnum() or c == ord("_") else 32 for c in range(256))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_IS_WORD: dict[str, bool] = {}  # non-ASCII characters seen so far


def word_count(text: str) -> int:
    """How many words (runs of letters, digits and _) a text has: what `words` finds in
    it, about three times faster. Every other character becomes a space, the ASCII ones
    in the bytes (a byte table is C-fast where a str table is not), and split counts."""
    if not text.isascii():
        for char in set(_NON_ASCII.findall(text)):
            if char not in _IS_WORD:
                _IS_WORD[char] = _WORD.fullmatch(char) is not None
            if not _IS_WORD[char]:
                text = text.replace(char, " ")
    return len(text.encode("utf-8", "surrogatepass").translate(_SPACED).split())


def strings_in(value: Any, path: str = "") -> list[tuple[str, str]]:
    """Every (field path, text) pair inside plain JSON-like data, depth first."""
    found: list[tuple[str, str]] = []
    _collect(value, path, found)
    return found


def _collect(value: Any, path: str, found: list[tuple[str, str]]) -> None:
    # One list filled by plain recursion: nested generators cost twice as much, and a
    # search walks every field of every record.
    if isinstance(value, str):
        found.append((path, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(item, f"{path}.{key}" if path else str(key), found)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _collect(item, f"{path}.{index}", found)


# The small value types of the query layer are NamedTuples, not dataclasses: a query's
# start-up pays for every class it defines, and a frozen dataclass costs about five times
# as much to create (it compiles its generated methods).
class Term(NamedTuple):
    """One word, or a quoted phrase (its words in order)."""

    words: tuple[str, ...]

    @property
    def phrase(self) -> bool:
        """A quoted phrase of several words."""
        return len(self.words) > 1

    def starts(self, folded: str) -> Iterator[int]:
        """Where the term occurs in folded text (a FoldedRecord's): where each occurrence
        starts; overlapping occurrences of a phrase each count."""
        return (found.start() for found in _pattern(self.words).finditer(folded))

    def occurs_in(self, folded: str) -> bool:
        """Whether the term occurs in folded text."""
        return _pattern(self.words).search(folded) is not None


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """A regex for exactly what `word_matches` says, token by token: each word is a whole
    token or (3 letters or more) the start of one, and a phrase's words are consecutive
    tokens of one field (never across the newline between two fields).

    The first word comes first as a literal, checked from behind to start a token: re
    then finds candidates by a fast literal scan (20x faster than a leading lookbehind).
    The rest of a phrase is a lookahead, so that overlapping occurrences are all found."""

    def token(word: str, *, whole: bool) -> str:
        # `whole`: the pattern must reach the token's end (a phrase's next word follows).
        if len(word) < MIN_PREFIX:
            return re.escape(word) + r"(?!\w)"
        return re.escape(word) + (r"\w*" if whole else "")

    first, *rest = words
    start = re.escape(first) + r"(?<!\w" + re.escape(first) + ")"
    if not rest:
        return re.compile(start + (r"(?!\w)" if len(first) < MIN_PREFIX else ""))
    tail = [token(word, whole=i < len(rest) - 1) for i, word in enumerate(rest)]
    after_first = r"\w*" if len(first) >= MIN_PREFIX else r"(?!\w)"
    return re.compile(start + "(?=" + after_first + r"[^\w\n]+" + r"[^\w\n]+".join(tail) + ")")


def word_matches(word: str, token: str) -> bool:
    """A whole word, or (3 letters or more) the start of a word."""
    return token == word or (len(word) >= MIN_PREFIX and token.startswith(word))


class FoldedRecord(NamedTuple):
    """A record's text fields, folded and joined by newlines (folding leaves none inside
    a field), so that a term is looked for in a record with one regex scan."""

    paths: list[str]
    values: list[str]  # as in the record
    text: str
    starts: list[int]  # where each field's text begins in `text`

    def field_at(self, position: int) -> int:
        """The index of the field that holds `position` of the text."""
        return bisect_right(self.starts, position) - 1


def folded_record(record: Any) -> FoldedRecord:
    """Every string of a record (see `strings_in`), folded, as one text."""
    paths, values, folded, starts = [], [], [], []
    at = 0
    for path, value in strings_in(record):
        paths.append(path)
        values.append(value)
        text = fold(value)
        folded.append(text)
        starts.append(at)
        at += len(text) + 1
    return FoldedRecord(paths, values, "\n".join(folded), starts)


class TextQuery(NamedTuple):
    """A parsed query: every term must match somewhere in a record."""

    terms: tuple[Term, ...]

    def matches(self, record: Any) -> bool:
        """Whether every term occurs in some field of the record."""
        text = folded_record(record).text
        return all(term.occurs_in(text) for term in self.terms)


def parse_query(text: str) -> TextQuery:
    """`cable subsea "data center"` -> two words and a phrase; empty text is a usage error."""
    terms = []
    for quoted, bare in _TERM.findall(text):
        found = tuple(words(quoted if quoted else bare))
        if found:
            terms.append(Term(found) if quoted else Term(found[:1]))
            terms += [Term((w,)) for w in ([] if quoted else found[1:])]
    if not terms:
        raise UsageError("search text must hold at least one letter or digit")
    return TextQuery(tuple(dict.fromkeys(terms)))


def highlights(text: str, query: TextQuery) -> list[tuple[int, int]]:
    """Where the query's words occur in `text`: (start, end) spans of the original text,
    matched folded, as the search matched them (for highlighting on a terminal)."""
    wanted = {word for term in query.terms for word in term.words}
    spans = []
    for found in _WORD.finditer(text):
        token = fold(found.group())
        if any(word_matches(word, token) for word in wanted):
            spans.append(found.span())
    return spans
