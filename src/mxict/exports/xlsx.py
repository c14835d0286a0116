"""`mxict export xlsx`: one worksheet per table, typed cells, through `write_xlsx`.

Numbers stay numbers and `last_verified` columns are real dates; text cells a
spreadsheet would run as a formula are neutralised (`mxict.render.text.neutralise_formula`).
Every sheet has a bold, frozen header row and fitted column widths; the document
properties carry the title, description, source and licence.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING

from mxict.atomic import write_atomic
from mxict.exports.tables import (
    DESCRIPTION,
    LICENSE_NAME,
    LICENSE_URL,
    TITLE,
    build_tables,
    dataset_source,
)
from mxict.render.xlsx import write_xlsx

if TYPE_CHECKING:
    from mxict.dataset.catalog import Catalog


def write_workbook(catalog: Catalog, path: Path, *, force: bool = False) -> list[str]:
    """Write the workbook to `path`; return the sheet names in order."""
    tables = build_tables(catalog)
    sheets = {data.spec.name: (data.spec.field_names, data.rows) for data in tables}

    properties = {
        "title": TITLE,
        "subject": dataset_source(catalog),
        "description": f"{DESCRIPTION} Licence: {LICENSE_NAME} ({LICENSE_URL}).",
        "creator": "mxict",
    }

    def write(fh: IO[bytes]) -> None:
        write_xlsx(fh, sheets, properties)

    write_atomic(path, write, force=force, binary=True)
    return list(sheets)
