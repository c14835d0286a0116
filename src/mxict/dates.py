"""Partial dates: ISO 8601 dates at the precision a source gives (a year, a half-year, a
quarter, a month or a day), and the spans of days they stand for.

In the standard library only, and cheap to import: every query that dates a status or a
forecast imports this.
"""

from __future__ import annotations

import re
from datetime import date

PARTIAL_DATE = r"^\d{4}(?:-(?:(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?|Q[1-4]|H[12]))?$"
PARTIAL_DATE_HELP = "YYYY, YYYY-Qn (quarter), YYYY-Hn (half-year), YYYY-MM or YYYY-MM-DD"
# The first and last month of each quarter and half-year.
_SPANS = {"Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12), "H1": (1, 6), "H2": (7, 12)}


def check_partial_date(value: str) -> str:
    """`value` if it is an ISO 8601 date at the precision a source gives, else ValueError.

    Years are kept to 1000-9998, the range every date computation here can handle."""
    if not re.match(PARTIAL_DATE, value):  # re caches it: compiled on first use only
        raise ValueError(f"must be a date at the precision the source gives: {PARTIAL_DATE_HELP}")
    if not 1000 <= int(value[:4]) <= 9998:
        raise ValueError("year must be between 1000 and 9998")
    if len(value) == 10:
        date.fromisoformat(value)  # rejects 2021-02-30
    return value


def precision(value: str) -> str:
    """`year`, `half`, `quarter`, `month` or `day`."""
    if len(value) == 4:
        return "year"
    if value[5] in "QH":
        return "quarter" if value[5] == "Q" else "half"
    return "month" if len(value) == 7 else "day"


def partial_date_start(value: str) -> date:
    """The first day a partial date may stand for (2021 -> 2021-01-01, 2022-Q4 -> 2022-10-01)."""
    year = int(value[:4])
    if len(value) == 4:
        return date(year, 1, 1)
    if value[5] in "QH":
        return date(year, _SPANS[value[5:7]][0], 1)
    return date(year, int(value[5:7]), int(value[8:10]) if len(value) == 10 else 1)


def partial_date_end(value: str) -> date:
    """The last day a partial date may stand for (2021 -> 2021-12-31, 2022-H1 -> 2022-06-30)."""
    year = int(value[:4])
    if len(value) == 10:
        return date.fromisoformat(value)
    if len(value) == 4:
        last_month = 12
    elif value[5] in "QH":
        last_month = _SPANS[value[5:7]][1]
    else:
        last_month = int(value[5:7])
    first_of_next = date(year + last_month // 12, last_month % 12 + 1, 1)
    return date.fromordinal(first_of_next.toordinal() - 1)


def partial_date_key(value: str) -> tuple[int, int]:
    """Sort key for partial dates of any precision: by first day, the wider span first at
    the same start (2022 < 2022-H2 < 2022-Q3 < 2022-07 < 2022-07-01)."""
    return partial_date_start(value).toordinal(), -partial_date_end(value).toordinal()
