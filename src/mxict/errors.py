"""Errors mxict raises, each carrying a message written for the user."""

from __future__ import annotations

from typing import NamedTuple


class MxictError(Exception):
    """Base of every error mxict reports to the user (exit code 1)."""

    exit_code = 1


class UsageError(MxictError):
    """The user asked for something malformed: a bad option value, a missing directory."""

    exit_code = 2


class DataDirNotFound(UsageError):
    """An explicitly given data directory does not exist."""


class NotFound(MxictError):
    """An id, sector or term that is not in the catalog."""

    def __init__(self, kind: str, wanted: str, suggestions: list[str] | None = None) -> None:
        self.kind = kind
        self.wanted = wanted
        self.suggestions = suggestions or []
        message = f"no {kind} {wanted!r}"
        if self.suggestions:
            message += "; did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(message)


class Ambiguous(UsageError):
    """A prefix that matches more than one entry."""

    def __init__(self, kind: str, wanted: str, matches: list[str]) -> None:
        self.matches = matches
        super().__init__(f"{kind} {wanted!r} is ambiguous: it matches " + ", ".join(matches))


class Problem(NamedTuple):
    """One located data error: file:line:column: path: message."""

    file: str
    line: int
    column: int
    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class DataInvalid(MxictError):
    """The data directory holds records that do not validate."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [str(p) for p in problems[:20]]
        if len(problems) > 20:
            lines.append(f"... and {len(problems) - 20} more (run `mxict validate`)")
        super().__init__(f"the data has {len(problems)} problem(s):\n" + "\n".join(lines))


class OutputError(MxictError):
    """A file could not be written."""
