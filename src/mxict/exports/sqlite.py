"""`mxict export sqlite`: a normalised SQLite database plus Datasette metadata beside it.

Tables and columns come from `mxict.exports.tables`: primary and foreign keys are
declared (and the foreign-key columns indexed), text columns get an FTS5 index with the
porter stemmer, and FILE.metadata.json gives Datasette the title, description, source,
licence and column descriptions of the database and of every table.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from mxict.atomic import write_atomic
from mxict.exports.files import missing_extra, refuse_existing, write_json
from mxict.exports.tables import (
    DESCRIPTION,
    LICENSE_NAME,
    LICENSE_URL,
    TITLE,
    TableData,
    build_tables,
    catalog_info,
    dataset_source,
    dependency_order,
    info_rows,
)

if TYPE_CHECKING:
    from mxict.dataset.catalog import Catalog

INFO_TABLE = "dataset_info"
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
        db.vacuum()
    finally:
        db.close()


def datasette_metadata(
    catalog: Catalog, tables: list[TableData], database: str, info: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Datasette metadata: title, description, source and licence per database and table,
    and the dataset's version, counts and content hash (`mxict info`) as `mxict_dataset`."""
    source = dataset_source(catalog)
    info = info or catalog_info(catalog)
    licence = {"license": LICENSE_NAME, "license_url": LICENSE_URL}
    table_metadata: dict[str, Any] = {}
    for data in tables:
        spec = data.spec
        entry: dict[str, Any] = {
            "title": spec.title,
            "description": spec.description,
            "source": spec.source,
            **licence,
            "columns": {f.name: f.description for f in spec.fields},
        }
        if spec.label:
            entry["label_column"] = spec.label
        if spec.facets:
            entry["facets"] = list(spec.facets)
        table_metadata[spec.name] = entry
    table_metadata[INFO_TABLE] = {
        "title": "Dataset information",
        "description": "What `mxict info` says of the data this database was made from.",
        "source": source,
        **licence,
    }
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "source": source,
        **licence,
        "databases": {
            database: {
                "title": TITLE,
                "description": DESCRIPTION,
                "source": source,
                **licence,
                "tables": table_metadata,
            }
        },
        "mxict_dataset": info,
    }


def write_sqlite(
    catalog: Catalog, path: Path, *, force: bool = False, today: date | None = None
) -> Path:
    """Write the database to `path` and its metadata beside it; return the metadata path."""
    meta = metadata_path(path)
    refuse_existing([path, meta], force=force)
    tables = build_tables(catalog, today)
    info = catalog_info(catalog)
    with tempfile.TemporaryDirectory(prefix="mxict-sqlite-") as scratch:
        built = Path(scratch) / "build.db"
        build_database(tables, built, info)

        def copy(fh: IO[bytes]) -> None:
            with built.open("rb") as source:
                shutil.copyfileobj(source, fh)

        write_atomic(path, copy, force=force, binary=True)
    write_json(meta, datasette_metadata(catalog, tables, path.stem, info), force=force)
    return meta
