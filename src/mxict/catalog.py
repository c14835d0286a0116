"""Find the data, parse it safely, validate every record and check them against each other."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mxict.datadir import ENV_DATA_DIR, packaged_data_dir, resolve_data_dir
from mxict.errors import DataInvalid, Problem
from mxict.textfold import closest, fold

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from mxict.models import AcronymList, Country, Project, Record, Sector, SourceRegistry
    from mxict.yamlsafe import Positions

__all__ = ["ENV_DATA_DIR", "Catalog", "load_catalog", "packaged_data_dir", "resolve_data_dir"]

RECORD_DIRS = {"projects": "project", "sectors": "sector"}
SINGLE_FILES = {"acronyms": "acronyms", "country": "country", "sources": "sources"}


# --------------------------------------------------------------------------- loading


Loc = tuple[str | int, ...]


@dataclass
class LoadedFile:
    """One record file after parsing and validation, with the facts cross-checks need.

    The record itself is kept only when asked for (the typed Catalog); validating or
    caching a large tree keeps just these small facts, so memory stays flat.
    """

    path: Path
    root: Path | None  # the data directory, for `display`
    kind: str
    valid: bool = False
    record: Record | None = None
    doc_json: str | None = None  # the record as JSON, when building the cache
    record_id: str = ""
    name: str = ""
    sector: str = ""
    registry: frozenset[str] = frozenset()  # file names, for the source registry
    source_refs: list[tuple[Loc, str]] = field(default_factory=list)
    where: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    located: bool = True  # False: `where` is filled on first use (the fast reader ran)

    @cached_property
    def display(self) -> str:
        """The path as reports show it (worked out only when a report names the file)."""
        return _display(self.path, self.root)

    def locate(self, loc: Loc) -> tuple[int, int]:
        """Position of a fact the cross-checks may point at."""
        if not self.located:
            self._read_positions()
        return self.where.get(loc, (1, 1))

    def _read_positions(self) -> None:
        from mxict.yamlsafe import parse_file

        self.located = True
        positions = parse_file(self.path, self.display, all_positions=True).positions
        for loc in fact_locs(self.source_refs):
            self.where[loc] = positions.locate(loc)


def fact_locs(source_refs: list[tuple[Loc, str]]) -> list[Loc]:
    """Where the facts cross-checks may point at sit: id, name, sector, cited files."""
    return [("id",), ("name",), ("sector",)] + [(*loc, "file") for loc, _ in source_refs]


@dataclass
class LoadResult:
    """Everything read from a set of files: valid records and every problem found."""

    files: list[LoadedFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def files_checked(self) -> int:
        """How many files were read (valid or not)."""
        return len(self.files)


def _display(path: Path, root: Path | None) -> str:
    """The path as reports show it: relative to the working directory where possible, with
    any non-printable character escaped (a file name can carry terminal escapes)."""
    text = str(path)
    try:
        resolved = _resolved(path)
        cwd = _resolved_dir(os.getcwd())
        prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
        if not resolved.startswith(prefix):
            raise ValueError("outside the working directory")
        text = resolved[len(prefix) :]
    except (ValueError, OSError, RuntimeError):
        if root is not None:
            with contextlib.suppress(ValueError, OSError, RuntimeError):
                text = str(Path(root.name) / Path(_resolved(path)).relative_to(root.resolve()))
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


_RESOLVED_DIRS: dict[str, str] = {}


def _resolved_dir(directory: str) -> str:
    # Reports name thousands of files in a few folders; resolve each folder once.
    if directory not in _RESOLVED_DIRS:
        if len(_RESOLVED_DIRS) > 1000:
            _RESOLVED_DIRS.clear()
        _RESOLVED_DIRS[directory] = str(Path(directory).resolve())
    return _RESOLVED_DIRS[directory]


def _resolved(path: Path) -> str:
    """`path.resolve()`, resolving only the folder when the file itself is no link."""
    text = os.fspath(path)
    if os.path.islink(text):
        return str(path.resolve())
    folder, name = os.path.split(text)
    if not os.path.isabs(folder):  # the memo is keyed by absolute folder: cwd may change
        folder = os.path.join(os.getcwd(), folder)
    return os.path.join(_resolved_dir(folder), name)


def kind_of(path: Path) -> str | None:
    """The record kind a file holds, from where it sits (projects/, sectors/) or its name."""
    if path.parent.name in RECORD_DIRS:
        return RECORD_DIRS[path.parent.name]
    return SINGLE_FILES.get(path.stem)


def discover(data_dir: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Record files of a data tree with their kinds; stray files become problems."""
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    root = data_dir.resolve()

    def refuse(path: Path, rule: str, message: str) -> None:
        problems.append(Problem(_display(path, data_dir), 1, 1, "", rule, message))

    def escapes(path: Path) -> bool:
        # A link (the file, or a folder on its way) may point anywhere; records must stay
        # inside the data directory. A link loop cannot be resolved at all.
        try:
            return not path.resolve(strict=path.is_symlink()).is_relative_to(root)
        except (OSError, RuntimeError):
            return True

    outside = "symbolic link points outside the data directory (or loops); refused"
    for folder, kind in RECORD_DIRS.items():
        directory = data_dir / folder
        if directory.is_symlink() and escapes(directory):
            refuse(directory, "symlink-outside", outside)
            continue
        if not directory.is_dir():
            refuse(directory, "missing-dir", f"data directory has no {folder}/ folder")
            continue
        # The folder is inside the tree, so only an entry that is itself a link can leave it.
        with os.scandir(directory) as scan:
            names = sorted((e.name, e.is_symlink(), e.is_file(follow_symlinks=False)) for e in scan)
        for name, is_link, is_plain_file in names:
            if name.startswith("."):
                continue
            path = directory / name
            if is_link and escapes(path):
                refuse(path, "symlink-outside", outside)
            elif not name.endswith(".yaml") or not (is_plain_file or (is_link and path.is_file())):
                refuse(path, "not-yaml", "only .yaml record files belong here")
            else:
                found.append((path, kind))
    for stem, kind in SINGLE_FILES.items():
        path = data_dir / f"{stem}.yaml"
        if escapes(path):
            refuse(path, "symlink-outside", outside)
        elif path.is_file():
            found.append((path, kind))
        else:
            refuse(path, "missing-file", f"data directory has no {stem}.yaml")
    return found, problems


