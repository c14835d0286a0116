"""How current the data is: `stale` (records due for re-checking) and `changes` (dated events)."""

# Annotations are evaluated at import, for Typer (see mxict/cli/__init__.py).
from typing import Annotated

import typer

from mxict import rows
from mxict.cli.app import app
from mxict.cli.options import output_options
from mxict.cli.output import OutputRequest
from mxict.cli.session import session_of, today


@app.command("stale", rich_help_panel="History and maintenance")
@output_options(rows.STALE_FIELDS)
def stale(
    ctx: typer.Context,
    out: OutputRequest,
    older_than: Annotated[
        str, typer.Option("--older-than", metavar="AGE", help="365d, 12w, 6m or 1y.")
    ] = "365d",
    dormant: Annotated[
        bool,
        typer.Option(
            "--dormant", help="List records whose latest known event is older than AGE instead."
        ),
    ] = False,
) -> None:
    """Records due for re-checking: last verified longer ago than AGE, oldest first.

    Re-verifying a record (a newer last_verified) takes it off the list. --dormant lists
    the records whose latest known event (not a forecast) is older than AGE instead: the
    project may have moved on. Today's date can be pinned with MXICT_TODAY=YYYY-MM-DD.

    Examples:

      mxict stale

      mxict stale --older-than 2y --json

      mxict stale --dormant
    """
    from mxict import rows
    from mxict.query import parse_age, stale_records

    session = session_of(ctx)
    output = out.resolve()
    found = stale_records(session.snapshot(), parse_age(older_than), today(), dormant=dormant)
    output.rows(found, rows.STALE, session)


@app.command("changes", rich_help_panel="History and maintenance")
@output_options(rows.CHANGE_FIELDS)
def changes(
    ctx: typer.Context,
    out: OutputRequest,
    since: Annotated[
        str,
        typer.Option(
            "--since", metavar="DATE", help="YYYY, YYYY-Qn, YYYY-Hn, YYYY-MM or YYYY-MM-DD."
        ),
    ],
    expected: Annotated[
        bool,
        typer.Option("--expected", help="Add forecasts and planned dates, marked as expected."),
    ] = False,
) -> None:
    """Dated events on or after DATE across all projects, newest first.

    Includes timeline events and sponsor changes (dissolved, renamed...), with sources.
    Only what has happened by today is listed; --expected adds the forecasts, each marked
    (the expected field, and a column in the table); a forecast whose date has gone by
    with nothing to confirm it is marked passed ("expected; passed, not confirmed").

    Examples:

      mxict changes --since 2024

      mxict changes --since 2021-06 --json

      mxict changes --since 2022 --expected
    """
    from mxict import rows
    from mxict.query import changes_since, parse_since

    session = session_of(ctx)
    output = out.resolve()
    found = changes_since(session.snapshot(), parse_since(since), today(), expected=expected)
    output.rows(found, rows.CHANGES_EXPECTED if expected else rows.CHANGES, session)
