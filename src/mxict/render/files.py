"""Rows written to a file in any file format, always atomically."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from mxict.atomic import write_atomic
from mxict.render.formats import OutputFormat, render_rows


def write_rows(
    path: Path,
    rows: list[dict[str, Any]],
    fields: list[str],
    fmt: OutputFormat,
    *,
    force: bool = False,
    sheet: str = "data",
    headers: bool = True,
) -> None:
    """Write already shaped rows to `path` in `fmt` (never half a file)."""
    if fmt is OutputFormat.XLSX:
        from mxict.render.xlsx import write_xlsx

        write_atomic(
            path, lambda fh: write_xlsx(fh, {sheet: (fields, rows)}), force=force, binary=True
        )
        return

    def write(fh: IO[str]) -> None:
        render_rows(rows, fields, fmt, fh, headers=headers)

    write_atomic(path, write, force=force)
