"""The Typer app and its command groups; every command gets the same error mapping.

Exit codes: 0 success (including no results), 1 domain error (unknown id or sector,
invalid data), 2 usage error (bad option, missing data directory), 130 interrupted.
"""

# Annotations are evaluated at import, for Typer (see mxict/cli/__init__.py).
import functools
import sys
from collections.abc import Callable, Iterator, MutableMapping
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from mxict._version import __version__
from mxict.cli.options import NO_CACHE_HELP, NO_COLOR_HELP, NO_PAGER_HELP, global_options
from mxict.cli.session import Session
from mxict.errors import MxictError

F = TypeVar("F", bound=Callable[..., Any])

EPILOG = (
    "Exit codes: 0 ok (also when nothing matches), 1 unknown id or invalid data, 2 usage error."
)


def fail(message: str, code: int) -> typer.Exit:
    """Print one clear line on stderr and return the Exit to raise."""
    from mxict.render.text import inert

    sys.stderr.write(f"mxict: error: {inert(message)}\n")
    return typer.Exit(code)


def handles_errors(func: F) -> F:
    """Turn MxictError into a message on stderr and its exit code; keep tracebacks for bugs."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MxictError as exc:
            raise fail(str(exc), exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def json_fields_argv(
    args: list[str], known: tuple[str, ...], *, positional: bool = True
) -> list[str]:
    """gh's `--json FIELDS`: `--json=a,b` always, and `--json a,b` when every name is one of
    the command's `known` fields, mean `--json --fields a,b`. A command without
    `positional` arguments takes any word after --json as fields (an unknown one is then
    reported with the valid ones); otherwise it is left alone, so `mxict search --json
    fiber` still searches for "fiber"."""
    rewritten: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rewritten += args[index:]
            break
        if arg.startswith("--json="):
            rewritten += ["--json", "--fields", arg.removeprefix("--json=")]
        elif (
            arg == "--json"
            and index + 1 < len(args)
            and not args[index + 1].startswith("-")
            and (not positional or _field_list(args[index + 1], known))
        ):
            rewritten += ["--json", "--fields", args[index + 1]]
            index += 1
        else:
            rewritten.append(arg)
        index += 1
    return rewritten


def _field_list(token: str, known: tuple[str, ...]) -> bool:
    names = [name.strip() for name in token.split(",")]
    return bool(known) and all(name in known for name in names)


class MxictCommand(TyperCommand):
    """A command that takes gh's `--json FIELDS` where it has both --json and --fields."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        options = {opt for param in self.params for opt in getattr(param, "opts", ())}
        if {"--json", "--fields"} <= options:
            known = getattr(self.callback, "mxict_fields", ())
            positional = any(param.param_type_name == "argument" for param in self.params)
            args = json_fields_argv(args, known, positional=positional)
        return super().parse_args(ctx, args)


# Help lists commands in these panels, in this order; a command names its panel with
# `rich_help_panel=` (typer's own parameter) and keeps its registration order within it.
HELP_PANELS = ("Query", "Reference", "History and maintenance", "Export and serve")


class MxictGroup(TyperGroup):
    """A group whose help lists its commands in panels (HELP_PANELS), without rich."""

    def help_entries(self, ctx: Any) -> list[tuple[str, Any]]:
        """The commands `--help` lists, by name: their panel and summary are read."""
        listed = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        return [(name, cmd) for name, cmd in listed if cmd is not None]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        panels: dict[str, list[tuple[str, Any]]] = {}
        for name, cmd in self.help_entries(ctx):
            if not cmd.hidden:
                panel = getattr(cmd, "rich_help_panel", None) or "Commands"
                panels.setdefault(panel, []).append((name, cmd))
        if not panels:
            return
        order = [p for p in HELP_PANELS if p in panels] + [
            p for p in panels if p not in HELP_PANELS
        ]
        width = max(len(name) for listed in panels.values() for name, _ in listed)
        limit = formatter.width - 6 - width
        for panel in order:
            rows = [(name, cmd.get_short_help_str(limit)) for name, cmd in panels[panel]]
            with formatter.section(panel):
                # Pad the first name so every panel's summaries start in one column.
                formatter.write_dl([(rows[0][0].ljust(width), rows[0][1]), *rows[1:]])


