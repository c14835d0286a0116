"""Shared pieces of the security tests: hostile strings, record editing, a real process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from conftest import CACHE

MXICT = Path(sys.executable).parent / "mxict"

# Terminal escapes (an OSC 8 hyperlink, BEL, a C1 CSI) and rich markup, all in one name.
HOSTILE_NAME = (
    "GigNet \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ [red]x[/red] "
    "[link=http://evil]y[/link] \x07bell \x9b31mcsi \u202eevil"
)
MARKUP = ("[red]x[/red]", "[link=http://evil]y[/link]")
# What must never reach a terminal from data: C0 controls except tab and newline, DEL,
# C1 controls, and the bidi overrides that reorder what is shown.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")  # colour and bold: the only escapes mxict may emit


def load_record(path: Path) -> dict[str, Any]:
    """A record file as plain data."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


class _NoAliases(yaml.SafeDumper):
    """A dumper that writes a repeated object out again (records may hold no aliases)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_record(path: Path, data: Any) -> None:
    """Write plain data as a YAML record (Unicode kept, key order kept, no aliases)."""
    text = yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, encoding="utf-8")


def process_env(**extra: str) -> dict[str, str]:
    """The environment for a real mxict process: the test cache, the bundled data."""
    env = {**os.environ, "MXICT_CACHE_DIR": str(CACHE), "COLUMNS": "200", **extra}
    env.pop("MXICT_DATA_DIR", None)
    env.pop("NO_COLOR", None)
    return env


def run_process(
    *args: str, env: dict[str, str] | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[bytes]:
    """Run .venv/bin/mxict ARGS in a real process; output kept as bytes."""
    return subprocess.run(
        [str(MXICT), *args],
        capture_output=True,
        env=env if env is not None else process_env(),
        timeout=timeout,
        check=False,
    )


VALIDATE_SUMMARY = re.compile(r"\d+ problems? in \d+ files? checked in [^\n]+\n\Z")


def clean_error(stderr: str) -> bool:
    """`mxict: ...` lines, Typer's usage block or validate's summary; never a traceback."""
    return "Traceback" not in stderr and (
        stderr.startswith(("mxict: ", "Usage: ")) or VALIDATE_SUMMARY.match(stderr) is not None
    )
