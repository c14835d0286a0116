"""Facts derived from a record the same way everywhere: its USD amount (total or annual,
never mixed), its sponsor's label, numbers as integers when they are whole."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]


def whole(number: float) -> float:
    """38000000.0 -> 38000000: JSON shows a whole amount as an integer everywhere."""
    return int(number) if isinstance(number, float) and number.is_integer() else number


def usd_amount(money: Doc | None) -> float | None:
    """The figure in US dollars, whatever its basis, or None when it has no amount or no
    USD equivalent. Fields and filters use `total_usd` or `annual_usd` instead."""
    if not money or money.get("amount") is None:
        return None
    if money.get("currency") == "USD":
        return whole(float(money["amount"]))
    original = money.get("original") or {}
    if original.get("currency") == "USD" and original.get("amount") is not None:
        return whole(float(original["amount"]))
    return None


def total_usd(money: Doc | None) -> float | None:
    """The USD figure of a total (`basis: total`), else None: never an annual figure."""
    return usd_amount(money) if money and money.get("basis", "total") == "total" else None


def annual_usd(money: Doc | None) -> float | None:
    """The USD figure of an annual amount (`basis: annual`), else None."""
    return usd_amount(money) if money and money.get("basis") == "annual" else None


def converted(money: Doc) -> bool:
    """True when the USD figure was converted from another currency."""
    original = money.get("original") or {}
    return bool(original) and original.get("currency") != money.get("currency")


def sponsor_label(record: Doc) -> str:
    """How tables name a record's sponsor (a lead's first sponsor, promoter or other actor):
    its acronym, else its name; empty when a lead names no one."""
    named = organisations(record)
    return str(named[0].get("acronym") or named[0]["name"]) if named else ""


RECORD_KINDS = ("profile", "lead")


def record_kind(doc: Doc) -> str:
    """`profile` for one of the guide's project profiles, `lead` for a lead."""
    return "lead" if "evidence" in doc else "profile"


def organisations(doc: Doc) -> list[Doc]:
    """A profile's sponsor, or a lead's actors (sponsors and promoters first)."""
    if "sponsor" in doc:
        return [doc["sponsor"]]
    ranked = {"sponsor": 0, "promoter": 1, "operator": 2}
    return sorted(doc.get("actors", []), key=lambda actor: ranked.get(actor["role"], 3))
