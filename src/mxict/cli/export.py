"""`mxict export ...` and `mxict serve`: the dataset in other tools' formats."""

# Annotations are evaluated at import, for Typer (see mxict/cli/__init__.py).
import shutil
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from mxict.cli.app import app, export_app, fail
from mxict.cli.output import wrote
from mxict.cli.session import session_of, today
from mxict.render.text import inert

app.add_typer(
    export_app,
    name="export",
    rich_help_panel="Export and serve",
    short_help="Export the whole dataset for other tools.",
)

ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite the output if it exists.")]


@export_app.command("sqlite")
def export_sqlite(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE.db", help="Database to write.", dir_okay=False)
    ],
    force: ForceOpt = False,
) -> None:
    """A normalised SQLite database with full-text search, plus FILE.metadata.json for Datasette.

    Open it with `datasette FILE.db --metadata FILE.metadata.json`, or use `mxict serve`.

    Examples:

      mxict export sqlite mxict.db

      mxict export sqlite mxict.db --force && sqlite3 mxict.db 'select id from projects'
    """
    from mxict.exports.sqlite import write_sqlite

    metadata = write_sqlite(session_of(ctx).catalog(), file, force=force, today=today())
    sys.stderr.write(f"wrote {inert(str(file))} and {inert(str(metadata))}\n")


@export_app.command("xlsx")
def export_xlsx(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE.xlsx", help="Workbook to write.", dir_okay=False)
    ],
    force: ForceOpt = False,
) -> None:
    """An Excel workbook with one sheet per table: typed cells, bold frozen header.

    Examples:

      mxict export xlsx mxict.xlsx

      mxict export xlsx mxict.xlsx --force
    """
    from mxict.exports.xlsx import write_workbook

    sheets = write_workbook(session_of(ctx).catalog(), file, force=force, today=today())
    wrote(f"{len(sheets)} sheets", file)


StdoutOrFileOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to FILE [default: stdout]."),
]


def _json_to(output: Path | None, document: Any, *, force: bool, what: str) -> None:
    """Write `document` as JSON to stdout, or atomically to `output` (saying `what` was
    written there, on stderr)."""
    if output is None:
        from mxict.render.text import to_json

        sys.stdout.write(to_json(document) + "\n")
        return
    from mxict.exports.files import write_json

    write_json(output, document, force=force)
    wrote(what, output)


@export_app.command("oc4ids")
def export_oc4ids(
    ctx: typer.Context,
    output: StdoutOrFileOpt = None,
    force: ForceOpt = False,
) -> None:
    """The projects as an OC4IDS 0.9 project package (JSON), on stdout or in FILE.

    Examples:

      mxict export oc4ids | jq '.projects[].status'

      mxict export oc4ids -o mxict.oc4ids.json
    """
    from mxict.exports.oc4ids import project_package

    package = project_package(session_of(ctx).catalog())
    _json_to(output, package, force=force, what=f"{len(package['projects'])} projects")


@export_app.command("geojson")
def export_geojson(
    ctx: typer.Context,
    output: StdoutOrFileOpt = None,
    force: ForceOpt = False,
) -> None:
    """The projects as GeoJSON points (RFC 7946), on stdout or in FILE.

    Each project is a point at the centre of its state (ISO 3166-2:MX and INEGI codes in
    its properties); nationwide projects have no point (geometry null).

    Examples:

      mxict export geojson -o projects.geojson

      mxict export geojson | jq '.features[] | select(.geometry) | .id'
    """
    from mxict.exports.geojson import project_features

    collection = project_features(session_of(ctx).catalog())
    located = sum(1 for f in collection["features"] if f["geometry"])
    what = f"{len(collection['features'])} projects ({located} with a point)"
    _json_to(output, collection, force=force, what=what)


@export_app.command("datapackage")
def export_datapackage(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Directory to create.", file_okay=False)
    ],
    force: ForceOpt = False,
) -> None:
    """A Frictionless Data Package: one CSV per table plus datapackage.json.

    With --force, DIR is replaced only if it is empty or holds a datapackage.json.

    Examples:

      mxict export datapackage mxict-data

      mxict export datapackage mxict-data --force
    """
    from mxict.exports.datapackage import write_datapackage

    names = write_datapackage(session_of(ctx).catalog(), directory, force=force, today=today())
    wrote(f"{len(names)} files", directory)


@app.command("serve", rich_help_panel="Export and serve")
def serve(
    ctx: typer.Context,
    port: Annotated[
        int, typer.Option("--port", "-p", min=1, max=65535, help="Port to listen on.")
    ] = 8001,
    host: Annotated[
        str,
        typer.Option("--host", help="Interface to listen on; 0.0.0.0 exposes it to the network."),
    ] = "127.0.0.1",
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the home page in your web browser once up.")
    ] = False,
) -> None:
    """Browse and query the dataset in Datasette, in your web browser, until Ctrl-C.

    The home page leads with questions (opportunities in a sector above a value, with
    contacts; the largest projects; what happened since a date; whom to contact), then
    the projects at a glance on a map. The SQLite export is cached and rebuilt only when
    the data changes (--no-cache builds a fresh copy). The URL is printed once the server
    answers; a busy port is an error (exit 1) before that. Ctrl-C or SIGTERM stops
    Datasette and ends with exit 0. Needs the export extra: pip install 'mxict[export]'.

    Examples:

      mxict serve --open

      mxict serve --port 8002

      mxict --data-dir ./data serve --host 0.0.0.0
    """
    from mxict.dataset.layout import resolve_data_dir
    from mxict.exports.serve import (
        check_port,
        datasette_command,
        prepare,
        require_datasette,
        run,
    )

    session = session_of(ctx)
    require_datasette()
    check_port(host, port)  # a busy port is one clear error, before any URL
    files = prepare(resolve_data_dir(session.data_dir), use_cache=not session.no_cache)

    url = f"http://{_url_host(host)}:{port}/"

    def announce() -> None:
        sys.stderr.write(f"mxict: serving {url} (Ctrl-C to stop)\n")
        sys.stderr.flush()
        if open_browser:
            import webbrowser

            # No browser (a server, CI) is not an error: the URL is printed above.
            if not webbrowser.open(url):
                sys.stderr.write("mxict: no web browser found; open the URL above\n")

    try:
        sys.stderr.write(("built " if files.rebuilt else "using cached ") + f"{files.database}\n")
        # Datasette's own messages go to stderr too: stdout is for data only.
        code = run(
            datasette_command(files, host, port),
            stdout=_stderr_fd(),
            ready=(host, port),
            on_ready=announce,
        )
    finally:
        if files.temporary is not None:
            shutil.rmtree(files.temporary, ignore_errors=True)
    if code:
        raise fail(f"datasette exited with status {code}", 1)
    sys.stderr.write("mxict: server stopped\n")


def _url_host(host: str) -> str:
    # Listening on every interface: the URL that works from this machine is loopback.
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _stderr_fd() -> int | None:
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None  # a captured stderr (tests) has no descriptor: inherit ours
