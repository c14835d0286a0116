"""Per-file validation results, cached so that `mxict validate` re-reads only changed files.

Each entry is keyed by the file's name, device and inode (whatever path or link leads to
it), size, modification and change times, record kind, the file size limit and mxict's
code, and holds the small facts cross-record checks need plus the file's own problems.
A run that finds every file unchanged writes nothing. A corrupt, unwritable or full cache
is ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from pathlib import Path
from typing import Any

from mxict._version import __version__
from mxict.dataset.caches import cache_dir, code_stamp
from mxict.dataset.loading import LoadedFile
from mxict.errors import Problem

CODE = f"{__version__}:{code_stamp()}"  # results of older code are never reused


def _key(path: Path, kind: str, limit: int) -> str | None:
    # The device and inode name the file itself, whatever path or link leads to it (so
    # `data`, `./data` and a symlink share entries); the name still counts, for the rule
    # that an id is its file's stem. The ctime changes with any edit, even one whose mtime
    # is put back (`cp -p`, `rsync -a`, `touch -r`); the size limit decides validity too.
    try:
        stat = path.stat()
    except OSError:
        return None
    return (
        f"{CODE}|{limit}|{kind}|{path.name}|{stat.st_dev}:{stat.st_ino}"
        f"|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ctime_ns}"
    )


def _encode(loaded: LoadedFile, problems: list[Problem]) -> dict[str, Any]:
    return {
        "valid": loaded.valid,
        "record_id": loaded.record_id,
        "name": loaded.name,
        "sector": loaded.sector,
        "registry": sorted(loaded.registry),
        "source_refs": [[list(loc), file] for loc, file in loaded.source_refs],
        "links": [[list(loc), target] for loc, target in loaded.links],
        "where": [[list(loc), line, column] for loc, (line, column) in loaded.where.items()],
        "located": loaded.located,
        "problems": [[p.line, p.column, p.path, p.rule, p.message] for p in problems],
    }


def _decode(
    entry: dict[str, Any], path: Path, kind: str, root: Path | None
) -> tuple[LoadedFile, list[Problem]]:
    loaded = LoadedFile(
        path,
        root,
        kind,
        valid=entry["valid"],
        record_id=entry["record_id"],
        name=entry["name"],
        sector=entry["sector"],
        registry=frozenset(entry["registry"]),
        source_refs=[(tuple(loc), file) for loc, file in entry["source_refs"]],
        links=[(tuple(loc), target) for loc, target in entry["links"]],
        where={tuple(loc): (line, column) for loc, line, column in entry["where"]},
        located=entry["located"],
    )
    problems = [Problem(loaded.display, *p) for p in entry["problems"]]
    return loaded, problems


class ValidationCache:
    """Load, consult and save per-file validation results."""

    def __init__(self, scope: Path) -> None:
        name = f"{zlib.crc32(str(scope.resolve()).encode('utf-8', 'surrogateescape')):08x}"
        from mxict.reader.rules import max_file_bytes

        self.entries: dict[str, Any] = {}
        self.fresh: dict[str, Any] = {}
        self.keys: dict[Path, str | None] = {}
        self.changed = False  # a result was computed afresh: the file is worth rewriting
        self.limit = max_file_bytes()
        try:
            self.path: Path | None = cache_dir() / f"validate-{name}.json"
        except OSError:
            self.path = None  # nowhere to keep results: validate everything, keep nothing
            return
        try:
            from mxict.dataset.caches import gc_paused

            with gc_paused():  # a large document: the collector would walk it over and over
                loaded = json.loads(self.path.read_bytes())
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, ValueError):
            pass

    def get(
        self, path: Path, kind: str, root: Path | None
    ) -> tuple[LoadedFile, list[Problem]] | None:
        """The cached result for an unchanged file, or None."""
        key = self.keys[path] = _key(path, kind, self.limit)
        if key is None or key not in self.entries:
            return None
        try:
            result = _decode(self.entries[key], path, kind, root)
        except (KeyError, TypeError, ValueError):
            return None
        self.fresh[key] = self.entries[key]
        return result

    def put(self, loaded: LoadedFile, problems: list[Problem]) -> None:
        """Remember a freshly computed result."""
        # The key read before the file was: a file changed since is not cached as it is now.
        key = self.keys.get(loaded.path) or _key(loaded.path, loaded.kind, self.limit)
        if key is not None:
            self.fresh[key] = _encode(loaded, problems)
            self.changed = True

    def save(self) -> None:
        """Write the entries seen in this run (others are dropped), atomically; nothing
        when every file was unchanged and none went away."""
        import tempfile

        from mxict.atomic import sweep_stale, temp_prefix

        if self.path is None or (not self.changed and self.fresh.keys() == self.entries.keys()):
            return
        temp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            sweep_stale(self.path.parent, ".validate.")  # what killed runs left
            fd, temp = tempfile.mkstemp(
                prefix=temp_prefix(".validate."), suffix=".tmp", dir=self.path.parent
            )
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(self.fresh, ensure_ascii=False))  # dump() is pure Python
            os.replace(temp, self.path)
        except OSError:
            if temp is not None:  # a full disk leaves no partial file behind
                with contextlib.suppress(OSError):
                    os.unlink(temp)
