"""`--jq EXPRESSION`: a real jq engine (the `jq` package) over the JSON a command prints.

As with `gh --jq`, each result is printed on its own: strings raw, anything else as JSON.
"""

from __future__ import annotations

import json
from typing import IO, Any

from mxict.errors import UsageError


def apply_jq(expression: str, data: Any) -> list[Any]:
    """Every result of `expression` run on `data`; a bad expression is a usage error."""
    try:
        import jq
    except ImportError:
        raise UsageError("--jq needs the jq package: pip install jq") from None
    try:
        program = jq.compile(expression)
    except ValueError as exc:
        raise UsageError(f"--jq {expression!r}: {' '.join(str(exc).split())}") from None
    try:
        return list(program.input_value(data).all())
    except ValueError as exc:
        raise UsageError(f"--jq {expression!r} failed: {' '.join(str(exc).split())}") from None


def write_jq(expression: str, data: Any, out: IO[str]) -> None:
    """Print each result: a string as it is, anything else as indented JSON."""
    for result in apply_jq(expression, data):
        if isinstance(result, str):
            out.write(result + "\n")
        else:
            out.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
