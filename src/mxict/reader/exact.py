"""Parse one YAML record safely and remember where every value stands in the file.

Safety rules, all enforced before any Python object is built:
- only the YAML core schema (safe loader): `!!python/...` tags are rejected, never run;
- anchors and aliases are refused, so "billion laughs" bombs cannot expand;
- nesting deeper than MAX_DEPTH and files larger than the size limit are refused, and a
  document that could be deep enough to overflow libyaml's recursive composer is checked
  on the (iterative) event stream first, so it fails fast instead of crashing;
- numbers longer than MAX_NUMBER_CHARS are refused (YAML 1.1 base-60 integers such as
  `1:59:59:...` would otherwise take minutes to convert), and impossible dates or numbers
  are located errors, never exceptions;
- mapping keys must be printable text (no control, escape or bidi characters);
- duplicate keys are errors (PyYAML would silently keep the last one);
- only regular files are read (never a device or a FIFO), and bytes must be UTF-8
  without a BOM.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mxict.errors import Problem
from mxict.reader.rules import (
    CORE_TAG,
    MAX_DEPTH,
    SAFE_COMPOSE_DEPTH,
    TYPED_KINDS,
    Path_,
    YamlRejected,
    loader_class,
    mark_of,
    max_file_bytes,
    typed_scalar,
)


@dataclass
class Positions:
    """Line/column (1-based) of each value and each mapping key, by path."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, loc: Path_, *, missing: bool = False) -> tuple[int, int]:
        """Best position for an error at `loc`: the node itself or its nearest ancestor.

        For a missing field the nearest existing ancestor's key is the useful place.
        """
        path = tuple(loc)
        if not missing and path in self.values:
            return self.values[path]
        while path:
            path = path[:-1]
            if path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
        return self.values.get((), (1, 1))


@dataclass
class Parsed:
    """A parsed document, its positions, and the problems met while reading it.

    `located` is False when the fast reader built the data: it records no positions, and
    a caller that needs them reads the file again with `parse_file`.
    """

    data: Any = None
    positions: Positions = field(default_factory=Positions)
    problems: list[Problem] = field(default_factory=list)
    source_refs: list[tuple[Path_, Any]] = field(default_factory=list)
    located: bool = True


def parse_file(
    path: Path, display: str, *, all_positions: bool = True, fast: bool = False
) -> Parsed:
    """Read and parse one record file, collecting problems instead of raising."""
    result = Parsed()

    def fail(rule: str, message: str, line: int = 1, column: int = 1) -> Parsed:
        result.problems.append(Problem(display, line, column, "", rule, message))
        return result

    limit = max_file_bytes()
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            # /dev/zero never ends and a FIFO blocks: only plain files are records.
            return fail("not-a-file", "not a regular file (a device, pipe or socket); refused")
        size = status.st_size
        if size > limit:
            return fail("file-too-large", f"file is {size} bytes, over the {limit}-byte limit")
        raw = path.read_bytes()
    except OSError as exc:
        return fail("unreadable", f"cannot read file: {exc.strerror or exc}")
    if raw.startswith(b"\xef\xbb\xbf"):
        return fail(
            "encoding", "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return fail("encoding", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", line, column)
    if not _has_content(text):
        return fail("empty-file", "file is empty")
    return parse_text(text, display, result, all_positions=all_positions, fast=fast)


def _has_content(text: str) -> bool:
    """Whether any line holds more than blanks and a comment."""

    def content(lines: list[str]) -> bool:
        return any((line := ln.strip()) and not line.startswith("#") for ln in lines)

    # A record's first lines settle it; a cut last line can only hide content, not add it.
    return content(text[:4096].splitlines()) or content(text.splitlines())


def parse_text(
    text: str,
    display: str,
    result: Parsed | None = None,
    *,
    all_positions: bool = True,
    fast: bool = False,
) -> Parsed:
    """Parse YAML text into plain data plus positions (see module docstring for rules).

    With `all_positions=False` only top-level keys and cited source files are located,
    which is all a valid record needs; callers re-parse with every position when the
    record turns out to be invalid and errors must be pointed at. With `fast` as well, a
    plain record is read by the fast reader (`reader.fast`) where it can be, with no
    positions at all.
    """
    import yaml

    result = result or Parsed()
    if fast and not all_positions:
        from mxict.reader.fast import read_plain

        plain = read_plain(text)
        if plain is not None:
            result.data, result.source_refs = plain
            result.located = False
            return result
    loader = loader_class()(text)
    try:
        if _could_be_deep(text):
            _check_depth(text)
        node = loader.get_single_node()
        if node is None:
            result.problems.append(Problem(display, 1, 1, "", "empty-file", "file is empty"))
            return result
        builder = _Builder(loader, result.positions, all_positions)
        result.data = builder.build(node, (), 0)
        result.source_refs = builder.source_refs
        result.problems.extend(
            Problem(display, d.line, d.column, "", d.rule, d.message) for d in builder.duplicates
        )
    except YamlRejected as exc:
        result.problems.append(Problem(display, exc.line, exc.column, "", exc.rule, exc.message))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        result.problems.append(Problem(display, line, column, "", "yaml-syntax", message))
    except yaml.YAMLError as exc:
        result.problems.append(Problem(display, 1, 1, "", "yaml-syntax", str(exc)))
    except RecursionError:
        result.problems.append(
            Problem(display, 1, 1, "", "too-deep", f"nesting deeper than {MAX_DEPTH} levels")
        )
    finally:
        loader.dispose()
    return result


