"""`mxict codes`: search the NAICS 2022 and HS 2022 titles offline, with how many
export-opportunity items carry each code (the code itself or one under it)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from mxict.codelists import hs_codes, naics_codes
from mxict.errors import UsageError
from mxict.query.text import words

if TYPE_CHECKING:
    from mxict.dataset.snapshot import Snapshot

Doc = dict[str, Any]


def _carried(snapshot: Snapshot) -> dict[str, Counter[str]]:
    """Per scheme, how many items carry each code or a code under it (every prefix)."""
    counts: dict[str, Counter[str]] = {"naics": Counter(), "hs": Counter()}
    for record in [*snapshot.records(), *snapshot.leads]:
        for item in record.get("opportunities", []):
            codes = item.get("codes") or {}
            for scheme in ("naics", "hs"):
                prefixes = {code[:n] for code in codes.get(scheme, []) for n in range(2, 7)}
                counts[scheme].update(prefixes)
    return counts


def search_codes(snapshot: Snapshot, query: str) -> list[Doc]:
    """Codes whose title holds every word of `query`, or that start with its digits;
    the ones the dataset's opportunities carry first."""
    text = query.strip()
    wanted = words(text)
    if not wanted:
        raise UsageError("give words of a code's title, or the first digits of a code")
    counts = _carried(snapshot)
    rows: list[Doc] = []
    for scheme, table in (("naics", naics_codes()), ("hs", hs_codes())):
        for code, title in table.items():
            if text.isdigit():
                found = code.startswith(text)
            else:
                title_words = words(title)
                found = all(any(t.startswith(w) for t in title_words) for w in wanted)
            if found:
                rows.append(
                    {
                        "scheme": scheme.upper(),
                        "code": code,
                        "title": title,
                        "opportunities": counts[scheme].get(code, 0),
                    }
                )
    rows.sort(key=lambda r: (-int(r["opportunities"]), r["scheme"] != "NAICS", str(r["code"])))
    return rows