def _rule_for(error_type: str) -> str:
    if error_type == "missing":
        return "missing-field"
    if error_type == "extra_forbidden":
        return "unknown-field"
    if error_type in {"enum", "literal_error"}:
        return "enum"
    if error_type in {
        "greater_than_equal",
        "greater_than",
        "less_than_equal",
        "less_than",
        "too_short",
        "too_long",
        "string_too_short",
    }:
        return "range"
    if error_type in {"value_error", "assertion_error"}:
        return "value"
    return "type"


def problems_from_validation(
    exc: ValidationError, display: str, positions: Positions
) -> list[Problem]:
    """Pydantic errors as located problems, through the YAML node positions."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        missing = error["type"] == "missing"
        # Union members add type names to loc ("rows.0.1.str"); show the data path only.
        shown = loc
        while shown and shown not in positions.values and not (missing and shown == loc):
            shown = shown[:-1]
        if error["type"] == "extra_forbidden" and loc in positions.keys:
            line, column = positions.keys[loc]  # point at the unknown key itself
        else:
            line, column = positions.locate(loc, missing=missing)
        message = error["msg"].removeprefix("Value error, ")
        problems.append(
            Problem(
                display, line, column, ".".join(map(str, shown)), _rule_for(error["type"]), message
            )
        )
    return problems


def load_file(
    path: Path,
    kind: str,
    root: Path | None = None,
    *,
    keep_record: bool = True,
    want_json: bool = False,
    fast: bool = False,
) -> tuple[LoadedFile, list[Problem]]:
    """Parse and validate one record file (`fast`: try the fast reader first)."""
    from pydantic import ValidationError

    from mxict.models import RECORD_MODELS, Project, SourceRegistry
    from mxict.yamlsafe import parse_file

    loaded = LoadedFile(path, root, kind)
    # Valid records need few positions; an invalid one is read again to locate its errors
    # (so the first reading's problems, and the file's display name, are not needed).
    parsed = parse_file(path, "", all_positions=False, fast=fast)
    if parsed.problems:
        return loaded, parse_file(path, loaded.display).problems
    if not isinstance(parsed.data, dict):
        return loaded, [
            Problem(loaded.display, 1, 1, "", "type", "a record must be a mapping of field: value")
        ]
    try:
        record = RECORD_MODELS[kind].model_validate(parsed.data)
    except ValidationError as exc:
        located = parse_file(path, loaded.display)
        return loaded, problems_from_validation(exc, loaded.display, located.positions)
    positions = parsed.positions
    loaded.valid = True
    loaded.located = parsed.located
    loaded.record_id = str(getattr(record, "id", ""))
    if isinstance(record, Project):
        loaded.name = record.name
        loaded.sector = record.sector.value
    if isinstance(record, SourceRegistry):
        loaded.registry = frozenset(doc.file for doc in record.documents)
    loaded.source_refs = [(ref_loc, str(file)) for ref_loc, file in parsed.source_refs]
    if parsed.located:
        for loc in fact_locs(loaded.source_refs):
            loaded.where[loc] = positions.locate(loc)
    if want_json:
        import json

        from mxict.rows import record_json

        loaded.doc_json = json.dumps(record_json(record), ensure_ascii=False)
    if keep_record:
        loaded.record = record
    return loaded, []


class _Job(NamedTuple):
    path: Path
    kind: str
    root: Path | None
    keep_record: bool
    want_json: bool
    fast: bool = False


def _load_job(job: _Job) -> tuple[LoadedFile, list[Problem]]:
    return load_file(
        job.path,
        job.kind,
        job.root,
        keep_record=job.keep_record,
        want_json=job.want_json,
        fast=job.fast,
    )


# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 400


def iter_loaded(
    entries: list[tuple[Path, str]],
    root: Path | None = None,
    *,
    keep_record: bool = True,
    want_json: bool = False,
) -> Iterator[tuple[LoadedFile, list[Problem]]]:
    """Load files in order, on every core when there are many (records stay in the parent
    only as small facts, unless `keep_record`).

    Worker processes try the fast reader (rapidyaml, in C++) first. It runs only there,
    where a crash on hostile input costs the pool and not the run: the files not yet read
    are then read here, with the exact reader alone.
    """
    jobs = [_Job(path, kind, root, keep_record, want_json) for path, kind in entries]
    workers = os.cpu_count() or 1
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2 or keep_record:
        for job in jobs:
            yield _load_job(job)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            fast_jobs = [job._replace(fast=True) for job in jobs]
            for result in pool.map(_load_job, fast_jobs, chunksize=64):
                done += 1
                yield result
    except BrokenProcessPool:
        for job in jobs[done:]:
            yield _load_job(job)


def load_files(
    entries: Iterable[tuple[Path, str]],
    root: Path | None = None,
    progress: Any = None,
    *,
    keep_record: bool = True,
    use_cache: bool = False,
) -> LoadResult:
    """Load many files, collecting every problem; `progress(n)` is told after each file.

    With `use_cache` (validation only), unchanged files reuse their previous results.
    """
    result = LoadResult()
    entries = list(entries)
    cache = None
    fresh = entries
    known: dict[Path, tuple[LoadedFile, list[Problem]]] = {}
    if use_cache and not keep_record:
        from mxict.filecache import ValidationCache

        cache = ValidationCache(root or Path.cwd())
        for path, kind in entries:
            hit = cache.get(path, kind, root)
            if hit is not None:
                known[path] = hit
        fresh = [(path, kind) for path, kind in entries if path not in known]
    loaded_fresh = iter_loaded(fresh, root, keep_record=keep_record)
    for path, _kind in entries:
        if path in known:
            loaded, problems = known[path]
        else:
            loaded, problems = next(loaded_fresh)
            if cache is not None:
                cache.put(loaded, problems)
        result.files.append(loaded)
        result.problems.extend(problems)
        if progress is not None:
            progress(1)
    if cache is not None:
        cache.save()
    return result


# --------------------------------------------------------------------------- cross-record checks


def cross_check(files: list[LoadedFile], context: list[LoadedFile] | None = None) -> list[Problem]:
    """Rules that span records: ids, file stems, sectors, sources, duplicate names.

    `context` supplies reference records (sector files, source registry) that were not
    among the files being validated.
    """
    problems: list[Problem] = []

    def at(loaded: LoadedFile, loc: Loc, rule: str, message: str) -> None:
        line, column = loaded.locate(loc)
        problems.append(
            Problem(loaded.display, line, column, ".".join(map(str, loc)), rule, message)
        )

    valid = [f for f in files if f.valid]
    pool = valid + [f for f in (context or []) if f.valid]

    seen_ids: dict[tuple[str, str], LoadedFile] = {}
    seen_names: dict[str, LoadedFile] = {}
    for loaded in valid:
        if loaded.kind in RECORD_DIRS.values():
            if loaded.record_id != loaded.path.stem:
                at(
                    loaded,
                    ("id",),
                    "id-matches-file",
                    f"id {loaded.record_id!r} must equal the file name {loaded.path.stem!r}",
                )
            key = (loaded.kind, loaded.record_id)
            if key in seen_ids:
                at(
                    loaded,
                    ("id",),
                    "unique-id",
                    f"id {loaded.record_id!r} is also used by {seen_ids[key].display}",
                )
            else:
                seen_ids[key] = loaded
        if loaded.kind == "project":
            name_key = fold(loaded.name)
            if name_key in seen_names:
                at(
                    loaded,
                    ("name",),
                    "duplicate-name",
                    f"project name {loaded.name!r} is also used by {seen_names[name_key].display}",
                )
            else:
                seen_names[name_key] = loaded

    sector_ids = {f.record_id for f in pool if f.kind == "sector"}
    registries = [f.registry for f in pool if f.kind == "sources"]
    known_files = registries[0] if registries else None

    for loaded in valid:
        if loaded.kind == "project" and sector_ids and loaded.sector not in sector_ids:
            at(
                loaded,
                ("sector",),
                "unknown-sector",
                f"sector {loaded.sector!r} has no file in sectors/",
            )
        if known_files is None:
            continue
        for loc, file in loaded.source_refs:
            if file not in known_files:
                suggestion = closest(file, sorted(known_files), limit=1)
                hint = f"; did you mean {suggestion[0]!r}?" if suggestion else ""
                at(
                    loaded,
                    (*loc, "file"),
                    "unknown-source",
                    f"source {file!r} is not in sources.yaml{hint}",
                )
    return problems


# --------------------------------------------------------------------------- the catalog


@dataclass(frozen=True)
class Catalog:
    """Every validated record of a data directory."""

    data_dir: Path
    projects: dict[str, Project]
    sectors: dict[str, Sector]
    acronyms: AcronymList
    country: Country
    sources: SourceRegistry

    def project(self, wanted: str) -> Project:
        """A project by id (case- and accent-insensitive), or NotFound with suggestions."""
        from mxict.snapshot import find_project

        return self.projects[find_project([{"id": i} for i in self.projects], wanted)["id"]]

    def sector(self, wanted: str) -> Sector:
        """A sector by slug, annex code, or unambiguous prefix of either."""
        from mxict.snapshot import find_sector

        stubs = [{"id": s.id.value, "annex": s.annex} for s in self.sectors.values()]
        return self.sectors[find_sector(stubs, wanted)["id"]]


def validate_tree(
    data_dir: Path, progress: Any = None, *, keep_record: bool = True, use_cache: bool = False
) -> LoadResult:
    """Load and check a whole data directory, gathering every problem."""
    entries, problems = discover(data_dir)
    result = load_files(entries, data_dir, progress, keep_record=keep_record, use_cache=use_cache)
    result.problems = problems + result.problems + cross_check(result.files)
    return result


def catalog_from(result: LoadResult, data_dir: Path) -> Catalog:
    """Assemble a Catalog from a problem-free LoadResult."""
    from mxict.models import AcronymList, Country, Project, Sector, SourceRegistry

    projects: dict[str, Project] = {}
    sectors: dict[str, Sector] = {}
    singles: dict[str, BaseModel] = {}
    for loaded in result.files:
        record = loaded.record
        if isinstance(record, Project):
            projects[record.id] = record
        elif isinstance(record, Sector):
            sectors[record.id.value] = record
        elif record is not None:
            singles[loaded.kind] = record
    order = {
        sector_id: index
        for index, sector_id in enumerate(
            ["terrestrial", "subsea", "data-centers", "smart-cities", "iot-ai"]
        )
    }
    acronyms, country, sources = singles["acronyms"], singles["country"], singles["sources"]
    assert isinstance(acronyms, AcronymList)
    assert isinstance(country, Country)
    assert isinstance(sources, SourceRegistry)
    return Catalog(
        data_dir=data_dir,
        projects=dict(sorted(projects.items())),
        sectors=dict(sorted(sectors.items(), key=lambda item: order.get(item[0], 99))),
        acronyms=acronyms,
        country=country,
        sources=sources,
    )


def load_catalog(
    data_dir: str | os.PathLike[str] | None = None, *, progress: Any = None
) -> Catalog:
    """Load and validate the dataset; raises DataInvalid listing every problem.

    `progress(label, total)`, if given, is a context manager yielding `advance(n)`.
    """
    from contextlib import nullcontext

    root = resolve_data_dir(data_dir)
    bar = progress("reading the data", None) if progress else nullcontext(None)
    with bar as advance:
        result = validate_tree(root, advance)
    if result.problems:
        raise DataInvalid(result.problems)
    return catalog_from(result, root)
