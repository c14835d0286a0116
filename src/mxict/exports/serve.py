"""`mxict serve`: the SQLite export, cached per data directory, served by Datasette.

The database and its metadata live in the user cache directory (`$MXICT_CACHE_DIR`, else
`$XDG_CACHE_HOME/mxict`, else `~/.cache/mxict`), one folder per data directory, and are
rebuilt only when the data files' fingerprint (paths, sizes, modification times and the
mxict version) changes. When that directory cannot be written, or caching is turned off,
the files go to a fresh temporary directory that the caller removes afterwards.
Datasette runs as a child process (`python -m datasette serve`) so that it stays an
optional dependency and a crash in it cannot take mxict's state with it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO, Any

from mxict.atomic import write_atomic
from mxict.errors import MxictError
from mxict.exports import web
from mxict.exports.files import missing_extra
from mxict.exports.site import serve_metadata
from mxict.exports.sqlite import metadata_path, write_sqlite

DATABASE_NAME = "mxict"  # Datasette names a database after its file: /mxict/projects
BUILD_VERSION = "3"  # bump when the exported tables change shape, to rebuild caches
STOP_TIMEOUT = 10.0
TRUNCATE_CELLS = 120  # characters of text shown per cell in table views
READY_TIMEOUT = 60.0  # Datasette starts in 1-3 s; a loaded machine may need more


class PortBusy(MxictError):
    """The address to serve on cannot be listened on."""


@dataclass(frozen=True)
class ServeFiles:
    """The database and metadata to serve, whether they were just built, and any temp dir."""

    database: Path
    metadata: Path
    rebuilt: bool
    temporary: Path | None


def require_datasette() -> None:
    """Fail with the install hint unless Datasette can be imported."""
    import importlib.util

    if importlib.util.find_spec("datasette") is None:
        raise missing_extra("mxict serve", "datasette")


def cache_folder(data_dir: Path) -> Path | None:
    """This data directory's folder in the user cache, created; None if it is not writable."""
    from mxict.dataset.caches import cache_dir

    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8", "surrogateescape"))
    try:
        folder = cache_dir() / f"datasette-{digest.hexdigest()[:16]}"
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return None
    return folder


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _code_stamp() -> str:
    # The database and metadata are made by these modules: a changed query, view or table
    # (an upgrade, or a checkout being edited) rebuilds the cache without a version bump.
    from mxict.exports import geo, site, tables, views

    digest = hashlib.sha256()
    for module in (geo, site, tables, views):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


def prepare(data_dir: Path, *, use_cache: bool = True) -> ServeFiles:
    """The database to serve for `data_dir`: the cached one if current, else a new build."""
    from mxict.dataset.catalog import load_catalog
    from mxict.dataset.snapshot import fingerprint

    folder = cache_folder(data_dir) if use_cache else None
    temporary = None
    if folder is None:
        from mxict.atomic import sweep_stale, temp_prefix

        scratch = Path(tempfile.gettempdir())
        sweep_stale(scratch, "mxict-serve-")  # what killed servers left behind
        folder = temporary = Path(tempfile.mkdtemp(prefix=temp_prefix("mxict-serve-")))
    database = folder / f"{DATABASE_NAME}.db"
    metadata = metadata_path(database)
    stamp = folder / "fingerprint"
    # Taken before reading the data: a file changed mid-build then forces the next rebuild.
    key = f"{BUILD_VERSION}:{_code_stamp()}:{fingerprint(data_dir)}"
    if temporary is None and database.is_file() and metadata.is_file() and _read(stamp) == key:
        return ServeFiles(database, metadata, rebuilt=False, temporary=None)

    def write(fh: IO[str]) -> None:
        fh.write(key)

    try:
        write_sqlite(load_catalog(data_dir), database, force=True, metadata=serve_metadata)
        write_atomic(stamp, write, force=True)  # last, so a half-done build is never trusted
    except BaseException:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
        raise
    return ServeFiles(database, metadata, rebuilt=True, temporary=temporary)


def datasette_command(files: ServeFiles, host: str, port: int) -> list[str]:
    """The Datasette command line serving `files`, read-only."""
    return [
        sys.executable,
        "-I",  # isolated: never import modules from the working directory or $PYTHONPATH
        "-m",
        "datasette",
        "serve",
        "--immutable",
        str(files.database),
        "--metadata",
        str(files.metadata),
        "--host",
        host,
        "--port",
        str(port),
        # The home page, the folded glossary, money and links in cells: mxict's own
        # plugin, templates and style sheet, for this server only.
        "--plugins-dir",
        str(web.PLUGINS),
        "--template-dir",
        str(web.TEMPLATES),
        "--static",
        f"{web.STATIC_MOUNT}:{web.STATIC}",
        # Long narrative text is cut in table views (a row's page shows it whole), and
        # facets are the configured ones: suggestions are noise to a non-technical reader.
        "--setting",
        "truncate_cells_html",
        str(TRUNCATE_CELLS),
        "--setting",
        "suggest_facets",
        "off",
        # The NAICS facet has dozens of codes: the most common few, then "…" for more.
        "--setting",
        "default_facet_size",
        "8",
    ]


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> Callable[[], None] | None:
    """A `preexec_fn` that makes the child get SIGTERM when mxict dies, even by SIGKILL.

    Linux only (prctl PR_SET_PDEATHSIG); elsewhere None, and the `finally` in `run`
    still stops the server on every exit Python sees.
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # mxict died before prctl took effect
            os._exit(1)

    return preexec


def check_port(host: str, port: int) -> None:
    """Raise PortBusy unless `host:port` can be listened on now (before any URL is shown)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise PortBusy(f"cannot listen on {host!r}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            reason = "is already in use" if exc.errno == errno.EADDRINUSE else f"refused: {exc}"
            raise PortBusy(f"port {port} on {host} {reason}; choose another with --port") from None


def _listening(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection(
            (host if host not in ("0.0.0.0", "::") else "127.0.0.1", port), timeout=0.5
        ):
            return True
    except OSError:
        return False


def run(
    command: list[str],
    *,
    stdout: Any = None,
    ready: tuple[str, int] | None = None,
    on_ready: Any = None,
) -> int:
    """Run the server until it exits, Ctrl-C or SIGTERM; return its exit status (0 if stopped).

    With `ready` (host, port), `on_ready()` is called once the server accepts connections,
    so a URL is shown only when it works. The child is always stopped before returning,
    so no server outlives mxict.
    """
    process = subprocess.Popen(command, stdout=stdout, preexec_fn=die_with_parent(os.getpid()))
    previous: Any = None
    main_thread = threading.current_thread() is threading.main_thread()
    if main_thread:
        # SIGTERM (from a service manager or a test) stops the server like Ctrl-C does.
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        if ready is not None:
            deadline = time.monotonic() + READY_TIMEOUT
            while process.poll() is None and not _listening(*ready):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            if process.poll() is None and on_ready is not None:
                on_ready()
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
