"""The validated dataset as plain JSON documents, cached so that queries skip YAML and pydantic.

Query commands work on a Snapshot: records already validated by the models and dumped
to JSON-ready dicts. Building one parses and validates every YAML file; the result is
cached on disk, in one folder per data directory (however its path is spelled):

- `index.json`: the key, the source registry, the counts, and each lead's id with the
  projects it relates to (read by every query: kilobytes, whatever the number of
  projects);
- `reference.json`: the sectors, acronyms, country overview and leads (read by the
  queries that use them, not by `list` or `show ID`);
- `summaries.jsonl`: one short *summary* per line, sorted by id (what `list` and its
  filters need);
- `records.jsonl`: one full project record per line;
- `ids.idx`: fixed-width lines, sorted by folded id, giving where each record's line
  starts, how long it is and the stamp of its file's stat, so that `show ID` finds it
  with a binary search;
- `shape.txt`: the key and the *shape* of the data the cache was built from (see below).

So `mxict list` reads the index and the summaries, `mxict show ID` the index, the shape,
a few lines of `ids.idx` and one line of records, and full-text queries stream the
records.
The key covers every data file's path, size, modification and change times, inode, the
file size limit and mxict's code, so any change rebuilds the cache; a missing, corrupt,
unwritable or full cache is ignored, never fatal.

Computing the key stats every data file, which costs more than the rest of `show ID`
on a large tree. So `show ID` (`load_snapshot(one_record=ID)`) checks less: the shape
(`shape_stamp`: the code, the root, the file size limit, the stat of the root and of
projects/, leads/ and sectors/, whose mtimes change whenever a file is added, removed or
renamed in them, and the full stat of the top-level, lead and sector files) and the stat
of the requested project's own file. Anything else, or an unknown id, falls back to the
key. What `show` prints comes only from that record and the files the shape covers, so
it is never stale; but an in-place edit of *another* project's file (its folder's stat
stays) is not noticed by `show` until a command that reads every record (list, search,
export-opportunities...) checks the key and rebuilds the cache.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from mxict.dataset.caches import cache_dir, code_stamp, gc_paused
from mxict.dataset.lookup import find_project, find_sector
from mxict.dataset.summary import SUMMARY_FIELDS, summary_of
from mxict.textfold import closest, fold

__all__ = ["SUMMARY_FIELDS", "Snapshot", "load_snapshot", "summary_of"]

Doc = dict[str, Any]
CACHE_FORMAT = 8
INDEX, SUMMARIES, RECORDS, LOOKUP = "index.json", "summaries.jsonl", "records.jsonl", "ids.idx"
REFERENCE, SHAPE = "reference.json", "shape.txt"
_REFERENCE_PARTS = ("sectors", "acronyms", "country", "leads")
_OFFSET_DIGITS, _LENGTH_DIGITS, _STAMP_DIGITS = 13, 10, 8
# The stamp of a project whose file's stat the build did not see: it matches no file.
_NO_STAMP = "-" * _STAMP_DIGITS
# Above this many wanted records the whole lookup table is read once instead of searched.
_SEARCHES = 64
# A `.building-*` folder whose builder may still run is left alone unless this old.
STALE_BUILD_SECONDS = 6 * 3600
# Writing the cache failed for want of room (or quota, or a file size limit), not because
# the data cannot be read: the answer is then built in memory.
_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class Snapshot:
    """Every record of a data directory as JSON-ready dicts, in catalog order.

    `projects` are summaries (see SUMMARY_FIELDS), sorted by id; `records()`,
    `iter_records()`, `full()` and `project()` give whole project records.
    """

    def __init__(
        self,
        data_dir: str,
        sources: Doc,
        *,
        reference: Doc | None = None,
        lead_links: list[tuple[str, list[str]]] | None = None,
        projects: list[Doc] | None = None,
        records: list[Doc] | None = None,
        folder: Path | None = None,
        count: int | None = None,
        id_width: int = 0,
    ) -> None:
        """`reference` holds the sectors, acronyms, country and leads; None: read them
        from the cache folder's reference.json when first asked for. `lead_links`: each
        lead's id and the projects it relates to (else taken from the leads)."""
        self.data_dir = data_dir
        self.sources = sources
        self._reference = reference
        self._lead_links = lead_links if lead_links is not None else lead_links_of(self.leads)
        self._projects = projects
        self._records = records  # whole records kept in memory (no cache folder)
        self._folder = folder
        self._count = count if count is not None else len(projects or records or [])
        self._id_width = id_width
        self._rebuilt_snapshot: Snapshot | None = None

    @property
    def sectors(self) -> list[Doc]:
        """The sector overviews, in annex order."""
        part: list[Doc] = self._reference_part("sectors")
        return part

    @property
    def acronyms(self) -> Doc:
        """The acronyms list."""
        part: Doc = self._reference_part("acronyms")
        return part

    @property
    def country(self) -> Doc:
        """The country overview."""
        part: Doc = self._reference_part("country")
        return part

    @property
    def leads(self) -> list[Doc]:
        """Every whole lead record (they are few and small), by id."""
        part: list[Doc] = self._reference_part("leads")
        return part

    @property
    def lead_ids(self) -> list[str]:
        """Every lead's id, sorted (without reading the leads)."""
        return [lead_id for lead_id, _ in self._lead_links]

    def related_lead_ids(self, project_id: str) -> list[str]:
        """The ids of the leads whose relations name the project (without reading them)."""
        return [lead_id for lead_id, projects in self._lead_links if project_id in projects]

    def _reference_part(self, name: str) -> Any:
        if self._reference is None:
            assert self._folder is not None
            try:
                with gc_paused():
                    reference = json.loads((self._folder / REFERENCE).read_bytes())
                if not isinstance(reference, dict) or set(reference) != set(_REFERENCE_PARTS):
                    raise ValueError("the cached reference records are incomplete")
                self._reference = reference
            except (OSError, ValueError):
                self._reference = self._rebuilt()._reference_documents()
        return self._reference[name]

    def _reference_documents(self) -> Doc:
        return {name: self._reference_part(name) for name in _REFERENCE_PARTS}

    @property
    def projects(self) -> list[Doc]:
        """Every project's summary, sorted by id (read from the cache on first use)."""
        if self._projects is None:
            assert self._folder is not None
            try:
                # One document of all lines decodes faster than a document per line (the
                # lines hold no raw line breaks: JSON escapes them).
                lines = (self._folder / SUMMARIES).read_text(encoding="utf-8")
                with gc_paused():
                    projects = json.loads("[" + lines.rstrip("\n").replace("\n", ",") + "]")
                if not isinstance(projects, list) or len(projects) != self._count:
                    raise ValueError("cached summaries do not match the index")
                self._projects = projects
            except (OSError, ValueError):
                self._projects = self._rebuilt().projects  # a damaged cache is rebuilt
        return self._projects

    @property
    def count(self) -> int:
        """How many projects there are (without reading them)."""
        return self._count

    def iter_projects(self) -> Iterator[Doc]:
        """Every project's summary, sorted by id, read one line at a time (a caller that
        keeps only what it makes of each holds no list of them)."""
        if self._projects is not None or self._folder is None:
            yield from self.projects
            return
        yield from self._lines(SUMMARIES, lambda rebuilt: rebuilt.iter_projects())

    def _lines(self, name: str, again: Callable[[Snapshot], Iterator[Doc]]) -> Iterator[Doc]:
        """The cached file `name`, one JSON mapping a line; a damaged cache is rebuilt and
        `again` read from it, without giving twice what was already given."""
        assert self._folder is not None
        done = 0
        try:
            with (self._folder / name).open("rb") as fh:
                for line in fh:
                    item = json.loads(line)
                    if not isinstance(item, dict):
                        raise ValueError(f"a line of the cached {name} is not a mapping")
                    done += 1
                    yield item
            if done != self._count:
                raise ValueError(f"the cached {name} does not match the index")
        except (OSError, ValueError):
            for skipped, item in enumerate(again(self._rebuilt())):
                if skipped >= done:
                    yield item

    def records(self) -> list[Doc]:
        """Every whole project record, in a list (`iter_records` holds one at a time)."""
        if self._records is None:
            self._records = list(self.iter_records())
        return self._records

    def iter_records(self) -> Iterator[Doc]:
        """Every whole project record, in catalog order, read one line at a time."""
        if self._records is not None or self._folder is None:
            yield from self._records or []
            return
        yield from self._lines(RECORDS, lambda rebuilt: rebuilt.iter_records())

    def project(self, wanted: str) -> Doc:
        """A whole project record by id, ignoring case and accents; NotFound suggests ids."""
        if self._folder is None or self._records is not None:
            summary = find_project(self.projects, wanted)
            return next(r for r in self.records() if r["id"] == summary["id"])
        try:
            found = self._locate(fold(wanted))
            if found is None:
                find_project(self.projects, wanted)  # raises NotFound with suggestions
                raise ValueError("the lookup table misses a listed project")
            return self._read_at(*found, key=fold(wanted))
        except (OSError, ValueError):
            return self._rebuilt().project(wanted)  # a damaged cache is rebuilt

    def full(self, summaries: Iterable[Doc]) -> list[Doc]:
        """The whole records behind some summaries, in catalog order (as `records()`)."""
        return list(self.iter_full(summaries))

    def iter_full(self, summaries: Iterable[Doc]) -> Iterator[Doc]:
        """The whole records behind some summaries, in catalog order, one at a time: only
        their lines are read."""
        wanted = [s["id"] for s in summaries]
        if self._folder is None or self._records is not None:
            keep = set(wanted)
            yield from (r for r in self.records() if r["id"] in keep)
            return
        try:
            if len(wanted) > _SEARCHES:
                table = self._lookup_table()
                places = [table[i] for i in wanted]
            else:
                located = [self._locate(fold(i)) for i in wanted]
                if None in located:
                    raise ValueError("the lookup table misses a listed project")
                places = [place for place in located if place is not None]
            with (self._folder / RECORDS).open("rb") as fh:
                for start, length in sorted(set(places)):  # catalog order is file order
                    fh.seek(start)
                    record = json.loads(fh.read(length))
                    if not isinstance(record, dict):
                        raise ValueError("a cached record is not a mapping")
                    yield record
        except (OSError, ValueError, KeyError):
            yield from self._rebuilt().iter_full({"id": i} for i in wanted)

    def memo(self, name: str, stamp: str) -> dict[str, str]:
        """Strings a query derived from this data in an earlier run (`keep_memo`) with the
        same `stamp` (what else they depend on), or {}."""
        if self._folder is None:
            return {}
        try:
            with gc_paused():
                found = json.loads((self._folder / f"memo-{name}.json").read_bytes())
        except (OSError, ValueError):
            return {}
        values = found.get("values") if isinstance(found, dict) else None
        if found.get("stamp") != stamp or not isinstance(values, dict):
            return {}
        return {str(k): str(v) for k, v in values.items()}

    def keep_memo(self, name: str, stamp: str, values: dict[str, str]) -> None:
        """Keep strings derived from this data beside it (dropped when the data changes);
        a cache that cannot be written is ignored."""
        import tempfile

        if self._folder is None:
            return
        temp = None
        try:
            fd, temp = tempfile.mkstemp(prefix=f".memo-{name}.", dir=self._folder)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps({"stamp": stamp, "values": values}))
            os.replace(temp, self._folder / f"memo-{name}.json")
        except OSError:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)

    def sector(self, wanted: str) -> Doc:
        """A sector by slug, annex code or unambiguous prefix of either."""
        return find_sector(self.sectors, wanted)

    def record(self, wanted: str) -> Doc:
        """A whole project or lead record by id (projects first); NotFound suggests both."""
        from mxict.errors import NotFound

        key = fold(wanted)
        for lead_id in self.lead_ids:
            if fold(lead_id) == key and not self._has_project(key):
                return next(lead for lead in self.leads if lead["id"] == lead_id)
        try:
            return self.project(wanted)
        except NotFound:
            ids = [p["id"] for p in self.projects] + self.lead_ids
            raise NotFound("project or lead", wanted, closest(wanted, ids)) from None

    def _has_project(self, key: str) -> bool:
        if self._folder is None or self._records is not None:
            return any(fold(p["id"]) == key for p in self.projects)
        try:
            return self._locate(key) is not None
        except (OSError, ValueError):
            return any(fold(p["id"]) == key for p in self._rebuilt().projects)

    # ------------------------------------------------------------------ the lookup table

    def _locate(self, key: str) -> tuple[int, int] | None:
        """Where the first project (in id order) whose folded id is `key` starts, and its
        length."""
        line = self._find_line(key)
        return None if line is None else _line_place(line, self._id_width)

    def _find_line(self, key: str) -> bytes | None:
        """The lookup table's line of the first project (in id order) whose folded id is
        `key`: a binary search over its fixed-width lines."""
        assert self._folder is not None
        wanted = key.encode("utf-8", "surrogateescape")
        width = _line_width(self._id_width)
        with (self._folder / LOOKUP).open("rb") as fh:
            low, high = 0, self._count
            while low < high:  # leftmost line whose key is >= wanted
                middle = (low + high) // 2
                fh.seek(middle * width)
                if _line_key(fh.read(width), self._id_width) < wanted:
                    low = middle + 1
                else:
                    high = middle
            if low == self._count:
                return None
            fh.seek(low * width)
            line = fh.read(width)
        if len(line) != width or _line_key(line, self._id_width) != wanted:
            return None
        return line

    def _unchanged_for(self, wanted: str, root: Path) -> bool:
        """Whether `record(wanted)` may be answered once the shape matched: `wanted` is a
        project whose file has the stat the cache was built from, or else a lead (the
        shape covers every lead file)."""
        key = fold(wanted)
        try:
            line = self._find_line(key)
        except (OSError, ValueError):
            return False
        if line is None:
            return any(fold(lead_id) == key for lead_id in self.lead_ids)
        # A project's id is its file's name (crosscheck.py), so its file is found from it.
        path = os.path.join(root, "projects", _line_id(line, self._id_width) + ".yaml")
        return _line_stamp(line, self._id_width) == file_stamp(path)

    def _lookup_table(self) -> dict[str, tuple[int, int]]:
        """Every project id with where its record starts and its length."""
        assert self._folder is not None
        table = {}
        with (self._folder / LOOKUP).open("rb") as fh:
            for line in fh:
                table[_line_id(line, self._id_width)] = _line_place(line, self._id_width)
        return table

    def _read_at(self, start: int, length: int, *, key: str) -> Doc:
        assert self._folder is not None
        with (self._folder / RECORDS).open("rb") as fh:
            fh.seek(start)
            record = json.loads(fh.read(length))
        if not isinstance(record, dict) or fold(str(record.get("id"))) != key:
            raise ValueError("cached record does not match the lookup table")
        return record

    def _rebuilt(self) -> Snapshot:
        if self._rebuilt_snapshot is None:
            self._rebuilt_snapshot = load_snapshot(self.data_dir, use_cache=False)
        return self._rebuilt_snapshot


