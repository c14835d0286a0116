"""Datasette plugin of `mxict serve`: money, contacts and project links in cells, the home
page's sections, each facet once, and one log line per error.

Loaded only by the Datasette that `mxict serve` starts (`--plugins-dir`); its settings
come from the metadata's `plugins.mxict` (`mxict.exports.site.serve_metadata`). Every
value is escaped: a cell is returned as plain text, or as Markup built with
`Markup.format`/`escape`, never by pasting data into HTML.
"""

from __future__ import annotations

import functools
import sys
import urllib.parse
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import datasette.handle_exception as default_errors
from datasette import hookimpl
from datasette.database import Database
from datasette.utils import tilde_encode
from markupsafe import Markup, escape

# Datasette prints a rich traceback with every local variable for each failed request
# (200-330 lines for a rejected SQL statement, and the statement itself many times over),
# and each failed query's whole SQL. A rejected query is the visitor's mistake, not the
# server's: the access log line and the one line from `handle_exception` below are enough.
# Both switches are checked by tests for the Datasette versions pyproject.toml allows.
default_errors.rich = None
_execute = Database.execute


@functools.wraps(_execute)
async def _execute_quietly(
    self: Database,
    sql: str,
    params: Any = None,
    truncate: bool = False,
    custom_time_limit: int | None = None,
    page_size: int | None = None,
    log_sql_errors: bool = True,
) -> Any:
    # Datasette.execute passes log_sql_errors=True explicitly: override it, not the default.
    return await _execute(self, sql, params, truncate, custom_time_limit, page_size, False)


Database.execute = _execute_quietly
# A facet on a column that does not exist fails before Datasette awaits its other facet
# queries; Python then warns about each abandoned coroutine, in six lines of noise.
warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def _config(datasette: Any) -> dict[str, Any]:
    config = datasette.plugin_config("mxict")
    return config if isinstance(config, dict) else {}


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """US dollars as "$150,000,000", contacts one per line, project ids as links."""
    if value is None:
        return None
    config = _config(datasette)
    if column in config.get("money_columns", ()) and isinstance(value, int | float):
        return f"${value:,.0f}"
    if column in config.get("amount_columns", ()) and isinstance(value, int | float):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if column == "contacts" and isinstance(value, str):
        return Markup("<br>").join(escape(line) for line in value.split("\n"))
    links: dict[str, str] = config.get("project_links", {})
    # A table's foreign key is already a link (Datasette expands it by label); a view or
    # a canned query's `project_id` is plain text, so link it to the project's page.
    link_column = links.get(table or "", "project_id" if table is None else None)
    if column == link_column and isinstance(value, str):
        url = datasette.urls.row(database, "projects", tilde_encode(value))
        return Markup('<a href="{}">{}</a>').format(url, value)
    return None


@hookimpl
def extra_template_vars(datasette: Any) -> dict[str, Any]:
    """The home page's sections, for the index and database templates."""
    return {"mxict_home": _config(datasette).get("home", [])}


def facets_once(query_string: bytes, configured: list[str]) -> bytes:
    """The query string without `_facet=X` for facets configured by default, nor repeats."""
    pairs = urllib.parse.parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    kept: list[tuple[str, str]] = []
    for key, value in pairs:
        if key == "_facet" and (value in configured or (key, value) in kept):
            continue  # Datasette 0.65 would show it twice
        kept.append((key, value))
    if len(kept) == len(pairs):
        return query_string
    return urllib.parse.urlencode(kept).encode("latin-1")


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[ASGIApp], ASGIApp]:
    """Drop `_facet` arguments that repeat a facet the table already shows."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def once(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope.get("type") == "http" and scope.get("query_string"):
                defaults = _config(datasette).get("default_facets", {})
                last = urllib.parse.unquote(scope.get("path", "").rstrip("/").rsplit("/", 1)[-1])
                table = last.rsplit(".", 1)[0] if last.endswith((".json", ".csv")) else last
                if table in defaults:
                    query = facets_once(scope["query_string"], defaults[table])
                    scope = {**scope, "query_string": query}
            await app(scope, receive, send)

        return once

    return wrap


@hookimpl
def handle_exception(request: Any, exception: Exception) -> None:
    """Log the error as one line; Datasette's own handler still renders the error page."""
    status = getattr(exception, "status", 500)
    # One line, printable: the message may quote the visitor's SQL, escapes and all.
    message = "".join(c if c.isprintable() else "?" for c in " ".join(str(exception).split()))
    path = "".join(c if c.isprintable() else "?" for c in str(getattr(request, "path", "?")))
    sys.stderr.write(f"mxict serve: {status} {path}: {type(exception).__name__}: {message[:200]}\n")
    sys.stderr.flush()
