"""Where mxict keeps its caches, and the stamp of the code that filled them."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

from mxict._version import __version__


def cache_dir() -> Path:
    """$MXICT_CACHE_DIR, else $XDG_CACHE_HOME/mxict, else ~/.cache/mxict.

    Raises OSError when there is none (no $HOME and no passwd entry): callers then work
    without a cache, as they do when it is not writable."""
    explicit = os.environ.get("MXICT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError) as exc:
            raise OSError(f"no home directory for a cache: {exc}") from None
    return Path(base) / "mxict"


def code_stamp() -> str:
    """Sizes and mtimes of mxict's own modules: a changed model or loader (an upgrade, an
    edit in a checkout) must not reuse results computed by the old code."""
    package = Path(__file__).resolve().parent.parent  # every module, in every subpackage
    parts = [__version__]
    for path in sorted(package.rglob("*.py")):
        try:
            stat = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}")
    return f"{zlib.crc32(chr(0).join(parts).encode()):08x}"
