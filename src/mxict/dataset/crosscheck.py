"""Rules that span records: ids and file names, duplicates, known sectors and sources."""

from __future__ import annotations

from mxict.dataset.layout import RECORD_DIRS
from mxict.dataset.loading import LoadedFile, Loc
from mxict.errors import Problem
from mxict.textfold import closest, fold


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
    # Every project file counts, valid or not: a broken profile is reported once, not again
    # by each lead that relates to it.
    project_ids = {
        f.record_id or f.path.stem for f in [*files, *(context or [])] if f.kind == "project"
    }
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
        for loc, target in loaded.links if project_ids else ():
            if target not in project_ids:
                suggestion = closest(target, sorted(project_ids), limit=1)
                hint = f"; did you mean {suggestion[0]!r}?" if suggestion else ""
                at(
                    loaded,
                    loc,
                    "unknown-project",
                    f"project {target!r} has no file in projects/{hint}",
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
