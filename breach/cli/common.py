"""What the command modules share: exit codes, options, reading input, printing output.

Exit codes: 0 ok, 1 a check failed or internal error, 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ..errors import BadInput
from ..settings import Settings
from ..textsafe import json_safe, one_line

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
    """The rule set of the settings (``--rules`` or the shipped rules), validated, with the
    user's own profiles from the config home."""
    from ..service import rulebook

    return rulebook.load(settings.rules_dir, settings.config_home)


@contextmanager
def open_log(
    args: argparse.Namespace | None,
    settings: Settings,
    *,
    write: bool = True,
    path: Path | None = None,
    actor: str | None = None,
    rules: RuleSet | None = None,
) -> Iterator[IncidentLog]:
    """The incident log of the settings (or ``path``), with the rules (on first use), the
    clock ``--now`` sets for assessing, the real clock for records, and the audit key.

    A command that only reads (``write=False``) never starts a log at a typed path: a typo
    in ``--db`` is an error, not an empty log. Folders are made only for the default
    location. A new log is announced on standard error when the command succeeds, and
    removed again when it fails before recording anything.
    """
    from ..service import IncidentLog
    from ..service.audit_key import load_key

    default = path is None and settings.db_is_default
    target = path or settings.db
    log = IncidentLog.open(
        target,
        rules or (lambda: rules_for(settings)),
        clock_for(args) if args is not None else clock_for(argparse.Namespace()),
        actor or settings.actor,
        load_key(settings.audit_key_path),
        create=write or default,
        make_folders=default,
        upgrading=warn,
    )
    try:
        yield log
    except BaseException:
        log.store.discard_if_unused()
        raise
    log.close()
    if log.created:
        warn(f"started a new incident log at {target}")


def read_text(path: str) -> str:
    """The UTF-8 text (a BOM is dropped) of a file, or of standard input for ``-``; a
    missing, binary, oversized or non-UTF-8 file is bad input (one line)."""
    from ..files import READ_LIMIT, FileReadError, read_user_text

    try:
        if path == "-":
            return read_user_text("<stdin>", sys.stdin.buffer.read(READ_LIMIT + 1))
        return read_user_text(path)
    except FileReadError as err:
        raise UsageError(str(err)) from None


def read_facts(path: str, tz: str | None, rules: RuleSet) -> Facts:
    """Read Facts from a file path or ``-`` (stdin), the organisation profile checked."""
    from ..model import parse_facts

    source = "<stdin>" if path == "-" else path
    facts = parse_facts(read_text(path), source, tz)
    if isinstance(facts.organisation, str) and facts.organisation not in rules.profiles:
        broken = rules.broken_profiles.get(facts.organisation)
        if broken:
            raise UsageError(
                f"{source}: field organisation: your profile {facts.organisation!r} cannot be "
                f"used: {broken}"
            )
        raise UsageError(
            f"{source}: field organisation: {facts.organisation[:40]!r} is not a known profile "
            f"(known: {', '.join(sorted(rules.profiles))}; or give the organisation inline)"
        )
    return facts


def print_json(data: Any) -> None:
    """JSON to stdout: non-ASCII letters kept, every character a terminal obeys escaped."""
    write_json_text(json.dumps(data, indent=2, ensure_ascii=False))


def write_json_text(text: str) -> None:
    """JSON text (whose strings escape every control character, as :func:`json_safe`
    makes sure) to stdout, past the terminal filter it no longer needs."""
    out = getattr(sys.stdout, "unfiltered", sys.stdout)
    out.write(json_safe(text) + "\n")


#: How much of an error is shown: a huge bad value is never echoed whole.
ERROR_LIMIT = 300


def warn(message: str, limit: int | None = None) -> None:
    """One line on standard error, made safe for the terminal (cut to ``limit``)."""
    line = one_line(message)
    if limit is not None and len(line) > limit:
        line = line[: limit - 1] + "…"
    print(f"breach: {line}", file=sys.stderr)
