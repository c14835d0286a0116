"""Text queries: every word must match, in any order, in any field; quotes for a phrase.

Words are compared folded (case and accents ignored, `queretaro` finds Querétaro). A
word of three letters or more also matches the start of a longer word (`cable` finds
"cables", `fib` finds "fiber"); a shorter one must match a whole word (`ai` is not
"air").
"""

from __future__ import annotations

import re
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


def words_of_folded(folded: str) -> list[str]:
    """The words of a text already folded (`words` without folding it again)."""
    return _WORD.findall(folded)


def strings_in(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (field path, text) pair inside plain JSON-like data, depth first."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from strings_in(item, f"{path}.{index}")


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

    def count_in(self, folded: str, tokens: list[str]) -> int:
        """How many times the term occurs in a field, given its folded text and words."""
        if self.phrase:
            return self.count(tokens)
        return len(_word_pattern(self.words[0]).findall(folded))

    def count(self, tokens: list[str]) -> int:
        """How many times the term occurs in a field's words."""
        if not self.phrase:
            return sum(1 for token in tokens if word_matches(self.words[0], token))
        size = len(self.words)
        return sum(
            1
            for start in range(len(tokens) - size + 1)
            if all(
                word_matches(word, token)
                for word, token in zip(self.words, tokens[start : start + size], strict=True)
            )
        )


@cache
def _word_pattern(word: str) -> re.Pattern[str]:
    # Where a token starts with the word: exactly what word_matches says of the tokens of
    # a folded text, found by one regex scan instead of a loop per token.
    return re.compile(r"(?<!\w)" + re.escape(word) + ("" if len(word) >= MIN_PREFIX else r"(?!\w)"))


def word_matches(word: str, token: str) -> bool:
    """A whole word, or (3 letters or more) the start of a word."""
    return token == word or (len(word) >= MIN_PREFIX and token.startswith(word))


class TextQuery(NamedTuple):
    """A parsed query: every term must match somewhere in a record."""

    terms: tuple[Term, ...]

    def matches(self, record: Any) -> bool:
        """Whether every term occurs in some field of the record."""
        pending = set(self.terms)
        for _, text in strings_in(record):
            folded = fold(text)
            tokens = words_of_folded(folded)
            pending = {term for term in pending if not term.count_in(folded, tokens)}
            if not pending:
                return True
        return not pending


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
