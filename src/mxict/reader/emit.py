"""YAML text from plain data, for the `yaml` output format (PyYAML stays in this package)."""

from __future__ import annotations

from typing import Any


def dump_yaml(data: Any) -> str:
    """YAML with Spanish text kept readable and keys in record order."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100))
