"""The dataset's version: data/VERSION, semantic (major: schema break, minor: records added,
patch: corrections), described release by release in data/CHANGELOG.md."""

from __future__ import annotations

import re
from pathlib import Path

VERSION_FILE = "VERSION"
_SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


def dataset_version(data_dir: Path) -> str | None:
    """The version in `data_dir/VERSION`, or None when the file is missing or not X.Y.Z."""
    try:
        text = (data_dir / VERSION_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if _SEMVER.match(text) else None
