"""Validation problems as reports: text lines, one JSON document, or GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from typing import IO

from mxict.errors import Problem


class ReportFormat(StrEnum):
    """How `mxict validate` reports."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def report(
    problems: Sequence[Problem],
    files_checked: int,
    fmt: ReportFormat,
    out: IO[str],
    *,
    checked: str = "",
) -> None:
    """Write the problems found, in the chosen report format; `checked` names what was
    validated (the data directory or the given paths)."""
    problems = sorted(set(problems))
    if fmt is ReportFormat.JSON:
        document = {
            "valid": not problems,
            "checked": checked,
            "files_checked": files_checked,
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
