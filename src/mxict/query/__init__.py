"""Pure functions over records (JSON-ready dicts): filters, sorting, search, comparison,
freshness and matching. Nothing here reads files, prints, or imports pydantic or yaml.

Names are imported lazily, on first use, so that a command loads only what it needs.
The search function is `mxict.query.search.search` (the module shares its name)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mxict.query.calendar import milestones
    from mxict.query.compare import Comparison, compare_values
    from mxict.query.derived import (
        RECORD_KINDS,
        annual_usd,
        converted,
        organisations,
        record_kind,
        sponsor_label,
        total_usd,
        usd_amount,
        whole,
    )
    from mxict.query.diff import diff_records
    from mxict.query.filters import (
        ProjectFilter,
        filter_projects,
        iter_projects,
        parse_status,
        related_leads,
    )
    from mxict.query.freshness import (
        changes_since,
        latest_event,
        parse_age,
        parse_since,
        stale_records,
    )
    from mxict.query.info import dataset_info
    from mxict.query.search import SearchHit, snippet
    from mxict.query.sorting import sort_rows
    from mxict.query.status import status_of
    from mxict.query.text import TextQuery, parse_query, strings_in, words

_LAZY = {
    "Comparison": "mxict.query.compare",
    "ProjectFilter": "mxict.query.filters",
    "RECORD_KINDS": "mxict.query.derived",
    "SearchHit": "mxict.query.search",
    "TextQuery": "mxict.query.text",
    "annual_usd": "mxict.query.derived",
    "changes_since": "mxict.query.freshness",
    "compare_values": "mxict.query.compare",
    "converted": "mxict.query.derived",
    "dataset_info": "mxict.query.info",
    "diff_records": "mxict.query.diff",
    "filter_projects": "mxict.query.filters",
    "iter_projects": "mxict.query.filters",
    "latest_event": "mxict.query.freshness",
    "milestones": "mxict.query.calendar",
    "organisations": "mxict.query.derived",
    "parse_age": "mxict.query.freshness",
    "parse_query": "mxict.query.text",
    "parse_since": "mxict.query.freshness",
    "parse_status": "mxict.query.filters",
    "record_kind": "mxict.query.derived",
    "related_leads": "mxict.query.filters",
    "snippet": "mxict.query.search",
    "sort_rows": "mxict.query.sorting",
    "sponsor_label": "mxict.query.derived",
    "stale_records": "mxict.query.freshness",
    "status_of": "mxict.query.status",
    "strings_in": "mxict.query.text",
    "total_usd": "mxict.query.derived",
    "usd_amount": "mxict.query.derived",
    "whole": "mxict.query.derived",
    "words": "mxict.query.text",
}

__all__ = [
    "RECORD_KINDS",
    "Comparison",
    "ProjectFilter",
    "SearchHit",
    "TextQuery",
    "annual_usd",
    "changes_since",
    "compare_values",
    "converted",
    "dataset_info",
    "diff_records",
    "filter_projects",
    "iter_projects",
    "latest_event",
    "milestones",
    "organisations",
    "parse_age",
    "parse_query",
    "parse_since",
    "parse_status",
    "record_kind",
    "related_leads",
    "snippet",
    "sort_rows",
    "sponsor_label",
    "stale_records",
    "status_of",
    "strings_in",
    "total_usd",
    "usd_amount",
    "whole",
    "words",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mxict.query' has no attribute {name!r}")
