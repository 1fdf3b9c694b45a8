"""The ``breach`` command line: thin wrappers over the core; no legal logic here.

Exit codes: 0 ok, 1 a check failed or internal error, 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from .errors import BadInput, BreachError

if TYPE_CHECKING:  # imported lazily at run time: `breach list` must not pay for pydantic
    from .clock import Clock
    from .inputs import FactsValidator
    from .model import Facts
    from .rules import RuleSet

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(BadInput):
    """Bad input from the command line; printed as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"breach: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand and its help text."""
    parser = _Parser(
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
        help="rules directory (default: the shipped decision_rules/, or BREACH_RULES_DIR)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "assess",
        help="read Facts (file or -) and print the Decision; touches no database",
        description=(
            "Read breach.facts/1 JSON and print which duties apply, to whom, by when and why."
        ),
    )
    p.add_argument("file", metavar="FILE", help="facts JSON file, or - for standard input")
    p.add_argument(
        "--json", action="store_true", help="print the Decision as breach.decision/1 JSON"
    )
    _time_options(p)
    p.set_defaults(run=cmd_assess)

    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of facts, decision or export",
        description="Print a JSON Schema generated from the pydantic models.",
    )
    p.add_argument("which", choices=["facts", "decision", "export"], help="which document")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser(
        "rules",
        help="work with rule files",
        description="Work with the rule files in decision_rules/.",
    )
    rules_sub = p.add_subparsers(
        dest="rules_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    check = rules_sub.add_parser(
        "check",
        help="validate rule files; exit 2 naming file and line of the first error",
        description="Validate every rule file in DIR (default: the shipped rules).",
    )
    check.add_argument("dir", nargs="?", metavar="DIR", help="rules directory to check")
    check.set_defaults(run=cmd_rules_check)

    p = sub.add_parser(
        "authorities",
        help="list the authorities that receive notifications",
        description=(
            "List supervisory authorities, CSIRTs and telecom authorities "
            "from decision_rules/authorities.toml."
        ),
    )
    p.add_argument("country", nargs="?", metavar="COUNTRY", help="ISO 3166 alpha-2 code, e.g. LU")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_authorities)

    p = sub.add_parser(
        "profiles",
        help="list the organisation profiles, or show one",
        description="List the shipped organisation profiles, or show one with its data inventory.",
    )
    p.add_argument("id", nargs="?", metavar="ID", help="profile id, e.g. mixvoip")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_profiles)

    p = sub.add_parser(
        "demo",
        help="open the UI on a demo database (created on first use)",
        description="Create a demo database with realistic incidents for the five seed "
        "organisations at different stages (overdue, due within 6 h, processor, telecom "
        "24 h, closed) and open the UI on it. Default: demo.db in the user data directory.",
    )
    p.add_argument("--tz", metavar="ZONE", help="zone for showing times (default: local)")
    db_option(p)
    p.set_defaults(run=cmd_demo)

    from .cli_export import add_export_commands
    from .cli_incidents import add_incident_commands
    from .cli_notices import add_notice_commands

    add_incident_commands(sub, _time_options)
    add_notice_commands(sub, _time_options)
    add_export_commands(sub, _time_options)
    return parser


