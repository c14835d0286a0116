"""Pure functions over records (JSON-ready dicts): filters, sorting, search, comparison and
freshness. Nothing here reads files, prints, or imports pydantic or yaml."""

from mxict.query.compare import Comparison, compare_values
from mxict.query.derived import converted, sponsor_label, usd_amount
from mxict.query.filters import ProjectFilter, filter_projects, parse_status, strings_in
from mxict.query.freshness import changes_since, parse_age, parse_since, stale_records
from mxict.query.search import SearchHit, search, snippet
from mxict.query.sorting import sort_rows

__all__ = [
    "Comparison",
    "ProjectFilter",
    "SearchHit",
    "changes_since",
    "compare_values",
    "converted",
    "filter_projects",
    "parse_age",
    "parse_since",
    "parse_status",
    "search",
    "snippet",
    "sort_rows",
    "sponsor_label",
    "stale_records",
    "strings_in",
    "usd_amount",
]
