"""A fast way to read plain records: rapidyaml parses, PyYAML's rules type the values.

PyYAML with libyaml spends about a millisecond building Python nodes for a 5 KB record,
which is most of a cold `mxict validate` of a large tree. rapidyaml parses the same text in
a tenth of that and emits JSON, which the C json decoder turns into plain data.

What this module returns must equal what the exact reader (`reader.exact`) builds, so it reads
only a plain subset of YAML and returns None for anything else: tags, anchors, aliases,
merge keys, directives, document markers, explicit keys, non-empty flow collections,
escapes, tabs, line breaks other than LF, characters YAML forbids, block scalars with keep
chomping or an indentation indicator, nesting deeper than the exact reader allows,
duplicate or unprintable keys, and every parse error. The caller then reads the text with
the exact reader, which applies every safety rule and points at each problem.

Scalars are typed as PyYAML types them (YAML 1.1: `yes` is a bool, `2021-10-07` a date).
rapidyaml emits bare JSON numbers, bools and nulls only for plain scalars PyYAML gives the
same value (floats with an exponent and over-long numbers excepted, see _float), and
keeps quoted text as strings. So only strings one of PyYAML's implicit resolvers would
match are looked at again: they are typed from rapidyaml's own node, its text and whether
it was quoted. Node ids follow document order, and the walk checks that it met exactly as
many nodes as the tree holds.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mxict.reader.rules import (
    CORE_TAG,
    MAX_DEPTH,
    MAX_NUMBER_CHARS,
    TYPED_KINDS,
    Path_,
    YamlRejected,
    loader_class,
    typed_scalar,
)

# What may follow where a node begins (after `-`, `:`, `?` and spaces, or at the start
# of a line): anchors, aliases, tags, explicit keys and their values, characters that
# cannot start a plain scalar and that rapidyaml would take as text (`,` and `%` it
# refuses, as PyYAML does), flow collections other than [] and {}, block scalars other
# than | |- > >-, and a quoted scalar over several lines used as a key (PyYAML refuses
# it, rapidyaml does not). The text is read with a LF before and after it.
OUTSIDE_SUBSET_AT_NODE = re.compile(
    r"[-:?\n] *(?=[&*!\]}@`?:\[{|>'\"])"  # a quick look first: most places hold none
    r"(?:[&*!\]}@`]|(?<=[ \n])[?:][ \n]|\[(?!\] *(?:#[^\n]*)?\n)|\{(?!\} *(?:#[^\n]*)?\n)"
    r"|[|>](?!-? *(?:#[^\n]*)?\n)"
    r"|(?:'[^'\n]*(?:''[^'\n]*)*\n[^']*(?:''[^']*)*'|\"[^\"\n]*\n[^\"]*\") *:[ \n])"
)
_DOCUMENT_MARK = re.compile(r"\n(?:---|\.\.\.)[ \n]|\n%")  # markers and directives

# That pattern tries a match at every `-`, `:` and line break, which costs more than all
# the rest of reading a record; in_subset finds the same with string searches instead.
_RARE_AT_NODE = "&*!]}@`[{|>"  # found one by one, then the spaces before them skipped
_ALLOWED_AT_NODE = re.compile(r"(?:\[\]|\{\}|[|>]-?) *(?:#[^\n]*)?\n")  # [] {} | |- > >-
# `:` and `?` at a node start follow a space or LF (after `-` `:` `?` an indicator needs
# one), and a quoted key ends in `':` or `":`. A `,` there is left to rapidyaml, which
# refuses it as PyYAML does. Multi-character searches cost five times a single one.
_COMMON_AT_NODE = (" :", "\n:", "':", '":')
_DOCUMENT_MARKS = (("-", "\n---"), (".", "\n..."), ("%", "\n%"))


def in_subset(text: str) -> bool:
    """Whether `text` avoids every construct this module leaves to the exact reader.

    The answer is that of OUTSIDE_SUBSET_AT_NODE and _DOCUMENT_MARK (a test holds it to
    them), found with string searches, which cost a tenth as much.
    """
    # Printable text and LF only: no tab, CR, NEL, LS, PS, byte-order mark, control or
    # unassigned characters, nor (stricter than YAML) a no-break space; no backslash
    # escapes; no merge keys.
    if "\\" in text or "<<" in text or not text.replace("\n", " ").isprintable():
        return False
    framed = "\n" + text + "\n"
    marked = any(mark in framed for char, mark in _DOCUMENT_MARKS if char in framed)
    if marked and _DOCUMENT_MARK.search(framed):
        return False
    for char in _RARE_AT_NODE:
        at = framed.find(char)
        while at != -1:
            before = at
            while framed[before - 1] == " ":
                before -= 1
            if framed[before - 1] in "-:?\n" and not _ALLOWED_AT_NODE.match(framed, at):
                return False
            at = framed.find(char, at + 1)
    if "?" in framed or any(pair in framed for pair in _COMMON_AT_NODE):
        return OUTSIDE_SUBSET_AT_NODE.search(framed) is None  # rare: ask the full pattern
    return True


class _NotPlain(Exception):
    """Internal: the text leaves the subset this module can read exactly."""


def available() -> bool:
    """Whether rapidyaml can be imported here."""
    return _ryml() is not None


def read_plain(text: str) -> tuple[dict[str, Any], list[tuple[Path_, Any]]] | None:
    """The record's data and its cited source files, or None if the exact reader must run.

    The source references are (path, file) for every mapping with `file` and `section`,
    in the order the exact reader lists them.
    """
    ryml = _ryml()
    # rapidyaml writes its parse errors to stderr; it can be silenced only while no other
    # thread could be writing there (a progress bar), so elsewhere the exact reader runs.
    if ryml is None or threading.active_count() != 1:
        return None
    if not in_subset(text):
        return None
    try:
        with _stderr_silenced():
            tree = ryml.parse_in_arena(text.encode("utf-8"))
        # Duplicate keys collapse in the dict, and the node count below then falls short.
        emitted = ryml.emit_json(tree)
        if type(emitted) is not str:
            return None  # nothing but comments: the exact reader says the file is empty
        data = json.loads(emitted, parse_int=_int, parse_float=_float)
        if type(data) is not dict:
            return None
        walker = _Walker(ryml, tree)
        if walker.visit(data, (), 0, 1) != tree.size():
            return None  # the walk missed nodes: duplicate keys collapsed in the dict
    except (_NotPlain, ValueError, RecursionError, ryml.ExceptionBasic):
        return None  # a parse error, or outside the subset: the exact reader decides
    return data, walker.source_refs


# JSON numbers come from plain scalars, and PyYAML agrees on their value, except that its
# YAML 1.1 floats need a dot and a signed exponent (`1e5` is a str there) and that it
# refuses numbers too long to convert quickly.


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _NotPlain
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS or "e" in text or "E" in text:
        raise _NotPlain
    return float(text)


class _Walker:
    """Visits the decoded data in document order, re-typing scalars as PyYAML would."""

    def __init__(self, ryml: Any, tree: Any) -> None:
        self.tree = tree
        self.source_refs: list[tuple[Path_, Any]] = []
        low = ryml._ryml  # the raw bindings: a third of the cost of the wrapper methods
        self.key_of, self.val_of = low.Tree_key, low.Tree_val
        self.is_quoted = low.Tree_is_val_quoted
        loader = loader_class()
        self.plain_tag = loader.plain_tag
        self.first_chars = loader.resolvable_first_chars

    def visit(self, container: Any, path: Path_, depth: int, node: int) -> int:
        """Re-type the scalars in `container` (a dict or a list) in place, and below it.

        `node` is the id of its first child (ids follow document order; the root is 0);
        returns the id after its last descendant. Written for speed: it runs for every
        node of every record.
        """
        if depth >= MAX_DEPTH:
            raise _NotPlain  # the exact reader locates the node that is too deep
        first_chars, plain = self.first_chars, _PLAIN_TEXT
        is_map = isinstance(container, dict)
        items: Any = container.items() if is_map else enumerate(container)
        for key, child in items:
            if is_map and key not in plain:
                self._check_key(key, node)
            kind = type(child)
            if kind is dict or kind is list:
                node = self.visit(child, (*path, key), depth + 1, node + 1)
                continue
            if kind is str and child[:1] in first_chars and child not in plain:
                container[key] = self._scalar(child, node)
            elif kind is int or kind is float:
                container[key] = self._number(child, node)
            node += 1
        if is_map and "file" in container and "section" in container:
            self.source_refs.append((path, container["file"]))
        return node

    def _check_key(self, key: str, node: int) -> None:
        if not key.isprintable():
            raise _NotPlain  # the exact reader refuses control and formatting characters
        if key[:1] in self.first_chars and self.plain_tag(key) != _STR_TAG:
            if self._text(self.key_of, node) != key:
                raise _NotPlain  # a key the JSON spelled differently from the YAML
        else:
            _remember_plain(key)

    def _scalar(self, value: str, node: int) -> Any:
        """`value` as PyYAML types it: a str unless some resolver matches it and its node is
        plain (unquoted)."""
        if self.plain_tag(value) == _STR_TAG:
            _remember_plain(value)
            return value
        raw = self._text(self.val_of, node)
        if raw != value:
            raise _NotPlain  # the JSON spelled it differently (`.NaN` as `.nan`)
        if self.is_quoted(self.tree, node):
            return value
        return self._typed(raw)

    def _number(self, value: float, node: int) -> Any:
        """A JSON number as PyYAML types its YAML text: rapidyaml emits some plain scalars
        as numbers that YAML 1.1 reads as text (`-.5` is a str there, `-0.5` in JSON)."""
        raw = self._text(self.val_of, node)
        if type(value) is int and _DECIMAL.fullmatch(raw) is not None:
            return value  # the common case, spelled alike in both
        if self.is_quoted(self.tree, node):
            raise _NotPlain  # a JSON number from quoted text: not what this was written for
        return self._typed(raw)

    def _typed(self, raw: str) -> Any:
        """The plain scalar `raw` as PyYAML's implicit resolvers and constructors type it."""
        tag = self.plain_tag(raw)
        kind = tag[len(CORE_TAG) :]
        if kind == "str":
            typed: Any = raw
        elif kind == "null":
            typed = None
        elif kind in TYPED_KINDS:
            try:
                typed = typed_scalar(*_constructor(tag, raw), kind)
            except YamlRejected:
                raise _NotPlain from None
        else:
            raise _NotPlain  # `=` and other resolvers the exact reader refuses
        return typed

    def _text(self, getter: Any, node: int) -> str:
        view = getter(self.tree, node)
        return "" if view is None else str(view, "utf-8")


