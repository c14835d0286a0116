"""The closed set of output formats, which commands accept which, and the one dispatcher.

Never imports typer. Every member renders (tested); a new format is one member here
plus one writer module.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mxict.render.table import Highlighter


class OutputFormat(StrEnum):
    """Every output format mxict writes."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    MD = "md"
    YAML = "yaml"
    XLSX = "xlsx"

    @property
    def binary(self) -> bool:
        """Written to a file only, never to a terminal or a pipe."""
        return self is OutputFormat.XLSX


# Rows can be written in every format; xlsx only to a file, and a table never to a file.
ROW_FORMATS = tuple(OutputFormat)
FILE_FORMATS = tuple(f for f in OutputFormat if f is not OutputFormat.TABLE)
# One record laid out for reading (`show`, `sectors show`, `country`), or as a document.
DOCUMENT_FORMATS = (OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.JSONL, OutputFormat.YAML)
# A nested document (e.g. `compare-value --json`): formats that keep the nesting.
NESTED_FORMATS = (OutputFormat.JSON, OutputFormat.YAML)


def names(formats: tuple[OutputFormat, ...]) -> str:
    """`table, json or yaml`: a list of formats for help and error messages."""
    values = [f.value for f in formats]
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]


def render_rows(
    rows: list[dict[str, Any]],
    fields: list[str],
    fmt: OutputFormat,
    out: IO[str],
    *,
    color: bool = False,
    title: str | None = None,
    width: int | None = None,
    optional: tuple[str, ...] = (),
    headers: bool = True,
    highlight: Highlighter | None = None,
) -> None:
    """Write rows in one of the text formats; the one place formats are dispatched.

    `headers=False` leaves out the header line of a table, CSV or TSV.

    For a table, `optional` columns are dropped (in order) when the terminal is too
    narrow to show every column without cutting words.
    """
    if fmt is OutputFormat.JSON:
        from mxict.render.text import write_json

        write_json(rows, out)
    elif fmt is OutputFormat.JSONL:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt in (OutputFormat.CSV, OutputFormat.TSV):
        from mxict.render.delimited import write_delimited

        write_delimited(
            rows, fields, out, "," if fmt is OutputFormat.CSV else "\t", headers=headers
        )
    elif fmt is OutputFormat.MD:
        from mxict.render.delimited import write_markdown

        write_markdown(rows, fields, out)
    elif fmt is OutputFormat.YAML:
        from mxict.reader.emit import dump_yaml

        out.write(dump_yaml(rows))
    elif fmt is OutputFormat.TABLE:
        from mxict.render.table import write_table

        write_table(
            rows,
            fields,
            out,
            color=color,
            title=title,
            width=width,
            optional=optional,
            headers=headers,
            highlight=highlight,
        )
    else:
        raise ValueError(f"{fmt} is a binary format: write it with render.files.write_rows")


def render_document(data: Any, fmt: OutputFormat, out: IO[str]) -> None:
    """One whole record or nested document: JSON, YAML, or JSON Lines of one line."""
    if fmt is OutputFormat.JSONL:
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.YAML:
        from mxict.reader.emit import dump_yaml

        out.write(dump_yaml(data))
    else:
        from mxict.render.text import write_json

        write_json(data, out)
