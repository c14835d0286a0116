"""The data's history: `info` (versions, counts, content hash) and `diff` (what changed)."""

# Annotations are evaluated at import, for Typer (see mxict/cli/__init__.py).
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from mxict.cli.app import app
from mxict.cli.options import DocumentFormatOpt, JqOpt, JsonOpt
from mxict.cli.output import document_output
from mxict.cli.session import Session, session_of
from mxict.errors import UsageError


@app.command("info", rich_help_panel="History and maintenance")
def info(
    ctx: typer.Context,
    fmt: DocumentFormatOpt = None,
    as_json: JsonOpt = False,
    jq: JqOpt = None,
) -> None:
    """Versions, record counts, newest modified date and content hash of the data.

    Prints the tool version, the dataset version (data/VERSION), the records by kind,
    the newest modified date and the content hash. The hash (sha256) covers every
    record's validated content, modified and last_verified included, whatever the
    files' formatting; every export's metadata carries the same facts. Exit 0, or 1
    when the data does not validate.

    Examples:

      mxict info

      mxict info --json | jq .content_hash
    """
    from mxict._version import __version__
    from mxict.dataset.layout import display_dir
    from mxict.dataset.release import dataset_version
    from mxict.query.info import dataset_info, snapshot_records

    session = session_of(ctx)
    output = document_output(fmt, as_json, jq=jq)
    snapshot = session.snapshot()
    root = Path(snapshot.data_dir)
    facts = dataset_info(snapshot_records(snapshot), dataset_version(root), __version__)
    facts["data_dir"] = display_dir(root)
    if output.table:
        from mxict.render.history import info_lines

        sys.stdout.write("".join(f"{line}\n" for line in info_lines(facts)))
    else:
        output.document(facts)


@app.command("diff", rich_help_panel="History and maintenance")
def diff(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(metavar="OLD", help="Data directory or git revision.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="Data directory or git revision.")],
    fmt: DocumentFormatOpt = None,
    as_json: JsonOpt = False,
    jq: JqOpt = None,
) -> None:
    """Compare two versions of the data record by record: added, removed, changed.

    Records are keyed by kind and id; each change is a field path with its old and new
    value. OLD and NEW are each a data directory or a git revision of the data directory in use
    (its files at that commit, read through `git archive` into a temporary directory
    that is always removed). Records are compared as parsed, not validated, so an old
    revision from before a rule still compares. Exit 0 when they hold the same records,
    1 when they differ (like diff), 2 when an argument is neither a directory nor a
    revision.

    Examples:

      mxict diff HEAD data

      mxict diff HEAD data --json

      mxict diff HEAD~3 HEAD --jq '[.changed[].id]'
    """
    import tempfile

    from mxict.dataset.tree import read_records
    from mxict.query.diff import diff_records

    session = session_of(ctx)
    output = document_output(fmt, as_json, jq=jq)
    with tempfile.TemporaryDirectory(prefix="mxict-diff-") as scratch:
        trees = [
            _tree(session, argument, label, Path(scratch) / label)
            for argument, label in ((old, "OLD"), (new, "NEW"))
        ]
        records = [
            read_records(tree, argument) for tree, argument in zip(trees, (old, new), strict=True)
        ]
    result: dict[str, Any] = {"old": old, "new": new, **diff_records(*records)}
    if output.table:
        from mxict.render.history import diff_lines

        sys.stdout.write("".join(f"{line}\n" for line in diff_lines(result)))
    else:
        output.document(result)
    raise typer.Exit(0 if result["equal"] else 1)


def _tree(session: Session, argument: str, label: str, scratch: Path) -> Path:
    """The data directory ARGUMENT names: a directory (or a folder holding data/), else
    the data directory in use as of the git revision ARGUMENT, written into `scratch`."""
    from mxict.dataset.history import export_revision
    from mxict.dataset.layout import is_data_root, resolve_data_dir

    given = Path(argument)
    if given.is_dir():
        for candidate in (given, given / "data"):
            if is_data_root(candidate):
                return candidate
        raise UsageError(f"{label} {argument!r} is a directory without mxict records")
    try:
        here = resolve_data_dir(session.data_dir, here_first=True)
    except UsageError:
        here = None
    scratch.mkdir()
    if here is not None and export_revision(here, argument, scratch):
        return scratch
    where = f" of the data in {str(here)!r}" if here is not None else ""
    raise UsageError(f"{label} {argument!r} is neither a data directory nor a git revision{where}")
