"""The snapshot and validation caches: reused when nothing changed, rebuilt when anything did,
ignored when broken."""

from __future__ import annotations

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
