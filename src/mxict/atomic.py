"""Write files atomically: a temporary file in the same directory, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from mxict.errors import OutputError, UsageError


def write_atomic(
    path: Path, write: Callable[[IO[Any]], None], *, force: bool = False, binary: bool = False
) -> None:
    """Call `write(fh)` on a temporary file, then rename it onto `path`.

    An interrupted or failed write leaves no partial file; an existing file is
    replaced only with `force`.
    """
    if path.exists() and not force:
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
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
        raise
