"""The validated dataset as plain JSON documents, cached so that queries skip YAML and pydantic.

Query commands work on a Snapshot: records already validated by the models and dumped
to JSON-ready dicts. Building one parses and validates every YAML file; the result is
cached on disk as two files:

- `index.json`: the key, one short *summary* per project (what `list` and its filters
  need), the sectors, acronyms, country overview and source registry, and where each
  full project record starts in
- `records.jsonl`: one full project record per line.

So `mxict list` reads only the index, `mxict show ID` one line, and only full-text
queries read every record. The key covers the data files' paths, sizes and
modification times and the mxict version, so any change rebuilds the cache; a missing,
corrupt or unwritable cache is ignored, never fatal.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

from mxict.dataset.caches import cache_dir, code_stamp
from mxict.dataset.cited import cited_files
from mxict.dataset.lookup import find_project, find_sector
from mxict.textfold import closest, fold

Doc = dict[str, Any]
CACHE_FORMAT = 5
SUMMARY_FIELDS = (
    "id",
    "name",
    "sponsor",
    "sector",
    "locations",
    "value",
    "current_status",
    "last_verified",
)


def summary_of(project: Doc) -> Doc:
    """The part of a project record that listing and filtering need (kept small: the
    index of 100,000 projects is read whole by every `mxict list`)."""
    summary = {name: project[name] for name in SUMMARY_FIELDS}
    sponsor = project["sponsor"]
    summary["sponsor"] = {
        "name": sponsor["name"],
        "acronym": sponsor.get("acronym"),
        "name_en": sponsor.get("name_en"),
        "successors": [
            {"name": s.get("name"), "acronym": s.get("acronym")}
            for s in sponsor.get("successors", [])
        ],
    }
    summary["locations"] = [
        {k: loc.get(k) for k in ("name", "state", "country")} for loc in project["locations"]
    ]
    value = project["value"]
    summary["value"] = {
        k: value.get(k)
        for k in ("amount", "currency", "basis", "bound", "scope", "as_printed", "original")
    }
    if value.get("original"):
        summary["value"]["original"] = {
            k: value["original"].get(k)
            for k in ("amount", "amount_max", "currency", "as_printed", "rate")
        }
    status = project["current_status"]
    summary["current_status"] = {"status": status["status"], "date": status["date"]}
    # What `mxict.query.status` needs to date the status and find its forecast.
    summary["status_events"] = [
        {"date": e["date"], "status": e["status"], "expected": e["expected"]}
        for e in project["timeline"]
        if e.get("status")
    ]
    summary["cited"] = cited_files(project)
    return summary


class Snapshot:
    """Every record of a data directory as JSON-ready dicts, in catalog order.

    `projects` are summaries (see SUMMARY_FIELDS); `records()` and `project()` give
    whole project records.
    """

    def __init__(
        self,
        data_dir: str,
        projects: list[Doc],
        sectors: list[Doc],
        acronyms: Doc,
        country: Doc,
        sources: Doc,
        *,
        records: list[Doc] | None = None,
        records_path: Path | None = None,
        offsets: dict[str, tuple[int, int]] | None = None,
        leads: list[Doc] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.projects = projects
        self.leads = leads or []  # whole lead records (they are few and small), by id
        self.sectors = sectors
        self.acronyms = acronyms
        self.country = country
        self.sources = sources
        self._records = records
        self._records_path = records_path
        self._offsets = offsets or {}

    def records(self) -> list[Doc]:
        """Every whole project record (read from the cache file on first use)."""
        if self._records is None:
            assert self._records_path is not None
            try:
                with self._records_path.open(encoding="utf-8") as fh:
                    self._records = [json.loads(line) for line in fh]
                if len(self._records) != len(self.projects):
                    raise ValueError("cached records do not match the index")
            except (OSError, ValueError):
                self._records = self._rebuilt().records()  # a damaged cache is rebuilt
        return self._records

    def project(self, wanted: str) -> Doc:
        """A whole project record by id, ignoring case and accents; NotFound suggests ids."""
        summary = find_project(self.projects, wanted)
        if self._records is not None or self._records_path is None:
            return next(r for r in self.records() if r["id"] == summary["id"])
        try:
            start, length = self._offsets[summary["id"]]
            with self._records_path.open("rb") as fh:
                fh.seek(start)
                record = json.loads(fh.read(length))
            if not isinstance(record, dict) or record.get("id") != summary["id"]:
                raise ValueError("cached record does not match the index")
            return record
        except (OSError, ValueError, KeyError):
            return self._rebuilt().project(wanted)  # a damaged cache is rebuilt

    def _rebuilt(self) -> Snapshot:
        return load_snapshot(self.data_dir, use_cache=False)

    def full(self, summaries: list[Doc]) -> list[Doc]:
        """The whole records behind some summaries, in the same order."""
        wanted = {s["id"] for s in summaries}
        by_id = {r["id"]: r for r in self.records() if r["id"] in wanted}
        return [by_id[s["id"]] for s in summaries]

    def sector(self, wanted: str) -> Doc:
        """A sector by slug, annex code or unambiguous prefix of either."""
        return find_sector(self.sectors, wanted)

    def record(self, wanted: str) -> Doc:
        """A whole project or lead record by id (projects first); NotFound suggests both."""
        from mxict.errors import NotFound

        key = fold(wanted)
        for lead in self.leads:
            if fold(lead["id"]) == key and not any(fold(p["id"]) == key for p in self.projects):
                return lead
        try:
            return self.project(wanted)
        except NotFound:
            ids = [p["id"] for p in self.projects] + [lead["id"] for lead in self.leads]
            raise NotFound("project or lead", wanted, closest(wanted, ids)) from None


# --------------------------------------------------------------------------- cache


def fingerprint(data_dir: Path) -> str:
    """Checksum of every file the catalog reads (path, size, mtime) and of mxict's code.

    Only projects/, sectors/ and the top-level .yaml files are looked at, as the loader
    does. zlib's CRC-32 and Adler-32 together (with the entry count) are plenty to notice
    a change, and cost far less to import than hashlib.
    """
    entries: list[str] = [f"{CACHE_FORMAT}:{code_stamp()}:{data_dir.resolve()}"]

    def add(folder: Path, wanted: Any) -> None:
        try:
            with os.scandir(folder) as scan:
                for entry in scan:
                    if not wanted(entry.name):
                        continue
                    try:
                        stat = entry.stat()
                        entries.append(f"{entry.path}\0{stat.st_size}\0{stat.st_mtime_ns}")
                    except OSError:  # a dangling or looping link: its presence is enough
                        entries.append(f"{entry.path}\0broken")
        except OSError:
            entries.append(f"{folder}\0unreadable")

    add(data_dir, lambda name: name.endswith(".yaml"))
    add(data_dir / "projects", lambda name: True)
    add(data_dir / "sectors", lambda name: True)
    entries.sort()
    blob = "\n".join(entries).encode("utf-8", "surrogateescape")
    return f"{len(entries)}-{zlib.crc32(blob):08x}-{zlib.adler32(blob):08x}"


def _cache_folder(data_dir: Path) -> Path:
    name = f"{zlib.crc32(str(data_dir.resolve()).encode('utf-8', 'surrogateescape')):08x}"
    return cache_dir() / f"snapshot-{name}"


def read_cache(data_dir: Path, key: str) -> Snapshot | None:
    """The cached snapshot if it matches `key`; None when absent, stale or unreadable."""
    try:
        folder = _cache_folder(data_dir)
        with (folder / "index.json").open(encoding="utf-8") as fh:
            index = json.load(fh)
        if index.get("key") != key:
            return None
        offsets = {k: (int(v[0]), int(v[1])) for k, v in index["offsets"].items()}
        return Snapshot(
            index["data_dir"],
            index["projects"],
            index["sectors"],
            index["acronyms"],
            index["country"],
            index["sources"],
            records_path=folder / "records.jsonl",
            offsets=offsets,
            leads=index["leads"],
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None  # a corrupt or missing cache is simply rebuilt


def build(data_dir: Path, folder: Path, key: str, progress: Any = None) -> Snapshot:
    """Validate every file of `data_dir` and write the snapshot files into `folder`.

    Records stream to disk as they are validated, so memory stays flat however many
    there are. Raises DataInvalid (and writes nothing usable) when any file is invalid.
    `progress(label, total)`, if given, is a context manager yielding `advance(n)`.
    """
    from contextlib import nullcontext

    from mxict.dataset.layout import discover

    entries, problems = discover(data_dir)
    bar = progress("reading the data", len(entries)) if progress else nullcontext(None)
    with bar as advance:
        return _stream(data_dir, folder, key, entries, problems, advance)


def _stream(
    data_dir: Path,
    folder: Path,
    key: str,
    entries: list[tuple[Path, str]],
    problems: list[Any],
    advance: Any,
) -> Snapshot:
    """The body of `build`: validate, write records.jsonl and index.json."""
    from mxict.dataset.crosscheck import cross_check
    from mxict.dataset.loading import iter_loaded
    from mxict.errors import DataInvalid
    from mxict.vocab import sector_rank

    files = []
    summaries: list[Doc] = []
    offsets: dict[str, tuple[int, int]] = {}
    singles: dict[str, Doc] = {}
    sectors: list[Doc] = []
    leads: list[Doc] = []
    folder.mkdir(parents=True, exist_ok=True)
    records_path = folder / "records.jsonl"
    with records_path.open("wb") as out:
        for loaded, file_problems in iter_loaded(
            entries, data_dir, keep_record=False, want_json=True
        ):
            problems += file_problems
            doc_json, loaded.doc_json = loaded.doc_json, None
            files.append(loaded)
            if advance is not None:
                advance(1)
            if doc_json is None:
                continue
            if loaded.kind == "project":
                line = doc_json.encode("utf-8") + b"\n"
                offsets[loaded.record_id] = (out.tell(), len(line))
                out.write(line)
                summaries.append(summary_of(json.loads(doc_json)))
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
    summaries.sort(key=lambda s: str(s["id"]))
    leads.sort(key=lambda lead: str(lead["id"]))
    index: Doc = {
        "key": key,
        "data_dir": str(data_dir),
        "projects": summaries,
        "sectors": sectors,
        "acronyms": singles["acronyms"],
        "country": singles["country"],
        "sources": singles["sources"],
        "leads": leads,
        "offsets": offsets,
    }
    with (folder / "index.json").open("w", encoding="utf-8") as fh:
        json.dump(index, fh, ensure_ascii=False)
    return Snapshot(
        str(data_dir),
        summaries,
        sectors,
        singles["acronyms"],
        singles["country"],
        singles["sources"],
        records_path=records_path,
        offsets=offsets,
        leads=leads,
    )


def load_snapshot(
    data_dir: str | os.PathLike[str] | None = None, *, use_cache: bool = True, progress: Any = None
) -> Snapshot:
    """The dataset as a Snapshot: from the cache when the data is unchanged.

    Without the cache (or when its directory is not writable) the snapshot is built in
    a temporary directory that is removed when the process ends.
    """
    import shutil
    import tempfile

    from mxict.dataset.layout import resolve_data_dir

    root = resolve_data_dir(data_dir)
    key = fingerprint(root)
    if use_cache:
        cached = read_cache(root, key)
        if cached is not None:
            return cached
        try:
            final = _cache_folder(root)
            final.parent.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix=".building-", dir=final.parent))
        except OSError:
            use_cache = False  # read-only or unusable cache directory: build elsewhere
    if not use_cache:
        import weakref

        from mxict.atomic import sweep_stale, temp_prefix

        temp = Path(tempfile.gettempdir())
        sweep_stale(temp, "mxict-snapshot-")  # what killed runs left
        work = Path(tempfile.mkdtemp(prefix=temp_prefix("mxict-snapshot-"), dir=temp))
        try:
            snapshot = build(root, work, key, progress)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        # Its records are read from `work` on demand: removed with the snapshot (or at exit).
        weakref.finalize(snapshot, shutil.rmtree, work, ignore_errors=True)
        return snapshot
    try:
        snapshot = build(root, work, key, progress)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    try:
        shutil.rmtree(final, ignore_errors=True)
        os.replace(work, final)
    except OSError:
        import atexit

        atexit.register(shutil.rmtree, work, ignore_errors=True)
        return snapshot  # another process won the race, or the disk is read-only
    return Snapshot(
        snapshot.data_dir,
        snapshot.projects,
        snapshot.sectors,
        snapshot.acronyms,
        snapshot.country,
        snapshot.sources,
        records_path=final / "records.jsonl",
        offsets=snapshot._offsets,
        leads=snapshot.leads,
    )
