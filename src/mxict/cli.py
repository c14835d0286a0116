"""The `mxict` command: parse options, call catalog -> query -> render, map errors to exit codes.

Exit codes: 0 success (including no results), 1 domain error (unknown id or sector,
invalid data), 2 usage error (bad option, missing data directory), 130 interrupted.
"""

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from mxict import __version__
from mxict.errors import MxictError, UsageError

F = TypeVar("F", bound=Callable[..., Any])

EPILOG = (
    "Exit codes: 0 ok (also when nothing matches), 1 unknown id or invalid data, 2 usage error."
)

app = typer.Typer(
    name="mxict",
    help=(
        "Query the curated dataset of ICT investment opportunities in Mexico "
        "(USTDA ICT Resource Guide, its eleven projects and five sector annexes).\n\n"
        "Examples:\n\n"
        "  mxict list --sector subsea\n\n"
        "  mxict list --json | jq '.[].id'\n\n"
        "  mxict show gignet-1\n\n"
        "  mxict validate"
    ),
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
sectors_app = typer.Typer(
    help="The five Annex A sector overviews.\n\nExamples:\n\n  mxict sectors\n\n"
    "  mxict sectors show subsea",
    epilog=EPILOG,
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(sectors_app, name="sectors")


class State:
    """Options given before the command name."""

    data_dir: str | None = None
    no_color: bool = False
    no_cache: bool = False


STATE = State()


# --------------------------------------------------------------------------- plumbing


def fail(message: str, code: int) -> typer.Exit:
    """Print one clear line on stderr and return the Exit to raise."""
    from mxict.render import inert

    sys.stderr.write(f"mxict: error: {inert(message)}\n")
    return typer.Exit(code)


def handles_errors(func: F) -> F:
    """Turn MxictError into a message on stderr and its exit code; keep tracebacks for bugs."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MxictError as exc:
            raise fail(str(exc), exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def catalog() -> Any:
    """The validated, typed catalog for --data-dir (or the bundled data)."""
    from mxict.catalog import load_catalog
    from mxict.progress import progress_bar

    return load_catalog(STATE.data_dir, progress=progress_bar)


def snapshot() -> Any:
    """The validated records as dicts, from the cache when the data is unchanged."""
    from mxict.progress import progress_bar
    from mxict.snapshot import load_snapshot

    # The bar appears only while the cache is (re)built, and only on a terminal.
    return load_snapshot(STATE.data_dir, use_cache=not STATE.no_cache, progress=progress_bar)


def today() -> date:
    """Today's date; MXICT_TODAY=YYYY-MM-DD pins it (tests, reproducible reports)."""
    pinned = os.environ.get("MXICT_TODAY")
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise UsageError(f"MXICT_TODAY={pinned!r} is not a YYYY-MM-DD date") from None
    return date.today()


def use_color() -> bool:
    """Colour only on a terminal, and never with --no-color or NO_COLOR set."""
    return not STATE.no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def output_format(
    fmt: str | None,
    as_json: bool,
    allowed: tuple[str, ...] | None = None,
    *,
    document: bool = False,
) -> Any:
    """Resolve --format/--json: default table on a terminal, tsv when piped.

    A `document` (one record laid out for reading) stays a layout when piped, uncoloured.
    """
    from mxict.render import OutputFormat

    if as_json:
        if fmt not in (None, "json"):
            raise UsageError("--json cannot be combined with --format " + str(fmt))
        return OutputFormat.JSON
    if fmt is None:
        return OutputFormat.TABLE if document or sys.stdout.isatty() else OutputFormat.TSV
    valid = allowed or tuple(f.value for f in OutputFormat)
    if fmt not in valid:
        raise UsageError(f"unknown format {fmt!r}; choose from: {', '.join(valid)}")
    return OutputFormat(fmt)


def emit_rows(
    rows: list[dict[str, Any]],
    valid: tuple[str, ...],
    fmt: Any,
    fields: str | None,
    sort: str | None = None,
    limit: int | None = None,
    title: str | None = None,
    default_fields: tuple[str, ...] | None = None,
    optional: tuple[str, ...] = (),
) -> None:
    """Sort, limit, select fields and render rows to stdout.

    `optional` default columns give way, in order, on a narrow terminal.
    """
    from mxict.query import sort_rows
    from mxict.render import OutputFormat, parse_fields, render_rows, select_fields

    rows = sort_rows(rows, sort, valid)
    if limit is not None:
        rows = rows[:limit]
    wanted = parse_fields(fields)
    if wanted is None and fmt is OutputFormat.TABLE and default_fields:
        wanted = list(default_fields)
    selected, chosen = select_fields(rows, wanted, valid)
    render_rows(
        selected,
        chosen,
        fmt,
        sys.stdout,
        color=use_color(),
        title=title,
        optional=optional if wanted == list(default_fields or ()) else (),
    )


# --------------------------------------------------------------------------- shared options

FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json, jsonl, csv, tsv, md or yaml "
        "[default: table on a terminal, tsv when piped]",
        metavar="FORMAT",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Short for --format json.")]
FieldsOpt = Annotated[
    str | None,
    typer.Option("--fields", help="Comma-separated fields to output, in order.", metavar="A,B,C"),
]
SortOpt = Annotated[
    str | None,
    typer.Option("--sort", help="Sort by FIELD; -FIELD sorts descending.", metavar="FIELD"),
]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=0, help="At most N rows.")]


