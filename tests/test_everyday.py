"""The three everyday uses, checked as a new user meets them: every example in the README
and in `--help` returns what it promises, and each answer is the right one."""

from __future__ import annotations

import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CACHE, DATA_FILES, ROOT, run_cli
from mxict.cli.main import app

MXICT = Path(sys.executable).parent / "mxict"

# --------------------------------------------------------------------------- examples


def _readme_examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"More examples:\n\n```sh\n(.*?)```", readme, re.S)
    assert block
    table = re.findall(r"^\| `[^`]+` \| [^|]+ \| `(mxict [^`]+)` \|$", readme, re.M)
    return [*block.group(1).splitlines(), *table]


def _help_examples() -> list[str]:
    commands = [[c.name] for c in app.registered_commands if c.name]
    commands += [["sectors"], ["sectors", "show"]]
    found = []
    for command in commands:
        text = run_cli(*command, "--help").stdout
        found += re.findall(r"^\s+(mxict [^\n]+)$", text.split("Examples:")[-1], re.M)
    return found


EXAMPLES = sorted(set(_readme_examples() + _help_examples()))


def _runnable(line: str) -> tuple[list[str], str | None]:
    """The mxict arguments of an example, and the jq filter it pipes into (if any)."""
    tokens = shlex.split(line)
    ends = [i for i, token in enumerate(tokens) if token in ("|", ">", "&&")]
    args = tokens[: ends[0]] if ends else tokens
    jq = None
    if ends and tokens[ends[0]] == "|" and tokens[ends[0] + 1 : ends[0] + 2] == ["jq"]:
        jq = tokens[ends[0] + 2]
    return args[1:], jq


@pytest.mark.parametrize("line", EXAMPLES)
def test_every_example_returns_what_it_promises(
    line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args, jq = _runnable(line)
    if "serve" in args:
        pytest.skip("serve runs until stopped: tests/test_exports.py starts it")
    writes = "-o" in args or "--ics" in args or args[:1] == ["export"]
    monkeypatch.chdir(tmp_path if writes else ROOT)  # examples name data/ in a checkout
    if "HEAD~3" in args and run_cli("diff", "HEAD~3", "HEAD").exit_code == 2:
        pytest.skip("a shallow clone: HEAD~3 is not there")
    result = run_cli(*args, env={"MXICT_TODAY": "2028-12-06"})
    # diff answers 1 when the versions differ (like diff): the checkout's history, or
    # data edited and not yet committed.
    assert result.exit_code in ((0, 1) if args[:1] == ["diff"] else (0,)), (line, result.stderr)
    assert "match" not in result.stderr, (line, result.stderr)  # "no projects match"
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    if writes:
        assert written and all(p.stat().st_size > 0 for p in written), line
    elif args[:1] == ["validate"]:
        assert result.stderr.startswith("ok: "), line
    else:
        assert result.stdout.strip(), line
        if jq is not None:
            jq_module = pytest.importorskip("jq")
            assert jq_module.compile(jq).input_text(result.stdout).all() != [], line


def test_examples_cover_every_command() -> None:
    used = {_runnable(line)[0][0] for line in EXAMPLES if _runnable(line)[0]}
    names = {c.name for c in app.registered_commands if c.name} | {"sectors", "export"}
    assert names <= used


# --------------------------------------------------------------------------- CI


def test_validate_says_which_data_it_checked(data_copy: Path) -> None:
    result = run_cli("validate", "--data-dir", str(data_copy))
    assert result.stderr == f"ok: {DATA_FILES} files valid in {data_copy}/\n"


# --------------------------------------------------------------------------- terminal


def test_partial_email_of_promtel_is_kept_and_marked() -> None:
    record = run_cli("show", "rural-semi-urban-telecom-smes", "--json").json()
    sponsor = next(c for c in record["contacts"] if c["role"] == "project_sponsor")
    assert sponsor["email"] is None
    assert sponsor["email_partial"] == "promtel.gob.mx"
    layout = run_cli("show", "rural-semi-urban-telecom-smes").stdout
    assert "…@promtel.gob.mx (only the domain is printed)" in layout
    rows = run_cli(
        "export-opportunities", "--sponsor", "promtel", "--fields", "sponsor_contact", "--json"
    ).json()
    assert {r["sponsor_contact"] for r in rows} == {"PROMTEL <…@promtel.gob.mx>"}


def test_money_sorts_by_usd_and_text_ignores_case_and_accents() -> None:
    by_value = run_cli("list", "--sort", "-value", "--fields", "id", "--json").json()
    assert [r["id"] for r in by_value][:3] == [
        "national-digital-strategy",
        "chetumal-smart-city",
        "queretaro-digital-hub",
    ]
    assert by_value[-1]["id"] == "ift-roadmap-2021-25"  # annual: not ranked among totals
    opportunities = run_cli(
        "export-opportunities", "--sort", "-project_value", "--fields", "project_id", "--json"
    ).json()
    assert opportunities[0]["project_id"] == "national-digital-strategy"
    names = run_cli("list", "--sort", "sponsor_name", "--fields", "sponsor_name", "--json").json()
    folded = [r["sponsor_name"].casefold() for r in names]
    assert folded.index("secretaría de gobernación") < folded.index(
        "secretaría de hacienda y crédito público"
    )


@pytest.mark.parametrize("query", ["subsea cable", "cable subsea", '"subsea fiber-optic cable"'])
def test_every_word_matches_in_any_order(query: str) -> None:
    rows = run_cli("list", "-q", query, "--fields", "id", "--json").json()
    assert [r["id"] for r in rows] == ["gignet-1"]
    hits = run_cli("search", query, "--json").json()
    assert "gignet-1" in [h["id"] for h in hits]
    assert len({(h["kind"], h["id"]) for h in hits}) == len(hits)  # one row per record


def test_search_ranks_and_a_phrase_must_be_whole() -> None:
    hits = run_cli("search", "cable subsea", "--json").json()
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert run_cli("search", '"cable florida subsea"', "--json").json() == []
    first = run_cli("search", "queretaro", "--json").json()[0]
    assert first["id"] == "queretaro-digital-hub"


@pytest.mark.parametrize(
    ("term", "first", "count"),
    [
        ("IFT", "IFT", 1),
        ("AI", "AI", 1),
        ("digital", "CEDN", 7),
        ("telecomunicaciones", "CFE TEIT", 5),
    ],
)
def test_acronym_lookup_ranks_whole_words(term: str, first: str, count: int) -> None:
    rows = run_cli("acronyms", term, "--json").json()
    assert rows[0]["acronym"] == first
    assert len(rows) == count


def test_document_help_lists_only_what_is_accepted() -> None:
    for command in (["show"], ["sectors", "show"], ["country"]):
        text = " ".join(run_cli(*command, "--help").stdout.split())
        assert "table, json, jsonl or yaml" in text and "csv" not in text
        refused = run_cli(
            *command,
            *(["gignet-1"] if command == ["show"] else []),
            *(["subsea"] if command == ["sectors", "show"] else []),
            "--format",
            "csv",
        )
        assert refused.exit_code == 2
        assert "choose from: table, json, jsonl, yaml" in refused.stderr


def test_show_fields_use_the_names_of_list() -> None:
    shown = run_cli("show", "gignet-1", "--fields", "id,value_usd,states,status", "--json").json()
    listed = run_cli("list", "-s", "subsea", "--fields", "id,value_usd,states,status", "--json")
    assert [shown] == listed.json()


def test_an_empty_table_says_so_on_stderr() -> None:
    result = run_cli("list", "--state", "nowhere", "--format", "table")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "mxict: no projects match\n")
    piped = run_cli("list", "--state", "nowhere", "--json")
    assert (piped.exit_code, piped.stdout, piped.stderr) == (0, "[]\n", "")


