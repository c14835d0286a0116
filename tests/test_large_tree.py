"""A few hundred records: show, search, list and export-opportunities through the cache's
lookup table and record stream give what the whole records in memory give."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DATA, run_cli
from mxict.dataset.snapshot import Snapshot, build, fingerprint, load_snapshot
from mxict.errors import NotFound
from mxict.query import ProjectFilter, filter_projects
from mxict.query.search import search

SIZE = 300
SECTORS = ["terrestrial", "subsea", "data-centers", "smart-cities", "iot-ai"]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SIZE projects made from the real ones (ids out of file-name order on purpose)."""
    target = tmp_path_factory.mktemp("large") / "data"
    shutil.copytree(DATA, target)
    shutil.rmtree(target / "leads")  # they relate to the real projects, replaced here
    templates = []
    for path in sorted((target / "projects").glob("*.yaml")):
        templates.append(yaml.safe_load(path.read_text(encoding="utf-8")))
        path.unlink()
    for index in range(SIZE):
        record = dict(templates[index % len(templates)])
        # "p-1" sorts before "p.yaml"-style neighbours differently as an id and a file name.
        record["id"] = f"synth-{index % 7}-{index:04d}" if index % 3 else f"synth-{index}"
        record["name"] = f"{record['name']} #{index}"
        record["sector"] = SECTORS[index % len(SECTORS)]
        text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False)
        (target / "projects" / f"{record['id']}.yaml").write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def both(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Snapshot, Snapshot]:
    """The snapshot read from the cache, and the same one held whole in memory."""
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MXICT_CACHE_DIR", str(cache))
        load_snapshot(tree)
        cached = load_snapshot(tree)
    assert cached._folder is not None and cached._records is None
    in_memory = build(tree, None, fingerprint(tree))
    assert in_memory._records is not None
    return cached, in_memory


def test_show_finds_every_record_by_id_as_held_in_memory(both: tuple[Snapshot, Snapshot]) -> None:
    cached, in_memory = both
    ids = [p["id"] for p in in_memory.projects]
    assert [p["id"] for p in cached.projects] == ids
    assert cached.projects == in_memory.projects
    for record_id in ids:
        assert cached.project(record_id) == in_memory.project(record_id)
    assert cached.project("SYNTH-1-0001") == in_memory.project("synth-1-0001")


def test_an_unknown_id_suggests_the_same_ids(both: tuple[Snapshot, Snapshot]) -> None:
    cached, in_memory = both
    for wanted in ("synth-1-000", "synth-99999", "zzz", "synth-2"):
        with pytest.raises(NotFound) as from_cache:
            cached.project(wanted)
        with pytest.raises(NotFound) as from_memory:
            in_memory.project(wanted)
        assert str(from_cache.value) == str(from_memory.value)


def test_records_stream_in_the_order_held_in_memory(both: tuple[Snapshot, Snapshot]) -> None:
    cached, in_memory = both
    assert list(cached.iter_records()) == in_memory.records()
    some = in_memory.projects[::-17]  # any order in, catalog order out
    assert cached.full(some) == in_memory.full(some)


@pytest.mark.parametrize("text", ["fiber", "cable subsea", '"data center"', "queretaro 5"])
def test_search_gives_what_the_records_in_memory_give(
    both: tuple[Snapshot, Snapshot], text: str
) -> None:
    cached, in_memory = both
    assert search(cached, text) == search(in_memory, text)


@pytest.mark.parametrize(
    "flt",
    [
        ProjectFilter(sectors=["subsea"]),
        ProjectFilter(sectors=["a3", "iot"], statuses=["approved"]),
        ProjectFilter(states=["queretaro"], min_value=1_000_000),
        ProjectFilter(sponsors=["cfe"]),
        ProjectFilter(queries=["fiber"], sectors=["terrestrial"]),
        ProjectFilter(),
    ],
)
def test_filters_give_what_the_records_in_memory_give(
    both: tuple[Snapshot, Snapshot], flt: ProjectFilter
) -> None:
    cached, in_memory = both
    for full in (False, True):
        assert filter_projects(cached, flt, full=full) == filter_projects(in_memory, flt, full=full)
    wanted = filter_projects(in_memory, flt, full=True)
    expected = [r for r in in_memory.records() if r["id"] in {p["id"] for p in wanted}]
    assert wanted == expected  # whole records come in catalog order


def test_the_cli_gives_the_same_output_with_and_without_the_cache(tree: Path) -> None:
    commands: list[list[str]] = [
        ["show", "synth-4-0004", "--json"],
        ["search", "fiber", "--json"],
        ["export-opportunities", "--sector", "subsea", "--format", "csv"],
        ["list", "--json"],
        ["list", "-q", "cable", "--sector", "subsea", "--json"],
    ]
    for command in commands:
        cached = [run_cli("--data-dir", str(tree), *command) for _ in range(2)][-1]
        fresh = run_cli("--data-dir", str(tree), "--no-cache", *command)
        assert cached.exit_code == fresh.exit_code == 0, command
        assert cached.stdout == fresh.stdout, command
    shown: Any = run_cli("--data-dir", str(tree), "show", "synth-4-0004", "--json").json()
    assert shown["id"] == "synth-4-0004" and shown["name"].endswith("#4")
