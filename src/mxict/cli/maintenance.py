"""Commands for maintainers: `validate` the data, print a record kind's JSON `schema`."""

# Annotations are evaluated at import, for Typer (see mxict/cli/__init__.py).
import sys
from pathlib import Path
from typing import Annotated

import typer

from mxict.cli.app import app, fail
from mxict.cli.session import session_of
from mxict.errors import MxictError


@app.command("validate", rich_help_panel="History and maintenance")
def validate(
    ctx: typer.Context,
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
    against: Annotated[
        str,
        typer.Option(
            "--against",
            metavar="REV",
            help="Git revision the modified dates are checked against (CI: the base branch).",
        ),
    ] = "HEAD",
) -> None:
    """Check the data: YAML syntax, schema, and rules across records; report every problem.

    Each problem is printed as FILE:LINE:COLUMN: PATH: MESSAGE [RULE]. Without PATH,
    --data-dir or $MXICT_DATA_DIR it checks ./data when the current directory keeps
    mxict records there (a data repository, a pre-commit hook), else the bundled data,
    and says which it checked. When the data is in a git checkout, a record whose
    content differs from REV (HEAD: the last commit) must have a later modified date
    (rule modified-not-moved); outside git that check is skipped, but a REV other than
    HEAD that git does not know is a usage error. Exit 0 when valid, 1
    when any problem is found, 2 on a usage error.

    Examples:

      mxict validate

      mxict validate data/projects/gignet-1.yaml

      mxict validate --format github

      mxict validate --against HEAD
    """
    from mxict.cli.progress import progress_bar
    from mxict.dataset.layout import display_dir, display_name, resolve_data_dir
    from mxict.dataset.validate import validate_paths, validate_tree
    from mxict.render.problems import ReportFormat, report

    session = session_of(ctx)
    try:
        report_format = ReportFormat(fmt)
    except ValueError:
        raise fail(f"unknown format {fmt!r}; choose from: text, json, github", 2) from None
    if against != "HEAD":
        # Asked for by name (CI's base branch): a shallow clone without it must fail, not
        # pass without checking.
        from mxict.dataset.history import is_revision

        where = paths[0] if paths else resolve_data_dir(session.data_dir, here_first=True)
        if not is_revision(where if where.is_dir() else where.parent, against):
            raise fail(f"--against {against!r} is not a git revision of {str(where)!r}", 2)
    with progress_bar("validating") as advance:
        if paths:
            try:
                context_dir: Path | None = resolve_data_dir(session.data_dir, here_first=True)
            except MxictError:
                context_dir = None  # references are then checked among PATHs only
            result = validate_paths(paths, context_dir, advance, history=against)
            checked = ", ".join(display_name(p, None) for p in paths)
        else:
            data_dir = resolve_data_dir(session.data_dir, here_first=True)
            result = validate_tree(
                data_dir,
                advance,
                keep_record=False,
                use_cache=not session.no_cache,
                history=against,
            )
            checked = display_dir(data_dir)
    report(result.problems, result.files_checked, report_format, sys.stdout, checked=checked)
    count = len(set(result.problems))
    if report_format is not ReportFormat.JSON:
        files = plural(result.files_checked, "file")
        if count:
            sys.stderr.write(f"{plural(count, 'problem')} in {files} checked in {checked}\n")
        else:
            sys.stderr.write(f"ok: {files} valid in {checked}\n")
    raise typer.Exit(1 if count else 0)


def plural(count: int, noun: str) -> str:
    """`1 file`, `19 files`."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


@app.command("schema", rich_help_panel="History and maintenance")
def schema(
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help="project, lead, sector, acronyms, country or sources.",
            autocompletion=lambda incomplete: [
                kind
                for kind in ("project", "lead", "sector", "acronyms", "country", "sources")
                if kind.startswith(incomplete)
            ],
        ),
    ] = "project",
) -> None:
    """Print the JSON Schema of a record kind, generated from the models.

    Examples:

      mxict schema project > project.schema.json

      mxict schema sector
    """
    from mxict.schemas import schema_json

    sys.stdout.write(schema_json(kind))
