"""What both YAML readers share: the limits, the safe loader and how scalars are typed."""

from __future__ import annotations

import os
from typing import Any

MAX_DEPTH = 64
MAX_NUMBER_CHARS = 100
# libyaml's composer recurses once per level and overflows the C stack somewhere past
# 10,000 levels; documents that could nest deeper than this are checked event by event.
SAFE_COMPOSE_DEPTH = 1000
DEFAULT_MAX_BYTES = 2 * 1024 * 1024  # real records are a few tens of KiB

Path_ = tuple[str | int, ...]
"""Where a value sits in a document: its keys and list indexes from the root."""


def max_file_bytes() -> int:
    """Size limit for one record file; MXICT_MAX_FILE_BYTES overrides the default."""
    raw = os.environ.get("MXICT_MAX_FILE_BYTES", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_BYTES


class YamlRejected(Exception):
    """Internal: the document breaks a safety rule at a position."""

    def __init__(self, rule: str, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.rule, self.message, self.line, self.column = rule, message, line, column


_LOADER: Any = None


def loader_class() -> Any:
    """The safe loader (libyaml's C parser when present) with a leaner resolver.

    mxict uses no path resolvers, so the per-node descend/ascend bookkeeping is skipped,
    and implicit scalar tags are looked up in one precomputed table; this roughly halves
    the Python work PyYAML does per scalar.
    """
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    table = base.yaml_implicit_resolvers
    wildcard = table.get(None, [])
    by_first = {char: resolvers + wildcard for char, resolvers in table.items() if char is not None}
    plain_default = wildcard
    scalar, sequence = yaml.ScalarNode, yaml.SequenceNode
    str_tag, seq_tag, map_tag = (
        base.DEFAULT_SCALAR_TAG,
        base.DEFAULT_SEQUENCE_TAG,
        base.DEFAULT_MAPPING_TAG,
    )

    class Loader(base):  # type: ignore[misc, valid-type]  # PyYAML's loaders are untyped
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

        def resolve(self, kind: Any, value: str, implicit: Any) -> str:
            if kind is scalar:
                return plain_tag(value) if implicit[0] else str(str_tag)
            return str(seq_tag if kind is sequence else map_tag)

    def plain_tag(value: str) -> str:
        for tag, regexp in by_first.get(value[:1], plain_default):
            if regexp.match(value):
                return str(tag)
        return str(str_tag)

    Loader.plain_tag = staticmethod(plain_tag)
    # A plain scalar whose first character is not among these is always a str.
    Loader.resolvable_first_chars = frozenset(by_first) if not wildcard else None

    _LOADER = Loader
    return Loader


def mark_of(node: Any) -> tuple[int, int]:
    """1-based line and column where a PyYAML node or event starts."""
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


CORE_TAG = "tag:yaml.org,2002:"
TYPED_KINDS = ("bool", "int", "float", "timestamp")


def typed_scalar(loader: Any, node: Any, kind: str) -> Any:
    """The value of a bool, int, float or timestamp scalar node, as PyYAML builds it.

    Raises YamlRejected for numbers too long to convert quickly and for values that
    match a type's pattern but are not valid (2021-02-30).
    """
    what = "date" if kind == "timestamp" else "number"
    if what == "number" and ":" in node.value:
        # YAML 1.1 reads 1:30:00 as 5400 (base 60): never what a curator meant.
        raise YamlRejected(
            "bad-number",
            f"{node.value!r} is a base-60 number in YAML 1.1; quote it if it is text",
            *mark_of(node),
        )
    if what == "number" and len(node.value) > MAX_NUMBER_CHARS:
        raise YamlRejected(
            "bad-number",
            f"number has {len(node.value)} characters, more than {MAX_NUMBER_CHARS}; "
            "quote it if it is text",
            *mark_of(node),
        )
    try:
        return getattr(loader, f"construct_yaml_{kind}")(node)
    except (ValueError, OverflowError) as exc:
        # 2021-02-30 matches YAML's date pattern but is no date; say so, located.
        raise YamlRejected(
            f"bad-{what}", f"{node.value!r} is not a valid {what}: {exc}", *mark_of(node)
        ) from None
