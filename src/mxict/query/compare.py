"""Ranking projects by value in USD, and totals by sector, sponsor or state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mxict.errors import UsageError
from mxict.query.derived import sponsor_label, total_usd, usd_amount

Doc = dict[str, Any]


class Comparison:
    """Projects ranked by USD value, those that cannot be ranked, and optional aggregates."""

    def __init__(self) -> None:
        self.compared: list[Doc] = []
        self.not_compared: list[tuple[Doc, str]] = []
        self.groups: list[Doc] = []


GROUP_BY = ("sector", "sponsor", "state")


def _group_keys(project: Doc, by: str) -> list[str]:
    if by == "sector":
        return [project["sector"]]
    if by == "sponsor":
        return [sponsor_label(project)]
    states = [loc["state"] for loc in project.get("locations", []) if loc.get("state")]
    return states or ["(national / not a state)"]


def compare_values(projects: Sequence[Doc], by: str | None = None) -> Comparison:
    """Rank whole-project totals in USD; annual figures and missing amounts are set aside,
    each with its reason, and every group says which of its projects it left out."""
    if by is not None and by not in GROUP_BY:
        raise UsageError(f"cannot group by {by!r}; choose {', '.join(GROUP_BY)}")
    result = Comparison()
    for project in projects:
        if usd_amount(project.get("value")) is None:
            result.not_compared.append((project, "no amount in US dollars"))
        elif total_usd(project.get("value")) is None:
            result.not_compared.append((project, "annual figure, not comparable with totals"))
        else:
            result.compared.append(project)
    result.compared.sort(key=lambda p: (-(total_usd(p["value"]) or 0), p["id"]))
    if by:
        groups: dict[str, list[float]] = {}
        left_out: dict[str, list[str]] = {}
        for project in result.compared:
            for key in _group_keys(project, by):
                groups.setdefault(key, []).append(total_usd(project["value"]) or 0)
        for project, reason in result.not_compared:
            for key in _group_keys(project, by):
                groups.setdefault(key, [])
                left_out.setdefault(key, []).append(f"{project['id']} ({reason})")
        result.groups = sorted(
            (
                {
                    by: key,
                    "count": len(vals),
                    "sum_usd": sum(vals) if vals else None,
                    "min_usd": min(vals) if vals else None,
                    "max_usd": max(vals) if vals else None,
                    "left_out": left_out.get(key, []),
                }
                for key, vals in groups.items()
            ),
            key=lambda g: (-(g["sum_usd"] or 0), g[by]),
        )
    return result
