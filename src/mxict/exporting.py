"""Write rows to files (csv, tsv, json, jsonl, md, yaml, xlsx), always atomically."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

from mxict.atomic import write_atomic
from mxict.errors import UsageError
from mxict.query import sort_rows
from mxict.render import (
    OutputFormat,
    flat,
    inert,
    neutralise_formula,
    parse_fields,
    render_rows,
    select_fields,
)

FILE_FORMATS = ("csv", "tsv", "json", "jsonl", "md", "yaml", "xlsx")


def export_rows(
    rows: list[dict[str, Any]],
    valid: Sequence[str],
    fmt: str,
    path: Path,
    *,
    force: bool = False,
    fields: str | None = None,
    sort: str | None = None,
    limit: int | None = None,
    sheet: str = "data",
) -> None:
    """Sort, limit and select fields, then write `rows` to `path` in `fmt`."""
    if fmt not in FILE_FORMATS:
        raise UsageError(f"unknown file format {fmt!r}; choose from: {', '.join(FILE_FORMATS)}")
    rows = sort_rows(rows, sort, valid)[:limit]
    selected, chosen = select_fields(rows, parse_fields(fields), valid)
    if fmt == "xlsx":
        write_atomic(
            path, lambda fh: write_xlsx(fh, {sheet: (chosen, selected)}), force=force, binary=True
        )
        return
    output_format = OutputFormat(fmt)

    def write(fh: IO[str]) -> None:
        render_rows(selected, chosen, output_format, fh)

    write_atomic(path, write, force=force)


def xlsx_cell(value: Any) -> Any:
    """A spreadsheet cell: numbers and dates stay typed, text is neutralised against formulas.

    Control characters are dropped first: openpyxl refuses them (IllegalCharacterError),
    and a formula hidden behind one (`\x07=cmd()`) must still be caught.
    """
    if isinstance(value, bool) or value is None:
        return flat(value) if value is not None else None
    if isinstance(value, int | float | date):
        return value
    return neutralise_formula(inert(flat(value)))


def write_xlsx(
    fh: IO[bytes],
    sheets: dict[str, tuple[list[str], list[dict[str, Any]]]],
    properties: dict[str, str] | None = None,
) -> None:
    """Write sheets of rows to an .xlsx file: bold frozen header, fitted column widths.

    `properties` sets document properties (title, subject, description, creator...).
    """
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:
        raise UsageError("xlsx export needs openpyxl: pip install 'mxict[export]'") from None
    workbook = Workbook()
    for name, value in (properties or {}).items():
        setattr(workbook.properties, name, value)
    if workbook.active is not None:
        workbook.remove(workbook.active)
    for title, (fields, rows) in sheets.items():
        sheet = workbook.create_sheet(title[:31])
        sheet.append(fields)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([xlsx_cell(row.get(name)) for name in fields])
        sheet.freeze_panes = "A2"
        for index, name in enumerate(fields, 1):
            longest = max([len(name)] + [len(flat(r.get(name))) for r in rows])
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = min(60, longest + 2)
    workbook.save(fh)
