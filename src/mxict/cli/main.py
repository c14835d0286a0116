"""The process boundary: run the app, and end cleanly whatever the environment does.

Nothing heavy is imported at module level: the console script imports this module and
calls `main()`, which first makes Ctrl-C and SIGTERM quiet, then imports the commands.
"""

from __future__ import annotations

# The C module under `signal`, which would import enum, functools and collections first:
# milliseconds in which a Ctrl-C at start-up would still print a traceback.
import _signal
import os
import sys

TYPE_CHECKING = False  # not typing's: see mxict/__init__.py
if TYPE_CHECKING:
    from typing import Any

    from mxict.cli.app import MxictTyper

# Signals that end mxict like Ctrl-C: cleanly, without a traceback, exit 128 + number.
STOP_SIGNALS: tuple[int, ...] = tuple(
    getattr(_signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(_signal, name)
)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: stop as Ctrl-C would (a KeyboardInterrupt, so every
    clean-up that runs for Ctrl-C runs for it too)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: Any) -> None:
    if signum == _signal.SIGINT:
        raise KeyboardInterrupt
    raise Stopped(signum)


def _stop_at_once(signum: int, frame: Any) -> None:
    # During start-up there is nothing to clean up and nothing written yet: end here.
    os.write(2, b"mxict: interrupted\n" if signum == _signal.SIGINT else b"mxict: terminated\n")
    os._exit(128 + signum)


def _handle_stop_signals(handler: Any) -> None:
    """Install `handler` for the stop signals, except those the parent ignores (`nohup`,
    `&` in a script): an ignored signal stays ignored."""
    for signum in STOP_SIGNALS:
        if _signal.getsignal(signum) != _signal.SIG_IGN:
            _signal.signal(signum, handler)


def _load_app() -> MxictTyper:
    # The commands' modules are imported when one runs (`mxict.cli.app.COMMANDS`).
    from mxict.cli.app import app

    return app


def __getattr__(name: str) -> Any:
    """`app`, with every command registered (imported on first use: see the module doc)."""
    if name == "app":
        return _load_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point: run the app and end cleanly whatever the environment.

    A closed pipe ends quietly with status 0 (`mxict list | head -1`), Ctrl-C prints
    "interrupted" and exits 130 (SIGTERM, SIGHUP: "terminated", 143, 129), an unwritable
    or unencodable stdout gets one clear line (exit 1), and a closed stdout or stderr is
    treated as /dev/null: never a traceback.
    """
    # First of all, before the heavy imports: a Ctrl-C while they run ends quietly.
    _handle_stop_signals(_stop_at_once)
    import errno
    import gc

    # A run lives for well under a second to a few minutes and makes no cyclic garbage
    # worth collecting; the collector would walk every object imported and every record
    # decoded again and again (a tenth of the start-up, a third of reading a large index).
    gc.disable()
    app = _load_app()
    _handle_stop_signals(_stop)
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # started with the descriptor closed (`>&-`)
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    code: Any = 0
    try:
        try:
            app(args=sys.argv[1:], prog_name="mxict")
        except SystemExit as exc:
            code = exc.code
            # Typer turns Ctrl-C into a silent exit 130 and a closed pipe into exit 1;
            # the original exception is still in the chain.
            reason: BaseException | None = exc.__context__
            for _ in range(8):
                if reason is None or isinstance(reason, KeyboardInterrupt | OSError):
                    break
                reason = reason.__cause__ or reason.__context__
            if isinstance(reason, KeyboardInterrupt):
                raise reason from None
            if isinstance(reason, OSError) and reason.errno == errno.EPIPE:
                raise BrokenPipeError from None
        # Flush now, while a failure can still be reported, not at interpreter exit.
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away: stop quietly, like other CLIs. Later flushes of what is
        # still buffered go to /dev/null instead of raising again at exit.
        code, message = 0, ""
    except Stopped as exc:
        code, message = 128 + exc.signum, "terminated"
    except KeyboardInterrupt:
        code, message = 130, "interrupted"
    except UnicodeEncodeError as exc:
        char = ascii(exc.object[exc.start : exc.end])
        message = f"error: cannot write {char} in the output encoding ({exc.encoding})"
        if exc.encoding.replace("-", "").lower() != "utf8":
            message += "; use a UTF-8 locale or set PYTHONIOENCODING=utf-8"
        code = 1
    except OSError as exc:
        # Not a bug but the system saying no (a full disk, a folder it may not read).
        where = f": {str(exc.filename)!r}" if exc.filename else ""
        code, message = 1, f"error: {exc.strerror or exc}{where}"
    else:
        _handle_stop_signals(_stop_at_once)  # a signal from here on only ends sooner
        sys.exit(code)
    _handle_stop_signals(_stop_at_once)
    if message:
        sys.stderr.write(f"mxict: {message}\n")
    try:
        # Drop what is still buffered: flushing it at exit could fail or block again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout has no descriptor (replaced or already closed): nothing to drop
    sys.exit(code)