def lead_links_of(leads: list[Doc]) -> list[tuple[str, list[str]]]:
    """Each lead's id and the profiled projects its relations name."""
    return [
        (lead["id"], [r["project"] for r in lead.get("relations", []) if r.get("project")])
        for lead in leads
    ]


def _line_width(width: int) -> int:
    return 2 * width + _OFFSET_DIGITS + _LENGTH_DIGITS + _STAMP_DIGITS + 5


def _line_key(line: bytes, width: int) -> bytes:
    return line[:width].rstrip(b" ")


def _line_place(line: bytes, width: int) -> tuple[int, int]:
    start = width + 1
    middle = start + _OFFSET_DIGITS + 1
    return int(line[start : start + _OFFSET_DIGITS]), int(line[middle : middle + _LENGTH_DIGITS])


def _line_stamp(line: bytes, width: int) -> str:
    start = width + _OFFSET_DIGITS + _LENGTH_DIGITS + 3
    return line[start : start + _STAMP_DIGITS].decode("ascii", "replace")


def _line_id(line: bytes, width: int) -> str:
    start = width + _OFFSET_DIGITS + _LENGTH_DIGITS + _STAMP_DIGITS + 4
    return line[start : start + width].rstrip(b" ").decode("utf-8", "surrogateescape")


