"""File plumbing shared by the exports: missing extras, overwrite checks, atomic directories."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from mxict.atomic import write_atomic
from mxict.errors import OutputError, UsageError

EXTRA_HINT = "pip install 'mxict[export]'"


def missing_extra(what: str, package: str) -> UsageError:
    """The error for an optional library that is not installed."""
    return UsageError(f"{what} needs {package}: {EXTRA_HINT}")


def refuse_existing(paths: Iterable[Path], *, force: bool) -> None:
    """Fail before writing anything when one of `paths` exists and --force is not given."""
    for path in paths:
        if path.exists() and not force:
            raise UsageError(f"{str(path)!r} already exists; use --force to overwrite it")


def write_json(path: Path, data: Any, *, force: bool) -> None:
    """Write `data` as UTF-8, two-space-indented JSON, atomically."""

    def write(fh: IO[str]) -> None:
        fh.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    write_atomic(path, write, force=force)


def write_directory(
    target: Path, build: Callable[[Path], None], *, force: bool, marker: str
) -> None:
    """Call `build(folder)` on a new temporary folder beside `target`, then rename it.

    An interrupted build leaves `target` as it was. With `force`, an existing `target` is
    replaced only if it is empty or holds `marker` (a previous export), so a mistyped
    path never wipes an unrelated directory.
    """
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"directory {str(parent)!r} does not exist")
    existing = target.exists() or target.is_symlink()
    if existing:
        if not force:
            raise UsageError(f"{str(target)!r} already exists; use --force to overwrite it")
        if target.is_symlink() or not target.is_dir():
            raise UsageError(f"{str(target)!r} exists and is not a directory; not replacing it")
        if any(target.iterdir()) and not (target / marker).is_file():
            raise UsageError(
                f"{str(target)!r} is not empty and holds no {marker}; "
                "not replacing a directory this command did not write"
            )
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot write to {str(parent)!r}: {exc.strerror or exc}") from None
    try:
        build(folder)
        os.chmod(folder, 0o755)  # mkdtemp makes it private; a published export is not
        if existing:
            _swap(folder, target)
        else:
            os.replace(folder, target)
    except BaseException as exc:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from None
        raise


def _swap(folder: Path, target: Path) -> None:
    # rename() cannot replace a non-empty directory: move the old one aside first, and
    # put it back if the new one cannot take its place.
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rmdir(aside)
    os.replace(target, aside)
    try:
        os.replace(folder, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.replace(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)
