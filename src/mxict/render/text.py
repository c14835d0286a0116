"""Text from data made safe and flat: no terminal escapes, no spreadsheet formulas.

Text that comes from data is always treated as inert: control characters are stripped
before it reaches a terminal, it is never parsed as rich markup, and spreadsheet formats
neutralise cells that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import IO, Any

# C0 controls except tab/newline, DEL, and C1 controls (ESC, CSI, OSC starters...), and
# the bidi embedding/override/isolate controls that make a terminal show text reordered
# ("Trojan Source"); the plain LRM/RLM marks stay.
_CONTROL = (
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
    # Invisible characters that make two texts look alike: zero-width spaces and joiners,
    # word joiner, BOM, tag characters and the Hangul fillers.
    r"\u200b-\u200d\u2060\ufeff\u115f\u1160\u3164\uffa0\U000e0000-\U000e007f]"
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@cache
def _control() -> re.Pattern[str]:
    # Compiled on first use: a query that prints JSON never needs it.
    return re.compile(_CONTROL)


def inert(text: str) -> str:
    """Text safe to print on a terminal: control and escape characters removed."""
    return _control().sub("", text)


def char_width(char: str) -> int:
    """Terminal cells a character takes: 2 for East Asian wide ones, 0 for combining marks."""
    if char < "\u0300":  # ASCII and Latin-1: the text of this dataset, one cell each
        return 1
    import unicodedata

    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """Terminal cells a text takes (its length, for the Latin text of this dataset)."""
    if text.isascii():
        return len(text)
    return sum(char_width(char) for char in text)


def neutralise_formula(text: str) -> str:
    """Prefix a cell a spreadsheet would evaluate with a quote (OWASP CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def flat(value: Any) -> str:
    """One cell of text for a nested value: money by its printed form, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        if "as_printed" in value:
            return str(value["as_printed"])
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "; ".join(flat(item) for item in value)
    return str(value)


def human(value: Any) -> str:
    """A cell for people: thousands separators on large numbers, else `flat`."""
    if isinstance(value, float | int) and not isinstance(value, bool) and abs(value) >= 1000:
        return f"{value:,.0f}"
    return flat(value)


def to_json(data: Any) -> str:
    """Stable JSON: UTF-8 unescaped, two-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def write_json(data: Any, out: IO[str]) -> None:
    """`to_json(data)` and a newline, written as it is encoded: json.dumps would first hold
    every piece of the text in a list (gigabytes for 100,000 rows) and then the text."""
    pieces: list[str] = []
    for piece in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data):
        pieces.append(piece)
        if len(pieces) >= 8192:
            out.write("".join(pieces))
            pieces.clear()
    pieces.append("\n")
    out.write("".join(pieces))