def _lookup_lines(places: list[tuple[str, int, int, str]]) -> tuple[int, list[bytes]]:
    """The lookup table's width and lines, sorted: the folded id, where the record starts,
    its length, the stamp of its file (`file_stamp`) and the id itself, each padded so
    that every line is as wide."""
    keyed = sorted(
        (fold(record_id).encode("utf-8", "surrogateescape"), record_id, start, length, stamp)
        for record_id, start, length, stamp in places
    )
    width = max(
        (max(len(key), len(i.encode("utf-8", "surrogateescape"))) for key, i, *_ in keyed),
        default=0,
    )
    return width, [
        key.ljust(width)
        + f" {start:0{_OFFSET_DIGITS}d} {length:0{_LENGTH_DIGITS}d} {stamp} ".encode()
        + record_id.encode("utf-8", "surrogateescape").ljust(width)
        + b"\n"
        for key, record_id, start, length, stamp in keyed
    ]


# --------------------------------------------------------------------------- cache


def fingerprint(data_dir: Path) -> str:
    """Checksum of every file the catalog reads and of what else can change a result.

    Per file: its path inside the data directory as resolved (so `data`, `./data`, an
    absolute path or a symlink give one key), size, modification and change times, device
    and inode (an edit whose mtime is put back, by `cp -p`, `rsync -a`, `tar x` or
    `touch -r`, still changes the ctime, and a replaced file its inode); then the file
    size limit and mxict's own code. Only projects/, leads/, sectors/ and the top-level
    .yaml files are looked at, as the loader does. zlib's CRC-32 and Adler-32 together
    (with the entry count) are plenty to notice a change, and cost far less to import than
    hashlib.
    """
    return _scan(data_dir.resolve())[0]


