"""Facts derived from a record the same way everywhere: its USD amount, its sponsor's label."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]


def usd_amount(money: Doc | None) -> float | None:
    """The figure in US dollars, or None when it has no amount or no USD equivalent."""
    if not money or money.get("amount") is None:
        return None
    if money.get("currency") == "USD":
        return float(money["amount"])
    original = money.get("original") or {}
    if original.get("currency") == "USD" and original.get("amount") is not None:
        return float(original["amount"])
    return None


def converted(money: Doc) -> bool:
    """True when the USD figure was converted from another currency."""
    original = money.get("original") or {}
    return bool(original) and original.get("currency") != money.get("currency")


def sponsor_label(sponsor: Doc) -> str:
    """How tables name a sponsor: its acronym, else its name."""
    return str(sponsor.get("acronym") or sponsor["name"])
