"""Rows as CSV, TSV and Markdown tables."""

from __future__ import annotations

from typing import IO, Any

from mxict.render.text import flat, inert, neutralise_formula


def write_delimited(
    rows: list[dict[str, Any]],
    fields: list[str],
    out: IO[str],
    delimiter: str,
    *,
    headers: bool = True,
) -> None:
    """CSV or TSV with a header line; numbers stay numbers, text is neutralised."""
    import csv

    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    if headers:
        writer.writerow(fields)
    for row in rows:
        cells: list[Any] = []
        for name in fields:
            value = row.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(flat(value))  # numbers stay numbers, never prefixed
            else:
                # Neutralise before tabs become spaces: a leading tab must still count.
                text = neutralise_formula(inert(flat(value)))
                if delimiter == "\t":
                    text = text.replace("\t", " ").replace("\n", " ")
                cells.append(text)
        writer.writerow(cells)


def write_markdown(rows: list[dict[str, Any]], fields: list[str], out: IO[str]) -> None:
    """A GitHub-flavoured Markdown table."""
    from tabulate import tabulate

    def cell(value: Any) -> str:
        text = inert(flat(value)).replace("|", "\\|").replace("\n", "<br>")
        return text

    body = [[cell(row.get(name)) for name in fields] for row in rows]
    out.write(tabulate(body, headers=fields, tablefmt="github", disable_numparse=True) + "\n")
