"""The fast reader (rapidyaml) must build exactly what the exact reader (PyYAML) builds.

Its contract: `read_plain(text)` is None, or the exact reader finds no problem and builds
the same data and source references. Checked on every real and fixture file, on one
document per YAML construct, and on random documents written in every style PyYAML
emits, intact and damaged.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, DATA_FILES, FIXTURES, ROOT, run_cli
from mxict.dataset import loading
from mxict.reader import fast as yamlfast
from mxict.reader.exact import parse_text
from mxict.reader.fast import read_plain

DIFF = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def exact(text: str) -> Any:
    return parse_text(text, "x.yaml")  # every position: never the fast reader


def assert_agrees(text: str) -> Any:
    """The fast reader's result, after checking the contract against the exact reader."""
    fast = read_plain(text)
    if fast is not None:
        reference = exact(text)
        assert reference.problems == [], (text, reference.problems)
        assert fast == (reference.data, reference.source_refs), text
        assert _types(fast[0]) == _types(reference.data), text
    return fast


def _types(value: Any) -> Any:
    # `==` says True == 1 and 1 == 1.0; the types must agree too.
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value).__name__


def test_rapidyaml_is_installed_with_the_api_this_was_written_for() -> None:
    assert yamlfast.available()


RECORD_FILES = sorted(DATA.rglob("*.yaml")) + sorted(FIXTURES.rglob("*.yaml"))


@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_real_and_fixture_file_reads_the_same(path: Path) -> None:
    assert_agrees(path.read_text(encoding="utf-8"))


def test_most_real_records_take_the_fast_path() -> None:
    # Otherwise the speed is lost without a test failing: the subset must cover the data.
    projects = sorted((DATA / "projects").glob("*.yaml"))
    fast = [p.name for p in projects if assert_agrees(p.read_text(encoding="utf-8"))]
    assert len(fast) >= len(projects) // 3, fast
    assert "gignet-1.yaml" in fast


# One document per construct; `None` means the fast reader must leave it to the exact one.
CONSTRUCTS: list[tuple[str, str, bool]] = [
    ("plain map", "a: 1\nb: text\nc:\n  - x\n  - y\n", True),
    ("yaml 1.1 scalars", "a: yes\nb: No\nc: on\nd: ~\ne: null\nf: NULL\ng:\nh: 1_000\n", True),
    ("numbers", "a: 0x1f\nb: 012\nd: .5\ne: 1.\nf: -0\ng: .nan\nh: -.inf\n", True),
    ("base-60 numbers are refused by both readers", "c: 1:30\n", False),
    ("a scalar rapidyaml respells", "a: .NaN\n", False),
    # rapidyaml emits these as JSON numbers (-0.5); YAML 1.1 has no float `-.5`: text.
    ("signed dot numbers are text", "a: -.5\nb: -.0\nc:\n  - -.5\nd:\n  e: -.0 # c\n", True),
    ("json exponents are str in yaml 1.1", "a: 1e5\nb: 1.5e3\n", False),
    ("quoted look-alikes", "a: '123'\nb: \"true\"\nc: '2021-10-07'\nd: '~'\ne: ''\n", True),
    ("dates", "a: 2021-10-07\nb: 2021-10\nc: 2021\nd: 2021-10-07T10:00:00Z\n", True),
    ("impossible date", "a: 2021-02-30\n", False),
    ("long number", "a: " + "9" * 150 + "\n", False),
    ("value resolver", "a: =\n", False),
    ("resolvable keys", "2021: a\n~: b\ntrue: c\n1.5: d\n", True),
    ("folded and literal", "a: >-\n  one\n  two\n\n  three\nb: |\n  x\n   y\nc: |-\n  z\n", True),
    ("keep chomping", "a: |+\n  x\n\nb: 1\n", False),
    ("indentation indicator", "a: |2\n   x\n", False),
    ("multi-line plain", "a: one\n  two\n  three\nb: 'q\n  r'\nc: \"s\n\n  t\"\n", True),
    ("comments", "# head\na: 1 # tail\nb: x#y\n# end\n", True),
    ("empty flow", "a: []\nb: {}\n", True),
    ("flow sequence", "a: [1, b]\n", False),
    ("flow mapping", "a: {b: 1}\n", False),
    ("anchor and alias", "a: &x 1\nb: *x\n", False),
    ("alias in a list", "a: &x [1]\nb:\n  - *x\n", False),
    ("merge key", "base: {a: 1}\nother:\n  <<: {a: 1}\n", False),
    ("python tag", "a: !!python/object/apply:os.system [ls]\n", False),
    ("local tag", "a: !foo bar\n", False),
    ("tag on next line", "a:\n  !!str 1\n", False),
    ("explicit key", "? a\n: 1\n", False),
    ("duplicate key", "a: 1\nb: 2\na: 3\n", False),
    ("duplicate nested key", "a:\n  b: 1\n  b: {}\n", False),
    ("unprintable key", "\u200fa: 1\n", False),
    ("tab", "a:\t1\n", False),
    ("crlf", "a: 1\r\nb: 2\r\n", False),
    ("nel", "a: 1\x85b: 2\n", False),
    ("line separator", "a: x\u2028y\n", False),
    ("escapes", 'a: "x\\ty"\n', False),
    ("document marker", "---\na: 1\n", False),
    ("two documents", "a: 1\n---\nb: 2\n", False),
    ("directive", "%YAML 1.1\n---\na: 1\n", False),
    ("indicator start", "a: @x\n", False),
    ("backtick start", "a: `x\n", False),
    ("top-level list", "- a\n- b\n", False),
    ("top-level scalar", "just text\n", False),
    ("bad indentation", "a:\n  b: 1\n c: 2\n", False),
    ("two colons", "a: b: c\n", False),
    ("multi-line quoted key", "x: 'a\n  b': c\n", False),
    ("multi-line quoted key in a list", 'x:\n  - "a\n    b": c\n', False),
    ("multi-line quoted value", "x: 'a\n  b'\ny: \"c\n  d\"\n", True),
    ("unclosed quote", "a: 'b\n", False),
    ("deep", "a:\n" + "".join("  " * i + "- \n" for i in range(1, 80)), False),
    (
        "source refs",
        "sources:\n  - file: a.md\n    section: '1'\nx:\n  file: b\n  section: 2\n",
        True,
    ),
    ("accents", "nombre: Querétaro\nlugar: Cuidad Lázaro Cárdenas\nemoji: 😀\n", True),
]


