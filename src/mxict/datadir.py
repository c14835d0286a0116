"""Where the data lives: --data-dir, $MXICT_DATA_DIR, or the copy bundled with mxict."""

from __future__ import annotations

import os
from pathlib import Path

from mxict.errors import DataDirNotFound

ENV_DATA_DIR = "MXICT_DATA_DIR"


def packaged_data_dir() -> Path | None:
    """The copy of the data inside the installed wheel, else the source checkout's."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent.parent / "data"):
        if (candidate / "projects").is_dir():
            return candidate
    return None


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, else $MXICT_DATA_DIR, else bundled data; a given path must exist."""
    given = explicit if explicit not in (None, "") else os.environ.get(ENV_DATA_DIR) or None
    if given is not None:
        path = Path(given).expanduser()
        if not path.is_dir():
            # Typer fills --data-dir from the environment too: name the source that was used.
            from_env = explicit in (None, "") or str(explicit) == os.environ.get(ENV_DATA_DIR)
            origin = f"${ENV_DATA_DIR}" if from_env else "--data-dir"
            raise DataDirNotFound(f"data directory {str(path)!r} (from {origin}) does not exist")
        return path
    found = packaged_data_dir()
    if found is None:
        raise DataDirNotFound("no bundled data found; pass --data-dir or set $MXICT_DATA_DIR")
    return found
