"""Rows as an Excel workbook: typed cells, formulas neutralised, bold frozen header."""

from __future__ import annotations

from datetime import date
from typing import IO, Any

from mxict.errors import UsageError
from mxict.render.text import flat, inert, neutralise_formula


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


# Columns of money (a USD figure or an amount) get thousands separators.
MONEY_SUFFIXES = ("_usd", "amount", "amount_max")
WIDEST = 60  # wider text wraps within its cell


def write_xlsx(
    fh: IO[bytes],
    sheets: dict[str, tuple[list[str], list[dict[str, Any]]]],
    properties: dict[str, str] | None = None,
) -> None:
    """Write sheets of rows to an .xlsx file, ready to use: a bold frozen header with an
    AutoFilter, fitted widths, long text wrapped, money with thousands separators and
    dates as dates.

    `properties` sets document properties (title, subject, description, creator...).
    """
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
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
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
        for index, name in enumerate(fields, 1):
            longest = max([len(name)] + [len(flat(r.get(name))) for r in rows])
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = min(WIDEST, longest + 2)
            money = name.endswith(MONEY_SUFFIXES)
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if money and isinstance(cell.value, int | float):
                    cell.number_format = "#,##0"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif longest > WIDEST:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(fh)
