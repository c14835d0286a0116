"""`mxict export datapackage`: a Frictionless Tabular Data Package (CSV + datapackage.json).

One CSV resource per table of `mxict.exports.tables`; datapackage.json declares each
field's type, description and allowed values, the primary and foreign keys, and the
licence and sources. CSV cells hold the exact values (no formula-neutralising quote):
a data package is read by data tools against its declared schema, and a prefix would
change the values the schema describes. Writing it needs no optional library.
"""

from __future__ import annotations

import csv
import json
import os
import re
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from mxict.atomic import write_atomic
from mxict.exports.files import write_directory, write_json
from mxict.exports.tables import (
    DESCRIPTION,
    LICENSE_NAME,
    LICENSE_TITLE,
    LICENSE_URL,
    TITLE,
    TableData,
    TableSpec,
    absolute_url,
    build_tables,
    catalog_info,
)

if TYPE_CHECKING:
    from mxict.dataset.catalog import Catalog

DESCRIPTOR = "datapackage.json"


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(fh: IO[str], data: TableData) -> None:
    """One table as RFC 4180 CSV with a header row."""
    writer = csv.writer(fh)
    writer.writerow(data.spec.field_names)
    for row in data.rows:
        writer.writerow([_csv_cell(row[name]) for name in data.spec.field_names])


def table_schema(spec: TableSpec) -> dict[str, Any]:
    """The Table Schema of one resource."""
    fields = []
    for field in spec.fields:
        entry: dict[str, Any] = {
            "name": field.name,
            "type": field.type,
            "description": field.description,
        }
        if field.enum:
            entry["constraints"] = {"enum": list(field.enum)}
        fields.append(entry)
    schema: dict[str, Any] = {
        "fields": fields,
        "primaryKey": [spec.primary_key],
        "missingValues": [""],
    }
    if spec.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": [fk.column],
                "reference": {"resource": fk.table, "fields": [fk.other_column]},
            }
            for fk in spec.foreign_keys
        ]
    return schema


def descriptor(catalog: Catalog, tables: list[TableData]) -> dict[str, Any]:
    """The datapackage.json document: `version` is the dataset's, and `mxict` holds what
    `mxict info` says (tool version, counts, newest `modified`, content hash)."""
    info = catalog_info(catalog)
    sources = []
    for doc in catalog.sources.documents:
        source = {"title": f"{doc.title} ({doc.publisher}, {doc.published})"}
        if doc.url:
            source["path"] = absolute_url(doc.url)
        sources.append(source)
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "mxict",
        "title": TITLE,
        "description": DESCRIPTION,
        "version": info["dataset_version"],
        "mxict": info,
        "licenses": [{"name": LICENSE_NAME, "path": LICENSE_URL, "title": LICENSE_TITLE}],
        "sources": sources,
        "resources": [
            {
                "name": data.spec.name,
                "path": f"{data.spec.name}.csv",
                "profile": "tabular-data-resource",
                "title": data.spec.title,
                "description": data.spec.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "sources": [{"title": data.spec.source}],
                "schema": table_schema(data.spec),
            }
            for data in tables
        ],
    }
    if package["version"] is None:  # a data directory without a VERSION file
        del package["version"]
    return package


def write_datapackage(
    catalog: Catalog, target: Path, *, force: bool = False, today: date | None = None
) -> list[str]:
    """Write the package into the directory `target` atomically; return the file names."""
    tables = build_tables(catalog, today)
    names = [f"{data.spec.name}.csv" for data in tables] + [DESCRIPTOR]

    def build(folder: Path) -> None:
        for data in tables:

            def write(fh: IO[str], data: TableData = data) -> None:
                write_csv(fh, data)

            write_atomic(folder / f"{data.spec.name}.csv", write)
        write_json(folder / DESCRIPTOR, descriptor(catalog, tables), force=False)

    write_directory(target, build, force=force, foreign=not_a_previous_export)
    return names


# A resource mxict writes: a table name and .csv, nothing that could point elsewhere.
_RESOURCE = re.compile(r"[a-z][a-z0-9_]*\.csv")
_MAX_DESCRIPTOR = 16 * 1024 * 1024


def not_a_previous_export(folder: Path) -> str | None:
    """Why `folder` is not a Data Package this command wrote, or None when it is one (or is
    empty): its datapackage.json must name mxict, and every entry must be a plain file the
    descriptor lists."""
    try:
        entries = {entry.name: entry for entry in os.scandir(folder)}
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    if not entries:
        return None
    listed = _listed_files(folder / DESCRIPTOR)
    if listed is None:
        return f"it holds no {DESCRIPTOR} written by mxict"
    for name in sorted(entries):
        if name != DESCRIPTOR and name not in listed:
            return f"it holds {name!r}, which mxict does not write"
        if not entries[name].is_file(follow_symlinks=False):
            return f"{name!r} in it is not a regular file"
    return None


def _listed_files(path: Path) -> set[str] | None:
    """The CSV files a descriptor mxict wrote lists, or None if it is not such a descriptor."""
    try:
        if path.is_symlink() or path.stat().st_size > _MAX_DESCRIPTOR:
            return None
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("name") != "mxict":
        return None
    resources = document.get("resources")
    if not isinstance(resources, list):
        return None
    listed = set()
    for resource in resources:
        name = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(name, str) or _RESOURCE.fullmatch(name) is None:
            return None
        listed.add(name)
    return listed