def _scan(root: Path) -> tuple[str, str, list[str]]:
    """The fingerprint, the shape stamp and the project files' stat entries, all from one
    stat of each file (so that a build records each file's stamp from the stat its key
    was made of: a file edited during the build is then seen as changed)."""
    shape, entries = _shape(root)  # first: a folder changed after this is seen by its stat
    projects = _folder_entries(root / "projects")
    entries += projects
    entries.sort()
    blob = "\n".join(entries).encode("utf-8", "surrogateescape")
    return f"{len(entries)}-{zlib.crc32(blob):08x}-{zlib.adler32(blob):08x}", shape, projects


def shape_stamp(root: Path) -> str:
    """What `show ID` checks instead of the fingerprint (with the requested project's own
    file, `file_stamp`): the cache format, mxict's code, the resolved root, the file size
    limit; the stat of the root and of projects/, leads/ and sectors/ (a folder's mtime
    changes whenever a file is added to it, removed or renamed, as by an editor that saves
    by renaming); and the full stat entries of the top-level .yaml files and of every lead
    and sector file (few, and what index.json and reference.json hold, which `show`
    reads). Only an in-place edit of another project's file escapes it."""
    return _shape(root)[0]


def _shape(root: Path) -> tuple[str, list[str]]:
    """The shape stamp of the resolved `root`, and the stat entries it covers that the
    fingerprint covers too (the first line, then the small files')."""
    from mxict.reader.rules import max_file_bytes

    folders = []
    for name in ("", "projects", "leads", "sectors"):
        path = os.path.join(root, name)
        try:
            st = os.stat(path)
            folders.append(f"{path}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_dev}:{st.st_ino}")
        except OSError:
            folders.append(f"{path}\0missing")
    entries = [
        f"{CACHE_FORMAT}:{code_stamp()}:{root}:{max_file_bytes()}",
        *_folder_entries(root, top=True),
        *_folder_entries(root / "leads"),
        *_folder_entries(root / "sectors"),
    ]
    blob = "\n".join([*folders, *sorted(entries)]).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(blob):08x}{zlib.adler32(blob):08x}", entries


