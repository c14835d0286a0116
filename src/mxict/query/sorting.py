"""Sorting rows by a field name, the way every row command sorts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mxict.errors import UsageError
from mxict.textfold import fold


def sort_rows(
    rows: list[dict[str, Any]], sort: str | None, valid_fields: Sequence[str]
) -> list[dict[str, Any]]:
    """Sort rows by a field name; a leading '-' sorts descending; missing values last."""
    if not sort:
        return rows
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    if name not in valid_fields:
        raise UsageError(f"cannot sort by {name!r}; valid fields: {', '.join(valid_fields)}")

    def key(row: dict[str, Any]) -> tuple[int, Any]:
        value = row.get(name)
        if value is None or value == "":
            return (1, "")
        if isinstance(value, int | float):
            return (0, value)
        return (0, fold(str(value)))

    present = [r for r in rows if key(r)[0] == 0]
    absent = [r for r in rows if key(r)[0] == 1]
    present.sort(key=lambda r: key(r)[1], reverse=descending)
    return present + absent
