"""Where building the cache of a large tree goes (`python benchmarks/phases.py DATA_DIR`).

Times each phase of the first `list` on one core, per record, over a sample of project
files: parse (the fast reader, as the worker processes use it), validate (the pydantic
models), summarise (the record as JSON and its summary, made in the workers), then the
parent's side over the whole tree as the real build runs it (receiving each file's
result, cross-checks, writing the cache files). Usage:

    python benchmarks/phases.py DATA_DIR [--sample N] [--no-build]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--no-build", action="store_true", help="only the per-record phases")
    args = parser.parse_args()

    from mxict.dataset.layout import discover
    from mxict.dataset.summary import summary_of
    from mxict.models import RECORD_MODELS, record_json
    from mxict.reader.exact import parse_file

    gc.disable()  # as the CLI runs
    entries, _ = discover(args.data_dir)
    projects = [path for path, kind in entries if kind == "project"]
    step = max(1, len(projects) // args.sample)
    sample = projects[::step][: args.sample]
    spent = {"parse": 0.0, "validate": 0.0, "summarise": 0.0}
    for path in sample:
        start = time.perf_counter()
        parsed = parse_file(path, "", all_positions=False, fast=True)
        middle = time.perf_counter()
        record = RECORD_MODELS["project"].model_validate(parsed.data)
        after = time.perf_counter()
        doc = record_json(record)
        json.dumps(doc, ensure_ascii=False)
        json.dumps(summary_of(doc), ensure_ascii=False)
        end = time.perf_counter()
        spent["parse"] += middle - start
        spent["validate"] += after - middle
        spent["summarise"] += end - after
    count = len(projects)
    workers = os.cpu_count() or 1
    print(f"{count:,} project files; per-record phases measured on {len(sample):,}, one core")
    for phase, seconds in spent.items():
        per = seconds / len(sample)
        print(
            f"  {phase:10} {per * 1e3:6.2f} ms/record  {per * count:7.1f} s of CPU for the tree"
            f"  (~{per * count / workers:6.1f} s on {workers} workers)"
        )

    if args.no_build:
        return
    from mxict.dataset import snapshot

    with tempfile.TemporaryDirectory(prefix="mxict-phases-") as folder:
        start = time.perf_counter()
        snapshot.build(args.data_dir, Path(folder), "phases")
        total = time.perf_counter() - start
        sizes = {p.name: p.stat().st_size for p in Path(folder).iterdir()}
    print(f"whole build (workers and parent): {total:.1f} s; files written: {sizes}")


if __name__ == "__main__":
    main()
