"""Options shared by many commands, declared once: filters, output, completion.

`filter_options` and `output_options` add their flags to a command (like sqlite-utils'
`@output_options`) and hand it one built object (`flt`, `out`) instead of many
parameters, so every command spells, documents and parses them the same way.
"""

# Annotations are evaluated at import, for Typer (see mxict/cli/__init__.py).
import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from mxict.errors import MxictError
from mxict.render.formats import DOCUMENT_FORMATS, ROW_FORMATS, OutputFormat, names

F = TypeVar("F", bound=Callable[..., Any])


# --------------------------------------------------------------------------- completion


def complete_sector(incomplete: str) -> list[str]:
    """Shell completion: sector slugs and annex codes."""
    from mxict.vocab import SectorId

    options = [s.value for s in SectorId] + [f"A{i}" for i in range(1, 6)]
    return [o for o in options if o.lower().startswith(incomplete.lower())]


def complete_project(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: project ids from the data directory (ids equal file stems)."""
    from mxict.dataset.layout import resolve_data_dir

    try:
        data_dir = ctx.find_root().params.get("data_dir")
        folder = resolve_data_dir(data_dir or None) / "projects"
        ids = sorted(p.stem for p in folder.glob("*.yaml"))
    except (MxictError, OSError):
        return []
    return [i for i in ids if i.startswith(incomplete.lower())]


def complete_status(incomplete: str) -> list[str]:
    """Shell completion: the status vocabulary."""
    from mxict.vocab import Status

    return [s.value for s in Status if s.value.startswith(incomplete.lower())]


def _completer(formats: tuple[OutputFormat, ...]) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        return [f.value for f in formats if f.value.startswith(incomplete.lower())]

    return complete


# --------------------------------------------------------------------------- plain options

JsonOpt = Annotated[bool, typer.Option("--json", help="Short for --format json.")]
FieldsOpt = Annotated[
    str | None,
    typer.Option("--fields", help="Comma-separated fields to output, in order.", metavar="A,B,C"),
]
SortOpt = Annotated[
    str | None,
    typer.Option("--sort", help="Sort by FIELD; -FIELD sorts descending.", metavar="FIELD"),
]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=0, help="At most N rows.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to FILE (atomically); - for stdout."
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")]
JqOpt = Annotated[
    str | None,
    typer.Option(
        "--jq",
        metavar="EXPRESSION",
        help="Filter the JSON with a jq expression (implies --json); strings print raw.",
    ),
]
NoHeadersOpt = Annotated[
    bool, typer.Option("--no-headers", help="Leave out the header line (table, csv, tsv).")
]
SectorOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--sector",
        "-s",
        help="Sector slug, annex code (A2) or prefix; repeat or use commas for OR.",
        autocompletion=complete_sector,
    ),
]
SectorArg = Annotated[
    str,
    typer.Argument(
        metavar="SECTOR",
        autocompletion=complete_sector,
        help="Slug (subsea), annex code (A2) or prefix.",
    ),
]


def format_option(formats: tuple[OutputFormat, ...], default: str) -> Any:
    """The --format/-f option, its help and completion generated from the formats."""
    return Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=f"{names(formats)} [default: {default}]",
            metavar="FORMAT",
            autocompletion=_completer(formats),
        ),
    ]


ROWS_DEFAULT = "from -o's extension, else table on a terminal, tsv when piped"
DocumentFormatOpt = format_option(DOCUMENT_FORMATS, "table, a layout for reading")


# --------------------------------------------------------------------------- global options

DATA_DIR_HELP = "Data directory [default: the bundled dataset]."
NO_COLOR_HELP = "Never colour output."
NO_CACHE_HELP = "Re-read and re-validate the YAML; skip the cache."
NO_PAGER_HELP = "Never page long output ($MXICT_PAGER, $PAGER or less -FRX)."
_GLOBALS: dict[str, Any] = {
    "global_data_dir": Annotated[
        str | None, typer.Option("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    ],
    "global_no_color": Annotated[bool, typer.Option("--no-color", help=NO_COLOR_HELP)],
    "global_no_cache": Annotated[bool, typer.Option("--no-cache", help=NO_CACHE_HELP)],
    "global_no_pager": Annotated[bool, typer.Option("--no-pager", help=NO_PAGER_HELP)],
}


def global_options(func: F) -> F:
    """Accept --data-dir, --no-color and --no-cache after the command name too (they
    are shown in every command's help); given there, they win over the ones before it."""
    from mxict.cli.session import Session

    signature = inspect.signature(func, eval_str=True)
    params = list(signature.parameters.values())
    ctx_name = next((p.name for p in params if p.annotation is typer.Context), None)
    extra = [] if ctx_name else [_keyword("global_ctx", typer.Context, inspect.Parameter.empty)]
    extra += [
        _keyword(name, kind, False if _is_flag(kind) else None) for name, kind in _GLOBALS.items()
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs[ctx_name] if ctx_name else kwargs.pop("global_ctx")
        if not isinstance(ctx.obj, Session):
            ctx.obj = Session()
        session = ctx.obj
        data_dir = kwargs.pop("global_data_dir")
        if data_dir is not None:
            session.data_dir = data_dir
        session.no_color = kwargs.pop("global_no_color") or session.no_color
        session.no_cache = kwargs.pop("global_no_cache") or session.no_cache
        session.no_pager = kwargs.pop("global_no_pager") or session.no_pager
        return func(*args, **kwargs)

    _set_signature(wrapper, signature.replace(parameters=[*params, *extra]))
    return wrapper  # type: ignore[return-value]


def _keyword(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def _set_signature(wrapper: Any, signature: inspect.Signature) -> None:
    # Typer reads the parameters from the signature and their types from __annotations__.
    wrapper.__signature__ = signature
    wrapper.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}


# --------------------------------------------------------------------------- option groups


def adds_options(
    target: str, params: dict[str, Any], build: Callable[..., Any]
) -> Callable[[F], F]:
    """Decorator: append `params` (name -> Annotated type, default None/False) to a
    command's signature, and pass `build(**their values)` as its keyword `target`."""

    def decorate(func: F) -> F:
        signature = inspect.signature(func, eval_str=True)
        kept = [p for p in signature.parameters.values() if p.name != target]
        added = [
            _keyword(name, annotation, False if _is_flag(annotation) else None)
            for name, annotation in params.items()
        ]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name) for name in params}
            kwargs[target] = build(**values)
            return func(*args, **kwargs)

        _set_signature(wrapper, signature.replace(parameters=[*kept, *added]))
        return wrapper  # type: ignore[return-value]

    return decorate


def _is_flag(annotation: Any) -> bool:
    return getattr(annotation, "__origin__", None) is bool


def _split(values: list[str] | None) -> list[str]:
    """`--sector a,b --sector c` -> ['a', 'b', 'c']."""
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def _make_filter(**values: Any) -> Any:
    from mxict.query import ProjectFilter

    return ProjectFilter(
        sectors=_split(values.get("sector")),
        sponsors=values["sponsor"] or (),
        states=values["state"] or (),
        statuses=_split(values["status"]),
        min_value=values["min_value"],
        max_value=values["max_value"],
        queries=values["query"] or (),
        kinds=_kinds(values["kind"]),
    )


def _kinds(kind: str | None) -> tuple[str, ...]:
    if kind in (None, "profile"):
        return ("profile",)
    return ("profile", "lead") if kind == "all" else (str(kind),)


def complete_kind(incomplete: str) -> list[str]:
    """Shell completion: what --kind takes."""
    return [k for k in ("profile", "lead", "all") if k.startswith(incomplete.lower())]


_FILTERS: dict[str, Any] = {
    "sector": SectorOpt,
    "sponsor": Annotated[
        list[str] | None, typer.Option("--sponsor", help="Sponsor name or acronym (substring).")
    ],
    "state": Annotated[
        list[str] | None, typer.Option("--state", help="Mexican state or place, e.g. queretaro.")
    ],
    "status": Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            help="Current status, e.g. approved,stalled; repeat or use commas for OR.",
            autocompletion=complete_status,
        ),
    ],
    "min_value": Annotated[float | None, typer.Option("--min-value", help="Minimum value in USD.")],
    "max_value": Annotated[float | None, typer.Option("--max-value", help="Maximum value in USD.")],
    "query": Annotated[
        list[str] | None,
        typer.Option(
            "--query", "-q", help='Every word anywhere in the record; "a phrase" in quotes.'
        ),
    ],
    "kind": Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="profile (the guide's eleven), lead (named by later sources) or all "
            "[default: profile].",
            autocompletion=complete_kind,
        ),
    ],
}


