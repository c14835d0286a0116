"""`mxict export sqlite`: a normalised SQLite database plus Datasette metadata beside it.

Tables and columns come from `mxict.exports.tables`: primary and foreign keys are
declared (and the foreign-key columns indexed), text columns get an FTS5 index with the
porter stemmer, the views of `mxict.exports.views` answer common questions without a
join, and FILE.metadata.json (`mxict.exports.site`) gives Datasette the titles,
descriptions, sources, licence, facets, default sorts and canned queries.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mxict.atomic import check_target, publish, sweep_stale, temp_directory
from mxict.errors import OutputError
from mxict.exports.files import missing_extra, write_json
from mxict.exports.site import INFO_TABLE, datasette_metadata
from mxict.exports.tables import (
    TableData,
    build_tables,
    catalog_info,
    dependency_order,
    info_rows,
)
from mxict.exports.views import VIEWS

if TYPE_CHECKING:
    from mxict.dataset.catalog import Catalog

COLUMN_TYPES: dict[str, type] = {
    "string": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "date": date,
}


def metadata_path(database: Path) -> Path:
    """Where the Datasette metadata of `database` goes: FILE.db -> FILE.metadata.json."""
    return database.with_name(f"{database.stem}.metadata.json")


def _cell(value: Any) -> Any:
    # sqlite3's implicit date adapter is deprecated; store dates as ISO text ourselves.
    return value.isoformat() if isinstance(value, date) else value


def build_database(tables: list[TableData], path: Path, info: dict[str, Any] | None = None) -> None:
    """Create the SQLite database at `path` (which must not exist yet) from `tables`, with
    `info` (see `catalog_info`) as the key/value table `dataset_info`."""
    try:
        import sqlite_utils
    except ImportError:
        raise missing_extra("SQLite export", "sqlite-utils") from None
    db = sqlite_utils.Database(path)
    # Sorting and VACUUM use temporary files in $TMPDIR unless told otherwise; the export is
    # small, so they stay in memory and a full $TMPDIR cannot fail it.
    db.execute("PRAGMA temp_store = MEMORY")
    try:
        for data in dependency_order(tables):
            spec = data.spec
            table = db.table(spec.name)
            table.create(
                {f.name: COLUMN_TYPES[f.type] for f in spec.fields},
                pk=spec.primary_key,
                not_null=[spec.primary_key],
                foreign_keys=[(fk.column, fk.table, fk.other_column) for fk in spec.foreign_keys],
            )
            table.insert_all({k: _cell(v) for k, v in row.items()} for row in data.rows)
            if spec.search:
                table.enable_fts(list(spec.search), tokenize="porter")
        if info is not None:
            db.table(INFO_TABLE).insert_all(info_rows(info), pk="key")
        db.index_foreign_keys()
        for view in VIEWS:
            db.execute(view.create)
        db.vacuum()
    finally:
        db.close()


MetadataBuilder = Callable[["Catalog", list[TableData], str, dict[str, Any]], dict[str, Any]]


def write_sqlite(
    catalog: Catalog,
    path: Path,
    *,
    force: bool = False,
    today: date | None = None,
    metadata: MetadataBuilder = datasette_metadata,
) -> Path:
    """Write the database to `path` and its metadata beside it; return the metadata path.

    `metadata(catalog, tables, database_name, info)` makes the metadata: the export's by
    default, `mxict serve`'s when it builds its own copy.

    Both are checked before either is written, and both are built in a hidden folder beside
    `path` (never in $TMPDIR, which may be full or small), then moved into place metadata
    first, database last: a database present is always described, and a refusal or a
    failure midway removes what this call had placed.
    """
    meta = metadata_path(path)
    for target in (path, meta):
        check_target(target, force=force)
    tables = build_tables(catalog, today)
    info = catalog_info(catalog)
    parent = path.parent if str(path.parent) else Path(".")
    sweep_stale(parent, f".{path.name}.")
    # Scratch folders of versions that built in $TMPDIR, left behind by a kill.
    sweep_stale(Path(tempfile.gettempdir()), "mxict-sqlite-")
    scratch = temp_directory(path)
    try:
        built = scratch / "build.db"
        try:
            build_database(tables, built, info)
        except sqlite3.Error as exc:
            # "database or disk is full": the folder of the target, named, in one line.
            raise OutputError(
                f"cannot build the SQLite database in {str(parent)!r}: {exc}"
            ) from None
        write_json(
            scratch / "metadata.json",
            metadata(catalog, tables, path.stem, info),
            force=False,
        )
        publish([(scratch / "metadata.json", meta), (built, path)], force=force)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return meta
