"""The regex scans of `query.text` against the word-by-word rules they stand for.

Search finds a term with one regex scan of a record's folded text and counts a record's
words without listing them; both must say exactly what the plain definitions say: a
word is a run of letters, digits and _; a query word matches a whole word or (3 letters
or more) the start of one; a phrase's words are consecutive words of one field.
"""

from __future__ import annotations

import random
import re

import pytest

from mxict.query.text import Term, folded_record, word_count, word_matches

WORD = re.compile(r"\w+")
# Letters (ASCII, accented, Greek, CJK), digits, _, punctuation, typographic marks,
# no-break and other spaces: what the folded text of a record can hold.
ALPHABET = "abcfiberxyz019_ -–—.,;:/()'’“”·€ñéΩ中文\u00a0\u2003\t"
VOCABULARY = ["fib", "fiber", "fibers", "ai", "a", "de", "la", "x", "data", "center", "中文"]


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        pieces = []
        for _ in range(rng.randint(0, 12)):
            if rng.random() < 0.6:
                pieces.append(rng.choice(VOCABULARY))
            else:
                pieces.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6))))
        texts.append(rng.choice([" ", "-", ", ", "–", "  "]).join(pieces))
    return texts


def _reference_starts(term: Term, fields: list[str]) -> list[int]:
    """Where a term occurs, by the definition: word by word, field by field."""
    found, offset = [], 0
    for field in fields:
        tokens = [(m.start(), m.group()) for m in WORD.finditer(field)]
        size = len(term.words)
        for first in range(len(tokens) - size + 1):
            window = tokens[first : first + size]
            if all(word_matches(w, t) for w, (_, t) in zip(term.words, window, strict=True)):
                found.append(offset + window[0][0])
        offset += len(field) + 1
    return found


def test_word_count_is_the_number_of_words() -> None:
    for text in _texts(1, 3000):
        assert word_count(text) == len(WORD.findall(text)), text


@pytest.mark.parametrize(
    "words",
    [
        ("fib",),
        ("fiber",),
        ("ai",),
        ("a",),
        ("x",),
        ("中文",),
        ("de", "la"),
        ("fib", "a"),
        ("data", "center"),
        ("a", "a"),
        ("la", "fiber", "x"),
    ],
    ids=" ".join,
)
def test_a_term_is_found_where_its_words_are(words: tuple[str, ...]) -> None:
    term = Term(words)
    texts = _texts(len(words) * 7 + len(words[0]), 1200)
    for start in range(0, len(texts), 4):
        fields = [" ".join(t.split()) for t in texts[start : start + 4]]  # folded: no newline
        text = "\n".join(fields)
        assert list(term.starts(text)) == _reference_starts(term, fields), fields
        assert term.occurs_in(text) == bool(_reference_starts(term, fields))


def test_a_phrase_never_spans_two_fields() -> None:
    record = {"name": "subsea data", "summary": "center of the network"}
    assert not Term(("data", "center")).occurs_in(folded_record(record).text)
    assert Term(("subsea", "data")).occurs_in(folded_record(record).text)