def complete_sector(incomplete: str) -> list[str]:
    """Shell completion: sector slugs and annex codes."""
    from mxict.models import SectorId

    options = [s.value for s in SectorId] + [f"A{i}" for i in range(1, 6)]
    return [o for o in options if o.lower().startswith(incomplete.lower())]


def complete_project(incomplete: str) -> list[str]:
    """Shell completion: project ids from the data directory (ids equal file stems)."""
    from mxict.datadir import resolve_data_dir

    try:
        folder = resolve_data_dir(STATE.data_dir or None) / "projects"
        ids = sorted(p.stem for p in folder.glob("*.yaml"))
    except (MxictError, OSError):
        return []
    return [i for i in ids if i.startswith(incomplete.lower())]


SectorOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--sector",
        "-s",
        help="Sector slug, annex code (A2) or prefix; repeat for OR.",
        autocompletion=complete_sector,
    ),
]
SponsorOpt = Annotated[
    list[str] | None, typer.Option("--sponsor", help="Sponsor name or acronym (substring).")
]
StateOpt = Annotated[
    list[str] | None, typer.Option("--state", help="Mexican state or place, e.g. queretaro.")
]
StatusOpt = Annotated[
    list[str] | None, typer.Option("--status", help="Current status, e.g. approved, stalled.")
]
MinOpt = Annotated[float | None, typer.Option("--min-value", help="Minimum value in USD.")]
MaxOpt = Annotated[float | None, typer.Option("--max-value", help="Maximum value in USD.")]
QueryOpt = Annotated[
    list[str] | None, typer.Option("--query", "-q", help="Text anywhere in the record.")
]


def make_filter(
    sector: list[str] | None,
    sponsor: list[str] | None,
    state: list[str] | None,
    status: list[str] | None,
    min_value: float | None,
    max_value: float | None,
    query: list[str] | None,
) -> Any:
    """Build the shared ProjectFilter from command-line options."""
    from mxict.query import ProjectFilter

    return ProjectFilter(
        sectors=sector or (),
        sponsors=sponsor or (),
        states=state or (),
        statuses=status or (),
        min_value=min_value,
        max_value=max_value,
        queries=query or (),
    )


# --------------------------------------------------------------------------- global options


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"mxict {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    data_dir: Annotated[
        str | None,
        typer.Option(
            "--data-dir",
            envvar="MXICT_DATA_DIR",
            metavar="DIR",
            help="Data directory [default: the bundled dataset].",
        ),
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never colour output.")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Re-read and re-validate the YAML; skip the cache.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Query the curated dataset of ICT investment opportunities in Mexico."""
    STATE.data_dir = data_dir
    STATE.no_color = no_color
    STATE.no_cache = no_cache


# --------------------------------------------------------------------------- commands


