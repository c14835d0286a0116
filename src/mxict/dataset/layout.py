"""Where the data lives and what it holds: the data directory, its record files and kinds.

The data directory is --data-dir, else $MXICT_DATA_DIR, else the copy bundled with
mxict (package data, or the checkout's `data/` in a source tree).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from mxict.errors import DataDirNotFound, Problem

ENV_DATA_DIR = "MXICT_DATA_DIR"
RECORD_DIRS = {"projects": "project", "sectors": "sector", "leads": "lead"}
OPTIONAL_DIRS = frozenset({"leads"})  # a data tree of profiles alone is complete
SINGLE_FILES = {"acronyms": "acronyms", "country": "country", "sources": "sources"}


def packaged_data_dir() -> Path | None:
    """The copy of the data inside the installed wheel, else the source checkout's."""
    # The wheel installs a plain folder, so the package's own path is where its data is
    # (importlib.resources would find the same, for a few milliseconds on every query).
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "data", package.parent.parent / "data"):
        if (candidate / "projects").is_dir():
            return candidate
    return None


def is_data_root(path: Path) -> bool:
    """Whether `path` holds mxict records (a projects/ or sectors/ folder)."""
    return any((path / name).is_dir() for name in RECORD_DIRS if name not in OPTIONAL_DIRS)


def resolve_data_dir(
    explicit: str | os.PathLike[str] | None = None, *, here_first: bool = False
) -> Path:
    """--data-dir, else $MXICT_DATA_DIR, else (with `here_first`, for validating a
    repository of records) ./data when it holds records, else the bundled data.

    A given path must exist."""
    given = explicit if explicit not in (None, "") else os.environ.get(ENV_DATA_DIR) or None
    if given is not None:
        path = Path(given).expanduser()
        if not path.is_dir():
            # Typer fills --data-dir from the environment too: name the source that was used.
            from_env = explicit in (None, "") or str(explicit) == os.environ.get(ENV_DATA_DIR)
            origin = f"${ENV_DATA_DIR}" if from_env else "--data-dir"
            raise DataDirNotFound(f"data directory {str(path)!r} (from {origin}) does not exist")
        return path
    if here_first and is_data_root(Path("data")):
        return Path("data")
    found = packaged_data_dir()
    if found is None:
        raise DataDirNotFound("no bundled data found; pass --data-dir or set $MXICT_DATA_DIR")
    return found


def display_dir(path: Path) -> str:
    """A directory as messages name it: relative to the working directory when inside it,
    with a trailing slash (`data/`)."""
    return display_name(path, None).rstrip(os.sep) + os.sep


def display_name(path: Path, root: Path | None) -> str:
    """The path as reports show it: relative to the working directory where possible, with
    any non-printable character escaped (a file name can carry terminal escapes)."""
    text = str(path)
    try:
        resolved = _resolved(path)
        cwd = _resolved_dir(os.getcwd())
        prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
        if not resolved.startswith(prefix):
            raise ValueError("outside the working directory")
        text = resolved[len(prefix) :]
    except (ValueError, OSError, RuntimeError):
        if root is not None:
            with contextlib.suppress(ValueError, OSError, RuntimeError):
                text = str(Path(root.name) / Path(_resolved(path)).relative_to(root.resolve()))
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


_RESOLVED_DIRS: dict[str, str] = {}


def _resolved_dir(directory: str) -> str:
    # Reports name thousands of files in a few folders; resolve each folder once.
    if directory not in _RESOLVED_DIRS:
        if len(_RESOLVED_DIRS) > 1000:
            _RESOLVED_DIRS.clear()
        _RESOLVED_DIRS[directory] = str(Path(directory).resolve())
    return _RESOLVED_DIRS[directory]


def _resolved(path: Path) -> str:
    """`path.resolve()`, resolving only the folder when the file itself is no link."""
    text = os.fspath(path)
    if os.path.islink(text):
        return str(path.resolve())
    folder, name = os.path.split(text)
    if not os.path.isabs(folder):  # the memo is keyed by absolute folder: cwd may change
        folder = os.path.join(os.getcwd(), folder)
    return os.path.join(_resolved_dir(folder), name)


def kind_of(path: Path) -> str | None:
    """The record kind a file holds, from where it sits (projects/, sectors/) or its name."""
    if path.parent.name in RECORD_DIRS:
        return RECORD_DIRS[path.parent.name]
    return SINGLE_FILES.get(path.stem)


def discover(data_dir: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Record files of a data tree with their kinds; stray files become problems."""
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    root = data_dir.resolve()

    def refuse(path: Path, rule: str, message: str) -> None:
        problems.append(Problem(display_name(path, data_dir), 1, 1, "", rule, message))

    def escapes(path: Path) -> bool:
        # A link (the file, or a folder on its way) may point anywhere; records must stay
        # inside the data directory. A link loop cannot be resolved at all.
        try:
            return not path.resolve(strict=path.is_symlink()).is_relative_to(root)
        except (OSError, RuntimeError):
            return True

    outside = "symbolic link points outside the data directory (or loops); refused"
    for folder, kind in RECORD_DIRS.items():
        directory = data_dir / folder
        if directory.is_symlink() and escapes(directory):
            refuse(directory, "symlink-outside", outside)
            continue
        if not directory.is_dir():
            if folder not in OPTIONAL_DIRS or directory.exists() or directory.is_symlink():
                refuse(directory, "missing-dir", f"data directory has no {folder}/ folder")
            continue
        # The folder is inside the tree, so only an entry that is itself a link can leave it.
        with os.scandir(directory) as scan:
            names = sorted((e.name, e.is_symlink(), e.is_file(follow_symlinks=False)) for e in scan)
        for name, is_link, is_plain_file in names:
            if name.startswith("."):
                continue
            path = directory / name
            if is_link and escapes(path):
                refuse(path, "symlink-outside", outside)
            elif not name.endswith(".yaml") or not (is_plain_file or (is_link and path.is_file())):
                refuse(path, "not-yaml", "only .yaml record files belong here")
            else:
                found.append((path, kind))
    for stem, kind in SINGLE_FILES.items():
        path = data_dir / f"{stem}.yaml"
        if escapes(path):
            refuse(path, "symlink-outside", outside)
        elif path.is_file():
            found.append((path, kind))
        else:
            refuse(path, "missing-file", f"data directory has no {stem}.yaml")
    return found, problems