def _time_options(p: argparse.ArgumentParser) -> None:
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


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``breach`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = getattr(args, "run", None) or cmd_ui
    try:
        code = run(args)
    except BreachError as err:
        from .textsafe import terminal_safe

        print(f"breach: {terminal_safe(str(err))}", file=sys.stderr)
        code = err.exit_code
    except BrokenPipeError:
        code = EXIT_OK
    raise SystemExit(code)


def db_option(p: argparse.ArgumentParser) -> None:
    """Accept ``--db`` after the subcommand too (``breach demo --db PATH``)."""
    p.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="incident database (same as the global --db)",
    )


def run_ui(args: argparse.Namespace, db: Path | None) -> int:
    """Open the Textual UI on ``db`` (default: the incident database)."""
    from .clock import system_clock
    from .store import Store, default_db_path
    from .ui.app import make_app

    zone_name = display_zone(args)
    app = make_app(
        Store.open(db),
        lambda: rules_for(args),
        system_clock,
        zone_name,
        demo_path=default_db_path().with_name("demo.db"),
    )
    try:
        app.run()
    finally:
        app.store.close()  # the app may have switched to the demo database
    return int(app.return_code or 0)


def cmd_ui(args: argparse.Namespace) -> int:
    """``breach`` alone: the terminal UI on the default database."""
    return run_ui(args, Path(args.db) if args.db else None)


def cmd_demo(args: argparse.Namespace) -> int:
    """``breach demo``: create the demo database if needed and open the UI on it."""
    from .clock import system_clock
    from .demo import create_demo
    from .store import Store, default_db_path

    path = Path(args.db) if args.db else default_db_path().with_name("demo.db")
    with Store.open(path) as store:
        if store.count_incidents() == 0:
            create_demo(store, rules_for(args), system_clock)
    if not sys.stdout.isatty():
        print(f"demo database ready: {path}")
        return EXIT_OK
    return run_ui(args, path)


def rules_for(args: argparse.Namespace) -> RuleSet:
    """The rule set (``--rules`` or the default), validated or from the cache."""
    from .rules import load_rules

    return load_rules(args.rules)


def now_for(args: argparse.Namespace) -> datetime:
    """``--now`` (reproducible output) or the real clock."""
    from .clock import parse_instant, system_clock

    if getattr(args, "now", None):
        return parse_instant(args.now, args.tz)
    return system_clock()


def clock_for(args: argparse.Namespace) -> Clock:
    """A clock frozen at ``--now`` (reproducible output), else the real one."""
    from .clock import fixed_clock, system_clock

    return fixed_clock(now_for(args)) if getattr(args, "now", None) else system_clock


def display_zone(args: argparse.Namespace) -> str | None:
    """``--tz`` (validated) or the machine's local zone, for showing times."""
    if getattr(args, "tz", None):
        from .clock import zone

        zone(args.tz)  # validate early: one clear line for a typo
        return str(args.tz)
    return local_zone_name()


def local_zone_name() -> str | None:
    """The machine's IANA zone: ``TZ``, else the /etc/localtime link; None means UTC."""
    import os

    from .clock import TimeInputError, zone

    candidate = os.environ.get("TZ", "").lstrip(":")
    if not candidate:
        try:
            target = str(Path("/etc/localtime").resolve())
        except OSError:
            target = ""
        candidate = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
    if not candidate:
        return None
    try:
        zone(candidate)
    except TimeInputError:
        return None
    return candidate


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


def read_facts(path: str, tz: str | None, validate: FactsValidator | None = None) -> Facts:
    """Read Facts from a file path or ``-`` (stdin)."""
    from .inputs import parse_facts

    return parse_facts(read_text(path), "<stdin>" if path == "-" else path, tz, validate)


def cmd_assess(args: argparse.Namespace) -> int:
    """``breach assess FILE``.

    With the contract's validators cached (:mod:`breach.contract`) it never imports
    pydantic; the first run builds them through the models and caches them.
    """
    from . import contract
    from .engine import decide
    from .render import decision_text

    display = display_zone(args)
    now = now_for(args)
    validators = contract.cached_validators()
    facts = read_facts(args.file, args.tz, validators.facts if validators else None)
    data = decide(facts, rules_for(args), now)
    dump: Callable[[Any], Any]
    if validators is not None:
        decision = validators.decision(data)
        dump = validators.dump_decision
    else:
        from .model import Decision

        decision = Decision.model_validate(data)
        dump = Decision.dump
        contract.remember()
    if args.json:
        print_json(dump(decision))
    else:
        sys.stdout.write(decision_text(decision, now, display, title=facts.title))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """``breach schema facts|decision|export``."""
    from pydantic import BaseModel

    from .model import Decision, Facts

    model: type[BaseModel] = Facts if args.which == "facts" else Decision
    if args.which == "export":
        from .export.schema import ExportDocument

        model = ExportDocument
    schema = model.model_json_schema(
        by_alias=True, mode="serialization" if args.which == "decision" else "validation"
    )
    schema["$id"] = f"https://breach.invalid/schema/{args.which}/1"
    print_json(schema)
    return EXIT_OK


def cmd_rules_check(args: argparse.Namespace) -> int:
    """``breach rules check [DIR]``."""
    from .rules import load_rules

    rules = load_rules(args.dir or args.rules, cache=False)
    n_rules = sum(len(r.rules) for r in rules.regimes.values())
    print(
        f"ok: {rules.directory} — rules {rules.version}: {len(rules.regimes)} regime(s), "
        f"{n_rules} rule(s), {len(rules.risk.factors)} risk factor(s), "
        f"{len(rules.authorities.authorities)} authorities, {len(rules.profiles)} profile(s)"
    )
    return EXIT_OK


def cmd_authorities(args: argparse.Namespace) -> int:
    """``breach authorities [COUNTRY]``."""
    from .rules import as_data

    rules = rules_for(args)
    items = rules.authorities.authorities
    if args.country:
        wanted = args.country.strip().upper()
        items = [a for a in items if a.country == wanted]
        if not items:
            raise UsageError(f"country {args.country!r}: no authority in the directory")
    if args.json:
        print_json([as_data(a) for a in items])
        return EXIT_OK
    for a in items:
        verified = a.last_verified.isoformat() if a.last_verified else "not verified"
        print(f"{a.country}  {a.name} — {a.local_name}")
        print(
            f"    id {a.id} · regimes {', '.join(a.regimes)} · "
            f"languages {', '.join(a.languages) or '?'}"
        )
        print(f"    notify: {a.portal or a.website} · verified {verified}")
        if a.note:
            print(f"    note: {a.note}")
    return EXIT_OK


def cmd_profiles(args: argparse.Namespace) -> int:
    """``breach profiles [ID]``."""
    from .rules import as_data

    rules = rules_for(args)
    if args.id is None:
        if args.json:
            print_json(sorted(rules.profiles))
            return EXIT_OK
        for p in rules.profiles.values():
            where = p.main_establishment or ", ".join(sorted({e.country for e in p.establishments}))
            print(
                f"{p.id:12} {p.name} ({where}) · "
                f"ECS provider: {'yes' if p.ecs_provider else 'no'} · NIS2: {p.nis2}"
            )
        return EXIT_OK
    profile = rules.profiles.get(args.id)
    if profile is None:
        raise UsageError(
            f"profile {args.id!r} not found (known: {', '.join(sorted(rules.profiles))})"
        )
    if args.json:
        print_json(as_data(profile))
        return EXIT_OK
    print(f"{profile.name} ({profile.id}) — from {profile.policy}")
    for e in profile.establishments:
        print(f"  establishment {e.country}: {e.entity}")
    for r in profile.roles:
        print(f"  {r.role} for {r.scope}")
    if profile.breach_commitment:
        hours = profile.breach_commitment.notice_hours
        print(
            f"  breach commitment: {profile.breach_commitment.text}"
            + (f" ({hours:g} h)" if hours else "")
        )
    print("  data inventory:")
    for item in profile.inventory:
        print(f"    {item.label} → {item.category}")
    return EXIT_OK


def print_json(data: Any) -> None:
    """JSON to stdout; non-ASCII kept, control characters escaped by the encoder."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
