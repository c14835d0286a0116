"""Where layouts and tables are drawn for people.

On a terminal, output taller than the screen goes through a pager: $MXICT_PAGER, else
$PAGER, else `less -FRX`; --no-pager (or an empty $MXICT_PAGER) turns it off. Piped, a
layout is neither paged nor wrapped, and carries no trailing spaces."""

from __future__ import annotations

import io
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from mxict.cli.session import Session

DEFAULT_PAGER = "less -FRX"


class Screen(NamedTuple):
    """Where a command draws for people: its stream, width and whether to colour."""

    stream: IO[str]
    width: int | None
    color: bool

    def console(self) -> Any:
        """A rich console drawing on this screen (never interpreting data as markup)."""
        from mxict.render.table import make_console

        return make_console(self.stream, color=self.color, width=self.width)


def _columns() -> int | None:
    value = os.environ.get("COLUMNS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


def pager_command() -> list[str] | None:
    """The pager to run, or None when paging is turned off (an empty $MXICT_PAGER)."""
    if "MXICT_PAGER" in os.environ:
        chosen = os.environ["MXICT_PAGER"]
    else:
        chosen = os.environ.get("PAGER") or DEFAULT_PAGER
    words = shlex.split(chosen) if chosen.strip() else []
    return words if words and words != ["cat"] else None


@contextmanager
def screen(session: Session) -> Iterator[Screen]:
    """Draw on stdout, through a pager when stdout is a terminal and the text is taller
    than it."""
    color = session.color()
    if not sys.stdout.isatty():
        # Piped: no wrapping (grep finds a phrase whole) and no trailing spaces, unless
        # $COLUMNS says how wide to draw (as rich and other tools read it).
        from mxict.render.layouts import UNWRAPPED

        piped = io.StringIO()
        yield Screen(piped, _columns() or UNWRAPPED, color)
        sys.stdout.write("\n".join(line.rstrip() for line in piped.getvalue().split("\n")))
        return
    command = None if session.no_pager else pager_command()
    if command is None:
        yield Screen(sys.stdout, None, color)
        return
    size = shutil.get_terminal_size()
    buffer = io.StringIO()
    yield Screen(buffer, size.columns, color)
    text = buffer.getvalue()
    if text.count("\n") < size.lines:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    env = {**os.environ}
    env.setdefault("LESS", "FRX")  # colours through, quit when short, keep the screen
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        sys.stdout.write(text)  # no such pager: print as if there were none
        return
    assert pager.stdin is not None
    try:
        pager.stdin.write(text.encode("utf-8"))
        pager.stdin.close()
    except BrokenPipeError:
        pass  # the user quit the pager before the end
    pager.wait()
