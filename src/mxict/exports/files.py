"""File plumbing shared by the exports: missing extras, overwrite checks, atomic directories."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from mxict.atomic import exchange, is_stale, sweep_stale, temp_directory, write_atomic
from mxict.errors import OutputError, UsageError

EXTRA_HINT = "pip install 'mxict[export]'"


def missing_extra(what: str, package: str) -> UsageError:
    """The error for an optional library that is not installed."""
    return UsageError(f"{what} needs {package}: {EXTRA_HINT}")


def write_json(path: Path, data: Any, *, force: bool) -> None:
    """Write `data` as UTF-8, two-space-indented JSON, atomically."""

    def write(fh: IO[str]) -> None:
        fh.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    write_atomic(path, write, force=force)


def write_directory(
    target: Path,
    build: Callable[[Path], None],
    *,
    force: bool,
    foreign: Callable[[Path], str | None],
) -> None:
    """Call `build(folder)` on a new temporary folder beside `target`, then put it in place.

    An interrupted build leaves `target` as it was. With `force`, an existing `target` is
    replaced only when it is empty or `foreign(target)` finds nothing mxict did not write
    (it returns why not, else None), so a mistyped path never wipes a directory. The swap
    is one atomic exchange where the system has one; elsewhere a kill between its two
    renames leaves the old folder aside, and the next run puts it back.
    """
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"directory {str(parent)!r} does not exist")
    prefix = f".{target.name}."
    _restore_aside(target, prefix)
    sweep_stale(parent, prefix)
    existing = os.path.lexists(target)
    if existing:
        if not force:
            raise UsageError(f"{str(target)!r} already exists; use --force to overwrite it")
        if target.is_symlink() or not target.is_dir():
            raise OutputError(f"{str(target)!r} exists and is not a directory; not replacing it")
        reason = foreign(target)
        if reason is not None:
            raise OutputError(
                f"not replacing {str(target)!r}: {reason}; only a previous export is replaced"
            )
    folder = temp_directory(target)
    try:
        build(folder)
        os.chmod(folder, 0o755)  # mkdtemp makes it private; a published export is not
        if existing:
            _swap(folder, target)
        elif os.path.lexists(target):  # appeared meanwhile (rename would take an empty one)
            raise UsageError(f"{str(target)!r} already exists; use --force to overwrite it")
        else:
            os.rename(folder, target)
    except BaseException as exc:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from None
        raise


def _swap(folder: Path, target: Path) -> None:
    if exchange(folder, target):
        shutil.rmtree(folder, ignore_errors=True)  # now the old export; a kill leaves it stale
        return
    # rename() cannot replace a non-empty directory: move the old one aside first, and
    # put it back if the new one cannot take its place.
    aside = temp_directory(target, ".old")
    os.rmdir(aside)
    os.replace(target, aside)
    try:
        os.replace(folder, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.replace(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _restore_aside(target: Path, prefix: str) -> None:
    """Put back a previous export that a killed swap left aside (`.NAME.PID-xxxxxxxx.old`)."""
    if os.path.lexists(target):
        return
    parent = target.parent if str(target.parent) else Path(".")
    try:
        with os.scandir(parent) as entries:
            aside = [
                entry
                for entry in entries
                if entry.name.endswith(".old")
                and entry.is_dir(follow_symlinks=False)
                and is_stale(entry, prefix)
            ]
    except OSError:
        return
    if aside:  # several only after several kills: the newest is the last export
        with contextlib.suppress(OSError):
            newest = max(aside, key=lambda entry: entry.stat(follow_symlinks=False).st_mtime)
            os.rename(newest.path, target)
