"""Where mxict keeps its caches, and the stamp of the code that filled them."""

from __future__ import annotations

import gc
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
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
    # os.scandir, not Path.rglob: this runs on every query, and pathlib costs 10x more.
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    parts = [__version__]
    pending = [""]
    while pending:
        relative = pending.pop()
        try:
            with os.scandir(os.path.join(package, relative)) as scan:
                entries = list(scan)
        except OSError:
            continue
        for entry in entries:
            name = os.path.join(relative, entry.name) if relative else entry.name
            if entry.name.endswith(".py"):
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
            elif entry.name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                pending.append(name)
    parts[1:] = sorted(parts[1:])
    return f"{zlib.crc32(chr(0).join(parts).encode()):08x}"


@contextmanager
def gc_paused() -> Iterator[None]:
    """No garbage collection while a large JSON document is decoded: it holds no cycles,
    and the collector would otherwise walk the growing heap again and again (2-3x slower)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