@pytest.mark.parametrize(("name", "text", "fast"), CONSTRUCTS, ids=[c[0] for c in CONSTRUCTS])
def test_each_construct_reads_the_same_or_is_left_to_the_exact_reader(
    name: str, text: str, fast: bool
) -> None:
    result = assert_agrees(text)
    assert (result is not None) is fast, name


# Pieces of number spellings: YAML 1.1's float and int patterns, and near misses of them.
SIGNS = ("", "-", "+")
WHOLES = ("", "0", "1", "1_0", "_1", "00", "012", "0x1f", "0o7", "0b1", "1:20", "190:20:3")
FRACTIONS = ("", ".", ".5", ".5_", "._5", ".0", ".inf", ".Inf", ".INF", ".nan", ".NaN")
EXPONENTS = ("", "e+1", "E-1", "e1", "e+")


def test_every_number_spelling_reads_the_same() -> None:
    spellings = {
        sign + whole + fraction + exponent
        for sign in SIGNS
        for whole in WHOLES
        for fraction in FRACTIONS
        for exponent in EXPONENTS
    } - {""}
    wrong = []
    for spelling in sorted(spellings):
        # As a value, a list item, a nested value and a key.
        text = f"a: {spelling}\nb:\n  - {spelling}\nc:\n  d: {spelling} # c\n{spelling}: k\n"
        fast = read_plain(text)
        if fast is None:
            continue
        reference = exact(text)
        if reference.problems or repr(fast[0]) != repr(reference.data):
            wrong.append((spelling, fast[0], reference.data))
    assert wrong == []


def test_values_keep_their_yaml_types() -> None:
    result = read_plain("a: 2021-10-07\nb: yes\nc: '5'\nd: 5\ne: 1.5\nf: ~\ng: 0x10\n")
    assert result is not None
    assert result[0] == {
        "a": datetime.date(2021, 10, 7),
        "b": True,
        "c": "5",
        "d": 5,
        "e": 1.5,
        "f": None,
        "g": 16,
    }


def test_parse_errors_do_not_reach_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    # rapidyaml prints its errors on file descriptor 2 before raising.
    assert read_plain("a: [1, 2\nb: c: d\n") is None
    assert read_plain("a: b: c\n") is None
    assert capfd.readouterr().err == ""
    os.write(2, b"still here\n")  # and stderr is given back
    assert capfd.readouterr().err == "still here\n"


