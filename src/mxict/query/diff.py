"""What differs between two sets of records, keyed by kind and id: records added, removed
and changed, each change a field path (`timeline[2].date`) with its old and new value."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]
Key = tuple[str, str]
_MISSING = object()


def field_changes(old: Any, new: Any, path: str = "") -> list[Doc]:
    """Every leaf that differs, as {path, old, new}; a field or item that is only on one
    side has None on the other. Mappings are walked by key (sorted), lists by position."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(set(old) | set(new)):
            inner = f"{path}.{key}" if path else str(key)
            found += field_changes(old.get(key, _MISSING), new.get(key, _MISSING), inner)
        return found
    if isinstance(old, list) and isinstance(new, list):
        found = []
        for index in range(max(len(old), len(new))):
            found += field_changes(
                old[index] if index < len(old) else _MISSING,
                new[index] if index < len(new) else _MISSING,
                f"{path}[{index}]",
            )
        return found
    if old == new and type(old) is type(new):  # 1 and 1.0, or 1 and True, do differ
        return []
    return [
        {
            "path": path,
            "old": None if old is _MISSING else old,
            "new": None if new is _MISSING else new,
        }
    ]


def diff_records(old: dict[Key, Doc], new: dict[Key, Doc]) -> Doc:
    """`added`, `removed` ([{kind, id}]) and `changed` ([{kind, id, changes}]), each in
    kind and id order, and `equal`."""
    added = [{"kind": k, "id": i} for k, i in sorted(new.keys() - old.keys())]
    removed = [{"kind": k, "id": i} for k, i in sorted(old.keys() - new.keys())]
    changed = []
    for key in sorted(old.keys() & new.keys()):
        changes = field_changes(old[key], new[key])
        if changes:
            changed.append({"kind": key[0], "id": key[1], "changes": changes})
    return {
        "equal": not (added or removed or changed),
        "added": added,
        "removed": removed,
        "changed": changed,
    }
