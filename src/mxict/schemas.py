"""JSON Schemas generated from the models, for editors and other tools."""

from __future__ import annotations

import json

from mxict.errors import UsageError

KINDS = ("project", "lead", "sector", "acronyms", "country", "sources")


def schema_for(kind: str) -> dict[str, object]:
    """The JSON Schema of one record kind."""
    from mxict.models import RECORD_MODELS

    if kind not in RECORD_MODELS:
        raise UsageError(f"unknown record kind {kind!r}; choose from: {', '.join(KINDS)}")
    schema = RECORD_MODELS[kind].model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://mxict.invalid/schemas/{kind}.schema.json",
        **schema,
    }


def schema_json(kind: str) -> str:
    """The schema as stable, pretty JSON text."""
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
