"""Mexico's 32 states: ISO 3166-2:MX code and centre point (`iso3166-2`), INEGI code (curated).

The latitude/longitude come from the `iso3166-2` package's JSON, read as shipped
without importing the package (its module pulls in HTTP and fuzzy-match libraries this
never needs). The package has no INEGI codes: those, and the names, are the curated
table in `mxict.states`; tests check that it covers exactly the package's 32 codes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mxict.exports.files import missing_extra
from mxict.states import INEGI_STATES, state_code

ISO_SOURCE = "ISO 3166-2:MX codes, names and latitude/longitude from the iso3166-2 package"


@dataclass(frozen=True)
class State:
    """One Mexican state: ISO 3166-2:MX code, INEGI code, name and centre point."""

    iso_code: str
    inegi_code: str
    name: str
    latitude: float
    longitude: float


def iso_subdivisions() -> dict[str, dict[str, object]]:
    """The `iso3166-2` package's entries for Mexico, keyed by ISO 3166-2 code."""
    import importlib.util

    spec = importlib.util.find_spec("iso3166_2")  # locates the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise missing_extra("The states' codes and centre points", "iso3166-2")
    database = Path(next(iter(spec.submodule_search_locations))) / "iso3166-2.json"
    entries: dict[str, dict[str, object]] = json.loads(database.read_text(encoding="utf-8"))["MX"]
    return entries


@cache
def states() -> dict[str, State]:
    """The 32 states keyed by ISO 3166-2 code, in INEGI order."""
    package = iso_subdivisions()
    table: dict[str, State] = {}
    for iso_code, inegi_code, name in INEGI_STATES:
        point = package[iso_code]["latLng"]
        if not isinstance(point, list) or len(point) != 2:
            raise ValueError(f"iso3166-2 gives no latitude/longitude for {iso_code}")
        table[iso_code] = State(iso_code, inegi_code, name, float(point[0]), float(point[1]))
    return table


def state_named(name: str) -> State | None:
    """The state a record's `state` field names (accents and case ignored), or None."""
    code = state_code(name)
    return states()[code] if code else None
