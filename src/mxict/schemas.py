"""JSON Schemas generated from the models, for editors and other tools."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from mxict.errors import UsageError

if TYPE_CHECKING:
    from pydantic import BaseModel

KINDS = ("project", "lead", "sector", "acronyms", "country", "sources", "profile")


def schema_for(kind: str) -> dict[str, object]:
    """The JSON Schema of one record kind."""
    from mxict.models import RECORD_MODELS, CompanyProfile

    models: dict[str, type[BaseModel]] = {**RECORD_MODELS, "profile": CompanyProfile}
    if kind not in models:
        raise UsageError(f"unknown record kind {kind!r}; choose from: {', '.join(KINDS)}")
    schema = models[kind].model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://mxict.invalid/schemas/{kind}.schema.json",
        **schema,
    }


def schema_json(kind: str) -> str:
    """The schema as stable, pretty JSON text."""
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