@app.command("list")
@handles_errors
def list_projects(
    sector: SectorOpt = None,
    sponsor: SponsorOpt = None,
    state: StateOpt = None,
    status: StatusOpt = None,
    min_value: MinOpt = None,
    max_value: MaxOpt = None,
    query: QueryOpt = None,
    sort: SortOpt = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """List projects, one row each.

    Examples:

      mxict list --sector subsea

      mxict list --state queretaro --json

      mxict list --sort -value_usd --limit 3 --fields id,value_usd
    """
    from mxict.query import filter_projects
    from mxict.rows import PROJECT_FIELDS, project_row

    out = output_format(fmt, as_json)
    projects = filter_projects(
        snapshot(), make_filter(sector, sponsor, state, status, min_value, max_value, query)
    )
    rows = [project_row(p) for p in projects]
    emit_rows(
        rows,
        PROJECT_FIELDS,
        out,
        fields,
        sort,
        limit,
        default_fields=("id", "name", "sponsor", "sector", "location", "value", "status"),
        optional=("location", "sector", "sponsor"),
    )


@app.command("show")
@handles_errors
def show(
    project_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Project id, e.g. gignet-1.", autocompletion=complete_project
        ),
    ],
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Show one project in full.

    Examples:

      mxict show gignet-1

      mxict show gignet-1 --json | jq .value
    """
    from mxict.render import (
        OutputFormat,
        make_console,
        render_document,
        select_fields,
    )

    out = output_format(fmt, as_json, ("table", "json", "jsonl", "yaml"), document=True)
    data = snapshot().project(project_id)
    if out is OutputFormat.TABLE and not fields:
        from mxict.render_layouts import show_project

        show_project(data, make_console(sys.stdout, color=use_color()), today=today())
        return
    if fields:
        from mxict.render import parse_fields

        (data,), _ = select_fields([data], parse_fields(fields), tuple(data))
    render_document(data, out if out is not OutputFormat.TABLE else OutputFormat.JSON, sys.stdout)


@app.command("filter-by-sector")
@handles_errors
def filter_by_sector(
    sector_name: Annotated[
        str,
        typer.Argument(
            metavar="SECTOR",
            autocompletion=complete_sector,
            help="Slug (subsea), annex code (A2) or prefix.",
        ),
    ],
    sponsor: SponsorOpt = None,
    state: StateOpt = None,
    status: StatusOpt = None,
    min_value: MinOpt = None,
    max_value: MaxOpt = None,
    query: QueryOpt = None,
    sort: SortOpt = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """A sector's overview headline followed by its projects.

    JSON gives {"sector": {...}, "projects": [...]}; csv, tsv, md and jsonl give the
    project rows only.

    Examples:

      mxict filter-by-sector subsea

      mxict filter-by-sector a4 --json
    """
    from mxict.query import filter_projects, sort_rows
    from mxict.render import OutputFormat, make_console, render_document, select_fields
    from mxict.rows import PROJECT_FIELDS, project_row

    out = output_format(fmt, as_json)
    snap = snapshot()
    sector = snap.sector(sector_name)
    flt = make_filter([sector["id"]], sponsor, state, status, min_value, max_value, query)
    rows = [project_row(p) for p in filter_projects(snap, flt)]
    headline = {key: sector[key] for key in ("id", "annex", "name", "title", "figures")}
    if out in (OutputFormat.JSON, OutputFormat.YAML):
        rows = sort_rows(rows, sort, PROJECT_FIELDS)[:limit]
        from mxict.render import parse_fields

        selected, _ = select_fields(rows, parse_fields(fields), PROJECT_FIELDS)
        render_document({"sector": headline, "projects": selected}, out, sys.stdout)
        return
    if out is OutputFormat.TABLE:
        from rich.text import Text

        from mxict.render import inert

        console = make_console(sys.stdout, color=use_color())
        console.print(Text(inert(f"{sector['annex']} {sector['title']}"), style="bold"))
        for figure in sector["figures"][:6]:
            console.print(Text("  • " + inert(f"{figure['label']}: {figure['as_printed']}")))
    emit_rows(
        rows,
        PROJECT_FIELDS,
        out,
        fields,
        sort,
        limit,
        default_fields=("id", "name", "sponsor", "location", "value", "status"),
    )


@app.command("export-opportunities")
@handles_errors
def export_opportunities(
    sector: SectorOpt = None,
    sponsor: SponsorOpt = None,
    state: StateOpt = None,
    status: StatusOpt = None,
    min_value: MinOpt = None,
    max_value: MaxOpt = None,
    query: QueryOpt = None,
    sort: SortOpt = None,
    limit: LimitOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="csv, tsv, json, jsonl, md, xlsx or table [default: from -o's extension, "
            "else table on a terminal, tsv when piped]",
        ),
    ] = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """One row per U.S. export opportunity item, with its project and sponsor contact.

    Examples:

      mxict export-opportunities --sector smart-cities

      mxict export-opportunities -o opportunities.csv

      mxict export-opportunities --format xlsx -o opportunities.xlsx --force
    """
    from mxict.exporting import export_rows
    from mxict.query import filter_projects
    from mxict.rows import OPPORTUNITY_FIELDS, opportunity_rows

    if fmt is None and output is not None and not as_json:
        fmt = output.suffix.lstrip(".").lower() or None
    if fmt == "xlsx" and output is None:
        raise UsageError("xlsx is a binary format: give a file with -o FILE.xlsx")
    projects = filter_projects(
        snapshot(),
        make_filter(sector, sponsor, state, status, min_value, max_value, query),
        full=True,
    )
    rows = opportunity_rows(projects)
    if output is None:
        out = output_format(fmt, as_json, ("table", "json", "jsonl", "csv", "tsv", "md", "yaml"))
        emit_rows(
            rows,
            OPPORTUNITY_FIELDS,
            out,
            fields,
            sort,
            limit,
            default_fields=("project_id", "category", "kind", "description"),
        )
        return
    export_rows(
        rows,
        OPPORTUNITY_FIELDS,
        "json" if as_json else (fmt or "csv"),
        output,
        force=force,
        fields=fields,
        sort=sort,
        limit=limit,
        sheet="opportunities",
    )
    sys.stderr.write(f"wrote {len(rows[:limit] if limit is not None else rows)} rows to {output}\n")


@app.command("compare-value")
@handles_errors
def compare_value(
    by: Annotated[
        str | None, typer.Option("--by", help="Aggregate by sector, sponsor or state.")
    ] = None,
    sector: SectorOpt = None,
    sponsor: SponsorOpt = None,
    state: StateOpt = None,
    status: StatusOpt = None,
    min_value: MinOpt = None,
    max_value: MaxOpt = None,
    query: QueryOpt = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Compare projects by value in USD, largest first, with each value's basis.

    Annual figures and projects without a USD amount are listed apart with the reason,
    never mixed into totals. On a terminal the ranking is drawn as a bar chart.

    Examples:

      mxict compare-value

      mxict compare-value --by sector --json
    """
    from mxict.query import compare_values, filter_projects
    from mxict.render import OutputFormat, render_document
    from mxict.rows import COMPARE_FIELDS, GROUP_FIELDS, compare_row

    out = output_format(fmt, as_json)
    projects = filter_projects(
        snapshot(), make_filter(sector, sponsor, state, status, min_value, max_value, query)
    )
    result = compare_values(projects, by)
    ranked = [compare_row(i, p) for i, p in enumerate(result.compared, 1)][:limit]
    apart = [compare_row(None, p, reason) for p, reason in result.not_compared]
    if out in (OutputFormat.JSON, OutputFormat.YAML):
        render_document(
            {"compared": ranked, "not_compared": apart, "groups": result.groups}, out, sys.stdout
        )
        return
    if by:
        emit_rows(result.groups, (by, *GROUP_FIELDS), out, fields)
        return
    if out is OutputFormat.TABLE:
        from mxict.render import make_console
        from mxict.render_chart import bar_chart

        console = make_console(sys.stdout, color=use_color())
        bar_chart(console, ranked, apart)
        return
    emit_rows(ranked + apart, (*COMPARE_FIELDS, "reason"), out, fields)


