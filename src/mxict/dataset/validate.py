"""Validate a whole data directory, or given files and folders, gathering every problem."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mxict.dataset.crosscheck import cross_check
from mxict.dataset.layout import SINGLE_FILES, discover, display_name, is_data_root, kind_of
from mxict.dataset.loading import LoadResult, load_files
from mxict.errors import Problem, UsageError


def validate_tree(
    data_dir: Path,
    progress: Any = None,
    *,
    keep_record: bool = True,
    use_cache: bool = False,
    history: str | None = None,
) -> LoadResult:
    """Load and check a whole data directory, gathering every problem; with `history` (a
    git revision such as HEAD), also that every record changed since then had its
    `modified` date moved on (skipped outside a git checkout)."""
    entries, problems = discover(data_dir)
    cache = None
    if use_cache and not keep_record:
        from mxict.dataset.validation_cache import ValidationCache

        cache = ValidationCache(data_dir)
    result = load_files(entries, data_dir, progress, keep_record=keep_record, cache=cache)
    result.problems = problems + result.problems + cross_check(result.files)
    if history is not None:
        from mxict.dataset.modified import unmoved_modified

        result.problems += unmoved_modified(data_dir, history)
    return result


def validate_paths(
    paths: Sequence[Path],
    data_dir: Path | None,
    progress: Any = None,
    *,
    history: str | None = None,
) -> LoadResult:
    """Validate data trees and single files; references resolve against `data_dir`;
    `history` as in `validate_tree`, for the data trees."""
    result = LoadResult()
    singles: list[tuple[Path, str]] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"path {str(path)!r} does not exist")
        if path.is_dir() and is_data_root(path):
            tree = validate_tree(path, progress, keep_record=False, history=history)
            result.files += tree.files
            result.problems += tree.problems
            continue
        files = (
            sorted(p for p in path.iterdir() if not p.name.startswith("."))
            if path.is_dir()
            else [path]
        )
        for file in files:
            kind = kind_of(file)
            if file.suffix != ".yaml":
                result.problems.append(
                    Problem(
                        display_name(file, None),
                        1,
                        1,
                        "",
                        "not-yaml",
                        "only .yaml record files can be validated",
                    )
                )
            elif kind is None:
                result.problems.append(
                    Problem(
                        display_name(file, None),
                        1,
                        1,
                        "",
                        "unknown-kind",
                        "cannot tell the record kind: put it in projects/ or sectors/, or name it "
                        + ", ".join(f"{s}.yaml" for s in SINGLE_FILES),
                    )
                )
            else:
                singles.append((file, kind))
    if singles:
        loaded = load_files(singles, None, progress, keep_record=False)
        context = None
        if data_dir is not None:
            entries, _ = discover(data_dir)
            context = load_files(entries, data_dir, keep_record=False).files
        result.files += loaded.files
        result.problems += loaded.problems + cross_check(loaded.files, context)
    return result
