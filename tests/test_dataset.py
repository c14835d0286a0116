"""The dataset itself: pinned against the USTDA guide (Table 1, value boxes, tables, contacts)."""

from __future__ import annotations

import pytest

from mxict import load_catalog
from mxict.dataset.catalog import Catalog
from mxict.models import ContactRole


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


# id -> (value as printed, amount in USD, basis, sponsor acronym or name, sector)
PROJECTS = {
    "ift-roadmap-2021-25": (">$1 Billion Annually", 1e9, "annual", "IFT", "terrestrial"),
    "digital-transformation-social-inclusion": (
        "$120 Million",
        120e6,
        "total",
        "DGPTR",
        "terrestrial",
    ),
    "rural-semi-urban-telecom-smes": ("$30 Million", 30e6, "total", "PROMTEL", "terrestrial"),
    "national-digital-strategy": ("$550 Million", 550e6, "total", "CEDN", "terrestrial"),
    "tabasco-telecom-master-plan": (
        "$7 million",
        7e6,
        "total",
        "State Government of Tabasco",
        "terrestrial",
    ),
    "gignet-1": ("$38 Million", 38e6, "total", "FB Submarine Partners LLC", "subsea"),
    "queretaro-digital-hub": ("$400 Million", 400e6, "total", "SEDESU", "data-centers"),
    "national-digital-identity-system": ("$225 Million", 225e6, "total", "SEGOB", "smart-cities"),
    "public-financial-management-modernization": (
        "$110 Million",
        110e6,
        "total",
        "SHCP",
        "smart-cities",
    ),
    "chetumal-smart-city": (
        "$500 Million",
        500e6,
        "total",
        "State Government of Quintana Roo",
        "smart-cities",
    ),
    "cemex-digital-transformation": ("$150 Million", 150e6, "total", "CEMEX", "iot-ai"),
}


def test_eleven_projects_five_sectors(catalog: Catalog) -> None:
    assert sorted(catalog.projects) == sorted(PROJECTS)
    assert [(s.id.value, s.annex) for s in catalog.sectors.values()] == [
        ("terrestrial", "A1"),
        ("subsea", "A2"),
        ("data-centers", "A3"),
        ("smart-cities", "A4"),
        ("iot-ai", "A5"),
    ]


@pytest.mark.parametrize("project_id", sorted(PROJECTS))
def test_project_value_sponsor_sector(catalog: Catalog, project_id: str) -> None:
    printed, amount, basis, sponsor, sector = PROJECTS[project_id]
    project = catalog.project(project_id)
    assert project.value.as_printed == printed
    assert project.value.amount == amount
    assert project.value.currency == "USD"
    assert project.value.basis.value == basis
    assert (project.sponsor.acronym or project.sponsor.name) == sponsor
    assert project.sector.value == sector


def test_value_qualifiers_are_kept(catalog: Catalog) -> None:
    assert catalog.project("ift-roadmap-2021-25").value.bound.value == "more_than"
    assert catalog.project("cemex-digital-transformation").value.bound.value == "at_least"
    assert catalog.project("chetumal-smart-city").value.original is not None
    assert catalog.project("chetumal-smart-city").value.original.currency == "MXN"
    national = catalog.project("national-digital-strategy").value
    assert national.original is not None and national.original.amount == 11_000_000_000


def test_sponsor_names_as_printed_in_table_1(catalog: Catalog) -> None:
    assert catalog.project("ift-roadmap-2021-25").sponsor.name == (
        "Instituto Federal de Telecomunicaciones"
    )
    assert catalog.project("national-digital-strategy").sponsor.name == (
        "Coordinación de Estratégia Digital Nacional"
    )  # the source's own spelling
    assert catalog.project("queretaro-digital-hub").sponsor.name == (
        "Secretaría de Desarrollo Sostenible, Estado de Querétaro"
    )
    assert catalog.project("public-financial-management-modernization").sponsor.name == (
        "Secretaría de Hacienda y Crédito Público"
    )


