"""The ``breach`` command line: thin wrappers over the service; no legal logic here.

Each command group is one module that builds its own subcommands (``add_commands``):
:mod:`.rulebook` (assess, schema, rules, authorities, profiles), :mod:`.incidents`,
:mod:`.notices`, :mod:`.exchange` (export, import) and :mod:`.app` (the UI, the demo).
Exit codes: 0 ok, 1 a check failed or internal error, 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .. import __version__
from ..errors import BreachError
from ..settings import Settings
from . import app, exchange, incidents, notices, rulebook
from .common import EXIT_FAILED, EXIT_OK, Parser, warn


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
    for group in (rulebook, app, incidents, notices, exchange):
        group.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``breach`` console script."""
    args = build_parser().parse_args(argv)
    run = getattr(args, "run", None) or app.cmd_ui
    settings = None
    try:
        settings = Settings.load(
            db=args.db, rules=args.rules, zone=getattr(args, "tz", None), actor=args.actor
        )
        code = run(args, settings)
    except BreachError as err:
        warn(str(err))
        code = err.exit_code
    except BrokenPipeError:
        code = EXIT_OK
    except Exception as err:  # a bug: one line, unless asked for the traceback
        if settings is not None and settings.debug:
            raise
        warn(f"internal error ({type(err).__name__}: {err}); BREACH_DEBUG=1 shows where")
        code = EXIT_FAILED
    raise SystemExit(code)


__all__ = ["build_parser", "main"]
