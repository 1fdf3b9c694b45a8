"""What the command modules share: exit codes, options, reading input, printing output.

Exit codes: 0 ok, 1 a check failed or internal error, 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ..errors import BadInput
from ..settings import Settings
from ..textsafe import terminal_safe

if TYPE_CHECKING:
    from ..clock import Clock
    from ..model import Facts
    from ..rules import RuleSet
    from ..service import IncidentLog

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(BadInput):
    """Bad input from the command line; printed as one line, exit 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"breach: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def add_time_options(p: argparse.ArgumentParser) -> None:
    """``--now`` and ``--tz``, on every command that reads the clock or shows times."""
    p.add_argument(
        "--now",
        metavar="ISO",
        help="assess as of this instant (with offset); default: the real clock",
    )
    p.add_argument(
        "--tz",
        metavar="ZONE",
        help="IANA zone for times typed without offset, and for display (default: local)",
    )


def add_db_option(p: argparse.ArgumentParser) -> None:
    """Accept ``--db`` after the subcommand too (``breach demo --db PATH``)."""
    p.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="incident database (same as the global --db)",
    )


def add_delivery_options(p: argparse.ArgumentParser, verb: str) -> None:
    """``--at --reference --channel --reason``: how a duty or a notice was delivered."""
    p.add_argument("--at", metavar="ISO", help=f"when it was {verb} (default: now)")
    p.add_argument("--reference", metavar="REF", help="the recipient's reference number")
    p.add_argument("--channel", metavar="CHANNEL", help="how it was sent (portal, e-mail, ...)")
    p.add_argument("--reason", metavar="TEXT", help="reasons for the delay, when late")


def delivery(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of a delivery (see :func:`add_delivery_options`), time parsed."""
    from ..clock import parse_instant

    return {
        "at": parse_instant(args.at, args.tz) if args.at else None,
        "reference": args.reference,
        "channel": args.channel,
        "reason": args.reason,
    }


def now_for(args: argparse.Namespace) -> datetime:
    """``--now`` (reproducible output) or the real clock."""
    from ..clock import parse_instant, system_clock

    if getattr(args, "now", None):
        return parse_instant(args.now, args.tz)
    return system_clock()


def clock_for(args: argparse.Namespace) -> Clock:
    """A clock frozen at ``--now`` (reproducible output), else the real one."""
    from ..clock import fixed_clock, system_clock

    return fixed_clock(now_for(args)) if getattr(args, "now", None) else system_clock


def rules_for(settings: Settings) -> RuleSet:
    """The rule set of the settings (``--rules`` or the shipped rules), validated."""
    from ..service import rulebook

    return rulebook.load(settings.rules_dir)


def open_log(args: argparse.Namespace, settings: Settings) -> IncidentLog:
    """The incident log of the settings, with the rules (on first use) and the clock."""
    from ..service import IncidentLog

    return IncidentLog.open(
        settings.db, lambda: rules_for(settings), clock_for(args), settings.actor
    )


def read_text(path: str) -> str:
    """The text of a file, or of standard input for ``-``; missing files are bad input."""
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot read ({err})") from None


def read_facts(path: str, tz: str | None) -> Facts:
    """Read Facts from a file path or ``-`` (stdin)."""
    from ..model import parse_facts

    return parse_facts(read_text(path), "<stdin>" if path == "-" else path, tz)


def print_json(data: Any) -> None:
    """JSON to stdout; non-ASCII kept, control characters escaped by the encoder."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def warn(message: str) -> None:
    """One line on standard error, made safe for the terminal."""
    print(f"breach: {terminal_safe(message)}", file=sys.stderr)
