"""`mxict export sqlite|xlsx|oc4ids|datapackage` and `mxict serve`, driven like a user would."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

from conftest import FIXTURES, ROOT, fetch, run_cli, serving
from mxict.dataset.catalog import load_catalog
from mxict.models import Status

TABLES = [
    "projects",
    "leads",
    "sectors",
    "export_opportunities",
    "contacts",
    "locations",
    "milestones",
    "financing",
    "lead_relations",
    "states",
    "sources",
    "acronyms",
]
VIEWS = ["project_overview", "opportunities"]
OC4IDS = FIXTURES / "oc4ids"
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
EXTRA_HINT = "pip install 'mxict[export]'"


@pytest.fixture(scope="module")
def catalog() -> Any:
    return load_catalog()


def codes(name: str) -> set[str]:
    with (OC4IDS / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return {row["Code"] for row in csv.DictReader(fh)}


def edited_copy(data_copy: Path, project_id: str, **changes: Any) -> Path:
    """The copied data tree with top-level fields of one project replaced."""
    path = data_copy / "projects" / f"{project_id}.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record.update(changes)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data_copy


# --------------------------------------------------------------------------- sqlite


def test_sqlite_is_normalised_searchable_and_described(tmp_path: Path, catalog: Any) -> None:
    target = tmp_path / "mxict.db"
    result = run_cli("export", "sqlite", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"wrote {target} and {tmp_path / 'mxict.metadata.json'}\n"

    db = sqlite3.connect(target)
    try:
        tables = {
            name for (name,) in db.execute("select name from sqlite_master where type = 'table'")
        }
        assert set(TABLES) <= tables
        assert db.execute("select count(*) from projects").fetchone() == (11,)
        assert db.execute("select count(*) from sectors").fetchone() == (5,)

        subsea = db.execute(
            """
            select o.project_id, o.description
            from export_opportunities o
            join projects p on p.id = o.project_id
            join sectors s on s.id = p.sector
            where s.annex = 'A2'  -- the subsea sector, found through the join
            order by o.id
            """
        ).fetchall()
        assert subsea == [
            (p.id, item.description)
            for p in catalog.projects.values()
            if p.sector.value == "subsea"
            for item in p.opportunities
        ]
        assert subsea and {project_id for project_id, _ in subsea} == {"gignet-1"}

        fiber = [
            project_id
            for (project_id,) in db.execute(
                "select p.id from projects_fts f join projects p on p.rowid = f.rowid "
                "where projects_fts match ? order by rank",
                ["fiber"],
            )
        ]
        assert "gignet-1" in fiber
        assert "national-digital-identity-system" not in fiber

        for table, column, other in [
            ("export_opportunities", "project_id", "projects"),
            ("contacts", "project_id", "projects"),
            ("milestones", "project_id", "projects"),
            ("financing", "project_id", "projects"),
            ("projects", "sector", "sectors"),
        ]:
            keys = db.execute(f"pragma foreign_key_list({table})").fetchall()
            assert [(k[2], k[3], k[4]) for k in keys] == [(other, column, "id")], table
        assert db.execute("pragma foreign_key_check").fetchall() == []

        gignet = db.execute(
            "select value_amount, value_currency, value_usd, last_verified, typeof(value_amount) "
            "from projects where id = 'gignet-1'"
        ).fetchone()
        project = catalog.project("gignet-1")
        assert gignet == (
            project.value.amount,
            "USD",
            project.value.amount,
            project.last_verified.isoformat(),
            "real",
        )
    finally:
        db.close()

    metadata = json.loads((tmp_path / "mxict.metadata.json").read_text(encoding="utf-8"))
    database = metadata["databases"]["mxict"]
    for entry in (metadata, database, *database["tables"].values()):
        assert {"title", "description", "source", "license", "license_url"} <= set(entry)
    assert list(database["tables"]) == [*TABLES, "dataset_info", *VIEWS]
    assert database["tables"]["projects"]["columns"]["value_usd"]


def test_sqlite_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.db"
    assert run_cli("export", "sqlite", str(target)).exit_code == 0
    again = run_cli("export", "sqlite", str(target))
    assert again.exit_code == 2
    assert "already exists; use --force" in again.stderr
    assert run_cli("export", "sqlite", str(target), "--force").exit_code == 0

    # A metadata file in the way stops the export before the database is written.
    lonely = tmp_path / "other.db"
    (tmp_path / "other.metadata.json").write_text("{}", encoding="utf-8")
    blocked = run_cli("export", "sqlite", str(lonely))
    assert blocked.exit_code == 2
    assert not lonely.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "other.metadata.json",
        "out.db",
        "out.metadata.json",
    ]


# --------------------------------------------------------------------------- xlsx


def test_xlsx_has_typed_cells_and_a_frozen_bold_header(tmp_path: Path, data_copy: Path) -> None:
    from openpyxl import load_workbook

    data = edited_copy(data_copy, "gignet-1", summary='=HYPERLINK("http://x") GigNet')
    target = tmp_path / "mxict.xlsx"
    result = run_cli("--data-dir", str(data), "export", "xlsx", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {len(TABLES) + 2} sheets to {target}\n"

    workbook = load_workbook(target)
    assert workbook.sheetnames == [*TABLES, "opportunity_leads", "info"]
    assert workbook.properties.title == "mxict: ICT investment projects in Mexico"
    assert "Licence: MIT" in (workbook.properties.description or "")
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])
    sheet = workbook["projects"]
    header = [cell.value for cell in sheet[1]]
    rows = {
        row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)
    }
    assert len(rows) == 11
    gignet = rows["gignet-1"]
    assert gignet["summary"] == '\'=HYPERLINK("http://x") GigNet'
    assert isinstance(gignet["value_amount"], int | float)
    assert gignet["value_amount"] == 38_000_000
    assert isinstance(gignet["last_verified"], date)
    amount_cell = sheet.cell(row=2, column=header.index("value_amount") + 1)
    assert amount_cell.data_type == "n"
    width = sheet.column_dimensions[amount_cell.column_letter].width
    assert width is not None and width >= len("value_amount") + 2  # fitted, not the default

    again = run_cli("--data-dir", str(data), "export", "xlsx", str(target))
    assert again.exit_code == 2
    assert run_cli("--data-dir", str(data), "export", "xlsx", str(target), "--force").exit_code == 0


# --------------------------------------------------------------------------- oc4ids


def oc4ids_validator() -> Any:
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    package_schema = json.loads((OC4IDS / "project-package-schema.json").read_text("utf-8"))
    project_schema = json.loads((OC4IDS / "project-schema.json").read_text("utf-8"))
    # The package schema refers to the project schema by its published URL: serve the
    # pinned copy under that URL so validation never touches the network.
    registry = Registry().with_resource(
        project_schema["id"], Resource.from_contents(project_schema, default_specification=DRAFT4)
    )
    return Draft4Validator(
        package_schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


def test_oc4ids_package_validates_against_the_pinned_schema(catalog: Any) -> None:
    result = run_cli("export", "oc4ids")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    package = result.json()

    validator = oc4ids_validator()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(package)]
    assert errors == []
    # The project schema really is applied: a value outside a closed codelist fails.
    broken = json.loads(result.stdout)
    broken["projects"][0]["status"] = "finished"
    assert not validator.is_valid(broken)

    assert package["version"] == "0.9"
    assert package["publisher"] == {"name": "mxict"}
    assert urlparse(package["uri"]).scheme
    assert DATE_TIME.match(package["publishedDate"])
    projects = package["projects"]
    assert [p["id"] for p in projects] == [f"oc4ids-mxict-{i}" for i in catalog.projects]

    statuses, sectors, roles = codes("projectStatus"), codes("projectSector"), codes("partyRole")
    for project in projects:
        assert project.get("status", "identification") in statuses
        assert set(project["sector"]) <= sectors
        assert DATE_TIME.match(project["updated"])
        for party in project["parties"]:
            assert set(party["roles"]) <= roles
        for milestone in project.get("milestones", []):
            for key in ("dateMet", "dueDate"):
                assert key not in milestone or DATE_TIME.match(milestone[key])

    gignet = next(p for p in projects if p["id"] == "oc4ids-mxict-gignet-1")
    assert gignet["title"] == "GigNet-1: Submarine Cable – Florida to Cancun"
    assert gignet["status"] == "implementation"
    assert gignet["sector"] == ["communications"]
    assert gignet["budget"]["amount"] == {"amount": 38000000.0, "currency": "USD"}
    assert gignet["publicAuthority"] == {
        "id": "fb-submarine-partners-llc",
        "name": "FB Submarine Partners LLC",
    }
    assert [(p["name"], p["roles"]) for p in gignet["parties"]] == [
        ("FB Submarine Partners LLC", ["publicAuthority"]),
        ("GigNet", ["funder"]),
    ]
    assert gignet["locations"] == [
        {
            "id": "1",
            "description": "Mexico (Cancun Landing)",
            "address": {"region": "Quintana Roo", "countryName": "Mexico"},
        }
    ]
    # An annual value is not a project budget: no budget.amount for it.
    ift = next(p for p in projects if p["id"] == "oc4ids-mxict-ift-roadmap-2021-25")
    assert "amount" not in ift["budget"]


def test_oc4ids_status_map_covers_every_status() -> None:
    from mxict.exports.oc4ids import STATUS_MAP

    assert set(STATUS_MAP) == set(Status)
    assert {code for code in STATUS_MAP.values() if code} <= codes("projectStatus")


def test_oc4ids_to_file(tmp_path: Path) -> None:
    target = tmp_path / "projects.json"
    result = run_cli("export", "oc4ids", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"wrote 11 projects to {target}\n"
    assert json.loads(target.read_text("utf-8")) == run_cli("export", "oc4ids").json()
    assert run_cli("export", "oc4ids", "-o", str(target)).exit_code == 2
    assert run_cli("export", "oc4ids", "-o", str(target), "--force").exit_code == 0


# --------------------------------------------------------------------------- datapackage


def test_datapackage_is_a_valid_frictionless_package(tmp_path: Path) -> None:
    import frictionless

    target = tmp_path / "mxict-data"
    result = run_cli("export", "datapackage", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {len(TABLES) + 1} files to {target}\n"

    report = frictionless.validate(target / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((target / "datapackage.json").read_text("utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == TABLES
    projects = next(r for r in descriptor["resources"] if r["name"] == "projects")
    types = {f["name"]: f["type"] for f in projects["schema"]["fields"]}
    assert (types["value_amount"], types["last_verified"], types["id"]) == (
        "number",
        "date",
        "string",
    )
    assert all(f["description"] for f in projects["schema"]["fields"])
    with (target / "projects.csv").open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 11
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mxict-data"]  # no temp dir left


def test_datapackage_overwrites_only_with_force_and_only_its_own_output(tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    assert run_cli("export", "datapackage", str(target)).exit_code == 0
    (target / "projects.csv").write_text("old", encoding="utf-8")
    refused = run_cli("export", "datapackage", str(target))
    assert refused.exit_code == 2
    assert "already exists; use --force" in refused.stderr
    assert run_cli("export", "datapackage", str(target), "--force").exit_code == 0
    assert (target / "projects.csv").read_text(encoding="utf-8") != "old"  # replaced

    unrelated = tmp_path / "notes"
    unrelated.mkdir()
    (unrelated / "keep.txt").write_text("mine", encoding="utf-8")
    guarded = run_cli("export", "datapackage", str(unrelated), "--force")
    assert guarded.exit_code == 1
    assert "holds no datapackage.json" in guarded.stderr
    assert (unrelated / "keep.txt").read_text(encoding="utf-8") == "mine"


# --------------------------------------------------------------------------- shared CLI rules


@pytest.mark.parametrize(
    ("args", "module"),
    [
        (("export", "sqlite", "x.db"), "sqlite_utils"),
        (("export", "xlsx", "x.xlsx"), "openpyxl"),
        (("serve",), "datasette"),
    ],
)
def test_missing_optional_library_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], module: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    result = run_cli(*args)
    assert result.exit_code == 2
    assert EXTRA_HINT in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_commands_have_help_with_examples_and_are_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in [
        "export",
        "export sqlite",
        "export xlsx",
        "export oc4ids",
        "export datapackage",
        "export geojson",
        "serve",
    ]:
        result = run_cli(*name.split(), "--help")
        assert result.exit_code == 0, name
        assert "Examples:" in result.stdout, name
        assert re.search(rf"mxict {re.escape(name)}\b", readme), f"README lacks `mxict {name}`"


# --------------------------------------------------------------------------- serve


def test_serve_cache_is_rebuilt_only_when_the_data_changes(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mxict.exports.serve import prepare

    monkeypatch.delenv("MXICT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = prepare(data_copy)
    assert first.rebuilt and first.temporary is None
    assert first.database.is_relative_to(tmp_path / "cache" / "mxict")
    assert first.database.name == "mxict.db" and first.metadata.is_file()
    assert prepare(data_copy).rebuilt is False

    changed = data_copy / "acronyms.yaml"
    stat = changed.stat()
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert prepare(data_copy).rebuilt is True

    # A cache directory that cannot be created falls back to a temporary directory.
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    fallback = prepare(data_copy)
    assert fallback.temporary is not None and fallback.database.is_file()
    assert fallback.database.is_relative_to(fallback.temporary)
    shutil.rmtree(fallback.temporary)  # `serve` removes it when it stops


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`mxict serve` running in a subprocess on a free local port; yields its base URL."""
    with serving(tmp_path_factory.mktemp("serve")) as served:
        yield served.base
        served.process.terminate()
        assert served.process.wait(timeout=15) == 0
        assert served.stdout.read_text("utf-8") == ""  # stdout is data only; logs: stderr


def test_serve_answers_datasette_queries(server: str, catalog: Any) -> None:
    rows = json.loads(fetch(f"{server}/mxict/projects.json?_shape=array"))
    assert len(rows) == 11
    assert sorted(row["id"] for row in rows) == sorted(catalog.projects)
    hits = json.loads(fetch(f"{server}/mxict/projects.json?_search=fiber&_shape=array"))
    assert "gignet-1" in {row["id"] for row in hits}
    metadata = json.loads(fetch(f"{server}/-/metadata.json"))
    assert metadata["databases"]["mxict"]["tables"]["projects"]["title"] == "Projects"
