"""The validated dataset as plain JSON documents, cached so that queries skip YAML and pydantic.

Every query command works on a Snapshot: records already validated by the models and
dumped to JSON-ready dicts. Building one means parsing and validating every YAML file;
reading one back from the cache costs a `json.load`. The cache is keyed by the data
files' paths, sizes and modification times plus the mxict version, so any change to the
data (or an upgrade) rebuilds it. A missing, corrupt or unwritable cache is ignored.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mxict import __version__
from mxict.errors import Ambiguous, NotFound
from mxict.textfold import closest, fold

if TYPE_CHECKING:
    from mxict.catalog import Catalog

Doc = dict[str, Any]
CACHE_FORMAT = 1


class Snapshot(NamedTuple):
    """Every record of a data directory as JSON-ready dicts, in catalog order."""

    data_dir: str
    projects: list[Doc]
    sectors: list[Doc]
    acronyms: Doc
    country: Doc
    sources: Doc

    def project(self, wanted: str) -> Doc:
        """A project by id, ignoring case and accents; NotFound suggests close ids."""
        return find_project(self.projects, wanted)

    def sector(self, wanted: str) -> Doc:
        """A sector by slug, annex code or unambiguous prefix of either."""
        return find_sector(self.sectors, wanted)

    def to_json(self) -> Doc:
        """The snapshot as one JSON document (for the cache)."""
        return dict(self._asdict())


def find_project(projects: list[Doc], wanted: str) -> Doc:
    """Shared id lookup for snapshots and catalogs."""
    key = fold(wanted)
    for project in projects:
        if fold(project["id"]) == key:
            return project
    raise NotFound("project", wanted, closest(wanted, [p["id"] for p in projects]))


def find_sector(sectors: list[Doc], wanted: str) -> Doc:
    """Shared sector lookup: exact slug or annex code first, then a unique prefix."""
    key = fold(wanted)
    for sector in sectors:
        if key in (fold(sector["id"]), fold(sector["annex"])):
            return sector
    prefixed = [
        s
        for s in sectors
        if key and (fold(s["id"]).startswith(key) or fold(s["annex"]).startswith(key))
    ]
    if len(prefixed) == 1:
        return prefixed[0]
    if prefixed:
        raise Ambiguous("sector", wanted, [s["id"] for s in prefixed])
    candidates = [s["id"] for s in sectors] + [s["annex"] for s in sectors]
    raise NotFound("sector", wanted, closest(wanted, candidates))


def from_catalog(catalog: Catalog) -> Snapshot:
    """Dump a validated catalog to a snapshot."""
    from mxict.rows import record_json

    return Snapshot(
        data_dir=str(catalog.data_dir),
        projects=[record_json(p) for p in catalog.projects.values()],
        sectors=[record_json(s) for s in catalog.sectors.values()],
        acronyms=record_json(catalog.acronyms),
        country=record_json(catalog.country),
        sources=record_json(catalog.sources),
    )


# --------------------------------------------------------------------------- cache


def cache_dir() -> Path:
    """$MXICT_CACHE_DIR, else $XDG_CACHE_HOME/mxict, else ~/.cache/mxict."""
    explicit = os.environ.get("MXICT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mxict"


def fingerprint(data_dir: Path) -> str:
    """Checksum of every data file's path, size and mtime, plus the mxict version.

    zlib's CRC-32 and Adler-32 together (with the entry count) are plenty to notice a
    change, and cost far less to import than hashlib.
    """
    entries: list[str] = [f"{CACHE_FORMAT}:{__version__}:{data_dir.resolve()}"]
    stack = [data_dir]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as scan:
                for entry in scan:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    else:
                        stat = entry.stat(follow_symlinks=False)
                        entries.append(f"{entry.path}\0{stat.st_size}\0{stat.st_mtime_ns}")
        except OSError:
            entries.append(f"{folder}\0unreadable")
    entries.sort()
    blob = "\n".join(entries).encode("utf-8", "surrogateescape")
    return f"{len(entries)}-{zlib.crc32(blob):08x}-{zlib.adler32(blob):08x}"


def _cache_file(data_dir: Path) -> Path:
    name = f"{zlib.crc32(str(data_dir.resolve()).encode('utf-8', 'surrogateescape')):08x}"
    return cache_dir() / f"snapshot-{name}.json"


def read_cache(data_dir: Path, key: str) -> Snapshot | None:
    """The cached snapshot if it matches `key`; None when absent, stale or unreadable."""
    try:
        with _cache_file(data_dir).open(encoding="utf-8") as fh:
            document = json.load(fh)
        if document.get("key") != key:
            return None
        body = document["snapshot"]
        return Snapshot(
            **{
                name: body[name]
                for name in ("data_dir", "projects", "sectors", "acronyms", "country", "sources")
            }
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a corrupt or missing cache is simply rebuilt


def write_cache(data_dir: Path, key: str, snapshot: Snapshot) -> None:
    """Store the snapshot atomically; any failure (read-only disk...) is ignored."""
    import tempfile

    target = _cache_file(data_dir)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".snapshot.", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"key": key, "snapshot": snapshot.to_json()}, fh, ensure_ascii=False)
        os.replace(temp, target)
    except OSError:
        return


def load_snapshot(
    data_dir: str | os.PathLike[str] | None = None, *, use_cache: bool = True
) -> Snapshot:
    """The dataset as a Snapshot: from the cache when the data is unchanged."""
    from mxict.datadir import resolve_data_dir

    root = resolve_data_dir(data_dir)
    key = fingerprint(root) if use_cache else ""
    if use_cache:
        cached = read_cache(root, key)
        if cached is not None:
            return cached
    from mxict.catalog import load_catalog

    snapshot = from_catalog(load_catalog(root))
    if use_cache:
        write_cache(root, key, snapshot)
    return snapshot
