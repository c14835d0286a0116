"""Hostile YAML: code-running tags, alias bombs, deep nesting, huge files and numbers,
broken encodings. Each is a located error from `mxict validate`, quickly, never a crash."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hostile import run_process

from conftest import DATA, FIXTURES, run_cli
from mxict.atomic import temp_prefix

MINIMAL = (FIXTURES / "valid" / "projects" / "minimal-project.yaml").read_text(encoding="utf-8")


def with_field(field: str, value: str) -> str:
    """The minimal valid record with one top-level field's line replaced."""
    return re.sub(rf"^{field}: .*$", f"{field}: {value}", MINIMAL, count=1, flags=re.M)


def record(tmp_path: Path, text: str | bytes, name: str = "minimal-project") -> Path:
    """A project file at tmp/projects/NAME.yaml (the folder tells validate its kind)."""
    folder = tmp_path / "projects"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _context() -> Path:
    """A small data directory that the record's sector and source resolve against; it keeps
    each `validate PATH` from re-reading the whole bundled dataset for cross-checks."""
    root = Path(tempfile.mkdtemp(prefix=temp_prefix("mxict-test-context-")))
    (root / "sectors").mkdir()
    shutil.copy(DATA / "sectors" / "subsea.yaml", root / "sectors")
    shutil.copy(DATA / "sources.yaml", root)
    return root


CONTEXT = _context()
atexit.register(shutil.rmtree, CONTEXT, ignore_errors=True)


def validate_cli(path: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    """`mxict validate PATH ARGS`, cross-checked against the small context directory."""
    return run_cli("--data-dir", str(CONTEXT), "validate", str(path), *args, env=env)


# Not a speed target (those are `make bench`'s): an exponential blow-up or a hang takes
# minutes, a loaded 2-core machine a few seconds; only the first is a failure here.
HANG_SECONDS = 20


def validate(path: Path, **env: str) -> tuple[int, list[dict[str, Any]], float]:
    """`mxict validate PATH --format json`: exit code, errors, seconds taken."""
    start = time.perf_counter()
    result = validate_cli(path, "--format", "json", env=env or None)
    elapsed = time.perf_counter() - start
    document = result.json()
    assert document["valid"] is (result.exit_code == 0)
    return result.exit_code, document["errors"], elapsed


def rules(errors: list[dict[str, Any]]) -> list[str]:
    return [e["rule"] for e in errors]


# --------------------------------------------------------------------------- tags


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.mkdir",
        "!!python/object/new:os.mkdir",
        "!<tag:yaml.org,2002:python/object/apply:os.mkdir>",
    ],
)
def test_python_tags_are_rejected_and_never_run(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    payload = f"{tag} [{str(marker)!r}]"
    # Control: the same document really runs code under PyYAML's unsafe loader.
    control = tmp_path / "control"
    yaml.unsafe_load(f"x: {tag} [{str(control)!r}]")
    assert control.is_dir()
    path = record(tmp_path, with_field("background", payload))
    code, errors, _ = validate(path)
    assert code == 1
    assert rules(errors) == ["unsafe-tag"]
    assert (errors[0]["line"], errors[0]["column"]) == (16, 13)
    assert "is not allowed" in errors[0]["message"]
    assert not marker.exists()


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("!!python/name:os.system", "unsafe-tag"),
        ("!!python/module:os", "unsafe-tag"),
        ("!custom thing", "unsafe-tag"),
        ("!!binary aGVsbG8=", "unsafe-tag"),
        ("!!set {a, b}", "unsafe-tag"),
        ("!!omap [a: 1]", "unsafe-tag"),
    ],
)
def test_other_non_core_tags_are_rejected(tmp_path: Path, value: str, rule: str) -> None:
    path = record(tmp_path, with_field("background", value))
    code, errors, _ = validate(path)
    assert code == 1
    assert rules(errors) == [rule]
    assert errors[0]["line"] == 16


# --------------------------------------------------------------------------- bombs and depth

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)
)


def test_billion_laughs_fails_fast(tmp_path: Path) -> None:
    code, errors, elapsed = validate(record(tmp_path, BILLION_LAUGHS))
    assert code == 1
    assert rules(errors) == ["alias"]
    assert (errors[0]["line"], errors[0]["column"]) == (1, 4)
    assert elapsed < HANG_SECONDS


def test_merge_keys_are_rejected(tmp_path: Path) -> None:
    code, errors, _ = validate(record(tmp_path, "base: {a: 1}\nother:\n  <<: {a: 1}\n"))
    assert code == 1
    assert rules(errors) == ["alias"]


DEEP = 10_000


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("x: " + "[" * DEEP + "]" * DEEP + "\n", (1, 68)),
        ("x: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n", (1, 257)),
        ("".join(" " * i + "a:\n" for i in range(600)) + " " * 600 + "a: 1\n", (65, 65)),
        ("- " * DEEP + "1\n", (1, 131)),
        ("#\r" + "- " * DEEP + "1\n", (2, 131)),  # a CR line break must not hide the depth
    ],
    ids=["sequences", "mappings", "indented-mappings", "compact-sequences", "cr-breaks"],
)
def test_deep_nesting_fails_fast_and_located(
    tmp_path: Path, text: str, where: tuple[int, int]
) -> None:
    code, errors, elapsed = validate(record(tmp_path, text))
    assert code == 1
    assert rules(errors) == ["too-deep"]
    assert (errors[0]["line"], errors[0]["column"]) == where
    assert errors[0]["message"] == "nesting deeper than 64 levels"
    assert elapsed < HANG_SECONDS


