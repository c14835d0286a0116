"""mxict installed from its wheel (not editable), as a data repository's pre-commit hook runs it.

The wheel is built from this checkout and installed into a fresh virtual environment;
its dependencies are borrowed from the test environment, so no network is needed.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from conftest import DATA, DATA_FILES, ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `bin/` folder of a fresh venv holding mxict installed from its wheel."""
    work = tmp_path_factory.mktemp("install")
    wheels = work / "wheels"
    pip = [sys.executable, "-m", "pip"]
    subprocess.run(
        [
            *pip,
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    target = venv / "bin" / "python"
    (wheel,) = wheels.glob("mxict-*.whl")
    subprocess.run(
        [
            *pip,
            "--python",
            str(target),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # The dependencies, from the test environment (its editable mxict is not on this path:
    # a .pth line adds a folder, but the .pth files inside it are not run).
    site = subprocess.run(
        [str(target), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "test-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return venv / "bin"


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """An unrelated repository that keeps mxict records under data/, one of them broken."""
    repo = tmp_path / "records-repo"
    shutil.copytree(DATA, repo / "data")
    broken = repo / "data" / "projects" / "gignet-1.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("sector: subsea", "sector: undersea"),
        encoding="utf-8",
    )
    return repo


def run(bin_dir: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "MXICT_CACHE_DIR": str(cwd.parent / "cache")}
    return subprocess.run(
        [str(bin_dir / args[0]), *args[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_wheel_is_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = run(installed, ["python", "-c", "import mxict; print(mxict.__file__)"], tmp_path)
    assert not Path(where.stdout.strip()).is_relative_to(ROOT)


def test_validate_checks_the_repository_data(installed: Path, repository: Path) -> None:
    result = run(installed, ["mxict", "validate"], repository)
    assert result.returncode == 1
    assert result.stdout.startswith("data/projects/gignet-1.yaml:")
    assert "sector: Input should be" in result.stdout
    assert result.stderr == f"1 problem in {DATA_FILES} files checked in data/\n"


def test_validate_elsewhere_checks_the_bundled_data(installed: Path, tmp_path: Path) -> None:
    result = run(installed, ["mxict", "validate"], tmp_path)
    assert result.returncode == 0, result.stderr
    bundled = result.stderr.removeprefix(f"ok: {DATA_FILES} files valid in ").removesuffix("/\n")
    assert Path(bundled).name == "data" and Path(bundled).parent.name == "mxict"


@pytest.mark.parametrize("hook", ["mxict-validate", "mxict-validate-files"])
def test_both_pre_commit_hooks_see_the_repository(
    installed: Path, repository: Path, hook: str
) -> None:
    import re

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    spec = hooks[hook]
    # pre-commit passes the staged files its `files` pattern matches, from the repo root.
    staged = ["data/projects/gignet-1.yaml", "README.md", ".pre-commit-config.yaml"]
    matching = [f for f in staged if re.search(spec["files"], f)]
    assert matching == ["data/projects/gignet-1.yaml"]
    args = shlex.split(spec["entry"]) + (matching if spec["pass_filenames"] else [])
    result = run(installed, args, repository)
    assert result.returncode == 1, result.stderr
    assert "data/projects/gignet-1.yaml:" in result.stdout
    assert "[enum]" in result.stdout
