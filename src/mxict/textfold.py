"""Case- and accent-insensitive text matching (`queretaro` finds Querétaro)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters that show as nothing: "Canc\u200bun" must compare equal to "Cancun".
_INVISIBLE = re.compile(
    "[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u115f\u1160\u3164\uffa0\U000e0000-\U000e007f]"
)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase, strip accents and collapse whitespace, for comparisons only."""
    if text.isascii():  # nothing to decompose (cross-checks fold every project name)
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", _INVISIBLE.sub("", text))
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