def test_other_threads_mean_the_exact_reader() -> None:
    # stderr cannot be silenced while another thread may be writing to it.
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert read_plain("a: 1\n") is None
    finally:
        release.set()
        thread.join()
    assert read_plain("a: 1\n") == ({"a": 1}, [])


def test_without_rapidyaml_everything_is_read_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlfast, "_RYML", False)
    assert not yamlfast.available()
    assert read_plain("a: 1\n") is None
    parsed = parse_text("a: 1\n", "x.yaml", all_positions=False, fast=True)
    assert (parsed.data, parsed.located) == ({"a": 1}, True)


# Random documents: nested data dumped in every PyYAML style. The hostile alphabet mostly
# tests the fall-back; the plain one (no escapes, tabs or no-break spaces) and prose
# test the fast path itself.
HOSTILE = "aZé9 -:#,'\"[]{}&*!|>?%@`~\n.+=_\\\t\u00a0ñ😀"
PLAIN = "aZé9 -:#,'\"[]{}&*!|>?%@`~\n.+=_ñ😀"
PROSE = "aZé9 .,;()$'\"-:/\nñ"  # what records are made of


def documents(alphabet: str) -> st.SearchStrategy[dict[str, Any]]:
    scalars = st.one_of(
        st.text(alphabet, max_size=12),
        st.sampled_from(["yes", "No", "null", "~", "", "0x1f", "012", "1:30", ".inf", "1e5"]),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=False, width=32),
        st.booleans(),
        st.none(),
        st.dates(),
    )
    keys = st.text(alphabet, min_size=1, max_size=8) | st.sampled_from(["file", "section"])
    return st.dictionaries(
        keys,
        st.recursive(
            scalars,
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
            max_leaves=12,
        ),
        min_size=1,
        max_size=6,
    )


DOCUMENTS = st.one_of(documents(HOSTILE), documents(PLAIN), documents(PROSE))
STYLES = st.fixed_dictionaries(
    {
        "default_flow_style": st.sampled_from([False, False, None]),
        "default_style": st.sampled_from([None, None, '"', "'", "|", ">"]),
        "width": st.sampled_from([20, 80, 1000]),
        "allow_unicode": st.sampled_from([True, True, False]),
        "indent": st.sampled_from([2, 4]),
    }
)


def spec_in_subset(text: str) -> bool:
    """The subset as its patterns define it, read plainly (in_subset finds it faster)."""
    framed = "\n" + text + "\n"
    return not (
        "\\" in text
        or "<<" in text
        or not text.replace("\n", " ").isprintable()
        or yamlfast.OUTSIDE_SUBSET_AT_NODE.search(framed)
        or yamlfast._DOCUMENT_MARK.search(framed)
    )


@DIFF
@given(document=DOCUMENTS, style=STYLES, damage=st.text(HOSTILE, max_size=3), at=st.integers())
def test_the_fast_screen_is_the_subset_its_patterns_define(
    document: dict[str, Any], style: dict[str, Any], damage: str, at: int
) -> None:
    text = yaml.safe_dump(document, sort_keys=False, **style)
    at %= len(text) + 1
    text = text[:at] + damage + text[at:]
    assert yamlfast.in_subset(text) == spec_in_subset(text), text


@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_fast_screen_agrees_on_every_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yamlfast.in_subset(text) == spec_in_subset(text)


@DIFF
@given(document=DOCUMENTS, style=STYLES)
def test_random_documents_read_the_same(document: dict[str, Any], style: dict[str, Any]) -> None:
    text = yaml.safe_dump(document, sort_keys=False, **style)
    assert_agrees(text)


@DIFF
@given(
    document=documents(PROSE),
    width=st.sampled_from([20, 80, 1000]),
    indent=st.sampled_from([2, 4]),
)
def test_random_prose_records_read_the_same(
    document: dict[str, Any], width: int, indent: int
) -> None:
    # Written as curators write: block style, Unicode as is. Most take the fast path.
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=width, indent=indent)
    assert_agrees(text)


