"""The source files a record cites anywhere in it (its own sources, its events', its figures')."""

from __future__ import annotations

from typing import Any


def cited_files(doc: Any) -> list[str]:
    """Every `file` of every source reference in `doc`, sorted and without repeats."""
    found: set[str] = set()
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("sources", "rate_source"):
                    refs = value if isinstance(value, list) else [value]
                    found.update(r["file"] for r in refs if isinstance(r, dict) and "file" in r)
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return sorted(found)
