"""Shared helpers: run the real CLI in-process on the real data or on fixture trees."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mxict.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# One throw-away cache per test session, never the user's own.
CACHE = Path(tempfile.mkdtemp(prefix="mxict-test-cache-"))
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