class MxictTyper(typer.Typer):
    """A Typer whose commands and callbacks all map mxict's errors to exit codes and accept
    the global options, so no command can forget to; each command's help ends with the
    exit codes. The root app's callback declares the global options itself (`root=True`)."""

    def __init__(self, *, root: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("epilog", EPILOG)
        kwargs.setdefault("rich_markup_mode", None)
        kwargs.setdefault("cls", MxictGroup)
        super().__init__(**kwargs)
        self._root = root

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        kwargs.setdefault("epilog", EPILOG)
        kwargs.setdefault("cls", MxictCommand)

        def decorator(func: F) -> F:
            # The summary in the command list is the docstring's whole first line (click
            # would cut it at the first ". ", as in "U.S.").
            summary = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else None
            register = super(MxictTyper, self).command(*args, **{"short_help": summary, **kwargs})
            register(handles_errors(global_options(func)))
            return func

        return decorator

    def callback(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        register = super().callback(*args, **kwargs)

        def decorator(func: F) -> F:
            register(handles_errors(func if self._root else global_options(func)))
            return func

        return decorator


# Every command and group, in registration order: the module that defines it, its help
# panel and its one-line summary as the command list shows it (`tests/test_cli.py` checks
# them against the built commands). Only the invoked command's module is imported and
# only its click command built: importing and building all of them cost about a fifth of
# a query's start-up.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "list": (
        "mxict.cli.projects",
        "Query",
        "List projects, one row each (leads too with --kind lead or all).",
    ),
    "export-opportunities": (
        "mxict.cli.projects",
        "Query",
        "One row per U.S. export opportunity item, with its project and sponsor contact.",
    ),
    "show": ("mxict.cli.projects", "Query", "Show one project (or lead) in full."),
    "filter-by-sector": (
        "mxict.cli.projects",
        "Query",
        "A sector's overview headline followed by its projects.",
    ),
    "compare-value": (
        "mxict.cli.projects",
        "Query",
        "Compare projects by value in USD, largest first, with each value's basis.",
    ),
    "match": (
        "mxict.cli.match",
        "Query",
        "Rank the export opportunities by how well they fit what a company sells.",
    ),
    "codes": (
        "mxict.cli.match",
        "Reference",
        "Search NAICS 2022 and HS 2022 code titles offline, with how many opportunities "
        "carry each.",
    ),
    "acronyms": (
        "mxict.cli.reference",
        "Reference",
        "Look up the Annex B acronym list (all entries without TERM).",
    ),
    "country": (
        "mxict.cli.reference",
        "Reference",
        "The country overview: demographics, ICT sector, providers, regulator.",
    ),
    "search": (
        "mxict.cli.reference",
        "Query",
        "Full-text search: one row per record, best first, with the fields that matched.",
    ),
    "stale": (
        "mxict.cli.freshness",
        "History and maintenance",
        "Records due for re-checking: last verified longer ago than AGE, oldest first.",
    ),
    "changes": (
        "mxict.cli.freshness",
        "History and maintenance",
        "Dated events on or after DATE across all projects, newest first.",
    ),
    "calendar": (
        "mxict.cli.calendar",
        "History and maintenance",
        "Milestones of every project timeline and lead, soonest first, forecasts marked.",
    ),
    "info": (
        "mxict.cli.history",
        "History and maintenance",
        "Versions, record counts, newest modified date and content hash of the data.",
    ),
    "diff": (
        "mxict.cli.history",
        "History and maintenance",
        "Compare two versions of the data record by record: added, removed, changed.",
    ),
    "validate": (
        "mxict.cli.maintenance",
        "History and maintenance",
        "Check the data: YAML syntax, schema, and rules across records; report every problem.",
    ),
    "schema": (
        "mxict.cli.maintenance",
        "History and maintenance",
        "Print the JSON Schema of a record kind, generated from the models.",
    ),
    "serve": (
        "mxict.cli.export",
        "Export and serve",
        "Browse and query the dataset in Datasette, in your web browser, until Ctrl-C.",
    ),
    "sectors": ("mxict.cli.reference", "Reference", "The five Annex A sector overviews."),
    "export": ("mxict.cli.export", "Export and serve", "Export the whole dataset for other tools."),
}