# --------------------------------------------------------------------------- JSON


def test_no_number_mixes_annual_with_totals() -> None:
    rows = run_cli("list", "--json").json()
    totals = [r["value_usd"] for r in rows if r["value_usd"] is not None]
    assert sum(totals) == 2_130_000_000  # the ten totals; IFT's annual figure apart
    ift = next(r for r in rows if r["id"] == "ift-roadmap-2021-25")
    assert (ift["value_usd"], ift["annual_value_usd"]) == (None, 1_000_000_000)
    assert run_cli("list", "--min-value", "600000000", "--json").json() == []
    ranked = run_cli("list", "--sort", "-value_usd", "--fields", "id", "--json").json()
    assert ranked[0]["id"] == "national-digital-strategy"


def test_whole_amounts_are_integers_everywhere() -> None:
    listed = run_cli("list", "--sector", "A5", "--json")
    shown = run_cli("show", "cemex-digital-transformation", "--json")
    for text in (listed.stdout, shown.stdout):
        assert '"amount": 150000000,' in text and "150000000.0" not in text


def test_commas_in_sector_and_status() -> None:
    combined = run_cli("list", "--sector", "subsea,a4", "--status", "active,in_progress", "--json")
    repeated = run_cli(
        "list",
        "-s",
        "subsea",
        "-s",
        "a4",
        "--status",
        "active",
        "--status",
        "in_progress",
        "--json",
    )
    assert combined.json() == repeated.json()
    assert [r["id"] for r in combined.json()] == ["chetumal-smart-city", "gignet-1"]


def test_an_empty_no_color_does_not_turn_colour_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from mxict.cli.session import Session

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.setenv("NO_COLOR", "")
    assert Session().color() is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert Session().color() is False


def test_serve_on_a_busy_port_is_one_error_before_any_url() -> None:
    pytest.importorskip("datasette")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [str(MXICT), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "MXICT_CACHE_DIR": str(CACHE)},
            timeout=60,
            check=False,
        )
    assert proc.returncode == 1
    assert proc.stderr == (
        f"mxict: error: port {port} on 127.0.0.1 is already in use; choose another with --port\n"
    )
    assert proc.stdout == ""
