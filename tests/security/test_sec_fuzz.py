"""Fuzzing: mutated records and random command lines never make mxict raise.

Records start from the real gignet-1.yaml and are mutated (odd Unicode, wrong types, huge
numbers, missing and extra fields, raw text damage); command lines mix the real option
vocabulary with junk. Every run must end with exit 0, 1 or 2 and either output or a
clean error line; `run_cli` lets any exception escape, which fails the test.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile import FORBIDDEN, clean_error, load_record, write_record
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, run_cli

FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure is reproducible
    database=None,  # keep .hypothesis/ out of the repository
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
BASE = load_record(DATA / "projects" / "gignet-1.yaml")

SPECIAL_TEXT = [
    "",
    " ",
    "\x1b]8;;http://evil\x1b\\x\x1b]8;;\x1b\\",
    "[red]x[/red]",
    "[link=http://evil]y[/link]",
    "=HYPERLINK(1)",
    "+1",
    "-1",
    "@A1",
    "\t=1",
    "\u202eevil\u202c",
    "\u200f\u200e",
    "𝕄𝕖𝕩𝕚𝕔𝕠 😀",
    "Querétaro Ñandú",
    "a" * 5000,
    "null",
    "2021-02-30",
    "NaN",
]
odd_text = st.one_of(
    st.sampled_from(SPECIAL_TEXT),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 10**18, 1e308, -1e308, 2**63]),
)
leaves = st.one_of(st.none(), st.booleans(), numbers, odd_text)
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(odd_text, inner, max_size=3)
    ),
    max_leaves=6,
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside `data`."""
    if prefix:
        yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths(value, (*prefix, index))


ALL_PATHS = list(paths(BASE))


def get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def same_type_value(original: Any) -> st.SearchStrategy[Any]:
    """A replacement of the same kind, so the record often stays valid."""
    if isinstance(original, bool):
        return st.booleans()
    if isinstance(original, int):
        return st.integers(min_value=0, max_value=10**15)
    if isinstance(original, float):
        return st.floats(min_value=0, max_value=1e15)
    if isinstance(original, str):
        return odd_text
    return values


@st.composite
def mutated_records(draw: st.DrawFn, *, keep_types: bool) -> dict[str, Any]:
    """gignet-1 with a few mutations: same-typed odd values, or structural damage."""
    record = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(ALL_PATHS))
        try:
            parent, original = get(record, path[:-1]), get(record, path)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
        key = path[-1]
        if keep_types:
            if not isinstance(original, dict | list):
                parent[key] = draw(same_type_value(original))
            continue
        action = draw(st.sampled_from(["replace", "delete", "extra", "huge"]))
        if action == "replace":
            parent[key] = draw(values)
        elif action == "delete":
            del parent[key]
        elif action == "extra" and isinstance(original, dict):
            original[draw(odd_text)] = draw(values)
        elif action == "huge":
            parent[key] = draw(st.sampled_from([10**400, -(10**400), 1e308 * 10, "9" * 200]))
    return record