# Printable text no resolver matches: keys and values repeat across records (field names,
# enums, place names), so each is checked once per process. Bounded against huge trees.
_PLAIN_TEXT: set[str] = set()


def _remember_plain(text: str) -> None:
    if len(_PLAIN_TEXT) < 20_000:
        _PLAIN_TEXT.add(text)


_CONSTRUCTOR: Any = None


def _constructor(tag: str, text: str) -> tuple[Any, Any]:
    """PyYAML's constructor and a scalar node to build (no positions: errors fall back)."""
    global _CONSTRUCTOR
    import yaml

    if _CONSTRUCTOR is None:
        _CONSTRUCTOR = loader_class()("")
    return _CONSTRUCTOR, yaml.ScalarNode(tag, text)


_STR_TAG = CORE_TAG + "str"
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)")  # an int YAML 1.1 and JSON spell alike
_RYML: Any = None
_DEVNULL: int | None = None


_NEEDED = ("parse_in_arena", "emit_json", "ExceptionBasic")
_NEEDED_RAW = ("Tree_key", "Tree_val", "Tree_is_val_quoted")


def _ryml() -> Any:
    """rapidyaml, or None where it is missing or its API is not the one this was written for
    (an accelerator only: without it the exact reader reads everything)."""
    global _RYML
    if _RYML is None:
        try:
            import ryml
        except ImportError:
            _RYML = False
        else:
            raw = getattr(ryml, "_ryml", None)
            usable = (
                all(hasattr(ryml, name) for name in _NEEDED)
                and all(hasattr(raw, name) for name in _NEEDED_RAW)
                # the walk skips strings by their first character, which needs every
                # resolver of the loader to declare the characters it starts with
                and loader_class().resolvable_first_chars is not None
            )
            _RYML = ryml if usable else False
    return _RYML or None


@contextmanager
def _stderr_silenced() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the duration (a closed stderr is left)."""
    global _DEVNULL
    try:
        if _DEVNULL is None:
            _DEVNULL = os.open(os.devnull, os.O_WRONLY)
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        os.dup2(_DEVNULL, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
