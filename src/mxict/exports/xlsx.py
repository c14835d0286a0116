"""`mxict export xlsx`: one worksheet per table, typed cells, through `write_xlsx`.

Numbers stay numbers and `last_verified` columns are real dates; text cells a
spreadsheet would run as a formula are neutralised (`mxict.render.text.neutralise_formula`).
Every sheet has a bold, frozen header row with an AutoFilter, fitted widths, money with
thousands separators; the `opportunity_leads` sheet joins each opportunity with its
project's value, status and contacts. The document properties carry the title,
description, source and licence.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from mxict.atomic import write_atomic
from mxict.exports.tables import (
    DESCRIPTION,
    LICENSE_NAME,
    LICENSE_URL,
    TITLE,
    build_tables,
    catalog_info,
    dataset_source,
    info_rows,
)
from mxict.render.xlsx import write_xlsx

if TYPE_CHECKING:
    from mxict.dataset.catalog import Catalog


def opportunity_leads(catalog: Catalog, today: date) -> tuple[list[str], list[dict[str, Any]]]:
    """Every export opportunity joined with its project's value, status and contacts,
    one person per set of columns, so a sales team needs no lookups."""
    from mxict.models import record_json
    from mxict.rows import OPPORTUNITY_FIELDS, opportunity_rows

    records = [record_json(p) for p in catalog.projects.values()]
    registry = record_json(catalog.sources)
    return list(OPPORTUNITY_FIELDS), opportunity_rows(records, registry, today)


def write_workbook(
    catalog: Catalog, path: Path, *, force: bool = False, today: date | None = None
) -> list[str]:
    """Write the workbook to `path`; return the sheet names in order (the last, `info`,
    holds the dataset's version, counts and content hash, as `mxict info` gives them)."""
    today = today or date.today()
    tables = build_tables(catalog, today)
    sheets = {data.spec.name: (data.spec.field_names, data.rows) for data in tables}
    sheets["opportunity_leads"] = opportunity_leads(catalog, today)
    info = catalog_info(catalog)
    sheets["info"] = (["key", "value"], info_rows(info))

    properties = {
        "title": TITLE,
        "subject": dataset_source(catalog),
        "description": f"{DESCRIPTION} Licence: {LICENSE_NAME} ({LICENSE_URL}).",
        "creator": "mxict",
        "version": info["dataset_version"] or "",
    }

    def write(fh: IO[bytes]) -> None:
        write_xlsx(fh, sheets, properties)

    write_atomic(path, write, force=force, binary=True)
    return list(sheets)
