"""`mxict export ...` and `mxict serve`: the dataset in other tools' formats.

The commands are plain functions here and are wrapped and registered by `register`,
which cli.py calls after defining its helpers (so this module never imports mxict.cli
at import time, and either module can be imported first).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

EXPORT_HELP = (
    "Export the whole dataset for other tools: a SQLite database for Datasette, an Excel "
    "workbook, an OC4IDS project package, or a Frictionless Data Package.\n\n"
    "Tables: projects, sectors, export_opportunities, contacts, milestones, financing, "
    "sources, acronyms. Files are written atomically; an existing file is replaced only "
    "with --force.\n\n"
    "Examples:\n\n"
    "  mxict export sqlite mxict.db\n\n"
    "  mxict export xlsx mxict.xlsx --force\n\n"
    "  mxict export oc4ids -o mxict.oc4ids.json\n\n"
    "  mxict export datapackage mxict-data"
)

ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite the output if it exists.")]


def export_sqlite(
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
    from mxict.cli import catalog
    from mxict.exports.sqlite import write_sqlite

    metadata = write_sqlite(catalog(), file, force=force)
    sys.stderr.write(f"wrote {file} and {metadata}\n")


def export_xlsx(
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
    from mxict.cli import catalog
    from mxict.exports.xlsx import write_workbook

    sheets = write_workbook(catalog(), file, force=force)
    sys.stderr.write(f"wrote {len(sheets)} sheets to {file}\n")


def export_oc4ids(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE [default: stdout]."),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """The projects as an OC4IDS 0.9 project package (JSON), on stdout or in FILE.

    Examples:

      mxict export oc4ids | jq '.projects[].status'

      mxict export oc4ids -o mxict.oc4ids.json
    """
    from mxict.cli import catalog
    from mxict.exports.files import write_json
    from mxict.exports.oc4ids import project_package
    from mxict.render import to_json

    package = project_package(catalog())
    if output is None:
        sys.stdout.write(to_json(package) + "\n")
        return
    write_json(output, package, force=force)
    sys.stderr.write(f"wrote {len(package['projects'])} projects to {output}\n")


def export_datapackage(
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
    from mxict.cli import catalog
    from mxict.exports.datapackage import write_datapackage

    names = write_datapackage(catalog(), directory, force=force)
    sys.stderr.write(f"wrote {len(names)} files to {directory}\n")


def serve(
    port: Annotated[
        int, typer.Option("--port", "-p", min=1, max=65535, help="Port to listen on.")
    ] = 8001,
    host: Annotated[
        str,
        typer.Option("--host", help="Interface to listen on; 0.0.0.0 exposes it to the network."),
    ] = "127.0.0.1",
) -> None:
    """Browse and query the dataset in Datasette, in your web browser, until Ctrl-C.

    The SQLite export is cached and rebuilt only when the data changes (--no-cache builds
    a fresh copy). Needs the export extra: pip install 'mxict[export]'.

    Examples:

      mxict serve

      mxict serve --port 8002

      mxict --data-dir ./data serve --host 0.0.0.0
    """
    from mxict.cli import STATE, fail
    from mxict.datadir import resolve_data_dir
    from mxict.exports.serve import datasette_command, prepare, require_datasette, run

    require_datasette()
    files = prepare(resolve_data_dir(STATE.data_dir), use_cache=not STATE.no_cache)
    try:
        sys.stderr.write(
            ("built " if files.rebuilt else "using cached ")
            + f"{files.database}\nmxict: serving http://{host}:{port}/mxict (Ctrl-C to stop)\n"
        )
        sys.stderr.flush()
        # Datasette's own messages go to stderr too: stdout is for data only.
        code = run(datasette_command(files, host, port), stdout=_stderr_fd())
    finally:
        if files.temporary is not None:
            shutil.rmtree(files.temporary, ignore_errors=True)
    if code:
        raise fail(f"datasette exited with status {code}", 1)


def _stderr_fd() -> int | None:
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None  # a captured stderr (tests) has no descriptor: inherit ours


def register(app: typer.Typer) -> None:
    """Add the `export` command group and the `serve` command to the main app."""
    from mxict.cli import EPILOG, handles_errors

    export_app = typer.Typer(
        help=EXPORT_HELP, epilog=EPILOG, no_args_is_help=True, rich_markup_mode=None
    )
    export_app.command("sqlite", epilog=EPILOG)(handles_errors(export_sqlite))
    export_app.command("xlsx", epilog=EPILOG)(handles_errors(export_xlsx))
    export_app.command("oc4ids", epilog=EPILOG)(handles_errors(export_oc4ids))
    export_app.command("datapackage", epilog=EPILOG)(handles_errors(export_datapackage))
    app.add_typer(export_app, name="export")
    app.command("serve", epilog=EPILOG)(handles_errors(serve))