def file_stamp(path: str) -> str:
    """A short checksum of one data file's stat entry, as the fingerprint takes it."""
    try:
        return _stamp(_entry(path, os.stat(path)))
    except OSError:
        return _NO_STAMP  # gone (or unreadable): it matches no recorded stamp


def _stamp(entry: str) -> str:
    return f"{zlib.crc32(entry.encode('utf-8', 'surrogateescape')):0{_STAMP_DIGITS}x}"


def _stamps(entries: list[str]) -> dict[str, str]:
    """Each project file's stamp by file name, from its folder's stat entries."""
    return {os.path.basename(entry.split("\0", 1)[0]): _stamp(entry) for entry in entries}


def _entry(path: str, st: os.stat_result) -> str:
    return f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_dev}:{st.st_ino}"


def _folder_entries(folder: Path, *, top: bool = False) -> list[str]:
    entries = []
    try:
        with os.scandir(folder) as scan:
            for entry in scan:
                if top and not entry.name.endswith(".yaml"):
                    continue
                try:
                    entries.append(_entry(entry.path, entry.stat()))
                except OSError:  # a dangling or looping link: its presence is enough
                    entries.append(f"{entry.path}\0broken")
    except OSError:
        entries.append(f"{folder}\0unreadable")
    return entries


def _cache_folder(data_dir: Path) -> Path:
    name = f"{zlib.crc32(str(data_dir.resolve()).encode('utf-8', 'surrogateescape')):08x}"
    return cache_dir() / f"snapshot-{name}"