def test_contacts_spot_checks(catalog: Catalog) -> None:
    identity = catalog.project("national-digital-identity-system")
    sponsor = next(c for c in identity.contacts if c.role is ContactRole.PROJECT_SPONSOR)
    assert sponsor.name == "Jorge Leonel Wheatley Fernández"
    assert sponsor.email == "jwheatley@segob.gob.mx"
    ustda = next(c for c in identity.contacts if c.role is ContactRole.USTDA)
    assert (ustda.name, ustda.email) == ("Anna Coby", "LAC@ustda.gov")
    commercial = next(c for c in identity.contacts if c.role is ContactRole.US_COMMERCIAL_SERVICE)
    assert commercial.email == "adriana.carillo@trade.gov"
    emails = {c.email for p in catalog.projects.values() for c in p.contacts if c.email}
    assert {
        "jose_deluna@hacienda.gob.mx",
        "rolandorrol@hotmail.com",
        "luis.hernandez@cemex.com",
    } <= emails


def test_table_2_disbursements(catalog: Catalog) -> None:
    project = catalog.project("digital-transformation-social-inclusion")
    table = next(t for t in project.tables if t.number == 2)
    assert table.title == "Annual Project Disbursements"
    assert table.rows == [
        [1, 8.5, 8.5],
        [2, 28.4, 36.9],
        [3, 27.9, 64.8],
        [4, 27.6, 92.4],
        [5, 27.6, 120.0],
    ]


def test_tables_2_to_15_are_all_present(catalog: Catalog) -> None:
    numbers = sorted(t.number for p in catalog.projects.values() for t in p.tables)
    numbers += sorted(t.number for s in catalog.sectors.values() for t in s.tables)
    assert sorted(numbers) == list(range(2, 16))


def test_table_8_identity_components(catalog: Catalog) -> None:
    project = catalog.project("national-digital-identity-system")
    table = next(t for t in project.tables if t.number == 8)
    amounts = [row[-1] for row in table.rows]
    assert amounts == [137.0, 61.0, 27.0, 225.0]


def test_acronyms_as_printed_with_the_duplicate(catalog: Catalog) -> None:
    entries = catalog.acronyms.entries
    assert len(entries) == 145
    ibrd = [e.definition for e in entries if e.acronym == "IBRD"]
    assert ibrd == [
        "International Bank for Reconstruction and Development, World Bank Group",
        "International Bank for Redevelopment",
    ]
    assert entries[0].acronym == "3D"


def test_regulator_successor_is_a_dated_fact(catalog: Catalog) -> None:
    regulator = catalog.country.regulator
    assert regulator.acronym == "IFT"
    successor = regulator.successors[0]
    assert (successor.date, successor.change.value, successor.acronym) == (
        "2024-11",
        "dissolved",
        "ATDT",
    )
    assert successor.sources[0].file == "csis-2025-competitive-ict-nearshoring.txt"


def test_every_record_is_cited_and_dated(catalog: Catalog) -> None:
    known = {d.file for d in catalog.sources.documents}
    assert "ustda-mexico-ict-resource-guide.txt" in known
    records = [
        *catalog.projects.values(),
        *catalog.sectors.values(),
        catalog.acronyms,
        catalog.country,
    ]
    for record in records:
        assert record.sources, record
        assert record.last_verified.year >= 2026


def test_no_pdf_artifacts_in_names(catalog: Catalog) -> None:
    texts = [p.name for p in catalog.projects.values()]
    texts += [e.definition for e in catalog.acronyms.entries]
    for text in texts:
        assert "  " not in text, text
    headings = [s.heading.split()[0] for s in catalog.sectors["smart-cities"].sections]
    assert headings.count("A4.1.3") == 1  # the source numbers two sections A4.1.3
    assert "A4.1.4" in headings
