"""Write files atomically: a temporary file in the same directory, then a rename."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import sys
import tempfile
import time
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
    directory = path.parent if str(path.parent) else Path(".")
    sweep_stale(directory, f".{path.name}.")  # what killed runs left, even if this one stops
    existing = _lstat(path)
    if existing is not None and not force:
        raise UsageError(f"{str(path)!r} already exists; use --force to overwrite it")
    if not directory.is_dir():
        raise UsageError(f"directory {str(directory)!r} does not exist")
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=temp_prefix(f".{path.name}."), suffix=".tmp", dir=directory
        )
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


def check_target(path: Path, *, force: bool) -> os.stat_result | None:
    """Refuse to write `path` before anything is written; return what is there now.

    Refused: an existing entry without `force` (a dangling symbolic link counts), one that
    is neither a regular file nor a link (a device, a FIFO, a directory: never replaced),
    and a missing directory.
    """
    existing = _lstat(path)
    if existing is not None:
        if not force:
            raise UsageError(f"{str(path)!r} already exists; use --force to overwrite it")
        if not (stat.S_ISREG(existing.st_mode) or stat.S_ISLNK(existing.st_mode)):
            raise OutputError(f"{str(path)!r} exists and is not a regular file; not replacing it")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"directory {str(directory)!r} does not exist")
    return existing


def publish(moves: list[tuple[Path, Path]], *, force: bool) -> None:
    """Move finished temporaries onto their targets (same file system), in the given order.

    Each move is atomic; when one fails, the targets this call created are removed again,
    so a refusal never leaves half of a set of files that belong together.
    """
    created: list[Path] = []
    current = moves[0][1] if moves else Path(".")
    try:
        for temp, target in moves:
            current = target
            existing = check_target(target, force=force)
            os.chmod(temp, _mode_for(existing))
            if force:
                os.replace(temp, target)
            else:
                _rename_no_clobber(str(temp), target)
            if existing is None:
                created.append(target)
    except BaseException as exc:
        for target in created:
            with contextlib.suppress(OSError):
                os.unlink(target)
        if isinstance(exc, FileExistsError):
            raise UsageError(
                f"{str(current)!r} already exists; use --force to overwrite it"
            ) from None
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {str(current)!r}: {exc.strerror or exc}") from None
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


# Temporaries mxict makes are named PREFIX + PID + "-" + 8 random characters (+ ".tmp" or
# ".old"), PID being the creating process, so a later run can tell what a killed process
# left behind from what a live one is still writing. Names without a PID come from
# earlier versions of mxict: those are swept only once they are old.
_OURS = re.compile(r"(?P<pid>[0-9]+)-[a-z0-9_]{8}(?:\.tmp|\.old)?")
_LEGACY = re.compile(r"[a-z0-9_]{8}(?:\.tmp|\.old)?")
LEGACY_AGE = 3600.0  # seconds; no export takes anywhere near this long


def temp_prefix(prefix: str) -> str:
    """The start of a temporary's name: `prefix`, this process's id and a dash."""
    return f"{prefix}{os.getpid()}-"


def owner_pid(name: str, prefix: str) -> int | None:
    """The id of the process that made the temporary `name`, or None (not ours, or old)."""
    if not name.startswith(prefix):
        return None
    found = _OURS.fullmatch(name, len(prefix))
    return int(found["pid"]) if found else None


def process_alive(pid: int) -> bool:
    """Whether process `pid` exists on this machine (ours, or another user's)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else (EPERM)
    return True


def is_stale(entry: os.DirEntry[str], prefix: str, *, now: float | None = None) -> bool:
    """Whether `entry` is a temporary mxict made with `prefix` whose maker is gone.

    Ours name a process: stale once that process no longer runs. Names without one, from
    earlier versions, are stale after LEGACY_AGE. Symbolic links are never ours.
    """
    name = entry.name
    if not name.startswith(prefix) or entry.is_symlink():
        return False
    pid = owner_pid(name, prefix)
    if pid is not None:
        return not process_alive(pid)
    if _LEGACY.fullmatch(name, len(prefix)) is None:
        return False
    try:
        age = (now or time.time()) - entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return False
    return age > LEGACY_AGE


def sweep_stale(directory: Path, prefix: str) -> list[str]:
    """Remove the temporaries named `prefix`... in `directory` that dead processes left
    (a SIGKILL or power cut skips every clean-up); return their names.

    Only names mxict makes are touched, never a live process's, and a failure to remove
    one is ignored: sweeping is housekeeping, never a reason to fail a command.
    """
    removed: list[str] = []
    try:
        with os.scandir(directory) as entries:
            stale = [entry for entry in entries if is_stale(entry, prefix)]
    except OSError:
        return removed
    for entry in stale:
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
        removed.append(entry.name)
    return removed


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux renameat2 RENAME_EXCHANGE).

    Returns False where the system or file system cannot; the caller then falls back.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2  # glibc 2.28 and later
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    c_int, c_path = ctypes.c_int, ctypes.c_char_p
    renameat2.argtypes = [c_int, c_path, c_int, c_path, ctypes.c_uint]
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def temp_directory(beside: Path, suffix: str = ".tmp") -> Path:
    """A new private folder in the directory of `beside`, named as a temporary of it."""
    parent = beside.parent if str(beside.parent) else Path(".")
    try:
        return Path(
            tempfile.mkdtemp(prefix=temp_prefix(f".{beside.name}."), suffix=suffix, dir=parent)
        )
    except OSError as exc:
        raise OutputError(f"cannot write to {str(parent)!r}: {exc.strerror or exc}") from None