def read_cache(data_dir: Path, key: str) -> Snapshot | None:
    """The cached snapshot if it matches `key`; None when absent, stale or unreadable."""
    return _cached(data_dir, lambda index, folder: index.get("key") == key)


def read_cache_for(data_dir: Path, wanted: str) -> Snapshot | None:
    """The cached snapshot, trusted for `record(wanted)` alone, without the fingerprint:
    the shape (`shape_stamp`) of the data is as recorded beside the cache, and so is the
    stat of the project `wanted`'s file (a lead is covered by the shape). None otherwise
    (an unknown id too): the caller then checks the fingerprint."""
    root = data_dir.resolve()

    def current(index: Doc, folder: Path) -> bool:
        return _read_shape(folder) == (index.get("key"), shape_stamp(root))

    snapshot = _cached(data_dir, current)
    if snapshot is None or not snapshot._unchanged_for(wanted, root):
        return None
    return snapshot


def _cached(data_dir: Path, current: Callable[[Doc, Path], bool]) -> Snapshot | None:
    """The cached snapshot if `current(index, folder)` says so; None when absent, stale or
    unreadable."""
    try:
        folder = _cache_folder(data_dir)
        with gc_paused():
            index = json.loads((folder / INDEX).read_bytes())
        if not current(index, folder):
            return None
        links = [(str(lead_id), [str(p) for p in projects]) for lead_id, projects in index["leads"]]
        if not isinstance(index["sources"], dict):
            return None
        return Snapshot(
            str(data_dir),
            index["sources"],
            lead_links=links,
            folder=folder,
            count=int(index["count"]),
            id_width=int(index["id_width"]),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None  # a corrupt or missing cache is simply rebuilt


def _read_shape(folder: Path) -> tuple[str, str] | None:
    """The key and the shape stamp recorded in `folder` (None if it holds none): the key
    names the build the shape was taken for, so a shape written beside another build
    (two processes racing) matches nothing."""
    lines = (folder / SHAPE).read_text(encoding="utf-8").split("\n")
    return (lines[0], lines[1]) if len(lines) == 3 and not lines[2] else None


def _keep_shape(folder: Path, key: str, shape: str) -> None:
    """Record `shape` beside the build filed under `key` (written with the build, and again
    when the fingerprint found the cache current but the shape had changed: a stray file
    made and removed in a folder changes its stat and not the data)."""
    with contextlib.suppress(OSError):
        if _read_shape(folder) == (key, shape):
            return
    temp = folder / f".{SHAPE}.{os.getpid()}"
    try:
        temp.write_text(f"{key}\n{shape}\n", encoding="utf-8")
        os.replace(temp, folder / SHAPE)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()


def build(
    data_dir: Path,
    folder: Path | None,
    key: str,
    progress: Any = None,
    *,
    shape: str = "",
    stamps: dict[str, str] | None = None,
) -> Snapshot:
    """Validate every file of `data_dir` and write the snapshot files into `folder`
    (None: keep the records in memory), filed under `key` (the fingerprint) and, when
    given, `shape` and the project files' `stamps` by file name (see `_scan`).

    Records stream to disk as they are validated, so memory stays flat however many
    there are. Raises DataInvalid (and writes nothing usable) when any file is invalid.
    `progress(label, total)`, if given, is a context manager yielding `advance(n)`.
    """
    from contextlib import nullcontext

    from mxict.dataset.layout import discover

    entries, problems = discover(data_dir)
    bar = progress("reading the data", len(entries)) if progress else nullcontext(None)
    with bar as advance:
        return _stream(data_dir, folder, (key, shape, stamps or {}), entries, problems, advance)


def _stream(
    data_dir: Path,
    folder: Path | None,
    scan: tuple[str, str, dict[str, str]],
    entries: list[tuple[Path, str]],
    problems: list[Any],
    advance: Any,
) -> Snapshot:
    """The body of `build`: validate, write records.jsonl, the summaries, the lookup
    table, the shape and, last, index.json."""
    from mxict.dataset.crosscheck import cross_check
    from mxict.dataset.loading import iter_loaded
    from mxict.errors import DataInvalid
    from mxict.vocab import sector_rank

    files = []
    summaries: list[tuple[str, str]] = []  # (id, summary as JSON), made by the workers
    key, shape, stamps = scan
    places: list[tuple[str, int, int, str]] = []
    in_memory: list[Doc] | None = [] if folder is None else None
    singles: dict[str, Doc] = {}
    sectors: list[Doc] = []
    leads: list[Doc] = []
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    with (folder / RECORDS).open("wb") if folder is not None else _NoFile() as out:
        for loaded, file_problems in iter_loaded(
            entries, data_dir, keep_record=False, want_json=True
        ):
            problems += file_problems
            doc_json, loaded.doc_json = loaded.doc_json, None
            summary_json, loaded.summary_json = loaded.summary_json, None
            files.append(loaded)
            if advance is not None:
                advance(1)
            if doc_json is None:
                continue
            if loaded.kind == "project":
                assert summary_json is not None
                summaries.append((loaded.record_id, summary_json))
                if in_memory is not None:
                    in_memory.append(json.loads(doc_json))
                    continue
                line = doc_json.encode("utf-8") + b"\n"
                stamp = stamps.get(loaded.path.name, _NO_STAMP)
                places.append((loaded.record_id, out.tell(), len(line), stamp))
                out.write(line)
            elif loaded.kind == "sector":
                sectors.append(json.loads(doc_json))
            elif loaded.kind == "lead":
                leads.append(json.loads(doc_json))
            else:
                singles[loaded.kind] = json.loads(doc_json)
    problems += cross_check(files)
    if problems:
        raise DataInvalid(problems)
    sectors.sort(key=lambda s: sector_rank(s["id"]))
    summaries.sort(key=lambda item: str(item[0]))
    leads.sort(key=lambda lead: str(lead["id"]))
    reference = {
        "sectors": sectors,
        "acronyms": singles["acronyms"],
        "country": singles["country"],
        "leads": leads,
    }
    if folder is None:
        with gc_paused():
            projects = [json.loads(text) for _, text in summaries]
        return Snapshot(
            str(data_dir),
            singles["sources"],
            reference=reference,
            projects=projects,
            records=in_memory,
        )
    with (folder / SUMMARIES).open("w", encoding="utf-8") as fh:
        fh.writelines(f"{text}\n" for _, text in summaries)
    id_width, lines = _lookup_lines(places)
    with (folder / LOOKUP).open("wb") as fh:
        fh.writelines(lines)
    # json.dumps, not json.dump: dump() streams through the pure-Python encoder.
    (folder / REFERENCE).write_text(json.dumps(reference, ensure_ascii=False), encoding="utf-8")
    if shape:
        (folder / SHAPE).write_text(f"{key}\n{shape}\n", encoding="utf-8")
    index: Doc = {
        "key": key,
        "data_dir": str(data_dir),
        "count": len(summaries),
        "id_width": id_width,
        "sources": singles["sources"],
        "leads": lead_links_of(leads),
    }
    (folder / INDEX).write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    return Snapshot(
        str(data_dir),
        singles["sources"],
        reference=reference,
        folder=folder,
        count=len(summaries),
        id_width=id_width,
    )


class _NoFile:
    """Stands for records.jsonl when the records are kept in memory."""

    def __enter__(self) -> _NoFile:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def tell(self) -> int:
        return 0

    def write(self, data: bytes) -> int:
        return len(data)


def sweep_stale_builds(parent: Path) -> None:
    """Remove `.building-*` folders left by builds that were killed: those whose builder
    (named by the pid in the folder name) is gone from this machine, or that are old."""
    import shutil
    import time

    from mxict.atomic import process_alive  # tempfile and friends: only when building

    host = _host_tag()
    try:
        with os.scandir(parent) as scan:
            building = [e for e in scan if e.name.startswith(".building-")]
    except OSError:
        return
    for entry in building:
        try:
            age = time.time() - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        parts = entry.name.split("-")
        # .building-HOST-PID-random: only a builder on this machine can be checked.
        pid = int(parts[2]) if len(parts) == 4 and parts[1] == host and parts[2].isdigit() else 0
        if age > STALE_BUILD_SECONDS or (pid and not process_alive(pid)):
            shutil.rmtree(entry.path, ignore_errors=True)


def _host_tag() -> str:
    """This machine, as build folders name it (a cache may be shared by several)."""
    return f"{zlib.crc32(os.uname().nodename.encode('utf-8', 'surrogateescape')):08x}"


def _build_in(root: Path, work: Path, scan: tuple[str, str, list[str]], progress: Any) -> Snapshot:
    """Build the snapshot in the folder `work`; when its disk fills up, remove `work` and
    answer from memory instead (a snapshot without a folder), as when no folder is
    writable. Any other failure removes `work` and is raised."""
    import shutil

    key, shape, projects = scan
    try:
        return build(root, work, key, progress, shape=shape, stamps=_stamps(projects))
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        if exc.errno not in _DISK_FULL:
            raise
        return build(root, None, key, progress)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def load_snapshot(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    use_cache: bool = True,
    progress: Any = None,
    one_record: str | None = None,
) -> Snapshot:
    """The dataset as a Snapshot: from the cache when the data is unchanged.

    With `one_record` (an id), the caller reads only `record(one_record)` and the small
    documents (leads, sectors, sources, acronyms, country): the cache is then trusted
    after the light check of `read_cache_for` instead of the fingerprint, which stats
    every file. An in-place edit of another project's file escapes that check (it leaves
    its folder's stat alone) until a command that reads every record rebuilds the cache.

    Without the cache (or when its directory is not writable) the snapshot is built in
    a temporary directory that is removed when the process ends; when the disk fills up
    while building, the records are kept in memory instead.
    """
    from mxict.dataset.layout import resolve_data_dir

    root = resolve_data_dir(data_dir)
    if use_cache and one_record is not None:
        cached = read_cache_for(root, one_record)
        if cached is not None:
            return cached
    scan = _scan(root.resolve())
    key = scan[0]
    if use_cache:
        cached = read_cache(root, key)
        if cached is not None:
            if one_record is not None and cached._folder is not None:
                _keep_shape(cached._folder, key, scan[1])  # so that the next one is light
            return cached
    return _fresh_snapshot(root, scan, use_cache=use_cache, progress=progress)


def _fresh_snapshot(
    root: Path, scan: tuple[str, str, list[str]], *, use_cache: bool, progress: Any
) -> Snapshot:
    """Build the snapshot into the cache (its folder swapped in whole), else into a
    temporary folder, else in memory; `scan` is what `_scan` found before."""
    # Imported here, not at the top: a query answered from the cache never needs them.
    import shutil
    import tempfile

    if use_cache:
        try:
            final = _cache_folder(root)
            final.parent.mkdir(parents=True, exist_ok=True)
            sweep_stale_builds(final.parent)
            prefix = f".building-{_host_tag()}-{os.getpid()}-"
            work = Path(tempfile.mkdtemp(prefix=prefix, dir=final.parent))
        except OSError:
            use_cache = False  # read-only or unusable cache directory: build elsewhere
    if not use_cache:
        import weakref

        from mxict.atomic import sweep_stale, temp_prefix

        temp = Path(tempfile.gettempdir())
        try:
            sweep_stale(temp, "mxict-snapshot-")  # what killed runs left
            work = Path(tempfile.mkdtemp(prefix=temp_prefix("mxict-snapshot-"), dir=temp))
        except OSError:
            return build(root, None, scan[0], progress)  # no room anywhere: answer from memory
        snapshot = _build_in(root, work, scan, progress)
        if snapshot._folder is None:
            return snapshot
        # Its records are read from `work` on demand: removed with the snapshot (or at exit).
        weakref.finalize(snapshot, shutil.rmtree, work, ignore_errors=True)
        return snapshot
    snapshot = _build_in(root, work, scan, progress)
    if snapshot._folder is None:
        return snapshot
    try:
        shutil.rmtree(final, ignore_errors=True)
        os.replace(work, final)
    except OSError:
        import atexit

        atexit.register(shutil.rmtree, work, ignore_errors=True)
        return snapshot  # another process won the race, or the disk is read-only
    snapshot._folder = final
    return snapshot
