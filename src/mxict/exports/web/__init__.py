"""What `mxict serve` adds to Datasette: a plugin, page templates and a style sheet.

Datasette loads them from these folders (`--plugins-dir`, `--template-dir`, `--static`),
so they apply only to the Datasette that `mxict serve` starts, never to another one
installed beside mxict.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
PLUGINS = HERE / "plugins"
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
STATIC_MOUNT = "mxict-static"  # served at /mxict-static/, apart from the database's /mxict/
STYLE_SHEET = f"/{STATIC_MOUNT}/mxict.css"