@DIFF
@given(
    document=DOCUMENTS,
    style=STYLES,
    damage=st.lists(
        st.tuples(st.integers(0, 10_000), st.text(HOSTILE, min_size=1, max_size=3)),
        min_size=1,
        max_size=3,
    ),
)
def test_damaged_documents_read_the_same_or_are_left_alone(
    document: dict[str, Any], style: dict[str, Any], damage: list[tuple[int, str]]
) -> None:
    text = yaml.safe_dump(document, sort_keys=False, **style)
    for where, insert in damage:
        at = where % (len(text) + 1)
        text = text[:at] + insert + text[at:]
    assert_agrees(text)


def test_random_plain_documents_do_take_the_fast_path() -> None:
    # The differential tests above prove nothing if everything falls back.
    text = yaml.safe_dump(
        {"a": [1, "b", None, True], "c": {"d": "é 2021-10-07"}}, allow_unicode=True
    )
    assert read_plain(text) is not None


# In the process pool, where the fast reader runs: the same report as one process.


def validate_json(data: Path) -> dict[str, Any]:
    result = run_cli("--data-dir", str(data), "--no-cache", "validate", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    document: dict[str, Any] = result.json()
    return document


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send even a small tree to the process pool (its workers fork from this process)."""
    monkeypatch.setattr(loading, "PARALLEL_THRESHOLD", 1)


def hostile_tree(data_copy: Path) -> Path:
    projects = data_copy / "projects"
    for fixture in (FIXTURES / "invalid" / "projects").glob("*.yaml"):
        shutil.copy(fixture, projects / fixture.name)
    gignet = (projects / "gignet-1.yaml").read_text(encoding="utf-8")
    damaged = {
        "anchored": gignet.replace("sector: subsea", "sector: &s subsea\nsubsector: *s", 1),
        "tagged": gignet.replace("sector: subsea", "sector: !!python/name:os.system", 1),
        "duplicated": gignet.replace("sector: subsea", "sector: subsea\nsector: subsea", 1),
        "bad-indent": gignet.replace("  currency: USD", " currency: USD", 1),
        "same-name": gignet.replace("id: gignet-1", "id: same-name", 1),
        "unknown-sector": gignet.replace("id: gignet-1", "id: unknown-sector", 1),
    }
    (data_copy / "sectors" / "subsea.yaml").unlink()
    for name, text in damaged.items():
        (projects / f"{name}.yaml").write_text(text, encoding="utf-8")
    return data_copy


def test_the_pool_reports_exactly_what_one_process_reports(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = hostile_tree(data_copy)
    alone = validate_json(tree)
    assert {e["rule"] for e in alone["errors"]} >= {
        "alias",
        "unsafe-tag",
        "duplicate-key",
        "yaml-syntax",
        "duplicate-name",
        "unknown-sector",
        "unknown-source",
        "id-matches-file",
    }
    monkeypatch.setattr(loading, "PARALLEL_THRESHOLD", 1)
    assert validate_json(tree) == alone


def crash_in_a_worker(job: Any) -> Any:
    """Die like a segfaulting C++ parser would, on one file, in a worker process only."""
    if multiprocessing.parent_process() is not None and job.path.name == "gignet-1.yaml":
        os._exit(139)
    return REAL_LOAD_JOB(job)


REAL_LOAD_JOB = loading._load_job


def test_a_worker_that_dies_costs_the_pool_not_the_run(
    data_copy: Path, pooled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = validate_json(data_copy)
    monkeypatch.setattr(loading, "_load_job", crash_in_a_worker)
    checked = str(data_copy) + "/"
    assert validate_json(data_copy) == expected
    assert expected == {
        "valid": True,
        "checked": checked,
        "files_checked": DATA_FILES,
        "errors": [],
    }


def test_cross_record_errors_of_fast_read_files_are_located(data_copy: Path, pooled: None) -> None:
    # A fast-read file has no positions until a cross-record check needs one.
    text = (data_copy / "projects" / "gignet-1.yaml").read_text(encoding="utf-8")
    (data_copy / "projects" / "copy.yaml").write_text(text, encoding="utf-8")
    errors = validate_json(data_copy)["errors"]
    line = 1 + next(i for i, ln in enumerate(text.splitlines()) if ln.startswith("id:"))
    assert [(e["file"].rsplit("/", 1)[-1], e["line"], e["column"], e["rule"]) for e in errors] == [
        ("copy.yaml", line, 5, "id-matches-file"),
        ("gignet-1.yaml", line, 5, "unique-id"),
        ("gignet-1.yaml", line + 1, 7, "duplicate-name"),
    ]
