"""`mxict validate`: gather every problem of a data tree or of given files, and report them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from mxict.catalog import (
    RECORD_DIRS,
    SINGLE_FILES,
    LoadResult,
    _display,
    cross_check,
    discover,
    kind_of,
    load_files,
    validate_tree,
)
from mxict.errors import Problem, UsageError


class ReportFormat(StrEnum):
    """How `mxict validate` reports."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def _is_data_root(path: Path) -> bool:
    return any((path / name).is_dir() for name in RECORD_DIRS)


def validate_paths(
    paths: Sequence[Path], data_dir: Path | None, progress: Any = None
) -> LoadResult:
    """Validate data trees and single files; references resolve against `data_dir`."""
    result = LoadResult()
    singles: list[tuple[Path, str]] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"path {str(path)!r} does not exist")
        if path.is_dir() and _is_data_root(path):
            tree = validate_tree(path, progress, keep_record=False)
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
                        _display(file, None),
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
                        _display(file, None),
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


def report(result: LoadResult, fmt: ReportFormat, out: IO[str]) -> None:
    """Write the problems found, in the chosen report format."""
    problems = sorted(set(result.problems))
    if fmt is ReportFormat.JSON:
        document = {
            "valid": not problems,
            "files_checked": result.files_checked,
            "errors": [
                {
                    "file": p.file,
                    "line": p.line,
                    "column": p.column,
                    "path": p.path,
                    "rule": p.rule,
                    "message": p.message,
                }
                for p in problems
            ],
        }
        out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    elif fmt is ReportFormat.GITHUB:
        for p in problems:
            message = f"{p.path}: {p.message}" if p.path else p.message
            out.write(
                f"::error file={_gh_property(p.file)},line={p.line},col={p.column},"
                f"title={_gh_property('mxict ' + p.rule)}::{_gh_data(message)}\n"
            )
    else:
        for p in problems:
            out.write(f"{p} [{p.rule}]\n")


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")
