"""Round three of hostile data and environments: directories mxict did not write, kills in
the middle of a write, a full $TMPDIR, signals and the process pool, a huge name."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hostile import process_env

from conftest import DATA, Run, run_cli

# Runs the console entry point after arming a trap that SIGKILLs the process at one step of
# a write: what a power cut or the OOM killer does, with no chance to clean up.
KILL_AT = """
import os, shutil, signal, sys
from pathlib import Path

step, argv = sys.argv[1], sys.argv[2:]


def die():
    os.kill(os.getpid(), signal.SIGKILL)


if step.startswith("no-exchange"):
    import mxict.exports.files
    mxict.exports.files.exchange = lambda first, second: False
    step = step.removeprefix("no-exchange:")
real_replace, real_rmtree, real_fsync = os.replace, shutil.rmtree, os.fsync
real_link = os.link


def replace(src, dst, **kw):
    real_replace(src, dst, **kw)
    if step == "aside" and str(dst).endswith(".old"):
        die()
    if step == "first-move":
        die()


def link(src, dst, **kw):
    real_link(src, dst, **kw)
    if step == "first-move":
        die()


def rmtree(path, *args, **kw):
    if step == "rmtree" and Path(path).name.startswith("."):  # ours, not pytest's
        die()
    real_rmtree(path, *args, **kw)


def fsync(fd):
    if step == "fsync":
        die()
    real_fsync(fd)


os.replace, os.link, shutil.rmtree, os.fsync = replace, link, rmtree, fsync
from mxict.cli.main import main
sys.argv = ["mxict", *argv]
main()
"""


def killed_at(step: str, *args: str, cwd: Path) -> int:
    """Run `mxict ARGS` in `cwd` with a SIGKILL armed at `step`; return its status."""
    proc = subprocess.run(
        [sys.executable, "-c", KILL_AT, step, *args],
        cwd=cwd,
        env=process_env(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    return proc.returncode


def mxict_in(cwd: Path, *args: str) -> Run:
    """Run `mxict ARGS` in `cwd`, in-process (the runs after a kill need no process)."""
    with contextlib.chdir(cwd):
        return run_cli(*args)


def hidden(folder: Path) -> list[str]:
    """The names in `folder` that start with a dot: mxict's temporaries, if any."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --------------------------------------------------------------------------- 6. --force on a folder


@pytest.mark.parametrize(
    "contents",
    [
        {"datapackage.json": '{"name": "my-package", "resources": []}', "notes.md": "mine"},
        {"datapackage.json": "{}", ".git/HEAD": "ref: refs/heads/main"},
        {"datapackage.json": "not json", "data.csv": "a,b"},
        {"datapackage.json": '{"name": "mxict", "resources": [{"path": "../x.csv"}]}'},
    ],
    ids=["frictionless-package", "git-checkout", "broken-descriptor", "path-outside"],
)
def test_force_replaces_only_a_folder_mxict_wrote(tmp_path: Path, contents: dict[str, str]) -> None:
    target = tmp_path / "package"
    for name, text in contents.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")
    result = run_cli("export", "datapackage", str(target), "--force")
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith(f"mxict: error: not replacing {str(target)!r}: ")
    for name, text in contents.items():
        assert (target / name).read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package"]


def test_force_refuses_an_export_with_a_file_added(tmp_path: Path) -> None:
    target = tmp_path / "package"
    assert run_cli("export", "datapackage", str(target)).exit_code == 0
    (target / "analysis.py").write_text("mine\n", encoding="utf-8")
    result = run_cli("export", "datapackage", str(target), "--force")
    assert result.exit_code == 1
    assert "'analysis.py', which mxict does not write" in result.stderr
    assert (target / "analysis.py").read_text(encoding="utf-8") == "mine\n"


# --------------------------------------------------------------------------- 7. a killed swap


@pytest.mark.parametrize("step", ["rmtree", "no-exchange:aside", "no-exchange:rmtree"])
def test_a_swap_killed_midway_is_repaired_by_the_next_run(tmp_path: Path, step: str) -> None:
    assert mxict_in(tmp_path, "export", "datapackage", "pkg").exit_code == 0
    before = (tmp_path / "pkg" / "datapackage.json").read_bytes()
    assert killed_at(step, "export", "datapackage", "pkg", "--force", cwd=tmp_path) == -9
    # The next run, even one that only asks, finds the export where it was.
    again = mxict_in(tmp_path, "export", "datapackage", "pkg")
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert (tmp_path / "pkg" / "datapackage.json").read_bytes() == before
    assert hidden(tmp_path) == []
    assert mxict_in(tmp_path, "export", "datapackage", "pkg", "--force").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


# --------------------------------------------------------------------------- 8. sqlite pairs


