"""Round two of hostile data and environments: values that validated and then crashed,
files mxict did not write, invisible text, a missing home, code run from the working
directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import load_record, write_record

from conftest import CACHE, run_cli

MXICT = Path(sys.executable).parent / "mxict"


def set_value(data: Path, project: str, edit: str, replace: str) -> Path:
    path = data / "projects" / f"{project}.yaml"
    text = path.read_text(encoding="utf-8")
    assert edit in text
    path.write_text(text.replace(edit, replace, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("  amount: 38000000\n", "  amount: .inf\n", "type"),
        ("  amount: 38000000\n", "  amount: .nan\n", "type"),
        ("  amount: 38000000\n", "  amount: 1.0e+400\n", "type"),
        ("  amount: 38000000\n", "  amount: yes\n", "type"),
        ("  amount: 38000000\n", "  amount: 1:30:00\n", "bad-number"),
        ("last_verified: 2026-11-23", "last_verified: 0", "type"),
        ('  - date: "2021-05"', '  - date: "0000"', "value"),
        ('  - date: "2021-05"', '  - date: "9999-12"', "value"),
    ],
)
def test_values_that_used_to_validate_and_then_crash(
    data_copy: Path, old: str, new: str, rule: str
) -> None:
    set_value(data_copy, "gignet-1", old, new)
    result = run_cli("--data-dir", str(data_copy), "validate", "--format", "json")
    assert result.exit_code == 1, result.stdout
    assert rule in {e["rule"] for e in result.json()["errors"]}
    # And the query commands refuse the data cleanly instead of crashing.
    shown = run_cli("--data-dir", str(data_copy), "compare-value", "--format", "table")
    assert shown.exit_code == 1 and "Traceback" not in shown.stderr


def test_non_finite_filters_are_usage_errors() -> None:
    for value in ("nan", "inf", "-inf"):
        result = run_cli("list", "--min-value", value)
        assert result.exit_code == 2
        assert "must be a finite number" in result.stderr


def test_invisible_characters_cannot_fake_a_new_name(data_copy: Path) -> None:
    copy = load_record(data_copy / "projects" / "gignet-1.yaml")
    copy["id"] = "gignet-2"
    copy["name"] = copy["name"].replace("Cancun", "Canc\u200bun")
    write_record(data_copy / "projects" / "gignet-2.yaml", copy)
    result = run_cli("--data-dir", str(data_copy), "validate", "--format", "json")
    assert "duplicate-name" in {e["rule"] for e in result.json()["errors"]}


def test_escape_sequences_in_table_column_names_stay_inert(data_copy: Path) -> None:
    path = data_copy / "projects" / "public-financial-management-modernization.yaml"
    record = load_record(path)
    record["tables"][0]["columns"][0]["name"] = "Year\x1b]52;c;ZXZpbA==\x07\x1b]0;PWNED\x07\x1b[2J"
    record["tables"][0]["columns"][0]["unit"] = "\x1b[31mred\u200b"
    write_record(path, record)
    result = run_cli(
        "--data-dir", str(data_copy), "show", "public-financial-management-modernization"
    )
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\u200b" not in result.stdout


@pytest.mark.parametrize("device", ["/dev/null", "/dev/stdout"])
def test_force_never_replaces_a_device(device: str, tmp_path: Path) -> None:
    before = os.stat(device)
    proc = subprocess.run(
        [str(MXICT), "list", "-o", device, "--force", "--format", "csv"],
        capture_output=True,
        env={**os.environ, "MXICT_CACHE_DIR": str(CACHE)},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    after = os.stat(device)
    assert (after.st_mode, after.st_rdev) == (before.st_mode, before.st_rdev)
    if device == "/dev/stdout":
        assert proc.stdout.startswith(b"id,name,")  # written through to the pipe


def test_a_fifo_is_written_through_without_force(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    proc = subprocess.run(
        [str(MXICT), "list", "-o", str(fifo), "--format", "tsv", "--fields", "id"],
        capture_output=True,
        env={**os.environ, "MXICT_CACHE_DIR": str(CACHE)},
        timeout=60,
        check=False,
    )
    out, _ = reader.communicate(timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert out.splitlines()[:2] == [b"id", b"cemex-digital-transformation"]
    assert fifo.is_fifo()


def test_no_home_directory_means_no_cache_not_a_crash(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "MXICT_CACHE_DIR")}
    env.pop("XDG_CACHE_HOME", None)
    code = (
        "import os, pwd, sys\n"
        "pwd.getpwuid = lambda uid: (_ for _ in ()).throw(KeyError(uid))\n"
        "from mxict.cli.main import main\n"
        "sys.argv = ['mxict', 'list', '--sector', 'subsea', '--fields', 'id']\n"
        "main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "id\ngignet-1\n"


def test_serve_never_imports_from_the_working_directory(tmp_path: Path) -> None:
    from mxict.exports.serve import ServeFiles, datasette_command

    command = datasette_command(
        ServeFiles(tmp_path / "x.db", tmp_path / "m.json", False, None), "127.0.0.1", 1
    )
    assert command[:4] == [sys.executable, "-I", "-m", "datasette"]
    trap = tmp_path / "datasette.py"
    trap.write_text("raise SystemExit('imported from the working directory')\n", encoding="utf-8")
    proc = subprocess.run(
        [*command[:4], "--version"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert "imported from the working directory" not in proc.stderr + proc.stdout
