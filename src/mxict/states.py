"""Mexico's 32 states as INEGI lists them: ISO 3166-2:MX code, INEGI key and name.

A curated table (no package ships INEGI keys): INEGI's *Catálogo Único de Claves de
Áreas Geoestadísticas Estatales, Municipales y Localidades* (AGEE keys `CVE_ENT` 01-32
with `NOM_ENT`), matched to ISO 3166-2 codes by name; tests check it against the
`iso3166-2` package's 32 codes and names. Standard library only, so `mxict validate`
can check a record's state without the export extra.
"""

from __future__ import annotations

from functools import cache

from mxict.textfold import closest, fold

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


@cache
def _lookup() -> dict[str, str]:
    # Official names, and the short names people and sources use: "Michoacán" for
    # "Michoacán de Ocampo", "Veracruz" for "Veracruz de Ignacio de la Llave", "Estado de
    # México" and "Edomex" for "México", "CDMX" for "Ciudad de México".
    names: dict[str, str] = {}
    for iso_code, _, name in INEGI_STATES:
        full = fold(name)
        names[full] = names[full.split(" de ")[0]] = iso_code
    names |= dict.fromkeys(("estado de mexico", "edomex"), "MX-MEX")
    names |= dict.fromkeys(("cdmx", "mexico city", "distrito federal"), "MX-CMX")
    return names


def state_code(name: str) -> str | None:
    """The ISO 3166-2:MX code of the state `name` names (accents and case ignored)."""
    return _lookup().get(fold(name.strip()))


def check_state(name: str) -> str:
    """`name` if it names a Mexican state, else ValueError with the nearest names."""
    if state_code(name) is None:
        hint = closest(name, [n for _, _, n in INEGI_STATES], limit=3)
        suffix = f" (did you mean {' or '.join(hint)}?)" if hint else ""
        raise ValueError(f"{name!r} is not one of Mexico's 32 states{suffix}")
    return name