def test_nesting_that_crashed_libyaml_is_refused_in_a_real_process(tmp_path: Path) -> None:
    # 200,000 levels fit in 400 KB; libyaml's recursive composer used to segfault on them.
    path = record(tmp_path, "- " * 200_000 + "1\n")
    start = time.perf_counter()
    proc = run_process("validate", str(path), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    assert [e["rule"] for e in yaml.safe_load(proc.stdout)["errors"]] == ["too-deep"]
    assert proc.stderr == b""
    assert time.perf_counter() - start < HANG_SECONDS


def test_pure_python_loader_also_stops_deep_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without libyaml the composer is recursive Python: RecursionError must not escape.
    from mxict.reader import rules

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    from mxict.reader.exact import parse_text

    monkeypatch.setattr(rules, "_LOADER", None)
    for text in ("[" * 3000 + "]" * 3000, "x: " + "[" * 600 + "]" * 600, "[" * 300 + "]" * 300):
        parsed = parse_text(text, "deep.yaml")
        assert [p.rule for p in parsed.problems] == ["too-deep"]


# --------------------------------------------------------------------------- size and numbers


def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = record(tmp_path, MINIMAL)
    size = path.stat().st_size
    code, errors, _ = validate(path, MXICT_MAX_FILE_BYTES="100")
    assert code == 1
    assert rules(errors) == ["file-too-large"]
    assert errors[0]["message"] == f"file is {size} bytes, over the 100-byte limit"
    assert validate(path)[0] == 0  # the default limit lets a real record through


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("9" * 5000, "bad-number"),  # int() refuses > 4300 digits (ValueError)
        ("1" + ":59" * 50_000, "bad-number"),  # YAML 1.1 base 60: minutes of CPU
        ("0x" + "f" * 200, "bad-number"),
        ("2021-02-30", "bad-date"),
        ("0000-01-01", "bad-date"),
        ("2021-01-01 25:61:61", "bad-date"),
        ("0b_", "bad-number"),
    ],
    ids=["long-int", "base-60", "long-hex", "feb-30", "year-0", "bad-time", "empty-binary"],
)
def test_numbers_and_dates_that_cannot_be_built_are_located_errors(
    tmp_path: Path, value: str, rule: str
) -> None:
    text = with_field("last_verified", value)
    code, errors, elapsed = validate(record(tmp_path, text))
    assert code == 1
    assert rules(errors) == [rule]
    assert (errors[0]["line"], errors[0]["column"]) == (45, 16)
    assert elapsed < HANG_SECONDS


# --------------------------------------------------------------------------- encodings


def test_non_utf8_bytes_are_reported_with_the_file_and_position(tmp_path: Path) -> None:
    path = record(tmp_path, b"id: x\nname: Quer\xe9taro\n", name="latin1")
    code, errors, _ = validate(path)
    assert code == 1
    assert errors == [
        {
            "file": errors[0]["file"],
            "line": 2,
            "column": 11,
            "path": "",
            "rule": "encoding",
            "message": "not valid UTF-8 (byte 0xe9)",
        }
    ]
    assert errors[0]["file"].endswith("projects/latin1.yaml")
    text = validate_cli(path)
    assert text.exit_code == 1
    assert "latin1.yaml:2:11: not valid UTF-8 (byte 0xe9) [encoding]" in text.stdout


def test_byte_order_mark_is_reported_with_the_file(tmp_path: Path) -> None:
    path = record(tmp_path, b"\xef\xbb\xbf" + MINIMAL.encode(), name="bom")
    code, errors, _ = validate(path)
    assert code == 1
    assert rules(errors) == ["encoding"]
    assert errors[0]["file"].endswith("projects/bom.yaml")
    assert "byte-order mark" in errors[0]["message"]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("id: x\x00\n", "yaml-syntax"),  # NUL is not allowed in YAML
        ("a: 1\n---\nb: 2\n", "yaml-syntax"),  # two documents
        ('"bad\\e[31mkey\\a": 1\n', "key-type"),  # escapes in a key would reach messages
        ('"rtl\\u202ekey": 1\n', "key-type"),
        ("[a, b]: 1\n", "key-type"),
        ("\t- tab\n", "yaml-syntax"),
        ("# only a comment\n", "empty-file"),
        ("", "empty-file"),
    ],
    ids=["nul", "two-docs", "escape-key", "bidi-key", "list-key", "tab", "comment", "empty"],
)
def test_odd_documents_are_located_errors(tmp_path: Path, text: str, rule: str) -> None:
    code, errors, _ = validate(record(tmp_path, text))
    assert code == 1
    assert rules(errors) == [rule]
    assert "\x1b" not in errors[0]["message"]


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_only_regular_files_are_read(tmp_path: Path, kind: str) -> None:
    # A FIFO would block forever and /dev/zero never ends: both are refused unread.
    folder = tmp_path / "projects"
    folder.mkdir()
    path = folder / "special.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(os.devnull if not Path("/dev/zero").exists() else "/dev/zero")
    code, errors, elapsed = validate(path)
    assert code == 1
    assert rules(errors) == ["not-a-file"]
    assert elapsed < HANG_SECONDS
