"""Reading a company profile (`mxict match --profile FILE`): YAML, safely, validated."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mxict.errors import UsageError

if TYPE_CHECKING:
    from mxict.models import CompanyProfile


def load_profile(path: Path) -> CompanyProfile:
    """The profile in `path`; every problem, located, in one usage error."""
    from pydantic import ValidationError

    from mxict.dataset.layout import display_name
    from mxict.dataset.loading import problems_from_validation
    from mxict.models import CompanyProfile
    from mxict.reader.exact import parse_file

    shown = display_name(path, None)
    if not path.is_file():
        raise UsageError(f"profile {shown!r} does not exist")
    parsed = parse_file(path, shown)
    problems = parsed.problems
    if not problems and not isinstance(parsed.data, dict):
        raise UsageError(f"{shown}: a profile is a mapping of field: value")
    if not problems:
        try:
            return CompanyProfile.model_validate(parsed.data)
        except ValidationError as exc:
            problems = problems_from_validation(exc, shown, parsed.positions)
    lines = "\n".join(f"{p} [{p.rule}]" for p in problems)
    raise UsageError(f"the profile is not valid:\n{lines}")
