"""The snapshot and validation caches: reused when nothing changed, rebuilt when anything did,
ignored when broken."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_cli
from mxict.dataset import snapshot as snapshot_module
from mxict.dataset.snapshot import load_snapshot


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MXICT_CACHE_DIR", str(folder))
    return folder


def test_second_load_reads_the_cache_without_validating(
    data_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_snapshot(data_copy)
    assert len(first.projects) == 11

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(snapshot_module, "build", boom)
    again = load_snapshot(data_copy)
    assert again.projects == first.projects
    assert again.project("gignet-1")["value"]["as_printed"] == "$38 Million"


def test_a_changed_added_or_removed_file_rebuilds(data_copy: Path, cache: Path) -> None:
    load_snapshot(data_copy)
    path = data_copy / "projects" / "gignet-1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'name: "GigNet-1: Submarine Cable – Florida to Cancun"', 'name: "GigNet-1 renamed"'
        ),
        encoding="utf-8",
    )
    assert load_snapshot(data_copy).project("gignet-1")["name"] == "GigNet-1 renamed"
    copy = data_copy / "projects" / "gignet-2.yaml"
    copy.write_text(
        path.read_text(encoding="utf-8")
        .replace("id: gignet-1", "id: gignet-2")
        .replace("GigNet-1 renamed", "GigNet-2"),
        encoding="utf-8",
    )
    assert len(load_snapshot(data_copy).projects) == 12
    copy.unlink()
    assert len(load_snapshot(data_copy).projects) == 11


def test_corrupt_or_unwritable_cache_is_ignored(data_copy: Path, cache: Path) -> None:
    load_snapshot(data_copy)
    for index in cache.glob("snapshot-*/index.json"):
        index.write_text("{not json", encoding="utf-8")
    assert len(load_snapshot(data_copy).projects) == 11
    blocker = cache.parent / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    os.environ["MXICT_CACHE_DIR"] = str(blocker / "inside")
    assert len(load_snapshot(data_copy).projects) == 11
    result = run_cli(
        "--data-dir",
        str(data_copy),
        "list",
        "--json",
        env={"MXICT_CACHE_DIR": str(blocker / "inside")},
    )
    assert result.exit_code == 0 and len(result.json()) == 11


def test_no_cache_flag_bypasses_it(data_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "fresh-cache"
    result = run_cli(
        "--data-dir",
        str(data_copy),
        "--no-cache",
        "list",
        "--json",
        env={"MXICT_CACHE_DIR": str(folder)},
    )
    assert result.exit_code == 0
    assert not folder.exists() or not any(folder.glob("snapshot-*"))


def test_validate_reuses_unchanged_results_and_sees_changes(
    data_copy: Path, tmp_path: Path
) -> None:
    env = {"MXICT_CACHE_DIR": str(tmp_path / "vcache")}
    assert run_cli("--data-dir", str(data_copy), "validate", env=env).exit_code == 0
    assert list((tmp_path / "vcache").glob("validate-*.json"))
    path = data_copy / "projects" / "gignet-1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("sector: subsea", "sector: seabed"),
        encoding="utf-8",
    )
    for _ in range(2):  # the second run answers from the cache, with the same error
        result = run_cli("--data-dir", str(data_copy), "validate", "--format", "json", env=env)
        assert result.exit_code == 1
        assert [(e["rule"], e["path"]) for e in result.json()["errors"]] == [("enum", "sector")]


# --------------------------------------------------------------------------- cache keys (#22)


def test_one_data_directory_is_one_cache_whatever_its_spelling(
    data_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_snapshot(data_copy)
    link = data_copy.parent / "linked"
    link.symlink_to(data_copy)
    monkeypatch.chdir(data_copy.parent)

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(snapshot_module, "build", boom)
    for spelling in ("data", "./data", "data/", str(data_copy), "linked", "./linked/../data"):
        assert len(load_snapshot(spelling).projects) == 11, spelling
    assert len(list(cache.glob("snapshot-*"))) == 1


def test_an_edit_whose_mtime_is_put_back_is_seen(data_copy: Path, cache: Path) -> None:
    path = data_copy / "projects" / "gignet-1.yaml"
    before = path.stat()
    assert load_snapshot(data_copy).project("gignet-1")["name"].endswith("Florida to Cancun")
    # Same size, same mtime (as `cp -p`, `rsync -a`, `tar x` or `touch -r` leave it).
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Florida to Cancun", "Florida to Cancum"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert load_snapshot(data_copy).project("gignet-1")["name"].endswith("Florida to Cancum")
    result = run_cli("--data-dir", str(data_copy), "show", "gignet-1", "--json")
    assert result.json()["name"].endswith("Florida to Cancum")


def test_lowering_the_file_size_limit_is_not_answered_from_the_caches(
    data_copy: Path, tmp_path: Path
) -> None:
    env = {"MXICT_CACHE_DIR": str(tmp_path / "limits")}
    assert run_cli("--data-dir", str(data_copy), "validate", env=env).exit_code == 0
    assert run_cli("--data-dir", str(data_copy), "list", "--json", env=env).exit_code == 0
    small = {**env, "MXICT_MAX_FILE_BYTES": "1000"}  # smaller than every project file
    result = run_cli("--data-dir", str(data_copy), "validate", "--format", "json", env=small)
    assert result.exit_code == 1
    assert "file-too-large" in {error["rule"] for error in result.json()["errors"]}
    assert run_cli("--data-dir", str(data_copy), "list", "--json", env=small).exit_code == 1
    assert run_cli("--data-dir", str(data_copy), "list", "--json", env=env).exit_code == 0


def test_an_unchanged_validate_writes_nothing(data_copy: Path, tmp_path: Path) -> None:
    env = {"MXICT_CACHE_DIR": str(tmp_path / "still")}
    assert run_cli("--data-dir", str(data_copy), "validate", env=env).exit_code == 0
    (results,) = (tmp_path / "still").glob("validate-*.json")
    first = results.stat()
    assert run_cli("--data-dir", str(data_copy), "validate", env=env).exit_code == 0
    again = results.stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    assert sorted(p.name for p in (tmp_path / "still").iterdir()) == [results.name]


def _file_size_limited(limit: int) -> None:
    import resource
    import signal

    # Past the limit a write fails with EFBIG instead of killing the process, as a full
    # disk fails with ENOSPC.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX resource limits")
def test_a_full_cache_disk_answers_without_the_cache(data_copy: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    cache_folder = tmp_path / "full"
    env = {
        **os.environ,
        "MXICT_CACHE_DIR": str(cache_folder),
        "TMPDIR": str(tmp_path / "tmp"),  # as full as the cache: nowhere to write
    }
    (tmp_path / "tmp").mkdir()
    for args in (["list", "--json"], ["show", "gignet-1", "--json"], ["validate"]):
        done = subprocess.run(
            [sys.executable, "-m", "mxict", "--data-dir", str(data_copy), *args],
            capture_output=True,
            text=True,
            env=env,
            preexec_fn=lambda: _file_size_limited(20_000),
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr and "error" not in done.stderr
    listed = run_cli("--data-dir", str(data_copy), "list", "--json").json()
    assert (
        json.loads(
            subprocess.run(
                [sys.executable, "-m", "mxict", "--data-dir", str(data_copy), "list", "--json"],
                capture_output=True,
                text=True,
                env=env,
                preexec_fn=lambda: _file_size_limited(20_000),
                check=True,
            ).stdout
        )
        == listed
    )
    left = [p.name for p in cache_folder.rglob("*") if p.name.startswith(".")]
    assert left == [] and list((tmp_path / "tmp").iterdir()) == []


def test_stale_building_folders_are_swept(data_copy: Path, cache: Path) -> None:
    import subprocess
    import sys
    import zlib

    cache.mkdir(parents=True)
    host = f"{zlib.crc32(os.uname().nodename.encode()):08x}"
    dead_pid = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_pid.wait()  # gone: its pid names no process (until reused, long after this test)
    dead = cache / f".building-{host}-{dead_pid.pid}-abc123"
    alive = cache / f".building-{host}-{os.getppid()}-def456"  # a running builder
    elsewhere = cache / f".building-0badc0de-{dead_pid.pid}-ghi789"  # another machine's
    old = cache / ".building-killed-long-ago"
    for folder in (dead, alive, elsewhere, old):
        folder.mkdir()
        (folder / "records.jsonl").write_text("{}\n", encoding="utf-8")
    os.utime(old, (0, 0))
    load_snapshot(data_copy)
    assert sorted(p.name for p in cache.glob(".building-*")) == sorted([alive.name, elsewhere.name])