def test_sqlite_never_leaves_a_database_without_its_metadata(tmp_path: Path) -> None:
    # Killed between the two moves: whatever is there, a database is described.
    assert killed_at("first-move", "export", "sqlite", "x.db", cwd=tmp_path) == -9
    assert not (tmp_path / "x.db").exists()
    done = mxict_in(tmp_path, "export", "sqlite", "x.db", "--force")
    assert done.exit_code == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.db", "x.metadata.json"]


def test_sqlite_metadata_appearing_meanwhile_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mxict.exports.sqlite

    real = mxict.exports.sqlite.build_database

    def racing(tables: object, path: Path, *rest: object) -> None:
        (tmp_path / "x.metadata.json").write_text("theirs", encoding="utf-8")
        real(tables, path, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(mxict.exports.sqlite, "build_database", racing)
    result = run_cli("export", "sqlite", str(tmp_path / "x.db"))
    assert result.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.metadata.json"]
    assert (tmp_path / "x.metadata.json").read_text(encoding="utf-8") == "theirs"


def test_sqlite_counts_a_dangling_link_as_existing(tmp_path: Path) -> None:
    (tmp_path / "x.metadata.json").symlink_to(tmp_path / "nowhere")
    result = run_cli("export", "sqlite", str(tmp_path / "x.db"))
    assert result.exit_code == 2
    assert "'x.metadata.json' already exists" in result.stderr.replace(str(tmp_path) + "/", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.metadata.json"]


# --------------------------------------------------------------------------- 15. a full $TMPDIR


def test_sqlite_export_needs_no_room_in_tmpdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = Path(tempfile.gettempdir()).resolve()
    real_mkdtemp, real_mkstemp = tempfile.mkdtemp, tempfile.mkstemp

    def full(dir: object) -> None:
        where = Path(str(dir)).resolve() if dir is not None else temp
        if where == temp:
            raise OSError(errno.ENOSPC, "No space left on device", str(temp))

    def mkdtemp(suffix: object = None, prefix: object = None, dir: object = None) -> str:
        full(dir)
        return real_mkdtemp(suffix, prefix, dir)  # type: ignore[arg-type]

    def mkstemp(suffix: object = None, prefix: object = None, dir: object = None) -> object:
        full(dir)
        return real_mkstemp(suffix, prefix, dir)  # type: ignore[arg-type]

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    target = tmp_path / "out" / "x.db"
    target.parent.mkdir()
    try:
        result = run_cli("export", "sqlite", str(target))
    except OSError as exc:  # what main did: the error escaped as a traceback
        pytest.fail(f"traceback: {exc!r}")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.db", "x.metadata.json"]


def test_sqlite_in_a_full_folder_is_one_clean_line(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)],
            capture_output=True,
            check=False,
        ).returncode
    ):
        pytest.skip("needs a small file system (root and mount)")
    try:
        # A $TMPDIR with room for a little but not for the database: main crashed here.
        env = {**process_env(), "TMPDIR": str(mount)}
        proc = subprocess.run(
            [sys.executable, "-m", "mxict", "export", "sqlite", str(tmp_path / "x.db")],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        assert os.listdir(mount) == []
        inside = subprocess.run(
            [sys.executable, "-m", "mxict", "export", "sqlite", str(mount / "x.db")],
            env=process_env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert inside.returncode == 1
        assert inside.stderr == (
            f"mxict: error: cannot build the SQLite database in {str(mount)!r}: "
            "database or disk is full\n"
        )
        assert os.listdir(mount) == []
    finally:
        subprocess.run(["umount", str(mount)], check=False)


# --------------------------------------------------------------------------- 9. stale temporaries


@pytest.mark.parametrize(
    "args",
    [
        ("list", "-o", "out.csv", "--force"),
        ("export", "xlsx", "out.xlsx", "--force"),
        ("export", "sqlite", "out.db", "--force"),
    ],
    ids=["csv", "xlsx", "sqlite"],
)
def test_temporaries_of_a_killed_run_are_swept_by_the_next(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    assert killed_at("fsync", *args, cwd=tmp_path) == -9
    assert hidden(tmp_path) != []  # what the kill left
    done = mxict_in(tmp_path, *args)
    assert done.exit_code == 0, done.stderr
    assert hidden(tmp_path) == []


def test_a_live_process_temporaries_are_never_swept(tmp_path: Path) -> None:
    from mxict.atomic import sweep_stale

    live = tmp_path / f".out.csv.{os.getppid()}-abcdefgh.tmp"
    live.write_text("being written", encoding="utf-8")
    mine = tmp_path / f".out.csv.{os.getpid()}-abcdefgh.tmp"
    mine.write_text("being written", encoding="utf-8")
    lookalike = tmp_path / ".out.csv.notes.tmp"
    lookalike.write_text("a user's file", encoding="utf-8")
    old_style = tmp_path / ".out.csv.abcdefgh.tmp"  # earlier versions: swept once old
    old_style.write_text("", encoding="utf-8")
    assert sweep_stale(tmp_path, ".out.csv.") == []
    os.utime(old_style, (0, 0))
    assert sweep_stale(tmp_path, ".out.csv.") == [old_style.name]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [live.name, mine.name, lookalike.name]
    )


def test_snapshots_without_cache_do_not_pile_up(tmp_path: Path) -> None:
    code = (
        "import gc, tempfile\n"
        "from pathlib import Path\n"
        "from mxict.dataset.snapshot import load_snapshot\n"
        "temp = Path(tempfile.gettempdir())\n"
        "for _ in range(5):\n"
        "    snapshot = load_snapshot(use_cache=False)\n"
        "    assert snapshot.project('gignet-1')['id'] == 'gignet-1'\n"
        "    del snapshot\n"
        "gc.collect()\n"
        "print(len([p for p in temp.iterdir() if p.name.startswith('mxict-snapshot-')]))\n"
    )
    env = {**process_env(), "TMPDIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) <= 1
    assert os.listdir(tmp_path) == []  # and none once the process has ended


def test_a_full_cache_disk_leaves_no_partial_validation_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mxict.dataset.validation_cache import ValidationCache

    monkeypatch.setenv("MXICT_CACHE_DIR", str(tmp_path))
    cache = ValidationCache(tmp_path)
    cache.fresh = {"key": "value"}
    real = os.replace

    def full(src: str, dst: object) -> None:
        if ".validate." in str(src):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", full)
    cache.save()
    assert [p.name for p in tmp_path.iterdir()] == []
    # A partial file a killed run left (named by a process that is gone) is swept.
    (tmp_path / ".validate.999999999-abcdefgh.tmp").write_text("{", encoding="utf-8")
    monkeypatch.setattr(os, "replace", real)
    cache.save()
    assert [p.name for p in tmp_path.iterdir()] == [cache.path.name if cache.path else ""]


# --------------------------------------------------------------------------- 18-20. signals


@pytest.fixture(scope="module")
def pool_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data with 600 more projects: `validate` reads it with the process pool."""
    from conftest import DATA

    target = tmp_path_factory.mktemp("pool") / "data"
    shutil.copytree(DATA, target)
    template = (target / "projects" / "chetumal-smart-city.yaml").read_text(encoding="utf-8")
    for index in range(600):
        copy = template.replace("id: chetumal-smart-city", f"id: copy-{index}", 1)
        copy = copy.replace("name: Chetumal", f"name: Copy {index} of Chetumal", 1)
        (target / "projects" / f"copy-{index}.yaml").write_text(copy, encoding="utf-8")
    return target


def default_signals() -> None:
    """In the child: the stop signals as a terminal gives them (a test runner started in the
    background hands its children SIGINT ignored, which mxict rightly keeps)."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def children(pid: int) -> list[int]:
    """The child processes of `pid` (Linux)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:
        return []
    return [int(child) for child in text.split()]


def in_group(pgid: int) -> list[int]:
    """The live processes of process group `pgid` (Linux), zombies left out."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and int(fields[2]) == pgid:
                found.append(int(entry.name))
    return found


def validate_with_pool(pool_tree: Path) -> subprocess.Popen[bytes]:
    """`mxict validate` on the large tree, in its own process group, once its workers run."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "mxict", "--data-dir", str(pool_tree), "--no-cache", "validate"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=process_env(),
        start_new_session=True,
        preexec_fn=default_signals,
    )
    deadline = time.monotonic() + 60
    while len(children(proc.pid)) < 2 and time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        time.sleep(0.01)
    return proc


def finish(proc: subprocess.Popen[bytes], timeout: float = 30) -> tuple[int, bytes, bytes]:
    """Wait for `proc` and for its pipes to close (no worker holds them), and for its whole
    process group to be gone; whatever happened, kill what is left before returning."""
    try:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            return -1, b"", b"hung: the pipes stayed open"
        deadline = time.monotonic() + 10  # workers a dead parent takes with it: a moment
        while in_group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = in_group(proc.pid)
        return proc.returncode, out, err + (f"left running: {left}".encode() if left else b"")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


needs_linux = pytest.mark.skipif(
    not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
    reason="watches workers through /proc; the pool needs two cores",
)


@needs_linux
@pytest.mark.parametrize("delay", [0.0, 0.3, 0.6])
def test_ctrl_c_cancels_the_pool_cleanly(pool_tree: Path, delay: float) -> None:
    proc = validate_with_pool(pool_tree)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C at a terminal does: the whole group
    code, _, err = finish(proc)
    finished = b"ok: 650 files valid in " + bytes(pool_tree) + b"/\n"
    if code == 0:  # finished before the signal came: nothing to cancel
        assert err == finished, err
    elif err.startswith(finished):  # the report was out, the signal came while exiting
        # ... handled, or, once the interpreter had put the default handler back in its
        # last steps, ending the process as Ctrl-C ends any program.
        assert (code, err) in {
            (130, finished + b"mxict: interrupted\n"),
            (-signal.SIGINT, finished),
        }
    else:
        assert (code, err) == (130, b"mxict: interrupted\n")


@needs_linux
def test_workers_leave_ctrl_c_to_the_parent(pool_tree: Path) -> None:
    proc = validate_with_pool(pool_tree)
    for worker in children(proc.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker, signal.SIGINT)  # a worker raising here used to break the pool
    code, _, err = finish(proc)
    assert code == 0 and err.startswith(b"ok: 650 files valid"), err
    assert b"left running" not in err


@needs_linux
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_sigterm_of_the_main_process_ends_the_workers(pool_tree: Path, signum: int) -> None:
    proc = validate_with_pool(pool_tree)
    os.kill(proc.pid, signum)  # the main process alone, as `kill PID` does
    code, _, err = finish(proc)
    assert (code, err) == (128 + signum, b"mxict: terminated\n")


@needs_linux
def test_workers_die_with_a_killed_parent(pool_tree: Path) -> None:
    proc = validate_with_pool(pool_tree)
    workers = children(proc.pid)
    assert workers
    os.kill(proc.pid, signal.SIGKILL)
    code, _, err = finish(proc)  # `mxict validate | cat` ends: no worker holds the pipe
    assert (code, err) == (-signal.SIGKILL, b"")


# Sends SIGINT to the process while it imports MODULE, through the console script's entry
# point, the way Ctrl-C can land in the middle of start-up.
INTERRUPT_IMPORT = """
import os, signal, sys
from importlib.metadata import entry_points

module = sys.argv[1]


class Trap:
    def find_spec(self, name, path=None, target=None):
        if name == module:
            os.kill(os.getpid(), signal.SIGINT)
        return None


sys.meta_path.insert(0, Trap())
(entry,) = entry_points(group="console_scripts", name="mxict")
sys.argv = ["mxict", "list"]
sys.exit(entry.load()())
"""


# mxict.cli.projects: the module of `list`, imported only once its command is resolved
# (a command's module is imported only when that command runs).
@pytest.mark.parametrize("module", ["typer", "mxict.cli.app", "mxict.cli.projects"])
def test_ctrl_c_during_start_up_is_quiet(module: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", INTERRUPT_IMPORT, module],
        env=process_env(),
        preexec_fn=default_signals,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (proc.returncode, proc.stderr, proc.stdout) == (130, b"mxict: interrupted\n", b"")


# --------------------------------------------------------------------------- 21. huge fields


def test_a_huge_name_is_refused(data_copy: Path) -> None:
    path = data_copy / "projects" / "gignet-1.yaml"
    text = path.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("name: "))
    path.write_text(text.replace(name, "name: " + "a " * 900_000, 1), encoding="utf-8")
    result = run_cli("--data-dir", str(data_copy), "validate", "--format", "json")
    assert result.exit_code == 1
    errors = result.json()["errors"]
    assert [(e["path"], e["rule"]) for e in errors] == [("name", "range")]
    assert errors[0]["message"] == "String should have at most 200 characters"


@pytest.mark.parametrize("form", ["--json", "--format=table", "--format=csv"])
def test_search_output_per_hit_is_bounded(data_copy: Path, form: str) -> None:
    path = data_copy / "projects" / "gignet-1.yaml"
    text = path.read_text(encoding="utf-8")
    huge = ("cable" * 40 + " ") * 9_000  # 1.8 MB of one field, every word a hit
    path.write_text(text.replace("\nsummary: ", f"\nsummary: {huge}", 1), encoding="utf-8")
    started = time.monotonic()
    result = run_cli("--data-dir", str(data_copy), "--no-cache", "search", "cable", form)
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 20
    assert len(result.stdout) < 20_000  # a few dozen hits of a few hundred characters
    assert "gignet-1" in result.stdout


def test_serve_scratch_folders_of_a_killed_server_are_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mxict.dataset.layout import resolve_data_dir
    from mxict.exports.serve import prepare

    dead = subprocess.Popen(["true"])  # a process id that has ended
    dead.wait()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    left = tmp_path / f"mxict-serve-{dead.pid}-abcdefgh"
    left.mkdir()
    (left / "mxict.db").write_bytes(b"from a server killed with SIGKILL")
    files = prepare(resolve_data_dir(str(DATA)), use_cache=False)
    try:
        assert not left.exists()
        assert files.temporary is not None
        assert files.temporary.name.startswith(f"mxict-serve-{os.getpid()}-")
    finally:
        shutil.rmtree(files.temporary or tmp_path / "none", ignore_errors=True)
