"""The typed catalog: every record of a data directory as a validated pydantic model."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mxict.dataset.layout import resolve_data_dir
from mxict.dataset.loading import LoadResult
from mxict.errors import DataInvalid

if TYPE_CHECKING:
    from pydantic import BaseModel

    from mxict.models import AcronymList, Country, Lead, Project, Sector, SourceRegistry


@dataclass(frozen=True)
class Catalog:
    """Every validated record of a data directory."""

    data_dir: Path
    projects: dict[str, Project]
    sectors: dict[str, Sector]
    acronyms: AcronymList
    country: Country
    sources: SourceRegistry
    leads: dict[str, Lead] = field(default_factory=dict)

    def project(self, wanted: str) -> Project:
        """A project by id (case- and accent-insensitive), or NotFound with suggestions."""
        from mxict.dataset.lookup import find_project

        return self.projects[find_project([{"id": i} for i in self.projects], wanted)["id"]]

    def sector(self, wanted: str) -> Sector:
        """A sector by slug, annex code, or unambiguous prefix of either."""
        from mxict.dataset.lookup import find_sector

        stubs = [{"id": s.id.value, "annex": s.annex} for s in self.sectors.values()]
        return self.sectors[find_sector(stubs, wanted)["id"]]


def catalog_from(result: LoadResult, data_dir: Path) -> Catalog:
    """Assemble a Catalog from a problem-free LoadResult."""
    from mxict.models import AcronymList, Country, Lead, Project, Sector, SourceRegistry
    from mxict.vocab import sector_rank

    projects: dict[str, Project] = {}
    leads: dict[str, Lead] = {}
    sectors: dict[str, Sector] = {}
    singles: dict[str, BaseModel] = {}
    for loaded in result.files:
        record = loaded.record
        if isinstance(record, Project):
            projects[record.id] = record
        elif isinstance(record, Lead):
            leads[record.id] = record
        elif isinstance(record, Sector):
            sectors[record.id.value] = record
        elif record is not None:
            singles[loaded.kind] = record
    acronyms, country, sources = singles["acronyms"], singles["country"], singles["sources"]
    assert isinstance(acronyms, AcronymList)
    assert isinstance(country, Country)
    assert isinstance(sources, SourceRegistry)
    return Catalog(
        data_dir=data_dir,
        projects=dict(sorted(projects.items())),
        sectors=dict(sorted(sectors.items(), key=lambda item: sector_rank(item[0]))),
        acronyms=acronyms,
        country=country,
        sources=sources,
        leads=dict(sorted(leads.items())),
    )


def load_catalog(
    data_dir: str | os.PathLike[str] | None = None, *, progress: Any = None
) -> Catalog:
    """Load and validate the dataset; raises DataInvalid listing every problem.

    `progress(label, total)`, if given, is a context manager yielding `advance(n)`.
    """
    from contextlib import nullcontext

    root = resolve_data_dir(data_dir)
    bar = progress("reading the data", None) if progress else nullcontext(None)
    with bar as advance:
        from mxict.dataset.validate import validate_tree

        result = validate_tree(root, advance)
    if result.problems:
        raise DataInvalid(result.problems)
    return catalog_from(result, root)
