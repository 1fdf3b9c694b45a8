"""Commands that need no incident log: assess, schema, rules check, authorities.

(``breach profiles`` is :mod:`.profiles`.)
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..settings import Settings
from .common import (
    EXIT_OK,
    Parser,
    UsageError,
    add_time_options,
    now_for,
    print_json,
    read_facts,
    rules_for,
)

SCHEMAS = ("facts", "decision", "export", "webhook")


def add_commands(sub: Any) -> None:
    """Register assess, schema, rules and authorities."""
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
    add_time_options(p)
    p.set_defaults(run=cmd_assess)

    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of facts, decision, export or webhook events",
        description="Print a JSON Schema generated from the pydantic models.",
    )
    p.add_argument("which", choices=SCHEMAS, help="which document")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser(
        "rules",
        help="work with rule files",
        description="Work with the rule files in decision_rules/.",
    )
    rules_sub = p.add_subparsers(
        dest="rules_command", metavar="ACTION", parser_class=Parser, required=True
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


def cmd_assess(args: argparse.Namespace, settings: Settings) -> int:
    """``breach assess FILE``."""
    from ..service import rulebook
    from .decision import decision_report

    now = now_for(args)
    rules = rules_for(settings)
    facts = read_facts(args.file, args.tz, rules)
    decision = rulebook.assess(facts, rules, now)
    if args.json:
        print_json(decision.dump())
    else:
        sys.stdout.write(decision_report(decision, now, settings.zone, title=facts.title))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    """``breach schema facts|decision|export|webhook``."""
    from pydantic import BaseModel

    from ..model import Decision, Facts
    from ..model.export import ExportDocument
    from ..model.webhook import WebhookEvent

    models: dict[str, type[BaseModel]] = {
        "facts": Facts,
        "decision": Decision,
        "export": ExportDocument,
        "webhook": WebhookEvent,
    }
    schema = models[args.which].model_json_schema(
        by_alias=True, mode="serialization" if args.which == "decision" else "validation"
    )
    schema["$id"] = f"https://breach.invalid/schema/{args.which}/1"
    print_json(schema)
    return EXIT_OK


def cmd_rules_check(args: argparse.Namespace, settings: Settings) -> int:
    """``breach rules check [DIR]``."""
    from ..service import rulebook

    print(rulebook.check(args.dir or settings.rules_dir))
    return EXIT_OK


def cmd_authorities(args: argparse.Namespace, settings: Settings) -> int:
    """``breach authorities [COUNTRY]``."""
    from ..service import rulebook

    rules = rules_for(settings)
    items = rulebook.authorities(rules, args.country)
    if args.country and not items:
        raise UsageError(f"country {args.country!r}: no authority in the directory")
    routes = rulebook.routes(rules, args.country) if args.country else []
    if args.json:
        listed = [rulebook.data(a) for a in items]
        country = args.country.strip().upper() if args.country else ""
        print_json(
            {"country": country, "routes": routes, "authorities": listed} if routes else listed
        )
        return EXIT_OK
    if routes:
        _print_routes(args.country.strip().upper(), routes)
    for a in items:
        print(f"{a.country}  {a.name} — {a.local_name}")
        print(
            f"    id {a.id} · regimes {', '.join(a.regimes)} · "
            f"languages {', '.join(a.languages) or '?'}"
        )
        print(f"    notify: {a.portal or a.website} · sources read {a.last_verified.isoformat()}")
        if a.note:
            print(f"    note: {a.note}")
        if a.unconfirmed:
            print(f"    ! not yet confirmed: {a.unconfirmed}")
    return EXIT_OK


def _print_routes(country: str, routes: list[dict[str, Any]]) -> None:
    print(f"{country}: where a provider established in {country} files")
    for route in routes:
        print(f"  {route['what']}")
        for body in route["authorities"]:
            languages = ", ".join(body["languages"]) or "languages not recorded"
            print(f"    to: {body['name']} ({body['local_name']}) <{body['contact']}>, {languages}")
        if not route["authorities"]:
            print(f"    to: no body recorded for {country}")
        if route["informs"]:
            print(f"    it informs: {', '.join(route['informs'])}")
        for because in route["because"]:
            print(f"    why: {because}")
        law = route["law"]
        if law:
            since = f", in force {law['in_force']}" if law.get("in_force") else ""
            print(f"    law: {law['citation']} — {law['title']}{since}")
            print(f"    source (read {law['last_verified']}): {law['source']}")
        for text in route["unconfirmed"]:
            print(f"    ! not yet confirmed: {text}")
    print()
