"""What a person sees: shell completion, pipes, colour rules, a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CACHE, ROOT
from mxict.render.table import make_console, rich_table

MXICT = Path(sys.executable).parent / "mxict"


def run_process(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "MXICT_CACHE_DIR": str(CACHE), **env}
    environment.pop("MXICT_DATA_DIR", None)
    return subprocess.run(
        [str(MXICT), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def test_completion_of_project_ids_and_sector_slugs() -> None:
    ids = run_process(_MXICT_COMPLETE="complete_bash", COMP_WORDS="mxict show gig", COMP_CWORD="2")
    assert ids.stdout.split() == ["gignet-1"]
    sectors = run_process(
        _MXICT_COMPLETE="complete_bash", COMP_WORDS="mxict list --sector s", COMP_CWORD="3"
    )
    assert sectors.stdout.split() == ["subsea", "smart-cities"]
    prefix = run_process(
        _MXICT_COMPLETE="complete_bash", COMP_WORDS="mxict filter-by-sector da", COMP_CWORD="2"
    )
    assert prefix.stdout.split() == ["data-centers"]


def test_closed_pipe_ends_quietly() -> None:
    # `mxict list | head -1`: the reader closes early; no BrokenPipe traceback.
    proc = subprocess.run(
        f"'{MXICT}' list | head -1",
        shell=True,
        capture_output=True,
        text=True,
        env={**os.environ, "MXICT_CACHE_DIR": str(CACHE)},
        timeout=60,
        check=False,
    )
    assert proc.stdout.startswith("id\tname\t")
    assert proc.stderr == ""


def test_piped_output_has_no_colour_or_table_borders() -> None:
    proc = run_process("list", "--sector", "subsea")
    assert proc.returncode == 0
    assert "\x1b[" not in proc.stdout
    assert proc.stdout.splitlines()[1].startswith("gignet-1\t")


def test_python_dash_m_runs_the_same_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mxict", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert proc.stdout.startswith("mxict ")


def test_colour_only_when_asked_and_never_with_no_color() -> None:
    import io

    rows = [{"id": "gignet-1", "value_usd": 38_000_000.0}]
    buffer = io.StringIO()
    console = make_console(buffer, color=True)
    console.print(rich_table(rows, ["id", "value_usd"], "Projects"))
    assert "\x1b[" in buffer.getvalue()
    plain = io.StringIO()
    make_console(plain, color=False).print(rich_table(rows, ["id", "value_usd"], "Projects"))
    assert "\x1b[" not in plain.getvalue()
    assert "38,000,000" in plain.getvalue()


def test_no_color_environment_wins_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from mxict.cli.session import Session

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert Session().color() is False
    monkeypatch.delenv("NO_COLOR")
    assert Session().color() is True
    assert Session(no_color=True).color() is False


def test_progress_bar_only_on_a_terminal(monkeypatch: object) -> None:
    import io

    import pytest

    from mxict.cli.progress import progress_bar

    class FakeTty(io.StringIO):
        def isatty(self) -> bool:
            return True

    patch = pytest.MonkeyPatch()
    try:
        quiet = io.StringIO()
        patch.setattr("sys.stderr", quiet)
        with progress_bar("validating", 3) as advance:
            advance(3)
        assert quiet.getvalue() == ""
        loud = FakeTty()
        patch.setattr("sys.stderr", loud)
        with progress_bar("validating", 3) as advance:
            advance(3)
        assert "validating" in loud.getvalue()
    finally:
        patch.undo()


def _modules_loaded_by(
    args: list[str], heavy: set[str], env: dict[str, str] | None = None
) -> list[str]:
    """Which of the `heavy` top-level modules a warm run of `mxict ARGS` imports."""
    probe = (
        "import sys, io, contextlib\n"
        "from mxict.cli.main import main\n"
        "heavy = set(sys.argv[1].split(','))\n"
        "sys.argv = ['mxict'] + sys.argv[2:]\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    environment = {**os.environ, "MXICT_CACHE_DIR": str(CACHE), **(env or {})}
    environment.pop("MXICT_DATA_DIR", None)
    proc = subprocess.run(
        [sys.executable, "-c", probe, ",".join(sorted(heavy)), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=True,
    )
    return list(json.loads(proc.stdout.strip().replace("'", '"')))


def test_fast_paths_import_nothing_heavy() -> None:
    # Lazy imports: help and cached JSON queries never load pydantic, PyYAML, rich or
    # tabulate (the cache is warmed first by an earlier call).
    run_process("list", "--json")
    heavy = {"pydantic", "pydantic_core", "yaml", "rich", "tabulate"}
    for args in (["--help"], ["list", "--json"], ["show", "gignet-1", "--json"]):
        assert _modules_loaded_by(args, heavy) == [], args


def test_row_tables_are_drawn_without_rich() -> None:
    # A table of rows is padding and cutting at widths decided beforehand: `mxict list`
    # on a terminal need not import rich (a third of its start-up); layouts still do.
    run_process("list", "--json")
    for args in (["list", "--format", "table"], ["search", "fiber", "--format", "table"]):
        assert _modules_loaded_by(args, {"rich", "tabulate"}, {"COLUMNS": "100"}) == [], args


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--status", "approved", "--json"],
        ["list", "--format", "table"],
        ["changes", "--since", "2024"],
        ["stale"],
        ["show", "gignet-1"],
        ["search", "fiber"],
        ["compare-value"],
        ["compare-value", "--by", "sector", "--json"],
        ["export-opportunities", "--sector", "subsea", "--format", "csv"],
        ["filter-by-sector", "subsea"],
        ["sectors", "show", "subsea"],
        ["country"],
        ["acronyms", "IFT"],
    ],
    ids=" ".join,
)
def test_every_warm_query_skips_pydantic_and_yaml(args: list[str]) -> None:
    run_process("list", "--json")  # the cache is warm
    assert _modules_loaded_by(args, {"pydantic", "pydantic_core", "yaml"}) == [], args


def test_shell_completion_skips_pydantic_and_yaml() -> None:
    env = {"_MXICT_COMPLETE": "complete_bash", "COMP_WORDS": "mxict show gig", "COMP_CWORD": "2"}
    assert _modules_loaded_by([], {"pydantic", "pydantic_core", "yaml"}, env) == []
    env = {**env, "COMP_WORDS": "mxict list --status app", "COMP_CWORD": "3"}
    assert _modules_loaded_by([], {"pydantic", "pydantic_core", "yaml"}, env) == []
