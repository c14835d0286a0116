"""One output contract for every command: options -> one resolved output -> stdout or a file.

A row command's rows go through `rows.shape` (sort, then limit, then fields) and are
written by the one dispatcher, to stdout or atomically to `-o FILE`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from mxict.errors import UsageError
from mxict.render.formats import (
    DOCUMENT_FORMATS,
    FILE_FORMATS,
    ROW_FORMATS,
    OutputFormat,
    render_document,
    render_rows,
)

if TYPE_CHECKING:
    from mxict.cli.session import Session
    from mxict.rows import RowSpec


class OutputRequest(NamedTuple):
    """The output flags as given on the command line."""

    fmt: str | None = None
    as_json: bool = False
    fields: str | None = None
    sort: str | None = None
    limit: int | None = None
    output: Path | None = None
    force: bool = False
    jq: str | None = None
    no_headers: bool = False

    def resolve(
        self, accepted: tuple[OutputFormat, ...] = ROW_FORMATS, *, document: bool = False
    ) -> Output:
        """The one format and destination these flags mean (a usage error if none)."""
        path = None if self.output is None or str(self.output) == "-" else self.output
        fmt = self.fmt
        if self.jq is not None:
            if fmt not in (None, "json"):
                raise UsageError(f"--jq filters JSON: it cannot be combined with --format {fmt}")
            fmt = "json"
        if self.as_json:
            if fmt not in (None, "json"):
                raise UsageError("--json cannot be combined with --format " + str(fmt))
            fmt = "json"
        if path is not None:
            if fmt is None:
                fmt = path.suffix.lstrip(".").lower() or "csv"
            allowed = [f.value for f in FILE_FORMATS if f in accepted]
            if fmt not in allowed:
                raise UsageError(f"unknown file format {fmt!r}; choose from: {', '.join(allowed)}")
            return Output(OutputFormat(fmt), self, path)
        if fmt is None:
            table = document or sys.stdout.isatty()
            return Output(OutputFormat.TABLE if table else OutputFormat.TSV, self, None)
        if fmt in (f.value for f in accepted if f.binary):
            raise UsageError(f"{fmt} is a binary format: give a file with -o FILE.{fmt}")
        allowed = [f.value for f in accepted if not f.binary]
        if fmt not in allowed:
            raise UsageError(f"unknown format {fmt!r}; choose from: {', '.join(allowed)}")
        return Output(OutputFormat(fmt), self, None)


def document_output(
    fmt: str | None, as_json: bool, fields: str | None = None, jq: str | None = None
) -> Output:
    """The output of a command that prints one record (a layout unless asked otherwise)."""
    return OutputRequest(fmt=fmt, as_json=as_json, fields=fields, jq=jq).resolve(
        DOCUMENT_FORMATS, document=True
    )


class Output(NamedTuple):
    """A resolved output: one format, and a file or stdout."""

    format: OutputFormat
    request: OutputRequest
    path: Path | None

    @property
    def table(self) -> bool:
        """A table or layout for people (not data for programs)."""
        return self.format is OutputFormat.TABLE

    def rows(
        self,
        rows: list[dict[str, Any]],
        spec: RowSpec,
        session: Session,
        *,
        title: str | None = None,
        sheet: str = "data",
        empty_message: str | None = None,
        total: int | None = None,
        before: Callable[[Any], None] | None = None,
        highlight: Callable[[str], list[tuple[int, int]]] | None = None,
    ) -> None:
        """Shape rows (sort, limit, fields) and write them.

        No rows in a table: a message on stderr (`empty_message`, else "no projects
        match") instead of an empty box; the exit code stays 0. Under a table, stderr says
        how many rows it shows, of `total` (the rows before filters) when some were cut."""
        from mxict.rows import shape

        request = self.request
        shaped = shape(
            rows,
            spec,
            sort=request.sort,
            limit=request.limit,
            fields=request.fields,
            table=self.table,
        )
        if request.jq is not None:
            self.document(shaped.rows)  # jq's results, to stdout or the file
            return
        if self.path is not None:
            from mxict.render.files import write_rows

            write_rows(
                self.path,
                shaped.rows,
                shaped.fields,
                self.format,
                force=request.force,
                sheet=sheet,
                headers=not request.no_headers,
            )
            wrote(f"{len(shaped.rows)} rows", self.path)
            return
        if not rows and (self.table or empty_message):
            from mxict.render.text import inert

            message = empty_message or f"no {spec.noun} match"
            sys.stderr.write(f"mxict: {inert(message)}\n")
            if self.table:
                return
        if not self.table:
            render_rows(
                shaped.rows,
                shaped.fields,
                self.format,
                sys.stdout,
                headers=not request.no_headers,
            )
            return
        from mxict.cli.pager import screen

        with screen(session) as shown:
            if before is not None:
                before(shown.console())  # a headline drawn above the table
            render_rows(
                shaped.rows,
                shaped.fields,
                self.format,
                shown.stream,
                color=shown.color,
                title=title,
                width=shown.width,
                optional=shaped.optional,
                headers=not request.no_headers,
                highlight=highlight,
            )
        if sys.stdout.isatty():
            # How much the table shows, on stderr, only for a person at a terminal.
            whole = max(total if total is not None else len(rows), len(shaped.rows))
            count = f"{len(shaped.rows)} {spec.noun}"
            cut = len(shaped.rows) < whole
            sys.stderr.write(
                f"showing {len(shaped.rows)} of {whole} {spec.noun}\n" if cut else f"{count}\n"
            )

    def document(self, data: Any) -> None:
        """Write one nested document (JSON, JSON Lines or YAML)."""
        if self.request.jq is not None and self.path is None:
            from mxict.render.jq import write_jq

            write_jq(self.request.jq, data, sys.stdout)
            return
        if self.request.jq is not None:
            from mxict.render.jq import apply_jq

            data = apply_jq(self.request.jq, data)
        if self.path is None:
            render_document(data, self.format, sys.stdout)
            return
        from mxict.atomic import write_atomic

        def write(fh: IO[str]) -> None:
            render_document(data, self.format, fh)

        write_atomic(self.path, write, force=self.request.force)
        wrote("the document", self.path)


def wrote(what: str, path: Path | str) -> None:
    """Tell stderr what was written where (the path made safe to print)."""
    from mxict.render.text import inert

    sys.stderr.write(f"wrote {what} to {inert(str(path))}\n")
