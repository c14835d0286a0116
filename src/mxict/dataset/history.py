"""The data's git history: what changed since a revision, and a revision's data as files.

Every function here asks git at most twice, whatever the number of files, and gives up
quietly (None) when git is missing, the data is not in a git checkout, or git fails:
history is a help to maintainers, never a condition for reading the data.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# Environment that would point git elsewhere than the data's own checkout (a hook's
# GIT_INDEX_FILE, a caller's GIT_DIR).
_GIT_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_PREFIX")
TIMEOUT = 20  # seconds; a hung git must not hang `mxict validate`


def _git(folder: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    """`git -C folder ARGS` output, or None when git is missing, times out or fails."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV}
    env["GIT_OPTIONAL_LOCKS"] = "0"  # a read must not take the index lock of a busy checkout
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT,
            env=env,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def is_revision(folder: Path, revision: str) -> bool:
    """True when `revision` names a commit of the git checkout holding `folder`."""
    if revision.startswith("-"):
        return False  # never let a revision be read as an option
    return _git(folder, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}") is not None


def changed_since(data_dir: Path, revision: str = "HEAD") -> dict[str, str] | None:
    """The files under `data_dir` whose content differs from `revision`, each with its
    text at `revision` (paths relative to `data_dir`, `/`-separated). Files new since
    then or deleted are left out. None outside a git checkout or without git.

    Two git calls at most: `git diff --name-only` (which uses git's own stat cache, so an
    unchanged tree costs milliseconds), then one `git cat-file --batch` for all of them."""
    if revision.startswith("-"):
        return None
    listed = _git(
        data_dir, "diff", "--name-only", "-z", "--no-renames", "--relative", revision, "--", "."
    )
    if listed is None:
        return None
    names = [
        name
        for name in listed.decode("utf-8", "surrogateescape").split("\0")
        if name and (data_dir / name).is_file()
    ]
    if not names:
        return {}
    request = "".join(f"{revision}:./{name}\n" for name in names).encode("utf-8", "surrogateescape")
    batch = _git(data_dir, "cat-file", "--batch", stdin=request)
    if batch is None:
        return None
    found: dict[str, str] = {}
    position = 0
    for name in names:
        end = batch.index(b"\n", position)
        header = batch[position:end].split()
        position = end + 1
        if len(header) != 3 or header[1] != b"blob":  # "missing": new since `revision`
            continue
        size = int(header[2])
        found[name] = batch[position : position + size].decode("utf-8", "replace")
        position += size + 1  # the blob is followed by a newline
    return found


def export_revision(data_dir: Path, revision: str, target: Path) -> bool:
    """Write the files `data_dir` held at `revision` into `target` (an empty directory);
    False when git cannot (no checkout, no git, no such revision)."""
    import io
    import tarfile

    if not is_revision(data_dir, revision):
        return False
    archive = _git(data_dir, "archive", "--format=tar", revision, ".")
    if archive is None:
        return False
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")  # no links out, no absolute paths
    return True
