"""A data tree's records as parsed, not validated: what `mxict diff` compares.

Records are read with the safe exact reader only, so two trees can be compared even when
one of them predates a rule (an old revision without `modified`) or breaks one.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from mxict.errors import UsageError

Doc = dict[str, Any]


def _plain(value: Any) -> Any:
    """YAML dates as ISO text, so records compare and print as JSON does."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def read_records(data_dir: Path, label: str) -> dict[tuple[str, str], Doc]:
    """Every record of a data tree, by (kind, id) (the id is the file's `id`, else its
    name). A file that cannot be read as YAML is a UsageError naming `label`."""
    from mxict.dataset.layout import discover, display_name
    from mxict.reader.exact import parse_file

    entries, _ = discover(data_dir)  # a missing folder is simply a tree without it
    records: dict[tuple[str, str], Doc] = {}
    for path, kind in entries:
        parsed = parse_file(path, display_name(path, data_dir))
        if parsed.problems or not isinstance(parsed.data, dict):
            where = parsed.problems[0] if parsed.problems else f"{path.name}: not a mapping"
            raise UsageError(f"cannot read the records of {label}: {where}")
        data = _plain(parsed.data)
        record_id = data.get("id") if isinstance(data.get("id"), str) else path.stem
        records[(kind, record_id)] = data
    return records
