"""One invocation's settings (the global options) and the data they lead to."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from mxict.errors import UsageError

if TYPE_CHECKING:
    from mxict.dataset.catalog import Catalog
    from mxict.dataset.snapshot import Snapshot


class Session:
    """The global options of one invocation; commands receive it as the context's obj."""

    # A plain class: a dataclass would cost every command's start-up more than its body.
    def __init__(
        self,
        data_dir: str | None = None,
        *,
        no_color: bool = False,
        no_cache: bool = False,
        no_pager: bool = False,
    ) -> None:
        self.data_dir = data_dir
        self.no_color = no_color
        self.no_cache = no_cache
        self.no_pager = no_pager
        self._snapshots: dict[tuple[str | None, bool, str | None], Snapshot] = {}

    def __repr__(self) -> str:
        return (
            f"Session(data_dir={self.data_dir!r}, no_color={self.no_color}, "
            f"no_cache={self.no_cache}, no_pager={self.no_pager})"
        )

    def snapshot(self, *, one_record: str | None = None) -> Snapshot:
        """The validated records as dicts, from the cache when the data is unchanged (one
        check of the data files per invocation, however often a command asks).

        `one_record`: the command reads only that record (`record(ID)`) and the small
        documents (leads, sectors, sources...), so a lighter check of the data will do
        (see mxict.dataset.snapshot)."""
        from mxict.cli.progress import progress_bar
        from mxict.dataset.snapshot import load_snapshot

        every = (self.data_dir, self.no_cache, None)
        wanted = (self.data_dir, self.no_cache, one_record)
        if every in self._snapshots:
            return self._snapshots[every]
        if wanted not in self._snapshots:
            # The bar appears only while the cache is (re)built, and only on a terminal.
            self._snapshots[wanted] = load_snapshot(
                self.data_dir,
                use_cache=not self.no_cache,
                progress=progress_bar,
                one_record=one_record,
            )
        return self._snapshots[wanted]

    def catalog(self) -> Catalog:
        """The validated, typed catalog."""
        from mxict.cli.progress import progress_bar
        from mxict.dataset.catalog import load_catalog

        return load_catalog(self.data_dir, progress=progress_bar)

    def color(self) -> bool:
        """Colour only on a terminal, and never with --no-color or a non-empty NO_COLOR
        (no-color.org: an empty NO_COLOR does not count)."""
        return not self.no_color and not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def session_of(ctx: Any) -> Session:
    """The Session of a command's context (a fresh default one where none was made)."""
    obj = getattr(ctx, "obj", None)
    return obj if isinstance(obj, Session) else Session()


def today() -> date:
    """Today's date; MXICT_TODAY=YYYY-MM-DD pins it (tests, reproducible reports)."""
    pinned = os.environ.get("MXICT_TODAY")
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise UsageError(f"MXICT_TODAY={pinned!r} is not a YYYY-MM-DD date") from None
    return date.today()