@pytest.fixture(scope="module")
def fuzz_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data with only gignet-1 among the projects (a small tree: fast runs)."""
    target = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(DATA, target)
    for path in (target / "projects").iterdir():
        if path.name != "gignet-1.yaml":
            path.unlink()
    return target


def check(result: Any) -> None:
    """Exit 0 with output, or 1/2 with a clean error line; nothing raw on stderr."""
    assert result.exit_code in (0, 1, 2), result.exit_code
    if result.exit_code:
        assert result.stderr == "" or clean_error(result.stderr), result.stderr[:300]
    assert "Traceback" not in result.stderr
    assert not FORBIDDEN.search(result.stderr)


@settings(FUZZ, max_examples=20)
@given(record=mutated_records(keep_types=True))
def test_odd_but_well_typed_records(fuzz_tree: Path, record: dict[str, Any]) -> None:
    write_record(fuzz_tree / "projects" / "gignet-1.yaml", record)
    data = ("--data-dir", str(fuzz_tree))
    report = run_cli(*data, "validate", "--format", "json")
    assert report.exit_code in (0, 1)
    assert report.json()["valid"] is (report.exit_code == 0)
    if report.exit_code:
        check(run_cli(*data, "list"))
        return
    for args in (
        ("list", "--format", "table"),
        ("list", "--format", "csv"),
        ("show", "gignet-1"),
        ("export-opportunities", "--format", "md"),
        ("changes", "--since", "1900", "--format", "table"),
    ):
        result = run_cli(*data, *args)
        check(result)
        assert result.exit_code == 0, (args, result.stderr)
        assert not FORBIDDEN.search(result.stdout), args


@settings(FUZZ, max_examples=20)
@given(record=mutated_records(keep_types=False))
def test_structurally_broken_records(fuzz_tree: Path, record: dict[str, Any]) -> None:
    write_record(fuzz_tree / "projects" / "gignet-1.yaml", record)
    data = ("--data-dir", str(fuzz_tree))
    report = run_cli(*data, "validate", "--format", "json")
    assert report.exit_code in (0, 1)
    for error in report.json()["errors"]:
        assert error["file"] and error["line"] >= 1 and error["column"] >= 1 and error["rule"]
    if report.exit_code == 0:  # damaged yet valid: it must also render
        check(run_cli(*data, "show", "gignet-1"))


RAW = (DATA / "projects" / "gignet-1.yaml").read_bytes()


@settings(FUZZ, max_examples=25)
@given(
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(RAW)),
            st.integers(min_value=0, max_value=40),
            st.binary(max_size=8)
            | st.sampled_from([b"&a ", b"*a", b"!!python/name:os.system ", b"[", b"{", b"\t"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_damaged_bytes(fuzz_tree: Path, edits: list[tuple[int, int, bytes]]) -> None:
    raw = RAW
    for start, length, insert in edits:
        raw = raw[:start] + insert + raw[start + length :]
    (fuzz_tree / "projects" / "gignet-1.yaml").write_bytes(raw)
    report = run_cli("--data-dir", str(fuzz_tree), "validate", "--format", "json")
    assert report.exit_code in (0, 1)
    check(run_cli("--data-dir", str(fuzz_tree), "validate", "--format", "github"))


COMMANDS = [
    "list",
    "show",
    "filter-by-sector",
    "export-opportunities",
    "compare-value",
    "sectors",
    "acronyms",
    "country",
    "search",
    "stale",
    "changes",
    "validate",
    "schema",
    "export",
]  # never `serve`: it would start a web server
OPTIONS = [
    "--sector",
    "-s",
    "--sponsor",
    "--state",
    "--status",
    "--min-value",
    "--max-value",
    "-q",
    "--sort",
    "--limit",
    "--format",
    "-f",
    "--json",
    "--fields",
    "--by",
    "--older-than",
    "--since",
    "--force",
    "-o",
    "--no-color",
    "--no-cache",
    "-h",
    "--version",
    "--",
]
VALUES = [
    "subsea",
    "A2",
    "a",
    "gignet-1",
    "show",
    "table",
    "json",
    "csv",
    "xlsx",
    "yaml",
    "github",
    "oc4ids",
    "-value_usd",
    "id,name,value_usd",
    ",,,",
    "0",
    "-1",
    "1e309",
    "nan",
    "inf",
    "2024",
    "2024-13",
    "0000",
    "1y",
    "99999999999d",
    "queretaro",
    "Querétaro",
    "out.csv",
    "out.xlsx",
    "sector",
    "state",
    "project",
    "[red]x[/red]",
    "\x1b[31m",
]
arguments = st.lists(
    st.one_of(
        st.sampled_from(COMMANDS),
        st.sampled_from(OPTIONS),
        st.sampled_from(VALUES),
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=8),
    ),
    max_size=7,
)


@settings(FUZZ, max_examples=60)
@given(args=arguments)
def test_random_command_lines(
    args: list[str], tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "serve" in args:
        return
    # Files a command may write land in a scratch folder, never in the repository.
    monkeypatch.chdir(tmp_path_factory.getbasetemp())
    result = run_cli(*args)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code)
    if result.exit_code:
        assert clean_error(result.stderr) or result.stderr == "", (args, result.stderr[:300])
    assert "Traceback" not in result.stderr
