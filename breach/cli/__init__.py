"""The ``breach`` command line: thin wrappers over the service; no legal logic here.

Each command group is one module that builds its own subcommands (``add_commands``):
:mod:`.rulebook` (assess, schema, rules, authorities), :mod:`.profiles`, :mod:`.incidents`,
:mod:`.audit`, :mod:`.notices`, :mod:`.exchange` (export, import), :mod:`.push` and
:mod:`.app` (the UI, the demo).
Exit codes: 0 ok, 1 a check failed or internal error, 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence

from .. import __version__
from ..errors import BreachError
from ..settings import Settings
from ..textsafe import SafeStream
from . import app, audit, customers, exchange, incidents, notices, profiles, push, rulebook
from .common import ERROR_LIMIT, EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, Parser, warn

_SURROGATES = re.compile("[\udc80-\udcff]")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand and its help text."""
    parser = Parser(
        prog="breach",
        description=(
            "Breach-notification decisions and incident tracking: who to tell, by when, and why."
        ),
    )
    parser.add_argument("--version", action="version", version=f"breach {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="incident database (default: BREACH_DB, else the platform's user data dir)",
    )
    parser.add_argument(
        "--rules",
        metavar="DIR",
        help="rules directory (default: BREACH_RULES_DIR, else the shipped decision_rules/)",
    )
    parser.add_argument(
        "--actor",
        metavar="NAME",
        help="who is recorded for each change (default: BREACH_ACTOR, else your login name)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    groups = (rulebook, profiles, app, incidents, audit, notices, customers, exchange, push)
    for group in groups:
        group.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``breach`` console script."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    for number, argument in enumerate(arguments, 1):
        if _SURROGATES.search(argument):  # bytes that are not UTF-8, kept by Python as-is
            shown = argument.encode("utf-8", "replace").decode()[:60]
            warn(f"argument {number} ({shown!r}) is not UTF-8 text")
            raise SystemExit(EXIT_BAD_INPUT)
    args = build_parser().parse_args(arguments)
    run = getattr(args, "run", None) or app.cmd_ui
    saved = sys.stdout, sys.stderr
    if run not in (app.cmd_ui, app.cmd_demo):  # the UI draws on the terminal itself
        sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    try:
        code = _run(args, run)
    finally:
        sys.stdout, sys.stderr = saved
    raise SystemExit(code)


def _run(args: argparse.Namespace, run: Callable[[argparse.Namespace, Settings], int]) -> int:
    """Run one command: its exit code; a problem is one line on standard error."""
    settings = None
    try:
        settings = Settings.load(
            db=args.db, rules=args.rules, zone=getattr(args, "tz", None), actor=args.actor
        )
        return run(args, settings)
    except BreachError as err:
        warn(str(err), ERROR_LIMIT)
        return err.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except Exception as err:  # a bug: one line, unless asked for the traceback
        if settings is not None and settings.debug:
            raise
        what = str(err)[:200]
        warn(f"internal error ({type(err).__name__}: {what}); BREACH_DEBUG=1 shows where")
        return EXIT_FAILED


__all__ = ["build_parser", "main"]
