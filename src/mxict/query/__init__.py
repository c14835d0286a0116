"""Pure functions over records (JSON-ready dicts): filters, sorting, search, comparison and
freshness. Nothing here reads files, prints, or imports pydantic or yaml."""

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
from mxict.query.filters import ProjectFilter, filter_projects, parse_status, related_leads
from mxict.query.freshness import (
    changes_since,
    latest_event,
    parse_age,
    parse_since,
    stale_records,
)
from mxict.query.search import SearchHit, search, snippet
from mxict.query.sorting import sort_rows
from mxict.query.text import TextQuery, parse_query, strings_in, words

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
    "filter_projects",
    "latest_event",
    "organisations",
    "parse_age",
    "parse_query",
    "parse_since",
    "parse_status",
    "record_kind",
    "related_leads",
    "search",
    "snippet",
    "sort_rows",
    "sponsor_label",
    "stale_records",
    "strings_in",
    "total_usd",
    "usd_amount",
    "whole",
    "words",
]
