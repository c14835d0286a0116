"""One record file -> its validated record (or located problems), and many files at once."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from mxict.dataset.layout import display_name
from mxict.errors import Problem

if TYPE_CHECKING:
    from pydantic import ValidationError

    from mxict.models import Record
    from mxict.reader.exact import Positions

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
    summary_json: str | None = None  # a project's summary as JSON, made where it is read
    record_id: str = ""
    name: str = ""
    sector: str = ""
    registry: frozenset[str] = frozenset()  # file names, for the source registry
    source_refs: list[tuple[Loc, str]] = field(default_factory=list)
    links: list[tuple[Loc, str]] = field(default_factory=list)  # project ids a lead names
    where: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    located: bool = True  # False: `where` is filled on first use (the fast reader ran)

    @cached_property
    def display(self) -> str:
        """The path as reports show it (worked out only when a report names the file)."""
        return display_name(self.path, self.root)

    def locate(self, loc: Loc) -> tuple[int, int]:
        """Position of a fact the cross-checks may point at."""
        if not self.located:
            self._read_positions()
        return self.where.get(loc, (1, 1))

    def _read_positions(self) -> None:
        from mxict.reader.exact import parse_file

        self.located = True
        positions = parse_file(self.path, self.display, all_positions=True).positions
        for loc in fact_locs(self):
            self.where[loc] = positions.locate(loc)


def fact_locs(loaded: LoadedFile) -> list[Loc]:
    """Where the facts cross-checks may point at sit: id, name, sector, cited files."""
    cited = [(*loc, "file") for loc, _ in loaded.source_refs]
    return [("id",), ("name",), ("sector",), *cited, *(loc for loc, _ in loaded.links)]


@dataclass
class LoadResult:
    """Everything read from a set of files: valid records and every problem found."""

    files: list[LoadedFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def files_checked(self) -> int:
        """How many files were read (valid or not)."""
        return len(self.files)


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
        "string_too_long",
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

    from mxict.models import RECORD_MODELS, Lead, Project, SourceRegistry
    from mxict.reader.exact import parse_file

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
    if isinstance(record, Project | Lead):
        loaded.name = record.name
        loaded.sector = str(record.sector)
    if isinstance(record, Lead):
        loaded.links = [
            (("relations", index, "project"), relation.project)
            for index, relation in enumerate(record.relations)
            if relation.project is not None
        ]
        # Those sit deeper than the first reading located: find them only when needed.
        loaded.located = loaded.located and not loaded.links
    if isinstance(record, SourceRegistry):
        loaded.registry = frozenset(doc.file for doc in record.documents)
    loaded.source_refs = [(ref_loc, str(file)) for ref_loc, file in parsed.source_refs]
    if loaded.located:
        for loc in fact_locs(loaded):
            loaded.where[loc] = positions.locate(loc)
    if want_json:
        import json

        from mxict.models import record_json

        doc = record_json(record)
        loaded.doc_json = json.dumps(doc, ensure_ascii=False)
        if isinstance(record, Project):
            from mxict.dataset.summary import summary_of

            # Made here, in the worker, so the parent never parses the record again.
            loaded.summary_json = json.dumps(summary_of(doc), ensure_ascii=False)
    if keep_record:
        loaded.record = record
    return loaded, []


class ResultCache(Protocol):
    """Per-file results kept from an earlier run (see validation_cache)."""

    def get(
        self, path: Path, kind: str, root: Path | None
    ) -> tuple[LoadedFile, list[Problem]] | None: ...

    def put(self, loaded: LoadedFile, problems: list[Problem]) -> None: ...

    def save(self) -> None: ...


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
    pool = ProcessPoolExecutor(
        max_workers=workers, initializer=_start_worker, initargs=(os.getpid(),)
    )
    try:
        fast_jobs = [job._replace(fast=True) for job in jobs]
        with _stop_signals_blocked():
            # The first submission forks every worker: blocked, a stop signal cannot reach
            # one before its initializer has set it to be ignored (it waits, then is dropped
            # there and delivered here).
            results = pool.map(_load_job, fast_jobs, chunksize=64)
        for result in results:
            done += 1
            yield result
    except BrokenProcessPool:
        pool.shutdown(wait=True)
        for job in jobs[done:]:
            yield _load_job(job)
    except BaseException:
        # Ctrl-C, SIGTERM, or the caller stopping early: drop the queued work. Workers end
        # after the chunk in hand (never killed: one killed while sending a result would
        # leave the pool's reader waiting forever), so the process exits within moments.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)


def _start_worker(parent: int) -> None:
    """Pool initializer: the parent alone decides when to stop, and a worker dies with it.

    Ctrl-C reaches the whole process group; a worker that raised KeyboardInterrupt while
    sending a result would hang or break the pool, so workers ignore the stop signals and
    the parent cancels them. If the parent is killed outright, Linux kills the workers too
    (PR_SET_PDEATHSIG), so none is left holding the output pipes open.
    """
    import signal

    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextmanager
def _stop_signals_blocked() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP back for the duration; they arrive right after."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _die_with_parent() -> None:
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return  # no parent-death signal elsewhere; workers end when their queue closes
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    pr_set_pdeathsig = 1
    prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def load_files(
    entries: Iterable[tuple[Path, str]],
    root: Path | None = None,
    progress: Any = None,
    *,
    keep_record: bool = True,
    cache: ResultCache | None = None,
) -> LoadResult:
    """Load many files, collecting every problem; `progress(n)` is told after each file.

    With a `cache` (validation only), unchanged files reuse their previous results.
    """
    result = LoadResult()
    entries = list(entries)
    fresh = entries
    known: dict[Path, tuple[LoadedFile, list[Problem]]] = {}
    if cache is not None:
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
