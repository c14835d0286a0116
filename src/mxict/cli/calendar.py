"""`mxict calendar`: dated and expected milestones across projects and leads, soonest first."""

# Annotations are evaluated at import, for Typer (see mxict/cli/__init__.py).
import sys
from pathlib import Path
from typing import Annotated

import typer

from mxict import rows
from mxict.cli.app import app
from mxict.cli.options import output_options
from mxict.cli.output import OutputRequest
from mxict.cli.session import session_of, today


@app.command("calendar", rich_help_panel="History and maintenance")
@output_options(rows.CALENDAR_FIELDS)
def calendar(
    ctx: typer.Context,
    out: OutputRequest,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="From DATE: YYYY, YYYY-Qn, YYYY-MM..."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="DATE", help="Up to the end of DATE."),
    ] = None,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            metavar="FILE",
            help="Write an iCalendar file (RFC 5545) instead; --force overwrites it.",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Milestones of every project timeline and lead, soonest first, forecasts marked.

    A forecast whose date has gone by with nothing to confirm it is marked "expected;
    passed, not confirmed". Dates keep the source's precision (2022-Q4 sorts by its first
    day, the wider date first). --ics FILE writes them as all-day events: one per
    milestone, on its first day (a quarter or year says so in its summary), with a UID
    that stays the same across runs so a calendar updates rather than duplicates them.
    Today's date can be pinned with MXICT_TODAY=YYYY-MM-DD. Exit 0, or 2 on a usage error.

    Examples:

      mxict calendar --since 2024

      mxict calendar --since 2022 --until 2023 --json

      mxict calendar --ics milestones.ics --force
    """
    from mxict.errors import UsageError
    from mxict.query.calendar import milestones
    from mxict.query.freshness import parse_since

    if ics is not None and out.output is not None:
        raise UsageError("--ics FILE and -o FILE both write a file; give one of them")
    session = session_of(ctx)
    first = parse_since(since) if since is not None else None
    last = parse_since(until) if until is not None else None
    found = milestones(session.snapshot(), today(), first, last)
    if ics is None:
        out.resolve().rows(found, rows.CALENDAR, session)
        return
    from mxict.exports.ics import write_ics
    from mxict.render.text import inert

    shaped = rows.shape(found, rows.CALENDAR, sort=out.sort, limit=out.limit)
    write_ics(shaped.rows, ics, force=out.force)
    sys.stderr.write(f"wrote {len(shaped.rows)} milestones to {inert(str(ics))}\n")
