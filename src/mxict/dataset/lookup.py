"""Finding a project or sector the way a user types it: any case, accents, a unique prefix."""

from __future__ import annotations

from typing import Any

from mxict.errors import Ambiguous, NotFound
from mxict.textfold import closest, fold

Doc = dict[str, Any]


def find_project(projects: list[Doc], wanted: str) -> Doc:
    """Shared id lookup for snapshots and catalogs."""
    key = fold(wanted)
    for project in projects:
        if fold(project["id"]) == key:
            return project
    raise NotFound("project", wanted, closest(wanted, [p["id"] for p in projects]))


def find_sector(sectors: list[Doc], wanted: str) -> Doc:
    """Shared sector lookup: exact slug or annex code first, then a unique prefix."""
    key = fold(wanted)
    for sector in sectors:
        if key in (fold(sector["id"]), fold(sector["annex"])):
            return sector
    prefixed = [
        s
        for s in sectors
        if key and (fold(s["id"]).startswith(key) or fold(s["annex"]).startswith(key))
    ]
    if len(prefixed) == 1:
        return prefixed[0]
    if prefixed:
        raise Ambiguous("sector", wanted, [s["id"] for s in prefixed])
    candidates = [s["id"] for s in sectors] + [s["annex"] for s in sectors]
    raise NotFound("sector", wanted, closest(wanted, candidates))