@sectors_app.callback()
@handles_errors
def sectors_list(
    ctx: typer.Context, fmt: FormatOpt = None, as_json: JsonOpt = False, fields: FieldsOpt = None
) -> None:
    """List the five sector overviews (Annex A1-A5)."""
    if ctx.invoked_subcommand is not None:
        return
    from mxict.rows import SECTOR_FIELDS, sector_row

    snap = snapshot()
    rows = [sector_row(s, snap.projects) for s in snap.sectors]
    emit_rows(
        rows,
        SECTOR_FIELDS,
        output_format(fmt, as_json),
        fields,
        default_fields=("id", "annex", "name", "projects", "tables"),
    )


@sectors_app.command("show")
@handles_errors
def sectors_show(
    sector_name: Annotated[
        str,
        typer.Argument(
            metavar="SECTOR", autocompletion=complete_sector, help="Slug, annex code or prefix."
        ),
    ],
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one sector overview with its figures and tables.

    Examples:

      mxict sectors show subsea

      mxict sectors show A3 --json
    """
    from mxict.render import OutputFormat, make_console, render_document

    out = output_format(fmt, as_json, ("table", "json", "jsonl", "yaml"), document=True)
    snap = snapshot()
    sector = snap.sector(sector_name)
    if out is OutputFormat.TABLE:
        projects = [p for p in snap.projects if p["sector"] == sector["id"]]
        from mxict.render_layouts import show_sector

        show_sector(sector, projects, make_console(sys.stdout, color=use_color()))
    else:
        render_document(sector, out, sys.stdout)


@app.command("acronyms")
@handles_errors
def acronyms(
    term: Annotated[str | None, typer.Argument(help="Acronym or word to look up.")] = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Look up the Annex B acronym list (all entries without TERM).

    Examples:

      mxict acronyms IFT

      mxict acronyms satellite --json
    """
    from mxict.rows import ACRONYM_FIELDS, acronym_row
    from mxict.textfold import closest, fold

    every = snapshot().acronyms["entries"]
    entries = every
    if term:
        key = fold(term)
        exact = [e for e in every if fold(e["acronym"]) == key]
        partial = [
            e
            for e in every
            if e not in exact and (key in fold(e["acronym"]) or key in fold(e["definition"]))
        ]
        entries = exact + partial
        if not entries:
            hint = closest(term, [e["acronym"] for e in every])
            suffix = f"; did you mean {' or '.join(hint)}?" if hint else ""
            sys.stderr.write(f"mxict: no acronym matches {term!r}{suffix}\n")
    emit_rows(
        [acronym_row(e) for e in entries], ACRONYM_FIELDS, output_format(fmt, as_json), fields
    )


@app.command("country")
@handles_errors
def country(fmt: FormatOpt = None, as_json: JsonOpt = False) -> None:
    """The country overview: demographics, ICT sector, providers, regulator.

    Examples:

      mxict country

      mxict country --json | jq .regulator
    """
    from mxict.render import OutputFormat, make_console, render_document

    out = output_format(fmt, as_json, ("table", "json", "jsonl", "yaml"), document=True)
    record = snapshot().country
    if out is OutputFormat.TABLE:
        from mxict.render_layouts import show_country

        show_country(record, make_console(sys.stdout, color=use_color()))
    else:
        render_document(record, out, sys.stdout)


@app.command("search")
@handles_errors
def search(
    text: Annotated[str, typer.Argument(help="Text to find (case- and accent-insensitive).")],
    limit: LimitOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Full-text search across every record, showing which field matched.

    Examples:

      mxict search "data center"

      mxict search queretaro --json
    """
    from mxict.query import search as run_search
    from mxict.rows import SEARCH_FIELDS, search_row

    hits = run_search(snapshot(), text)
    emit_rows(
        [search_row(h) for h in hits],
        SEARCH_FIELDS,
        output_format(fmt, as_json),
        fields,
        limit=limit,
    )


@app.command("stale")
@handles_errors
def stale(
    older_than: Annotated[
        str, typer.Option("--older-than", metavar="AGE", help="365d, 12w, 6m or 1y.")
    ] = "365d",
    limit: LimitOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Records due for re-checking: last verified, or last event, longer ago than AGE.

    Oldest first. Today's date can be pinned with MXICT_TODAY=YYYY-MM-DD.

    Examples:

      mxict stale

      mxict stale --older-than 2y --json
    """
    from mxict.query import parse_age, stale_records
    from mxict.rows import STALE_FIELDS

    rows = stale_records(snapshot(), parse_age(older_than), today())
    emit_rows(rows, STALE_FIELDS, output_format(fmt, as_json), fields, limit=limit)


@app.command("changes")
@handles_errors
def changes(
    since: Annotated[
        str, typer.Option("--since", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD.")
    ],
    limit: LimitOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Dated events on or after DATE across all projects, newest first.

    Includes timeline events and sponsor changes (dissolved, renamed...), with sources.

    Examples:

      mxict changes --since 2024

      mxict changes --since 2021-06 --json
    """
    from mxict.query import changes_since, parse_since
    from mxict.rows import CHANGE_FIELDS

    rows = changes_since(snapshot(), parse_since(since))
    emit_rows(
        rows,
        CHANGE_FIELDS,
        output_format(fmt, as_json),
        fields,
        limit=limit,
        default_fields=("date", "project_id", "status", "event"),
    )


@app.command("validate")
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...", help="Files or data directories [default: the data directory]."
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="FORMAT", help="text, json or github (PR annotations)."
        ),
    ] = "text",
) -> None:
    """Check the data: YAML syntax, schema, and rules across records; report every problem.

    Each problem is printed as FILE:LINE:COLUMN: PATH: MESSAGE [RULE]. Exit 0 when
    valid, 1 when any problem is found, 2 on a usage error.

    Examples:

      mxict validate

      mxict validate data/projects/gignet-1.yaml

      mxict validate --format github
    """
    from mxict.catalog import resolve_data_dir, validate_tree
    from mxict.progress import progress_bar
    from mxict.validation import ReportFormat, report, validate_paths

    try:
        report_format = ReportFormat(fmt)
    except ValueError:
        raise fail(f"unknown format {fmt!r}; choose from: text, json, github", 2) from None
    try:
        with progress_bar("validating") as advance:
            if paths:
                try:
                    context_dir: Path | None = resolve_data_dir(STATE.data_dir)
                except MxictError:
                    context_dir = None  # references are then checked among PATHs only
                result = validate_paths(paths, context_dir, advance)
            else:
                result = validate_tree(
                    resolve_data_dir(STATE.data_dir),
                    advance,
                    keep_record=False,
                    use_cache=not STATE.no_cache,
                )
    except MxictError as exc:
        raise fail(str(exc), exc.exit_code) from None
    report(result, report_format, sys.stdout)
    count = len(set(result.problems))
    if report_format is ReportFormat.TEXT:
        if count:
            sys.stderr.write(f"{count} problem(s) in {result.files_checked} file(s) checked\n")
        else:
            sys.stderr.write(f"ok: {result.files_checked} file(s) valid\n")
    raise typer.Exit(1 if count else 0)


@app.command("schema")
@handles_errors
def schema(
    kind: Annotated[
        str, typer.Argument(help="project, sector, acronyms, country or sources.")
    ] = "project",
) -> None:
    """Print the JSON Schema of a record kind, generated from the models.

    Examples:

      mxict schema project > project.schema.json

      mxict schema sector
    """
    from mxict.schemas import schema_json

    sys.stdout.write(schema_json(kind))


# --------------------------------------------------------------------------- entry point


def _lift_global_flags(args: list[str]) -> list[str]:
    """Accept --no-color anywhere on the line, not only before the command name."""
    if "--no-color" not in args:
        return args
    end = args.index("--") if "--" in args else len(args)
    rest = [a for a in args[:end] if a != "--no-color"] + args[end:]
    return ["--no-color", *rest] if len(rest) < len(args) else args


def main() -> None:
    """Console-script entry point: run the app and end cleanly whatever the environment.

    A closed pipe ends quietly with status 0 (`mxict list | head -1`), Ctrl-C prints
    "interrupted" and exits 130, an unwritable or unencodable stdout gets one clear line
    (exit 1), and a closed stdout or stderr is treated as /dev/null: never a traceback.
    """
    import errno

    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # started with the descriptor closed (`>&-`)
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    code: Any = 0
    try:
        try:
            app(args=_lift_global_flags(sys.argv[1:]), prog_name="mxict")
        except SystemExit as exc:
            code = exc.code
            # Typer turns Ctrl-C into a silent exit 130 and a closed pipe into exit 1;
            # the original exception is still in the chain.
            reason: BaseException | None = exc.__context__
            for _ in range(8):
                if reason is None or isinstance(reason, KeyboardInterrupt | OSError):
                    break
                reason = reason.__cause__ or reason.__context__
            if isinstance(reason, KeyboardInterrupt):
                raise KeyboardInterrupt from None
            if isinstance(reason, OSError) and reason.errno == errno.EPIPE:
                raise BrokenPipeError from None
        # Flush now, while a failure can still be reported, not at interpreter exit.
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away: stop quietly, like other CLIs. Later flushes of what is
        # still buffered go to /dev/null instead of raising again at exit.
        code, message = 0, ""
    except KeyboardInterrupt:
        code, message = 130, "interrupted"
    except UnicodeEncodeError as exc:
        char = ascii(exc.object[exc.start : exc.end])
        message = f"error: cannot write {char} in the output encoding ({exc.encoding})"
        if exc.encoding.replace("-", "").lower() != "utf8":
            message += "; use a UTF-8 locale or set PYTHONIOENCODING=utf-8"
        code = 1
    except OSError as exc:
        # Not a bug but the system saying no (a full disk, a folder it may not read).
        where = f": {str(exc.filename)!r}" if exc.filename else ""
        code, message = 1, f"error: {exc.strerror or exc}{where}"
    else:
        sys.exit(code)
    if message:
        sys.stderr.write(f"mxict: {message}\n")
    try:
        # Drop what is still buffered: flushing it at exit could fail or block again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout has no descriptor (replaced or already closed): nothing to drop
    sys.exit(code)


def _register_subcommands() -> None:
    # Imported last: cli_export uses the helpers defined above.
    from mxict.cli_export import register

    register(app)


_register_subcommands()
