"""`mxict export geojson`: the projects as an RFC 7946 FeatureCollection of points.

Each project is one Feature. Its point is the centre of the first state it is located
in (`mxict.exports.geo`: the iso3166-2 package's latitude/longitude), so a point says
"in this state", never a street address. A nationwide project has no state: its
geometry is null, as RFC 7946 allows for an unlocated feature, and its properties say so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mxict.exports.geo import State, state_named
from mxict.exports.tables import TITLE, usd

if TYPE_CHECKING:
    from mxict.dataset.catalog import Catalog


def _located(states: list[str]) -> list[State]:
    found = [state_named(name) for name in states]
    return [state for state in found if state is not None]


def project_features(catalog: Catalog) -> dict[str, Any]:
    """A FeatureCollection with one Feature per project, in id order."""
    features = []
    for project in sorted(catalog.projects.values(), key=lambda p: p.id):
        located = _located(project.states)
        total, annual = usd(project.value)
        event = project.current_event()
        geometry = (
            # RFC 7946 positions are longitude first; 4 decimals as the package gives them.
            {"type": "Point", "coordinates": [located[0].longitude, located[0].latitude]}
            if located
            else None
        )
        features.append(
            {
                "type": "Feature",
                "id": project.id,
                "geometry": geometry,
                "properties": {
                    "id": project.id,
                    "name": project.name,
                    "sponsor": project.sponsor.acronym or project.sponsor.name,
                    "sector": project.sector.value,
                    "status": project.current_status.value,
                    "status_date": event.date if event else None,
                    "value_usd": total,
                    "value_annual_usd": annual,
                    "value_as_printed": project.value.as_printed if project.value else None,
                    "location": "; ".join(loc.name for loc in project.locations),
                    "states": [state.name for state in located],
                    "state_codes": [state.iso_code for state in located],
                    "inegi_codes": [state.inegi_code for state in located],
                    "point": "state centre" if located else "none: nationwide",
                },
            }
        )
    return {"type": "FeatureCollection", "name": TITLE, "features": features}
