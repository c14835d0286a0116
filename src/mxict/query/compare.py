"""Ranking projects by value in USD, and totals by sector, sponsor or state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mxict.errors import UsageError
from mxict.query.derived import sponsor_label, usd_amount

Doc = dict[str, Any]


class Comparison:
    """Projects ranked by USD value, those that cannot be ranked, and optional aggregates."""

    def __init__(self) -> None:
        self.compared: list[Doc] = []
        self.not_compared: list[tuple[Doc, str]] = []
        self.groups: list[Doc] = []


def _group_keys(project: Doc, by: str) -> list[str]:
    if by == "sector":
        return [project["sector"]]
    if by == "sponsor":
        return [sponsor_label(project["sponsor"])]
    if by == "state":
        states = [loc["state"] for loc in project["locations"] if loc.get("state")]
        return states or ["(national / not a state)"]
    raise UsageError(f"cannot group by {by!r}; choose sector, sponsor or state")


def compare_values(projects: Sequence[Doc], by: str | None = None) -> Comparison:
    """Rank whole-project totals in USD; annual figures and missing amounts are set aside."""
    result = Comparison()
    for project in projects:
        usd = usd_amount(project["value"])
        if usd is None:
            result.not_compared.append((project, "no amount in US dollars"))
        elif project["value"]["basis"] == "annual":
            result.not_compared.append((project, "annual figure, not comparable with totals"))
        else:
            result.compared.append(project)
    result.compared.sort(key=lambda p: (-(usd_amount(p["value"]) or 0.0), p["id"]))
    if by:
        groups: dict[str, list[float]] = {}
        for project in result.compared:
            for key in _group_keys(project, by):
                groups.setdefault(key, []).append(usd_amount(project["value"]) or 0.0)
        result.groups = sorted(
            (
                {
                    by: key,
                    "count": len(vals),
                    "sum_usd": sum(vals),
                    "min_usd": min(vals),
                    "max_usd": max(vals),
                }
                for key, vals in groups.items()
            ),
            key=lambda g: (-g["sum_usd"], g[by]),
        )
    return result
