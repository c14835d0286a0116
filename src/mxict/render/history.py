"""The data's history for people: `mxict info` and `mxict diff` as plain lines of text."""

from __future__ import annotations

import json
from typing import Any

from mxict.render.text import inert

Doc = dict[str, Any]
KIND_NAMES = {
    "project": ("project", "projects"),
    "lead": ("lead", "leads"),
    "sector": ("sector", "sectors"),
    "acronyms": ("acronym list", "acronym lists"),
    "country": ("country overview", "country overviews"),
    "sources": ("source registry", "source registries"),
}
VALUE_WIDTH = 100  # a changed value longer than this is cut in the summary (JSON has it all)


def _count(kind: str, number: int) -> str:
    one, many = KIND_NAMES.get(kind, (kind, kind))
    return f"{number} {one if number == 1 else many}"


def info_lines(info: Doc) -> list[str]:
    """`mxict info` as aligned `label: value` lines."""
    counts = ", ".join(_count(kind, n) for kind, n in info["records"].items())
    facts = [
        ("mxict", info["tool_version"]),
        ("dataset", info["dataset_version"] or "no version (the data has no VERSION file)"),
        ("data", info.get("data_dir", "")),
        ("records", f"{info['total']} ({counts})"),
        ("modified", f"{info['modified']} (the newest record change)"),
        ("content hash", info["content_hash"]),
    ]
    width = max(len(label) for label, _ in facts)
    return [inert(f"{label:>{width}}: {value}") for label, value in facts]


def _value(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


def diff_lines(result: Doc) -> list[str]:
    """`mxict diff` for people: a count line, then each record added, removed or changed,
    with its changed fields as `path: old -> new`."""
    added, removed, changed = result["added"], result["removed"], result["changed"]
    if result["equal"]:
        return [f"no differences between {result['old']} and {result['new']}"]
    lines = [
        f"{result['old']} -> {result['new']}: {len(added)} added, {len(removed)} removed, "
        f"{len(changed)} changed"
    ]
    lines += [f"+ {r['kind']} {r['id']}" for r in added]
    lines += [f"- {r['kind']} {r['id']}" for r in removed]
    for record in changed:
        lines.append(f"~ {record['kind']} {record['id']}")
        lines += [
            f"    {c['path']}: {_value(c['old'])} -> {_value(c['new'])}" for c in record["changes"]
        ]
    return [inert(line) for line in lines]
