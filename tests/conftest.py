"""Shared helpers: run the real CLI in-process on the real data or on fixture trees."""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mxict.atomic import sweep_stale, temp_prefix
from mxict.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Test runs that were killed (a timeout, SIGKILL) could not remove their folders: sweep
# those whose process is gone. Each name carries its process id (mxict.atomic.temp_prefix).
for _prefix in ("mxict-test-cache-", "mxict-test-context-"):
    sweep_stale(Path(tempfile.gettempdir()), _prefix)
# One throw-away cache per test session, never the user's own.
CACHE = Path(tempfile.mkdtemp(prefix=temp_prefix("mxict-test-cache-")))
# Every record file of the real data: projects, leads, sectors and the three single files.
DATA_FILES = (
    sum(1 for folder in ("projects", "leads", "sectors") for _ in (DATA / folder).glob("*.yaml"))
    + 3
)


def remove_project(data_dir: Path, project_id: str) -> None:
    """Delete a project from a data tree, with the leads that relate to it."""
    (data_dir / "projects" / f"{project_id}.yaml").unlink()
    for lead in (data_dir / "leads").glob("*.yaml"):
        if f"project: {project_id}\n" in lead.read_text(encoding="utf-8"):
            lead.unlink()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Leave nothing behind in the temporary directory."""
    shutil.rmtree(CACHE, ignore_errors=True)


class Run:
    """The outcome of one CLI invocation."""

    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(*args: str, env: dict[str, str] | None = None) -> Run:
    """Invoke `mxict ARGS` in-process (each invocation makes its own Session)."""
    runner = CliRunner()
    base_env = {
        "MXICT_DATA_DIR": "",
        "NO_COLOR": None,
        "COLUMNS": "200",
        "MXICT_CACHE_DIR": str(CACHE),
    }
    result = runner.invoke(app, list(args), env={**base_env, **(env or {})}, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli() -> Any:
    return run_cli


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the real data tree."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


# --------------------------------------------------------------------------- mxict serve


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(url: str, timeout: float = 5) -> bytes:
    """The body of a GET on `url` (127.0.0.1 only, in these tests)."""
    import urllib.request

    with urllib.request.urlopen(url, timeout=timeout) as response:
        body: bytes = response.read()
        return body


class Served:
    """A running `mxict serve`: its base URL, process and the files of its output."""

    def __init__(self, base: str, process: Any, stdout: Path, stderr: Path) -> None:
        self.base = base
        self.process = process
        self.stdout = stdout
        self.stderr = stderr


@contextlib.contextmanager
def serving(home: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """Run `mxict serve ARGS` on a free port until the block ends; kill it if it hangs."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.error

    environ = {
        k: v for k, v in os.environ.items() if k not in ("MXICT_CACHE_DIR", "MXICT_DATA_DIR")
    }
    environ["XDG_CACHE_HOME"] = str(home / "cache")
    environ |= env or {}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    stdout, stderr = home / "stdout.txt", home / "stderr.txt"
    command = [sys.executable, "-m", "mxict", "serve", "--port", str(port), "--host", "127.0.0.1"]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [*command, *args],
            stdout=out,
            stderr=err,
            env=environ,
            start_new_session=True,  # its own process group, so teardown can reach Datasette
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"mxict serve exited early:\n{stderr.read_text('utf-8')}")
            try:
                fetch(f"{base}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"mxict serve not up after 30 s:\n{stderr.read_text('utf-8')}")
                time.sleep(0.2)
        yield Served(base, process, stdout, stderr)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
