"""mxict: query a curated dataset of ICT investment opportunities in Mexico.

>>> from mxict import load_catalog
>>> catalog = load_catalog()
>>> catalog.project("gignet-1").value.amount
38000000.0
"""

from __future__ import annotations

from mxict._version import __version__

# Not `from typing import ...`: typing costs tens of milliseconds, and the console script
# imports this package before mxict.cli.main can make Ctrl-C quiet (type checkers treat
# any TYPE_CHECKING as true).
TYPE_CHECKING = False

__all__ = [
    "Catalog",
    "MxictError",
    "Project",
    "ProjectFilter",
    "Sector",
    "Snapshot",
    "__version__",
    "compare_values",
    "filter_projects",
    "load_catalog",
    "load_snapshot",
    "search",
]

if TYPE_CHECKING:
    from typing import Any

    from mxict.dataset.catalog import Catalog, load_catalog
    from mxict.dataset.snapshot import Snapshot, load_snapshot
    from mxict.errors import MxictError
    from mxict.models import Project, Sector
    from mxict.query import ProjectFilter, compare_values, filter_projects
    from mxict.query.search import search

_LAZY = {
    "Catalog": "mxict.dataset.catalog",
    "load_catalog": "mxict.dataset.catalog",
    "MxictError": "mxict.errors",
    "Project": "mxict.models",
    "Sector": "mxict.models",
    "ProjectFilter": "mxict.query",
    "compare_values": "mxict.query",
    "filter_projects": "mxict.query",
    "search": "mxict.query.search",
    "Snapshot": "mxict.dataset.snapshot",
    "load_snapshot": "mxict.dataset.snapshot",
}


def __getattr__(name: str) -> Any:
    # Lazy so that `mxict --help` does not pay for pydantic and yaml.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mxict' has no attribute {name!r}")