def filter_options(*, sector: bool = True) -> Callable[[F], F]:
    """The shared project filters, passed as `flt` (a ProjectFilter).

    Without `sector` the command names its sector itself (`filter-by-sector SECTOR`).
    """
    params = {k: v for k, v in _FILTERS.items() if sector or k != "sector"}
    return adds_options("flt", params, _make_filter)


def _field_completer(fields: tuple[str, ...], *, signed: bool) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        head, _, last = incomplete.rpartition(",")
        prefix = f"{head}," if head else ""
        names = [*fields, *(f"-{f}" for f in fields)] if signed else list(fields)
        return [prefix + name for name in names if name.startswith(last)]

    return complete


def output_options(fields: tuple[str, ...] = (), *, sort: bool = True) -> Callable[[F], F]:
    """The shared output flags of row commands, passed as `out` (an OutputRequest);
    `fields` are the command's fields, named in --fields' help and completed."""
    from mxict.cli.output import OutputRequest

    listed = f": {', '.join(fields)}" if fields else ""
    params: dict[str, Any] = {}
    if sort:
        params["sort"] = Annotated[
            str | None,
            typer.Option(
                "--sort",
                help="Sort by FIELD; -FIELD sorts descending.",
                metavar="FIELD",
                autocompletion=_field_completer(fields, signed=True),
            ),
        ]
    params |= {
        "limit": LimitOpt,
        "fmt": format_option(ROW_FORMATS, ROWS_DEFAULT),
        "as_json": JsonOpt,
        "fields": Annotated[
            str | None,
            typer.Option(
                "--fields",
                help=f"Comma-separated fields to output, in order{listed}.",
                metavar="A,B,C",
                autocompletion=_field_completer(fields, signed=False),
            ),
        ],
        "output": OutputOpt,
        "force": ForceOpt,
        "jq": JqOpt,
        "no_headers": NoHeadersOpt,
    }
    add = adds_options("out", params, OutputRequest)

    def decorate(func: F) -> F:
        wrapped = add(func)
        # Read by MxictCommand for `--json FIELDS`; functools.wraps carries it outwards.
        wrapped.mxict_fields = fields  # type: ignore[attr-defined]
        return wrapped

    return decorate