class _LazyCommands(MutableMapping[str, Any]):
    """The root group's commands by name: listed from COMMANDS, built on first use."""

    def __init__(self, built: MutableMapping[str, Any]) -> None:
        self._built = dict(built)  # commands already registered when the group was made
        self._order = [*COMMANDS, *(name for name in built if name not in COMMANDS)]

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = _build(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        if name not in self._order:
            self._order.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self._order.remove(name)
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


def _build(name: str) -> Any:
    """Import the module of command `name` (which registers it) and build its click command."""
    import importlib

    from typer.main import get_command_from_info, get_group_from_info

    importlib.import_module(COMMANDS[name][0])
    short, markup = app.pretty_exceptions_short, app.rich_markup_mode
    for group in app.registered_groups:
        if group.name == name:
            return get_group_from_info(
                group,
                pretty_exceptions_short=short,
                suggest_commands=app.suggest_commands,
                rich_markup_mode=markup,
            )
    for command in app.registered_commands:
        if command.name == name:
            return get_command_from_info(
                command, pretty_exceptions_short=short, rich_markup_mode=markup
            )
    raise KeyError(name)


class LazyGroup(MxictGroup):
    """The root click group: builds only the command that runs; `--help` lists every
    command from COMMANDS without building them; completion builds what it offers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _LazyCommands(self.commands)

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command name, in registration order, without building any."""
        return list(self.commands)

    def help_entries(self, ctx: Any) -> list[tuple[str, Any]]:
        """Stand-ins carrying each command's panel and summary (a command not in COMMANDS,
        added at run time, is built)."""
        entries: list[tuple[str, Any]] = []
        for name in self.list_commands(ctx):
            if name in COMMANDS:
                _, panel, summary = COMMANDS[name]
                stand_in = TyperCommand(name, short_help=summary, rich_help_panel=panel)
                entries.append((name, stand_in))
            else:
                entries.append((name, self.commands[name]))
        return entries


app = MxictTyper(
    root=True,
    cls=LazyGroup,
    name="mxict",
    help=(
        "Query the curated dataset of ICT investment opportunities in Mexico "
        "(USTDA ICT Resource Guide, its eleven projects and five sector annexes).\n\n"
        "Examples:\n\n"
        "  mxict list --sector subsea\n\n"
        "  mxict list --json | jq '.[].id'\n\n"
        "  mxict show gignet-1\n\n"
        "  mxict validate\n\n"
        "Environment: MXICT_DATA_DIR (data directory), MXICT_CACHE_DIR (cache directory), "
        "MXICT_TODAY (pin today, YYYY-MM-DD), MXICT_PAGER (pager; empty for none), "
        "NO_COLOR (no colour when set and not empty)."
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # Help wraps to the terminal, up to 100 columns.
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
sectors_app = MxictTyper(
    help="The five Annex A sector overviews.\n\nExamples:\n\n  mxict sectors\n\n"
    "  mxict sectors show subsea",
    invoke_without_command=True,
)
# Added to `app` by the module that defines their commands (reference, export).
export_app = MxictTyper(
    help=(
        "Export the whole dataset for other tools.\n\n"
        "A SQLite database for Datasette, an Excel workbook, an OC4IDS project package, or a "
        "Frictionless Data Package.\n\n"
        "Tables: projects, sectors, export_opportunities, contacts, milestones, financing, "
        "sources, acronyms. Files are written atomically; an existing file is replaced only "
        "with --force.\n\n"
        "Examples:\n\n"
        "  mxict export sqlite mxict.db\n\n"
        "  mxict export xlsx mxict.xlsx --force\n\n"
        "  mxict export oc4ids -o mxict.oc4ids.json\n\n"
        "  mxict export datapackage mxict-data"
    ),
    no_args_is_help=True,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"mxict {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data_dir: Annotated[
        str | None,
        typer.Option(
            "--data-dir",
            envvar="MXICT_DATA_DIR",
            metavar="DIR",
            help="Data directory [default: the bundled dataset].",
        ),
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help=NO_COLOR_HELP)] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help=NO_CACHE_HELP)] = False,
    no_pager: Annotated[bool, typer.Option("--no-pager", help=NO_PAGER_HELP)] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Query the curated dataset of ICT investment opportunities in Mexico."""
    ctx.obj = Session(data_dir=data_dir, no_color=no_color, no_cache=no_cache, no_pager=no_pager)
