"""Files: atomic writes, no overwriting without --force, symbolic links out of the data tree."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO, Any

import pytest

import mxict.render.files
import mxict.render.xlsx
from conftest import run_cli
from mxict.atomic import write_atomic
from mxict.errors import UsageError


def export(target: Path, *extra: str) -> Any:
    return run_cli("export-opportunities", "-s", "subsea", "-o", str(target), *extra)


def half_then(exc: BaseException) -> Any:
    """A render_rows that writes some output, then fails with `exc`."""

    def render(rows: Any, fields: Any, fmt: Any, out: IO[str], **kwargs: Any) -> None:
        out.write("project_id,partial\n" * 100)
        out.flush()
        raise exc

    return render


# --------------------------------------------------------------------------- atomic writes


def test_a_failing_writer_leaves_no_partial_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mxict.render.files, "render_rows", half_then(RuntimeError("midway")))
    with pytest.raises(RuntimeError, match="midway"):
        export(tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_writing_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mxict.render.files, "render_rows", half_then(KeyboardInterrupt()))
    result = export(tmp_path / "out.csv")
    assert result.exit_code == 130
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_is_a_clean_error_and_the_old_file_survives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("previous export\n", encoding="utf-8")
    full = OSError(28, "No space left on device")
    monkeypatch.setattr(mxict.render.files, "render_rows", half_then(full))
    result = export(target, "--force")
    assert result.exit_code == 1
    assert result.stderr == f"mxict: error: cannot write {str(target)!r}: No space left on device\n"
    assert target.read_text(encoding="utf-8") == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_failing_xlsx_writer_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(fh: IO[bytes], *args: Any, **kwargs: Any) -> None:
        fh.write(b"PK\x03\x04" * 1000)
        raise KeyboardInterrupt

    monkeypatch.setattr(mxict.render.xlsx, "write_xlsx", broken)
    assert export(tmp_path / "out.xlsx").exit_code == 130
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- overwriting


@pytest.mark.parametrize(
    "command",
    [
        ("export-opportunities", "-o", "{target}"),
        ("export-opportunities", "-f", "xlsx", "-o", "{target}"),
        ("export", "xlsx", "{target}"),
        ("export", "oc4ids", "-o", "{target}"),
    ],
)
def test_existing_files_are_not_overwritten_without_force(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    target = tmp_path / "existing"
    target.write_text("keep me\n", encoding="utf-8")
    result = run_cli(*(part.format(target=target) for part in command))
    assert result.exit_code == 2
    assert result.stderr == (
        f"mxict: error: {str(target)!r} already exists; use --force to overwrite it\n"
    )
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert [p.name for p in tmp_path.iterdir()] == ["existing"]


def test_existing_directory_is_not_replaced_without_force(tmp_path: Path) -> None:
    target = tmp_path / "package"
    target.mkdir()
    (target / "notes.txt").write_text("keep me\n", encoding="utf-8")
    result = run_cli("export", "datapackage", str(target))
    assert result.exit_code == 2
    assert "already exists; use --force" in result.stderr
    forced = run_cli("export", "datapackage", str(target), "--force")
    assert forced.exit_code == 1  # not a directory mxict wrote: never wiped
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_force_replaces_and_keeps_the_old_files_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o600)
    assert export(target, "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("project_id,")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_new_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        assert export(tmp_path / "private.csv").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "private.csv").stat().st_mode) == 0o600


def test_a_file_appearing_during_the_write_is_not_clobbered(tmp_path: Path) -> None:
    target = tmp_path / "race.csv"

    def write(fh: IO[str]) -> None:
        fh.write("new\n")
        target.write_text("written meanwhile\n", encoding="utf-8")  # another process

    with pytest.raises(UsageError, match="already exists"):
        write_atomic(target, write)
    assert target.read_text(encoding="utf-8") == "written meanwhile\n"
    assert [p.name for p in tmp_path.iterdir()] == ["race.csv"]


def test_a_symlink_at_the_target_is_never_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    link = tmp_path / "link.csv"
    link.symlink_to(outside)  # dangling: the target does not exist yet
    assert export(link).exit_code == 2  # the link itself is an existing entry
    assert not outside.exists()
    assert export(link, "--force").exit_code == 0
    assert not link.is_symlink() and link.is_file()
    assert not outside.exists()


def test_output_into_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = export(tmp_path / "missing" / "out.csv")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    file_as_dir = tmp_path / "file"
    file_as_dir.write_text("x", encoding="utf-8")
    assert export(file_as_dir / "out.csv").exit_code == 2


# --------------------------------------------------------------------------- symbolic links


def test_symlink_to_a_file_outside_the_data_directory_is_refused(
    data_copy: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    (data_copy / "projects" / "evil.yaml").symlink_to(secret)
    (data_copy / "acronyms.yaml").unlink()
    (data_copy / "acronyms.yaml").symlink_to(secret)
    result = run_cli("--data-dir", str(data_copy), "--no-cache", "validate", "--format", "json")
    assert result.exit_code == 1
    refused = [e for e in result.json()["errors"] if e["rule"] == "symlink-outside"]
    assert sorted(Path(e["file"]).name for e in refused) == ["acronyms.yaml", "evil.yaml"]
    assert "hunter2" not in result.stdout
    listing = run_cli("--data-dir", str(data_copy), "--no-cache", "list")
    assert listing.exit_code == 1
    assert "symbolic link points outside the data directory" in listing.stderr


def test_symlink_inside_the_data_directory_is_followed(data_copy: Path) -> None:
    (data_copy / "projects" / "gignet-1.yaml").rename(data_copy / "gignet-1.real")
    (data_copy / "projects" / "gignet-1.yaml").symlink_to(data_copy / "gignet-1.real")
    result = run_cli("--data-dir", str(data_copy), "--no-cache", "list", "--json")
    assert result.exit_code == 0
    assert "gignet-1" in [row["id"] for row in result.json()]


def test_symlinked_folder_pointing_outside_is_refused(data_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (data_copy / "projects").rename(outside)
    (data_copy / "projects").symlink_to(outside, target_is_directory=True)
    result = run_cli("--data-dir", str(data_copy), "--no-cache", "validate", "--format", "json")
    assert "symlink-outside" in [e["rule"] for e in result.json()["errors"]]


def test_symlink_loop_is_a_located_error(data_copy: Path) -> None:
    loop = data_copy / "projects" / "loop.yaml"
    loop.symlink_to("loop.yaml")
    result = run_cli("--data-dir", str(data_copy), "--no-cache", "validate", "--format", "json")
    assert result.exit_code == 1
    assert [e["file"].endswith("loop.yaml") for e in result.json()["errors"]] == [True]
