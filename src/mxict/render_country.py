"""The country overview laid out for a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mxict.render import inert, rich_table

if TYPE_CHECKING:
    from rich.console import Console

    from mxict.models import Country


def show_country(country: Country, console: Console) -> None:
    """Demographics, sector figures, providers and the regulator with its successors."""
    from rich.text import Text

    console.print(Text(inert(country.name), style="bold"))
    console.print(Text(inert(" ".join(country.summary.split()))))
    for title, figures in (
        ("Demographics", country.demographics),
        ("ICT sector", country.sector_figures),
        ("Broadcasting and regulation", country.regulator_facts),
    ):
        if figures:
            rows = [
                {
                    "figure": f.label,
                    "value": f.as_printed,
                    "year": f.year or "",
                    "source": f.cited_source or "",
                }
                for f in figures
            ]
            console.print()
            console.print(rich_table(rows, ["figure", "value", "year", "source"], title))
    if country.providers:
        rows = [
            {
                "segment": g.segment,
                "count": g.count_as_printed or "",
                "providers": ", ".join(g.providers),
            }
            for g in country.providers
        ]
        console.print()
        console.print(rich_table(rows, ["segment", "count", "providers"], "Providers"))
    regulator = country.regulator
    console.print()
    console.print(
        Text("Regulator: ", style="bold")
        + Text(inert(regulator.name + (f" ({regulator.acronym})" if regulator.acronym else "")))
    )
    for successor in regulator.successors:
        console.print(
            Text(f"  {successor.date} {successor.change.value}: ", style="yellow")
            + Text(inert(successor.description))
        )
