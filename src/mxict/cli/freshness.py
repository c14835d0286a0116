"""How current the data is: `stale` (records due for re-checking) and `changes` (dated events)."""

from __future__ import annotations

from typing import Annotated

import typer

from mxict.cli.app import app
from mxict.cli.options import output_options
from mxict.cli.output import OutputRequest
from mxict.cli.session import session_of, today


@app.command("stale")
@output_options()
def stale(
    ctx: typer.Context,
    out: OutputRequest,
    older_than: Annotated[
        str, typer.Option("--older-than", metavar="AGE", help="365d, 12w, 6m or 1y.")
    ] = "365d",
) -> None:
    """Records due for re-checking: last verified, or last event, longer ago than AGE.

    Oldest first. Today's date can be pinned with MXICT_TODAY=YYYY-MM-DD.

    Examples:

      mxict stale

      mxict stale --older-than 2y --json
    """
    from mxict import rows
    from mxict.query import parse_age, stale_records

    session = session_of(ctx)
    output = out.resolve()
    found = stale_records(session.snapshot(), parse_age(older_than), today())
    output.rows(found, rows.STALE, session)


@app.command("changes")
@output_options()
def changes(
    ctx: typer.Context,
    out: OutputRequest,
    since: Annotated[
        str, typer.Option("--since", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD.")
    ],
) -> None:
    """Dated events on or after DATE across all projects, newest first.

    Includes timeline events and sponsor changes (dissolved, renamed...), with sources.

    Examples:

      mxict changes --since 2024

      mxict changes --since 2021-06 --json
    """
    from mxict import rows
    from mxict.query import changes_since, parse_since

    session = session_of(ctx)
    output = out.resolve()
    output.rows(changes_since(session.snapshot(), parse_since(since)), rows.CHANGES, session)
