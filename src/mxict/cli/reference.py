"""Reference commands: the sector overviews, the acronym list, the country overview, search."""

# Annotations are evaluated at import, for Typer (see mxict/cli/__init__.py).
from typing import Annotated

import typer

from mxict import rows
from mxict.cli.app import app, sectors_app
from mxict.cli.options import DocumentFormatOpt, JqOpt, JsonOpt, complete_sector, output_options
from mxict.cli.output import OutputRequest, document_output
from mxict.cli.pager import screen
from mxict.cli.session import session_of

# short_help: the whole first sentence (click would cut a group's help to fit the width).
app.add_typer(
    sectors_app,
    name="sectors",
    rich_help_panel="Reference",
    short_help="The five Annex A sector overviews.",
)


@sectors_app.callback()
@output_options(rows.SECTOR_FIELDS)
def sectors_list(ctx: typer.Context, out: OutputRequest) -> None:
    """List the five sector overviews (Annex A1-A5)."""
    if ctx.invoked_subcommand is not None:
        return
    from mxict import rows

    session = session_of(ctx)
    output = out.resolve()
    snap = session.snapshot()
    sector_rows = [rows.sector_row(s, snap.projects) for s in snap.sectors]
    output.rows(sector_rows, rows.SECTORS, session)


@sectors_app.command("show")
def sectors_show(
    ctx: typer.Context,
    sector_name: Annotated[
        str,
        typer.Argument(
            metavar="SECTOR",
            autocompletion=complete_sector,
            help="Slug, annex code or prefix.",
        ),
    ],
    fmt: DocumentFormatOpt = None,
    as_json: JsonOpt = False,
    jq: JqOpt = None,
) -> None:
    """Show one sector overview with its figures and tables.

    Examples:

      mxict sectors show subsea

      mxict sectors show A3 --json
    """
    session = session_of(ctx)
    output = document_output(fmt, as_json, jq=jq)
    snap = session.snapshot()
    sector = snap.sector(sector_name)
    if output.table:
        from mxict.render.layouts import show_sector

        projects = [p for p in snap.projects if p["sector"] == sector["id"]]
        with screen(session) as shown:
            show_sector(sector, projects, shown.console())
    else:
        output.document(sector)


@app.command("acronyms", rich_help_panel="Reference")
@output_options(rows.ACRONYM_FIELDS)
def acronyms(
    ctx: typer.Context,
    out: OutputRequest,
    term: Annotated[
        str | None, typer.Argument(metavar="TERM", help="Acronym or word to look up.")
    ] = None,
) -> None:
    """Look up the Annex B acronym list (all entries without TERM).

    The exact acronym comes first, then entries with TERM as a word of the acronym or its
    definition, then as the start of a word (4 letters or more); every word of TERM must
    match. Case and accents are ignored.

    Examples:

      mxict acronyms IFT

      mxict acronyms digital --json
    """
    from mxict import rows
    from mxict.query.acronyms import find_acronyms
    from mxict.textfold import closest

    session = session_of(ctx)
    output = out.resolve()
    every = session.snapshot().acronyms["entries"]
    entries = find_acronyms(every, term) if term else every
    message = None
    if term and not entries:
        hint = closest(term, [e["acronym"] for e in every])
        suffix = f"; did you mean {' or '.join(hint)}?" if hint else ""
        message = f"no acronym matches {term!r}{suffix}"
    output.rows(
        [rows.acronym_row(e) for e in entries], rows.ACRONYMS, session, empty_message=message
    )


@app.command("country", rich_help_panel="Reference")
def country(
    ctx: typer.Context,
    fmt: DocumentFormatOpt = None,
    as_json: JsonOpt = False,
    jq: JqOpt = None,
) -> None:
    """The country overview: demographics, ICT sector, providers, regulator.

    Examples:

      mxict country

      mxict country --json | jq .regulator
    """
    session = session_of(ctx)
    output = document_output(fmt, as_json, jq=jq)
    record = session.snapshot().country
    if output.table:
        from mxict.render.layouts import show_country

        with screen(session) as shown:
            show_country(record, shown.console())
    else:
        output.document(record)


@app.command("search", rich_help_panel="Query")
@output_options(rows.SEARCH_FIELDS)
def search(
    ctx: typer.Context,
    text: Annotated[
        str,
        typer.Argument(metavar="TEXT", help="Text to find (case- and accent-insensitive)."),
    ],
    out: OutputRequest,
) -> None:
    """Full-text search: one row per record, best first, with the fields that matched.

    Every word must occur somewhere in the record, in any order; put a phrase in quotes.
    Records are ranked by BM25 (the name counts three times).

    Examples:

      mxict search "data center"

      mxict search queretaro --json
    """
    from mxict import rows
    from mxict.query.search import search as run_search

    session = session_of(ctx)
    output = out.resolve()
    from mxict.query.text import highlights, parse_query

    hits = run_search(session.snapshot(), text)
    query = parse_query(text)
    output.rows(
        [rows.search_row(h) for h in hits],
        rows.SEARCH,
        session,
        highlight=lambda cell: highlights(cell, query),
    )