def _could_be_deep(text: str) -> bool:
    """A cheap upper bound on nesting: a flow level needs a bracket, a block level needs
    more indentation or another `- ` / `? ` / `: ` indicator at the start of its line."""
    if text.count("[") + text.count("{") > SAFE_COMPOSE_DEPTH // 2:
        return True
    if any(brk in text for brk in _OTHER_BREAKS):
        return _LONG_LEAD_ANY_BREAK.search("\n" + text) is not None
    return _LONG_LEAD.search("\n" + text) is not None  # a literal "\n" first: a fast scan


# A line whose leading run of spaces and indicators could hold SAFE_COMPOSE_DEPTH / 2
# levels. YAML also breaks lines at CR, NEL, LS and PS; the plain-newline pattern is
# several times faster, so the other one is used only when such breaks are present.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
_LEAD = f"[ ?:-]{{{SAFE_COMPOSE_DEPTH // 4}}}"
_LONG_LEAD = re.compile("\n" + _LEAD)
_LONG_LEAD_ANY_BREAK = re.compile("[\n\r\x85\u2028\u2029]" + _LEAD)


def _check_depth(text: str) -> None:
    """Raise too-deep at the first node nested deeper than MAX_DEPTH, reading events only."""
    import yaml

    opening = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    closing = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    nodes = (*opening, yaml.ScalarEvent, yaml.AliasEvent)
    # The pure-Python parser: libyaml 0.2.6+ scans a whole run of flow brackets before it
    # emits the first event and stops at its own 1,000-level limit, which would hide the
    # place where the document first went too deep.
    loader: Any = yaml.SafeLoader(text)  # PyYAML's event API is untyped
    try:
        depth = -1  # the root node is at depth 0, as in _Builder.build
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, nodes) and depth + 1 > MAX_DEPTH:
                raise YamlRejected(
                    "too-deep", f"nesting deeper than {MAX_DEPTH} levels", *mark_of(event)
                )
            if isinstance(event, opening):
                depth += 1
            elif isinstance(event, closing):
                depth -= 1
    finally:
        loader.dispose()


class _Builder:
    """Turns a composed node tree into plain data in one pass, recording positions.

    Doing the construction here (instead of PyYAML's constructor) lets every safety rule
    run first and halves the cost of reading a record.
    """

    def __init__(self, loader: Any, positions: Positions, all_positions: bool = True) -> None:
        self.loader = loader
        self.positions = positions
        self.all_positions = all_positions
        self.seen: set[int] = set()
        self.duplicates: list[YamlRejected] = []
        self.source_refs: list[tuple[Path_, Any]] = []

    def build(self, node: Any, path: Path_, depth: int) -> Any:
        tag: str = node.tag
        if not tag.startswith(CORE_TAG) or "python/" in tag:
            raise YamlRejected("unsafe-tag", f"tag {tag!r} is not allowed", *mark_of(node))
        if depth > MAX_DEPTH:
            raise YamlRejected(
                "too-deep", f"nesting deeper than {MAX_DEPTH} levels", *mark_of(node)
            )
        if id(node) in self.seen:
            raise YamlRejected(
                "alias", "anchors and aliases (&name / *name) are not allowed", *mark_of(node)
            )
        self.seen.add(id(node))
        if self.all_positions or len(path) <= 1:
            self.positions.values[path] = mark_of(node)
        kind = tag[len(CORE_TAG) :]
        if kind == "str":
            return node.value
        if kind == "map":
            return self._mapping(node, path, depth)
        if kind == "seq":
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if kind == "null":
            return None
        if kind in TYPED_KINDS:
            return typed_scalar(self.loader, node, kind)
        raise YamlRejected("unsafe-tag", f"tag {tag!r} is not supported", *mark_of(node))

    def _mapping(self, node: Any, path: Path_, depth: int) -> dict[str, Any]:
        import yaml

        out: dict[str, Any] = {}
        first_seen: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlRejected(
                    "key-type", "mapping keys must be plain text", *mark_of(key_node)
                )
            key = key_node.value
            if not key.isprintable():
                raise YamlRejected(
                    "key-type",
                    f"key {key!r} holds control or formatting characters",
                    *mark_of(key_node),
                )
            if key == "<<":
                raise YamlRejected("alias", "merge keys (<<) are not allowed", *mark_of(key_node))
            where = mark_of(key_node) if self.all_positions or not path else (0, 0)
            if key in first_seen:
                if not self.all_positions:
                    where = mark_of(key_node)
                self.duplicates.append(
                    YamlRejected(
                        "duplicate-key",
                        f"duplicate key {key!r} (first defined on line {first_seen[key][0]})",
                        *where,
                    )
                )
            first_seen[key] = where
            if self.all_positions or not path:
                self.positions.keys[(*path, key)] = where
            out[key] = self.build(value_node, (*path, key), depth + 1)
        if "file" in out and "section" in out:
            self.source_refs.append((path, out["file"]))
            if not self.all_positions:
                file_node = next(v for k, v in node.value if k.value == "file")
                self.positions.values[(*path, "file")] = mark_of(file_node)
        return out
