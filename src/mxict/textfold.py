"""Case- and accent-insensitive text matching (`queretaro` finds Querétaro)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Characters that show as nothing: "Canc\u200bun" must compare equal to "Cancun". A
# translation table, not a regex: compiling the class cost every query's start-up.
_INVISIBLE = dict.fromkeys(
    [
        0x00AD,
        *range(0x200B, 0x2010),
        *range(0x2060, 0x2065),
        0xFEFF,
        0x115F,
        0x1160,
        0x3164,
        0xFFA0,
        *range(0xE0000, 0xE0080),
    ]
)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase, strip accents and collapse whitespace, for comparisons only."""
    if text.isascii():  # nothing to decompose (cross-checks fold every project name)
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text.translate(_INVISIBLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def closest(wanted: str, candidates: list[str], limit: int = 3) -> list[str]:
    """Candidates that look like `wanted`, best first, for "did you mean ...?"."""
    import difflib

    folded = {fold(c): c for c in candidates}
    key = fold(wanted)
    hits = [folded[m] for m in difflib.get_close_matches(key, list(folded), n=limit, cutoff=0.5)]
    for cand_key, cand in folded.items():
        if len(hits) >= limit:
            break
        if cand not in hits and key and (key in cand_key or cand_key.startswith(key[:4])):
            hits.append(cand)
    return hits
