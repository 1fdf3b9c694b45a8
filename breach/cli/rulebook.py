"""Commands that need no incident log: assess, schema, rules check, authorities, profiles."""

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
    """Register assess, schema, rules, authorities and profiles."""
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

    p = sub.add_parser(
        "profiles",
        help="list the organisation profiles, or show one",
        description="List the shipped organisation profiles, or show one with its data inventory.",
    )
    p.add_argument("id", nargs="?", metavar="ID", help="profile id, e.g. mixvoip")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_profiles)


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


def cmd_profiles(args: argparse.Namespace, settings: Settings) -> int:
    """``breach profiles [ID]``."""
    from ..service import rulebook

    profiles = {p.id: p for p in rulebook.profiles(rules_for(settings))}
    if args.id is None:
        if args.json:
            print_json(sorted(profiles))
            return EXIT_OK
        for p in profiles.values():
            where = p.main_establishment or ", ".join(sorted({e.country for e in p.establishments}))
            print(
                f"{p.id:12} {p.name} ({where}) · "
                f"ECS provider: {'yes' if p.ecs_provider else 'no'} · NIS2: {p.nis2}"
            )
        return EXIT_OK
    profile = profiles.get(args.id)
    if profile is None:
        raise UsageError(f"profile {args.id!r} not found (known: {', '.join(sorted(profiles))})")
    if args.json:
        print_json(rulebook.data(profile))
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
