"""The `modified-not-moved` rule: a record whose content changed since a git revision must
have its `modified` date moved on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mxict.errors import Problem

# Dates of the record's life, not its content: changing only these is not a change.
NOT_CONTENT = ("modified", "last_verified")


def record_content(data: dict[str, Any]) -> dict[str, Any]:
    """A parsed record without `modified` and `last_verified`."""
    return {key: value for key, value in data.items() if key not in NOT_CONTENT}


def unmoved_modified(data_dir: Path, revision: str = "HEAD") -> list[Problem]:
    """A problem for every record file whose content differs from `revision` while its
    `modified` date is no later than it was then. Nothing outside a git checkout."""
    from mxict.dataset.history import changed_since
    from mxict.dataset.layout import display_name
    from mxict.reader.exact import parse_text

    changed = changed_since(data_dir, revision)
    problems: list[Problem] = []
    for name, old_text in sorted((changed or {}).items()):
        if not name.endswith(".yaml"):
            continue
        path = data_dir / name
        display = display_name(path, data_dir)
        try:
            new_text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the loader reports unreadable files
        new, old = parse_text(new_text, display), parse_text(old_text, display)
        if not (isinstance(new.data, dict) and isinstance(old.data, dict)):
            continue  # unparsable now or then: the loader's problems say why
        if "modified" not in old.data or record_content(new.data) == record_content(old.data):
            continue  # a record from before `modified`, or only its dates changed
        if "modified" not in new.data:
            continue  # the models report a missing date
        was, now = str(old.data["modified"]), str(new.data["modified"])
        if now > was:
            continue
        line, column = new.positions.locate(("modified",))
        problems.append(
            Problem(
                display,
                line,
                column,
                "modified",
                "modified-not-moved",
                f"the record's content changed since {revision} but modified is still {was}; "
                "set it to the day of the change",
            )
        )
    return problems
