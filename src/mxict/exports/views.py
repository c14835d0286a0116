"""SQL views over the export tables that answer a reader's questions without a join.

`opportunities` puts each U.S. export opportunity beside its project's name, sector,
states, status, USD value and contacts; `project_overview` is the projects table without
its long narrative columns, with counts and a map point. Both carry `latitude` and
`longitude` (the first located state's centre point) so Datasette's map plugin plots them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    """A named SQL view: what it shows and the SELECT that defines it."""

    name: str
    title: str
    description: str
    select: str

    @property
    def create(self) -> str:
        """The CREATE VIEW statement."""
        return f"CREATE VIEW {self.name} AS\n{self.select}"


# The first location of a project that has a state, for its map point.
_POINT = """
    (SELECT {column} FROM locations l
     WHERE l.project_id = p.id AND l.latitude IS NOT NULL ORDER BY l.position LIMIT 1)"""

# One line per contact, in the profile's order: "name, title, organization, email, phone".
CONTACT_LINES = """
    (SELECT group_concat(line, char(10)) FROM (
       SELECT trim(coalesce(c.name || ', ', '') || coalesce(c.title || ', ', '')
                   || c.organization || coalesce(', ' || c.email, '')
                   || coalesce(', ' || c.phone, '')) AS line
       FROM contacts c WHERE c.project_id = p.id ORDER BY c.position))"""

OPPORTUNITIES = View(
    name="opportunities",
    title="Opportunities with their project and contacts",
    description=(
        "Every U.S. export opportunity beside its project's name, sector, states, status "
        "and USD value, and whom to contact; the largest projects first."
    ),
    select=f"""SELECT
    o.id,
    p.name AS project,
    o.project_id,
    p.sector,
    p.states,
    p.status,
    p.value_usd,
    p.value_as_printed,
    o.kind,
    o.category,
    o.description AS opportunity,
    o.naics,
    -- A JSON array, so Datasette can facet on each code ("_facet_array").
    CASE WHEN o.naics IS NULL THEN '[]'
         ELSE '["' || replace(o.naics, '; ', '","') || '"]' END AS naics_codes,
    o.hs,
    {CONTACT_LINES} AS contacts,
    {_POINT.format(column="latitude")} AS latitude,
    {_POINT.format(column="longitude")} AS longitude
FROM export_opportunities o JOIN projects p ON p.id = o.project_id""",
)

PROJECT_OVERVIEW = View(
    name="project_overview",
    title="Projects at a glance, on a map",
    description=(
        "One line per project: sponsor, sector, states, status, USD value, how many "
        "opportunities and contacts, and a point on the map; click a project for its story."
    ),
    select=f"""SELECT
    p.id,
    p.name,
    coalesce(p.sponsor_acronym, p.sponsor_name) AS sponsor,
    p.sector,
    p.states,
    p.status,
    p.status_date,
    p.value_usd,
    p.value_annual_usd,
    p.value_as_printed,
    (SELECT count(*) FROM export_opportunities o WHERE o.project_id = p.id) AS opportunities,
    (SELECT count(*) FROM contacts c WHERE c.project_id = p.id) AS contacts,
    {_POINT.format(column="latitude")} AS latitude,
    {_POINT.format(column="longitude")} AS longitude
FROM projects p""",
)

VIEWS: tuple[View, ...] = (PROJECT_OVERVIEW, OPPORTUNITIES)
