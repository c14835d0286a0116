"""The snapshot and validation caches: reused when nothing changed, rebuilt when anything did,
ignored when broken."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from mxict.dataset import snapshot as snapshot_module
from mxict.dataset.snapshot import INDEX, LOOKUP, RECORDS, REFERENCE, SHAPE, load_snapshot


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


# ----------------------------------------------- `show ID` checks less than the key (#19)


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Each stat of every data file (the fingerprint's scan), as it happens."""
    calls: list[Path] = []
    real = snapshot_module._scan

    def counted(root: Path) -> tuple[str, str, list[str]]:
        calls.append(root)
        return real(root)

    monkeypatch.setattr(snapshot_module, "_scan", counted)
    return calls


def _show(data: Path, cache: Path, wanted: str, *args: str) -> Any:
    result = run_cli(
        "--data-dir", str(data), "show", wanted, *args, env={"MXICT_CACHE_DIR": str(cache)}
    )
    return result.json() if result.exit_code == 0 and "--json" in args else result


def _edit_in_place(path: Path, old: str, new: str) -> None:
    """Rewrite a file in place (same inode) with its mtime put back, as `cp -p` leaves it:
    only its change time tells."""
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_ino == before.st_ino


def _folder_stat(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_ino


def test_show_skips_the_scan_when_only_another_project_changed_in_place(
    data_copy: Path, cache: Path, scans: list[Path]
) -> None:
    assert len(load_snapshot(data_copy).projects) == 11  # builds the cache
    del scans[:]
    assert _show(data_copy, cache, "gignet-1", "--json")["id"] == "gignet-1"
    assert _show(data_copy, cache, "GigNet-1", "--json")["id"] == "gignet-1"
    assert scans == []
    projects = _folder_stat(data_copy / "projects")
    other = data_copy / "projects" / "chetumal-smart-city.yaml"
    _edit_in_place(other, "name: Chetumal Free", "name: Chetumal Freer")
    assert _folder_stat(data_copy / "projects") == projects
    # What show prints is not from that file: it answers without stating every file.
    assert _show(data_copy, cache, "gignet-1", "--json")["id"] == "gignet-1"
    assert scans == []
    # The edited record itself is checked, and a command that reads every record sees it.
    assert _show(data_copy, cache, "chetumal-smart-city", "--json")["name"].startswith(
        "Chetumal Freer"
    )
    assert len(scans) == 1
    assert _show(data_copy, cache, "gignet-1", "--json")["id"] == "gignet-1"
    assert len(scans) == 1  # the rebuilt cache is trusted as lightly again


def test_another_in_place_edit_is_seen_by_commands_that_read_every_record(
    data_copy: Path, cache: Path, scans: list[Path]
) -> None:
    assert _show(data_copy, cache, "gignet-1", "--json")["id"] == "gignet-1"
    other = data_copy / "projects" / "chetumal-smart-city.yaml"
    _edit_in_place(other, "name: Chetumal Free", "name: Chetumal Freer")
    del scans[:]
    assert _show(data_copy, cache, "gignet-1", "--json")["id"] == "gignet-1"
    assert scans == []
    env = {"MXICT_CACHE_DIR": str(cache)}
    listed = run_cli("--data-dir", str(data_copy), "list", "--json", env=env).json()
    assert next(p["name"] for p in listed if p["id"] == other.stem).startswith("Chetumal Freer")


def test_show_sees_its_own_file_edited_in_place_with_the_mtime_put_back(
    data_copy: Path, cache: Path, scans: list[Path]
) -> None:
    path = data_copy / "projects" / "gignet-1.yaml"
    assert _show(data_copy, cache, "gignet-1", "--json")["name"].endswith("Florida to Cancun")
    size = path.stat().st_size
    _edit_in_place(path, "Florida to Cancun", "Florida to Cancum")
    assert path.stat().st_size == size
    del scans[:]
    assert _show(data_copy, cache, "gignet-1", "--json")["name"].endswith("Florida to Cancum")
    assert len(scans) == 1
    for args in ([], ["--fields", "name"], ["--format", "yaml"]):
        assert "Florida to Cancum" in _show(data_copy, cache, "gignet-1", *args).stdout


def _add_project(data: Path) -> str:
    source = data / "projects" / "gignet-1.yaml"
    text = source.read_text(encoding="utf-8")
    (data / "projects" / "gignet-2.yaml").write_text(
        text.replace("id: gignet-1", "id: gignet-2").replace("GigNet-1:", "GigNet-2:"),
        encoding="utf-8",
    )
    return "gignet-2"


def _replace_by_rename(data: Path) -> str:
    # As an editor that writes a new file and renames it over the old one.
    path = data / "projects" / "chetumal-smart-city.yaml"
    temp = path.with_name(".chetumal-smart-city.yaml.tmp")
    temp.write_text(
        path.read_text(encoding="utf-8").replace("name: Chetumal Free", "name: Chetumal Freer"),
        encoding="utf-8",
    )
    os.replace(temp, path)
    return "Chetumal Freer"


def _edit_lead(data: Path) -> str:
    _edit_in_place(
        data / "leads" / "caribbean-express-subsea-cable.yaml",
        "name: CaribbeanExpress subsea",
        "name: CaribbeanExpresz subsea",
    )
    return "CaribbeanExpresz"


def _edit_sector(data: Path) -> str:
    _edit_in_place(
        data / "sectors" / "subsea.yaml",
        "title: Subsea Communications",
        "title: Subsea Communicationz",
    )
    return "Subsea Communicationz"


def _edit_sources(data: Path) -> str:
    _edit_in_place(
        data / "sources.yaml", '"ICT Resource Guide - Mexico"', '"ICT Resource Guide - Mexicp"'
    )
    return "ICT Resource Guide - Mexicp"


@pytest.mark.parametrize(
    ("change", "seen"),
    [
        (_add_project, lambda snap, word: snap.count == 12 and snap.project(word)),
        (lambda data: (data / "projects" / "tabasco-telecom-master-plan.yaml").unlink(), None),
        (_replace_by_rename, lambda snap, word: "Chetumal Freer" in str(snap.projects)),
        (_edit_lead, lambda snap, word: word in str(snap.leads)),
        (_edit_sector, lambda snap, word: word in str(snap.sectors)),
        (_edit_sources, lambda snap, word: word in str(snap.sources)),
    ],
    ids=["add-project", "remove-project", "rename-over", "lead", "sector", "sources"],
)
def test_show_sees_files_added_removed_renamed_and_the_small_files_edited(
    data_copy: Path, cache: Path, scans: list[Path], change: Any, seen: Any
) -> None:
    load_snapshot(data_copy)
    del scans[:]
    assert load_snapshot(data_copy, one_record="gignet-1").project("gignet-1")["id"] == "gignet-1"
    assert scans == []
    word = change(data_copy)
    snap = load_snapshot(data_copy, one_record="gignet-1")
    assert len(scans) == 1  # the light check failed: the fingerprint was checked
    assert snap.project("gignet-1")["id"] == "gignet-1"
    if seen is None:  # the removed project
        assert snap.count == 10
    else:
        assert seen(snap, word)


def test_show_of_a_lead_reflects_its_edit_and_a_project_its_leads(
    data_copy: Path, cache: Path, scans: list[Path]
) -> None:
    lead = "caribbean-express-subsea-cable"
    assert lead in _show(data_copy, cache, "gignet-1", "--json")["related_leads"]
    assert _show(data_copy, cache, lead, "--json")["name"].startswith("CaribbeanExpress")
    del scans[:]
    _edit_lead(data_copy)
    assert _show(data_copy, cache, lead, "--json")["name"].startswith("CaribbeanExpresz")
    assert len(scans) == 1
    assert _show(data_copy, cache, lead, "--json")["name"].startswith("CaribbeanExpresz")
    assert len(scans) == 1  # and the lead is then answered lightly
    assert "CaribbeanExpresz" in _show(data_copy, cache, "gignet-1").stdout  # the layout


def test_show_of_an_unknown_id_checks_everything_and_suggests(
    data_copy: Path, cache: Path, scans: list[Path]
) -> None:
    load_snapshot(data_copy)
    del scans[:]
    result = _show(data_copy, cache, "gignet-9", "--json")
    assert result.exit_code == 1
    assert "no project or lead 'gignet-9'; did you mean 'gignet-1'?" in result.stderr
    assert len(scans) == 1
    added = _add_project(data_copy)
    assert _show(data_copy, cache, added, "--json")["id"] == added


def test_a_folder_changed_without_the_data_costs_one_scan(
    data_copy: Path, cache: Path, scans: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_snapshot(data_copy)
    stray = data_copy / "projects" / ".gignet-1.yaml.swp"  # an editor's, made and removed
    stray.write_text("", encoding="utf-8")
    stray.unlink()
    del scans[:]

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("the data did not change: nothing to rebuild")

    monkeypatch.setattr(snapshot_module, "build", boom)
    for _ in range(3):
        assert _show(data_copy, cache, "gignet-1", "--json")["id"] == "gignet-1"
    assert len(scans) == 1  # the first found the key current and recorded the new shape


def test_a_file_edited_during_a_build_is_seen_as_changed(
    data_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mxict.dataset import crosscheck

    path = data_copy / "projects" / "gignet-1.yaml"
    real = crosscheck.cross_check

    def edited_once_read(*args: Any, **kwargs: Any) -> Any:
        # Every file has been read: an edit now is not in the cache being built.
        if "Cancum" not in path.read_text(encoding="utf-8"):
            _edit_in_place(path, "Florida to Cancun", "Florida to Cancum")
        return real(*args, **kwargs)

    monkeypatch.setattr(crosscheck, "cross_check", edited_once_read)
    assert _show(data_copy, cache, "gignet-1", "--json")["name"].endswith("Florida to Cancun")
    assert _show(data_copy, cache, "gignet-1", "--json")["name"].endswith("Florida to Cancum")


@pytest.mark.parametrize("damaged", [INDEX, LOOKUP, SHAPE, RECORDS, REFERENCE])
def test_show_answers_from_a_damaged_cache(data_copy: Path, cache: Path, damaged: str) -> None:
    assert _show(data_copy, cache, "gignet-1", "--json")["id"] == "gignet-1"
    (path,) = cache.glob(f"snapshot-*/{damaged}")
    size = path.stat().st_size
    path.write_bytes(b"x" * size)  # as long, so offsets still fall inside it
    for wanted in ("gignet-1", "tabasco-telecom-master-plan", "caribbean-express-subsea-cable"):
        assert _show(data_copy, cache, wanted, "--json")["id"] == wanted
    result = _show(data_copy, cache, "gignet-9", "--json")
    assert "did you mean 'gignet-1'?" in result.stderr


def test_a_stamp_that_does_not_match_falls_back(
    data_copy: Path, cache: Path, scans: list[Path]
) -> None:
    assert _show(data_copy, cache, "gignet-1", "--json")["id"] == "gignet-1"
    (lookup,) = cache.glob(f"snapshot-*/{LOOKUP}")
    table = lookup.read_bytes()
    line = next(line for line in table.split(b"\n") if line.startswith(b"gignet-1 "))
    stamp = line.split()[3]  # folded id, start, length, stamp, id
    assert len(stamp) == 8
    lookup.write_bytes(table.replace(line, line.replace(b" " + stamp + b" ", b" 00000000 ")))
    del scans[:]
    assert _show(data_copy, cache, "gignet-1", "--json")["id"] == "gignet-1"
    assert len(scans) == 1
