"""Commands about projects: list, show, filter-by-sector, export-opportunities, compare-value."""

# Annotations are evaluated at import, for Typer (see mxict/cli/__init__.py).
from typing import Annotated, Any

import typer

from mxict import rows
from mxict.cli.app import app
from mxict.cli.options import (
    DocumentFormatOpt,
    FieldsOpt,
    JqOpt,
    JsonOpt,
    SectorArg,
    complete_project,
    filter_options,
    output_options,
)
from mxict.cli.output import OutputRequest, document_output
from mxict.cli.session import session_of, today


@app.command("list", rich_help_panel="Query")
@output_options(rows.PROJECT_FIELDS)
@filter_options()
def list_projects(ctx: typer.Context, flt: Any, out: OutputRequest) -> None:
    """List projects, one row each (leads too with --kind lead or all).

    Examples:

      mxict list --sector subsea

      mxict list --state queretaro --json

      mxict list --sort -value_usd --limit 3 --fields id,value_usd
    """
    from mxict import rows
    from mxict.query import iter_projects

    session = session_of(ctx)
    output = out.resolve()
    snap = session.snapshot()
    # Each summary becomes its row and is dropped: 100,000 of both would not fit in 500 MiB.
    found = [rows.project_row(p, snap.sources, today()) for p in iter_projects(snap, flt)]
    spec = rows.LIST_WITH_LEADS if "lead" in flt.kinds else rows.LIST
    total = snap.count * ("profile" in flt.kinds) + len(snap.lead_ids) * ("lead" in flt.kinds)
    output.rows(found, spec, session, total=total)


@app.command("export-opportunities", rich_help_panel="Query")
@output_options(rows.OPPORTUNITY_FIELDS)
@filter_options()
def export_opportunities(ctx: typer.Context, flt: Any, out: OutputRequest) -> None:
    """One row per U.S. export opportunity item, with its project and sponsor contact.

    Examples:

      mxict export-opportunities --sector smart-cities

      mxict export-opportunities -o opportunities.csv

      mxict export-opportunities --format xlsx -o opportunities.xlsx --force
    """
    from mxict import rows
    from mxict.query import iter_projects

    session = session_of(ctx)
    output = out.resolve()
    snap = session.snapshot()
    # Each whole record becomes its rows and is dropped: memory holds rows, not records.
    projects = iter_projects(snap, flt, full=True)
    found = rows.opportunity_rows(projects, snap.sources, today())
    output.rows(found, rows.OPPORTUNITIES, session, sheet="opportunities")


@app.command("show", rich_help_panel="Query")
def show(
    ctx: typer.Context,
    project_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Project or lead id, e.g. gignet-1.",
            autocompletion=complete_project,
        ),
    ],
    fmt: DocumentFormatOpt = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    jq: JqOpt = None,
) -> None:
    """Show one project (or lead) in full.

    A profile lists the leads that relate to it (related_leads in JSON). --fields picks
    fields of the record, or the fields of `mxict list` (value_usd, states, status...)
    under the same names.

    Examples:

      mxict show gignet-1

      mxict show gignet-1 --json | jq .value

      mxict show cfe-red-compartida-towers-fiber
    """
    from mxict.query.status import status_of

    session = session_of(ctx)
    output = document_output(fmt, as_json, fields, jq)
    # Only this record and the small documents (leads, sources) are read.
    snap = session.snapshot(one_record=project_id)
    data = snap.record(project_id)
    # The status with the date of its evidence and the forecast it waits on.
    data = {**data, "current_status": status_of(data, snap.sources, today())}
    if "evidence" not in data:
        data = {**data, "related_leads": snap.related_lead_ids(data["id"])}
    if output.table and not fields:
        from mxict.cli.pager import screen
        from mxict.query import related_leads
        from mxict.render.layouts import show_lead, show_project

        with screen(session) as shown:
            if "evidence" in data:
                show_lead(data, shown.console(), today=today())
            else:
                leads = related_leads(snap, data["id"])
                show_project(data, shown.console(), today=today(), leads=leads)
        return
    if fields:
        from mxict.rows import parse_fields, project_row, select_fields

        # The list's derived fields (value_usd, states, status...) under the same names.
        data = {**project_row(data, snap.sources, today()), **data}
        (data,), _ = select_fields([data], parse_fields(fields), tuple(data))
    # --fields on a layout: the chosen fields as JSON.
    (document_output("json", False, jq=jq) if output.table else output).document(data)


@app.command("filter-by-sector", rich_help_panel="Query")
@output_options(rows.PROJECT_FIELDS)
@filter_options(sector=False)
def filter_by_sector(
    ctx: typer.Context, sector_name: SectorArg, flt: Any, out: OutputRequest
) -> None:
    """A sector's overview headline followed by its projects.

    JSON gives {"sector": {...}, "projects": [...]}; csv, tsv, md and jsonl give the
    project rows only.

    Examples:

      mxict filter-by-sector subsea

      mxict filter-by-sector a4 --json
    """
    from mxict import rows
    from mxict.query import filter_projects
    from mxict.render.formats import NESTED_FORMATS

    session = session_of(ctx)
    output = out.resolve()
    snap = session.snapshot()
    sector = snap.sector(sector_name)
    found = filter_projects(snap, flt._replace(sectors=[sector["id"]]))
    project_rows = [rows.project_row(p, snap.sources, today()) for p in found]
    headline = {key: sector[key] for key in ("id", "annex", "name", "title", "figures")}
    if output.format in NESTED_FORMATS:
        shaped = rows.shape(
            project_rows, rows.SECTOR_PROJECTS, sort=out.sort, limit=out.limit, fields=out.fields
        )
        output.document({"sector": headline, "projects": shaped.rows})
        return
    from mxict.render.layouts import sector_headline

    output.rows(
        project_rows,
        rows.SECTOR_PROJECTS,
        session,
        before=lambda console: sector_headline(sector, console),
    )


@app.command("compare-value", rich_help_panel="Query")
@output_options(rows.COMPARE.fields, sort=False)
@filter_options()
def compare_value(
    ctx: typer.Context,
    flt: Any,
    out: OutputRequest,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Aggregate by sector, sponsor or state.",
            autocompletion=lambda incomplete: [
                by for by in ("sector", "sponsor", "state") if by.startswith(incomplete)
            ],
        ),
    ] = None,
) -> None:
    """Compare projects by value in USD, largest first, with each value's basis.

    Annual figures and projects without a USD amount are listed apart with the reason,
    never mixed into totals. On a terminal the ranking is drawn as a bar chart.

    Examples:

      mxict compare-value

      mxict compare-value --by sector --json
    """
    from mxict import rows
    from mxict.query import compare_values, filter_projects
    from mxict.render.formats import NESTED_FORMATS

    session = session_of(ctx)
    output = out.resolve()
    projects = filter_projects(session.snapshot(), flt)
    result = compare_values(projects, by)
    ranked = [rows.compare_row(i, p) for i, p in enumerate(result.compared, 1)][: out.limit]
    apart = [rows.compare_row(None, p, reason) for p, reason in result.not_compared]
    if output.format in NESTED_FORMATS:
        output.document({"compared": ranked, "not_compared": apart, "groups": result.groups})
        return
    unlimited = out._replace(limit=None).resolve()  # the limit applies to the ranking
    if by:
        unlimited.rows(result.groups, rows.group_spec(by), session)
        return
    if output.table and output.path is None:
        from mxict.cli.pager import screen
        from mxict.render.chart import bar_chart

        with screen(session) as shown:
            bar_chart(shown.console(), ranked, apart)
        return
    unlimited.rows(ranked + apart, rows.COMPARE, session)
