"""Write files atomically: a temporary file in the same directory, then a rename."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from mxict.errors import OutputError, UsageError


def write_atomic(
    path: Path, write: Callable[[IO[Any]], None], *, force: bool = False, binary: bool = False
) -> None:
    """Call `write(fh)` on a temporary file, then rename it onto `path`.

    An interrupted or failed write (an exception, Ctrl-C) leaves no partial file and no
    temporary file; an existing file is replaced only with `force`, and without it a file
    that appears while writing is not clobbered either. A symbolic link at `path` is
    itself replaced (with `force`), never written through. The new file gets the mode
    of the file it replaces, else the usual mode allowed by the umask.
    """
    if _is_device_or_pipe(path):
        # /dev/null, /dev/stdout, a FIFO: write through it; never replace it with a file.
        _write_through(path, write, binary=binary)
        return
    existing = _lstat(path)
    if existing is not None and not force:
        raise UsageError(f"{str(path)!r} already exists; use --force to overwrite it")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"directory {str(directory)!r} does not exist")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write to {str(directory)!r}: {exc.strerror or exc}") from None
    try:
        handle: IO[Any] = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        )
        with handle as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp_name, _mode_for(existing))
        if force:
            os.replace(temp_name, path)
        else:
            _rename_no_clobber(temp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, FileExistsError):
            raise UsageError(f"{str(path)!r} already exists; use --force to overwrite it") from None
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
        raise


def _is_device_or_pipe(path: Path) -> bool:
    """Whether `path` (after any links) is a character device or a FIFO."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _write_through(path: Path, write: Callable[[IO[Any]], None], *, binary: bool) -> None:
    try:
        handle: IO[Any] = (
            open(path, "wb")  # noqa: SIM115  # closed by the with below
            if binary
            else open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        )
        with handle as fh:
            write(fh)
    except OSError as exc:
        raise OutputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None


def _lstat(path: Path) -> os.stat_result | None:
    # lstat: a dangling symbolic link is an existing entry too.
    try:
        return path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None  # a missing parent directory is reported next, as a usage error
    except OSError as exc:
        raise OutputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None


def _mode_for(existing: os.stat_result | None) -> int:
    if existing is not None and stat.S_ISREG(existing.st_mode):
        return stat.S_IMODE(existing.st_mode)
    # mkstemp makes the file private (0600); a new export gets what the user's umask allows.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _rename_no_clobber(temp_name: str, path: Path) -> None:
    """Move the temporary file to `path` unless something appeared there meanwhile."""
    try:
        os.link(temp_name, path)  # fails with FileExistsError instead of replacing
    except FileExistsError:
        raise
    except OSError as exc:
        # Some file systems have no hard links: fall back to a checked rename.
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
            raise
        if _lstat(path) is not None:
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        os.replace(temp_name, path)
        return
    os.unlink(temp_name)
