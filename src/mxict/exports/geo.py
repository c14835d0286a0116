"""Mexico's 32 states: ISO 3166-2:MX code and centre point (`iso3166-2`), INEGI code (curated).

The ISO codes, names and latitude/longitude come from the `iso3166-2` package's JSON,
read as shipped without importing the package (its module pulls in HTTP and fuzzy-match
libraries this never needs). The package has no INEGI codes, so `INEGI_STATES` below is
a curated table: INEGI's *Catálogo Único de Claves de Áreas Geoestadísticas Estatales,
Municipales y Localidades* (AGEE keys `CVE_ENT` 01-32 with `NOM_ENT`), matched to ISO
codes by name; tests check that it covers exactly the package's 32 codes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mxict.exports.files import missing_extra
from mxict.textfold import fold

INEGI_SOURCE = (
    "INEGI, Catálogo Único de Claves de Áreas Geoestadísticas Estatales, Municipales y "
    "Localidades (claves de entidad federativa, CVE_ENT)"
)
ISO_SOURCE = "ISO 3166-2:MX codes, names and latitude/longitude from the iso3166-2 package"

# (ISO 3166-2 code, INEGI CVE_ENT, INEGI NOM_ENT), in INEGI order.
INEGI_STATES: tuple[tuple[str, str, str], ...] = (
    ("MX-AGU", "01", "Aguascalientes"),
    ("MX-BCN", "02", "Baja California"),
    ("MX-BCS", "03", "Baja California Sur"),
    ("MX-CAM", "04", "Campeche"),
    ("MX-COA", "05", "Coahuila de Zaragoza"),
    ("MX-COL", "06", "Colima"),
    ("MX-CHP", "07", "Chiapas"),
    ("MX-CHH", "08", "Chihuahua"),
    ("MX-CMX", "09", "Ciudad de México"),
    ("MX-DUR", "10", "Durango"),
    ("MX-GUA", "11", "Guanajuato"),
    ("MX-GRO", "12", "Guerrero"),
    ("MX-HID", "13", "Hidalgo"),
    ("MX-JAL", "14", "Jalisco"),
    ("MX-MEX", "15", "México"),
    ("MX-MIC", "16", "Michoacán de Ocampo"),
    ("MX-MOR", "17", "Morelos"),
    ("MX-NAY", "18", "Nayarit"),
    ("MX-NLE", "19", "Nuevo León"),
    ("MX-OAX", "20", "Oaxaca"),
    ("MX-PUE", "21", "Puebla"),
    ("MX-QUE", "22", "Querétaro"),
    ("MX-ROO", "23", "Quintana Roo"),
    ("MX-SLP", "24", "San Luis Potosí"),
    ("MX-SIN", "25", "Sinaloa"),
    ("MX-SON", "26", "Sonora"),
    ("MX-TAB", "27", "Tabasco"),
    ("MX-TAM", "28", "Tamaulipas"),
    ("MX-TLA", "29", "Tlaxcala"),
    ("MX-VER", "30", "Veracruz de Ignacio de la Llave"),
    ("MX-YUC", "31", "Yucatán"),
    ("MX-ZAC", "32", "Zacatecas"),
)


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


def _names(state: State) -> set[str]:
    # "Michoacán" for "Michoacán de Ocampo", "Veracruz" for "Veracruz de Ignacio de la
    # Llave", "Estado de México" for "México": the short names people and sources use.
    full = fold(state.name)
    names = {full, full.split(" de ")[0]}
    if state.iso_code == "MX-MEX":
        names |= {"estado de mexico", "edomex"}
    if state.iso_code == "MX-CMX":
        names |= {"cdmx", "mexico city", "distrito federal"}
    return names


def state_named(name: str) -> State | None:
    """The state a record's `state` field names (accents and case ignored), or None."""
    wanted = fold(name.strip())
    for state in states().values():
        if wanted in _names(state):
            return state
    return None
