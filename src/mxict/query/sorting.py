"""Sorting rows by a field name, the way every row command sorts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mxict.errors import UsageError
from mxict.query.derived import total_usd
from mxict.textfold import fold


def sort_rows(
    rows: list[dict[str, Any]], sort: str | None, valid_fields: Sequence[str]
) -> list[dict[str, Any]]:
    """Sort rows by a field name; a leading '-' sorts descending; missing values last.

    Numbers sort as numbers, money by its total in USD (an annual figure counts as
    missing: it is not comparable with totals), text and lists as text, ignoring case and
    accents."""
    if not sort:
        return rows
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    if name not in valid_fields:
        raise UsageError(f"cannot sort by {name!r}; valid fields: {', '.join(valid_fields)}")

    keyed = [(_key(row.get(name)), row) for row in rows]
    present = [(k, r) for k, r in keyed if k is not None]
    absent = [r for k, r in keyed if k is None]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    return [r for _, r in present] + absent


def _key(value: Any) -> tuple[int, Any] | None:
    """A sort key that never compares a number with text; None for a missing value."""
    if isinstance(value, dict) and "amount" in value:
        value = total_usd(value)
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool | int | float):
        return (0, value)
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return (1, fold(str(value)))
