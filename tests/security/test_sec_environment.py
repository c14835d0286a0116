"""Hostile environments: closed pipes and streams, Ctrl-C, a full disk, odd caches, unreadable
or missing data, a C locale and narrow terminals. Clean output or one clean line, always."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hostile import MXICT, clean_error, process_env, run_process
from rich.cells import cell_len

import mxict.cli.main
from conftest import CACHE, DATA, run_cli
from mxict.cli.session import Session

IDS = sorted(p.stem for p in (DATA / "projects").glob("*.yaml"))


def run_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[Any, str, str]:
    """Run the console-script entry point `main()` in-process: exit code, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["mxict", *args])
    monkeypatch.setenv("MXICT_CACHE_DIR", str(CACHE))
    monkeypatch.delenv("MXICT_DATA_DIR", raising=False)
    handlers = {signum: signal.getsignal(signum) for signum in mxict.cli.main.STOP_SIGNALS}
    try:
        with pytest.raises(SystemExit) as stopped:
            mxict.cli.main.main()
    finally:
        for signum, handler in handlers.items():  # main() installs its own; keep pytest's
            signal.signal(signum, handler)
    out = capsys.readouterr()
    return stopped.value.code, out.out, out.err


# --------------------------------------------------------------------------- closed streams


def test_closed_pipe_ends_quietly_with_status_0() -> None:
    # The reader is gone before mxict writes a byte, so every write meets EPIPE.
    commands = [("list",), ("show", "gignet-1"), ("export-opportunities", "--format", "csv")]
    procs = []
    for args in commands:
        proc = subprocess.Popen(
            [str(MXICT), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=process_env(),
        )
        assert proc.stdout is not None
        proc.stdout.close()
        procs.append(proc)
    for args, proc in zip(commands, procs, strict=True):
        _, stderr = proc.communicate(timeout=30)
        assert (args, proc.returncode, stderr) == (args, 0, b"")


def test_list_piped_into_head() -> None:
    proc = subprocess.run(
        ["bash", "-c", f"'{MXICT}' list | head -1; exit ${{PIPESTATUS[0]}}"],
        capture_output=True,
        env=process_env(),
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith(b"id\tname\t")
    assert proc.stderr == b""


def test_closed_stdout_and_stderr_descriptors() -> None:
    script = f"'{MXICT}' list >&-; echo \"$?\" >&2; '{MXICT}' show nope 2>&-; echo \"$?\""
    proc = subprocess.run(
        ["bash", "-c", script], capture_output=True, env=process_env(), timeout=30, check=False
    )
    assert proc.stderr == b"0\n"  # `list` with stdout closed: nothing to say, no crash
    assert proc.stdout == b"1\n"  # `show nope` with stderr closed: still exit 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_on_stdout_is_one_clean_line() -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [str(MXICT), "export-opportunities", "--format", "csv"],
            stdout=full,
            stderr=subprocess.PIPE,
            env=process_env(),
            timeout=30,
            check=False,
        )
    assert proc.returncode == 1
    assert proc.stderr == b"mxict: error: No space left on device\n"


# --------------------------------------------------------------------------- Ctrl-C


@pytest.fixture(scope="module")
def large_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data with 40 more copies of a project: megabytes of JSON to write."""
    import shutil

    target = tmp_path_factory.mktemp("large") / "data"
    shutil.copytree(DATA, target)
    template = (target / "projects" / "chetumal-smart-city.yaml").read_text(encoding="utf-8")
    for index in range(40):
        copy = template.replace("id: chetumal-smart-city", f"id: copy-{index}", 1)
        copy = copy.replace("name: Chetumal", f"name: Copy {index} of Chetumal", 1)
        (target / "projects" / f"copy-{index}.yaml").write_text(copy, encoding="utf-8")
    return target


@pytest.mark.parametrize("whole_group", [False, True], ids=["kill-pid", "ctrl-c-group"])
def test_sigint_exits_130_with_a_message(whole_group: bool, large_tree: Path) -> None:
    # 51 projects' opportunities as JSON are far more than a pipe holds; reading only
    # the first byte leaves mxict blocked in the middle of writing when the signal arrives.
    command = [str(MXICT), "--data-dir", str(large_tree), "export-opportunities", "--json"]
    subprocess.run(command, capture_output=True, env=process_env(), check=True)  # warm cache
    full = subprocess.run(command, capture_output=True, env=process_env(), check=True).stdout
    assert len(full) > 400_000  # several times what a pipe holds
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=process_env(),
        start_new_session=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.read(1) == b"["
    if whole_group:
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a shell does
    else:
        proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert stderr == b"mxict: interrupted\n"
    assert len(stdout) < len(full)  # it stopped early


def test_keyboard_interrupt_in_a_command_prints_interrupted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(self: Session) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Session, "snapshot", interrupted)
    assert run_main(monkeypatch, capsys, "list", "--json") == (130, "", "mxict: interrupted\n")


def test_an_unreadable_data_folder_is_one_clean_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_copy: Path
) -> None:
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        # Tests run as root, for whom chmod 000 changes nothing.
        if not isinstance(path, int) and Path(path).name == "projects":  # rmtree passes fds
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = run_main(
        monkeypatch, capsys, "--data-dir", str(data_copy), "--no-cache", "list"
    )
    assert (code, out) == (1, "")
    assert err == f"mxict: error: Permission denied: {str(data_copy / 'projects')!r}\n"


# --------------------------------------------------------------------------- the cache


@functools.cache
def expected_list() -> str:
    """`list --json` on the bundled data, computed without any cache."""
    result = run_cli("--no-cache", "list", "--json")
    assert result.exit_code == 0
    return result.stdout


@pytest.mark.parametrize("kind", ["file", "under-a-file", "dev-null", "read-only"])
def test_unusable_cache_directory_still_gives_correct_output(tmp_path: Path, kind: str) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    cache = {
        "file": blocker,
        "under-a-file": blocker / "cache",
        "dev-null": Path(os.devnull),
        "read-only": tmp_path / "ro",
    }[kind]
    if kind == "read-only":
        if os.geteuid() == 0:
            pytest.skip("root writes to read-only directories")
        cache.mkdir(mode=0o500)
    expected = expected_list()
    for _ in range(2):  # the second run would read what the first one wrote
        result = run_cli("list", "--json", env={"MXICT_CACHE_DIR": str(cache)})
        assert (result.exit_code, result.stderr) == (0, "")
        assert result.stdout == expected
    show = run_cli("show", "gignet-1", "--json", env={"MXICT_CACHE_DIR": str(cache)})
    assert show.exit_code == 0
    assert show.json()["id"] == "gignet-1"


def test_garbage_in_the_cache_is_ignored(tmp_path: Path) -> None:
    env = {"MXICT_CACHE_DIR": str(tmp_path)}
    expected = expected_list()
    assert run_cli("list", "--json", env=env).stdout == expected
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files
    for path in files:
        path.write_bytes(bytes(b ^ 0x5A for b in path.read_bytes()))
    assert run_cli("list", "--json", env=env).stdout == expected
    assert run_cli("show", "gignet-1", "--json", env=env).json()["id"] == "gignet-1"


def test_truncated_cache_records_are_ignored(tmp_path: Path) -> None:
    env = {"MXICT_CACHE_DIR": str(tmp_path)}
    assert run_cli("list", "--json", env=env).exit_code == 0
    for path in tmp_path.rglob("records*"):
        path.write_bytes(b"")
    result = run_cli("show", "gignet-1", "--json", env=env)
    assert result.json()["id"] == "gignet-1"


# --------------------------------------------------------------------------- the data


def test_unreadable_data_file_is_reported(monkeypatch: pytest.MonkeyPatch, data_copy: Path) -> None:
    target = data_copy / "projects" / "gignet-1.yaml"
    if os.geteuid() == 0:  # root reads anything: simulate chmod 000
        real = Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self.name == target.name:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    else:
        target.chmod(0)
    result = run_cli("--data-dir", str(data_copy), "--no-cache", "validate", "--format", "json")
    assert result.exit_code == 1
    [error] = result.json()["errors"]
    assert (error["rule"], error["message"]) == (
        "unreadable",
        "cannot read file: Permission denied",
    )
    assert error["file"].endswith("projects/gignet-1.yaml")
    listing = run_cli("--data-dir", str(data_copy), "--no-cache", "list")
    assert listing.exit_code == 1
    assert "gignet-1.yaml:1:1: cannot read file: Permission denied" in listing.stderr


@pytest.mark.parametrize("how", ["option", "environment"])
def test_missing_data_directory_is_a_usage_error(tmp_path: Path, how: str) -> None:
    missing = tmp_path / "nowhere"
    if how == "option":
        result = run_cli("--data-dir", str(missing), "list")
    else:
        result = run_cli("list", env={"MXICT_DATA_DIR": str(missing)})
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"mxict: error: data directory {str(missing)!r} (from ")
    assert result.stderr.endswith(") does not exist\n")


def test_data_directory_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    file = tmp_path / "data.yaml"
    file.write_text("x: 1\n", encoding="utf-8")
    result = run_cli("--data-dir", str(file), "list")
    assert result.exit_code == 2
    assert clean_error(result.stderr)


def test_empty_data_directory_is_a_clear_data_error(tmp_path: Path) -> None:
    result = run_cli("--data-dir", str(tmp_path), "--no-cache", "list")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("mxict: error: the data has 5 problem(s):\n")
    assert "data directory has no projects/ folder" in result.stderr
    report = run_cli("--data-dir", str(tmp_path), "--no-cache", "validate", "--format", "json")
    assert report.exit_code == 1
    assert {e["rule"] for e in report.json()["errors"]} == {"missing-dir", "missing-file"}


def test_data_directory_without_projects_lists_nothing(data_copy: Path) -> None:
    for path in (data_copy / "projects").iterdir():
        path.unlink()
    result = run_cli("--data-dir", str(data_copy), "--no-cache", "list", "--json")
    assert (result.exit_code, result.json()) == (0, [])


# --------------------------------------------------------------------------- locale


def test_c_locale_still_prints_spanish_names() -> None:
    env = process_env(LANG="C", LC_ALL="C")
    for name in ("PYTHONIOENCODING", "PYTHONUTF8", "PYTHONCOERCECLOCALE"):
        env.pop(name, None)
    proc = run_process("list", "--state", "queretaro", env=env)
    assert proc.returncode == 0
    assert "Querétaro Digital Hub" in proc.stdout.decode("utf-8")
    assert proc.stderr == b""


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "ascii"},
        {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
    ],
    ids=["ascii-io", "c-locale-no-utf8-mode"],
)
def test_an_ascii_only_stdout_gets_a_clear_error(env: dict[str, str]) -> None:
    environment = process_env(**env)
    if "PYTHONIOENCODING" not in env:
        environment.pop("PYTHONIOENCODING", None)
    proc = run_process("show", "queretaro-digital-hub", env=environment)
    stderr = proc.stderr.decode("ascii")
    assert proc.returncode == 1
    assert "Traceback" not in stderr
    assert stderr == (
        "mxict: error: cannot write '\\xe9' in the output encoding (ascii); "
        "use a UTF-8 locale or set PYTHONIOENCODING=utf-8\n"
    )


# --------------------------------------------------------------------------- narrow terminals


def first_column(table: str) -> str:
    """The text of a table's first column (below its header rule), folded pieces joined."""
    lines = table.splitlines()
    body = lines[lines.index(next(line for line in lines if line.startswith("─"))) + 1 :]
    return "".join(line.split("   ")[0].strip() for line in body)


@pytest.mark.parametrize("columns", ["20", "1", "0", "junk"])
def test_narrow_terminal_list_table(columns: str) -> None:
    result = run_cli("list", "--format", "table", env={"COLUMNS": columns})
    assert (result.exit_code, result.stderr) == (0, "")
    assert first_column(result.stdout) == "".join(IDS)
    if columns == "20":
        assert max(cell_len(line) for line in result.stdout.splitlines()) <= 20


@pytest.mark.parametrize(
    "args",
    [
        ("show", "gignet-1"),
        ("sectors", "show", "subsea"),
        ("country",),
        ("compare-value", "--format", "table"),
        ("filter-by-sector", "subsea", "--format", "table"),
    ],
)
def test_narrow_terminal_layouts(args: tuple[str, ...]) -> None:
    result = run_cli(*args, env={"COLUMNS": "20"})
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.strip()
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 20
    if args[0] == "show":
        words = " ".join(result.stdout.split())
        assert "GigNet-1: Submarine Cable – Florida to Cancun" in words
