"""Incident commands: new, update, list, show, done, undone, note, close, reopen, audit
verify. Thin: parse, call the incident log, print."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from ..settings import Settings
from ..textsafe import one_line
from .common import (
    EXIT_OK,
    add_db_option,
    add_delivery_options,
    add_time_options,
    delivery,
    now_for,
    open_log,
    print_json,
    read_facts,
    read_text,
    rules_for,
    write_json_text,
)
from .decision import decisive_lines


def add_commands(sub: Any) -> None:
    """Register the incident subcommands."""

    def command(name: str, help_text: str, description: str, run: Any) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=description)
        p.set_defaults(run=run)
        add_db_option(p)
        return p

    p = command(
        "new",
        "record an incident from Facts, assess it, print its id",
        "Record a new incident from breach.facts/1 JSON (FILE or -), assess it and "
        "store everything in the incident database.",
        cmd_new,
    )
    p.add_argument("file", metavar="FILE", help="facts JSON file, or - for standard input")
    p.add_argument("--json", action="store_true", help='print {"id": ...}')
    add_time_options(p)

    p = command(
        "update",
        "merge new or changed facts into an incident and re-assess",
        "Merge the keys of FILE (a partial facts object) into the incident's facts as a "
        "new version, re-assess, and record how the duties changed.",
        cmd_update,
    )
    p.add_argument("id", metavar="ID", help="incident id, e.g. BR-2026-0001")
    p.add_argument("file", metavar="FILE", help="JSON object with the facts that changed, or -")
    p.add_argument("--json", action="store_true", help="print the change as JSON")
    add_time_options(p)

    p = command(
        "list",
        "list open incidents, nearest deadline first",
        "List incidents with their nearest open deadline, soonest first.",
        cmd_list,
    )
    p.add_argument("--all", action="store_true", help="include closed incidents")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--org", metavar="ID", help="only this organisation's incidents (profile id, e.g. mixvoip)"
    )
    p.add_argument(
        "--regime",
        metavar="R",
        help="only incidents with a required duty under regime R "
        "(e.g. gdpr, eprivacy, nis2, uk_gdpr, pecr, ch_fadp, ge_pdp)",
    )
    p.add_argument(
        "--due",
        choices=("overdue", "24h", "72h"),
        help="only open incidents whose next deadline is overdue, or due within 24 h or 72 h "
        "(overdue ones too), counted from --now",
    )
    add_time_options(p)

    p = command(
        "show",
        "show one incident (facts, duties, timeline)",
        "Show one incident; --json prints it in the export's incident shape.",
        cmd_show,
    )
    p.add_argument("id", metavar="ID", help="incident id")
    p.add_argument("--json", action="store_true", help="print JSON (breach.export/1 incident)")
    add_time_options(p)

    p = command(
        "done",
        "mark a duty fulfilled (time, reference, channel, reason if late)",
        "Mark one duty of an incident as done. A duty done after its deadline needs "
        "--reason: the reasons for the delay (GDPR Art. 33(1)).",
        cmd_done,
    )
    p.add_argument("id", metavar="ID", help="incident id")
    p.add_argument(
        "obligation", metavar="OBLIGATION", help="duty id, e.g. gdpr.notify_authority.LU"
    )
    add_delivery_options(p, "done")
    add_time_options(p)

    p = command(
        "undone",
        "reopen a duty marked done by mistake (the reason goes into the audit)",
        "Open again a duty of an incident that was marked done by mistake. --reason is "
        "required: it goes into the timeline and the audit trail with the done time, "
        "reference and channel the duty had. A notice marked sent stays recorded as sent; "
        "only the duty is open again (its deadline counts again).",
        cmd_undone,
    )
    p.add_argument("id", metavar="ID", help="incident id")
    p.add_argument(
        "obligation", metavar="OBLIGATION", help="duty id, e.g. gdpr.notify_authority.LU"
    )
    p.add_argument(
        "--reason", metavar="TEXT", required=True, help="why the duty is not done (required)"
    )
    add_time_options(p)

    p = command(
        "note",
        "add a note to an incident's timeline",
        "Append a note to the incident's timeline.",
        cmd_note,
    )
    p.add_argument("id", metavar="ID", help="incident id")
    p.add_argument("text", metavar="TEXT", help="the note")
    p.add_argument(
        "--handover",
        action="store_true",
        help="a handover note for the next shift (stands out on the timeline)",
    )
    add_time_options(p)

    p = command(
        "assign",
        "put someone on an incident or one of its duties",
        "Record who is on the incident (or, with --duty, on one duty); --off takes them off. "
        "The dashboard's 'mine' filter shows what you are on.",
        cmd_assign,
    )
    p.add_argument("id", metavar="ID", help="incident id")
    p.add_argument("person", nargs="?", metavar="PERSON", help="who (as they give --actor)")
    p.add_argument("--duty", metavar="OBLIGATION", help="the duty, e.g. gdpr.notify_authority.LU")
    p.add_argument("--off", action="store_true", help="take whoever is on it off")
    add_time_options(p)

    for name, verb in (("close", "close"), ("reopen", "reopen")):
        p = command(name, f"{verb} an incident", f"{verb.capitalize()} an incident.", cmd_status)
        p.add_argument("id", metavar="ID", help="incident id")
        p.set_defaults(status="closed" if name == "close" else "open")
        add_time_options(p)


def cmd_new(args: argparse.Namespace, settings: Settings) -> int:
    """``breach new FILE``."""
    rules = rules_for(settings)
    facts = read_facts(args.file, args.tz, rules)
    with open_log(args, settings, rules=rules) as log:
        incident_id = log.incidents.open(facts)
        if args.json:
            print_json({"id": incident_id})
        else:
            row = log.incident_row(incident_id)
            print(f"Opened {incident_id}: {one_line(row['title'])}")
            _print_next(row, args, settings)
    return EXIT_OK


def cmd_update(args: argparse.Namespace, settings: Settings) -> int:
    """``breach update ID FILE``."""
    from ..model import parse_changes

    source = "<stdin>" if args.file == "-" else args.file
    changes = parse_changes(read_text(args.file), source)
    with open_log(args, settings) as log:
        change = log.incidents.update(args.id, changes, tz=args.tz)
        if args.json:
            print_json(
                {
                    "id": change.incident_id,
                    "facts_version": change.facts_version,
                    "changed": change.changed,
                    "duty_changes": change.duty_changes,
                }
            )
            return EXIT_OK
        print(
            f"{change.incident_id}: facts version {change.facts_version} "
            f"({', '.join(change.changed) or 'no change'})"
        )
        for line in change.duty_changes:
            print(f"  {line}")
        _print_next(log.incident_row(args.id), args, settings)
    return EXIT_OK


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    """``breach list``."""
    from ..service.filters import Filters

    filters = None
    if args.org or args.regime or args.due:
        status = "all" if args.all else "open"
        filters = Filters(status, args.org, args.regime and args.regime.lower(), args.due)
    with open_log(args, settings, write=False) as log:
        if filters:
            log.check_filters(filters)  # a typo is an error, not an empty list
        if args.json:  # built by SQLite: fast even for 100,000 incidents
            write_json_text(log.list_json(args.all, filters))
            return EXIT_OK
        rows = log.summaries(args.all, filters)
    if not rows:
        found = "No open incidents" if not args.all else "No incidents"
        print(f"{found} matching the filters." if filters else f"{found}.")
        return EXIT_OK
    now = now_for(args)
    for row in rows:
        if row["status"] == "closed":
            due = "closed"
        else:
            due = _due_text(row["next_due"], now) if row["next_due"] else "no open deadline"
        print(
            f"{row['id']:14} {due:22} {row['status']:6} {row['organisation']:12} "
            f"{row['role']:16} {one_line(row['title'])}"
        )
    return EXIT_OK


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    """``breach show ID``."""
    with open_log(args, settings, write=False) as log:
        data = log.incident(args.id)
        if args.json:
            print_json(data)
            return EXIT_OK
        lacking = log.notices.lacking(args.id)
    _print_incident(data, args, settings, lacking)
    return EXIT_OK


def cmd_done(args: argparse.Namespace, settings: Settings) -> int:
    """``breach done ID OBLIGATION``."""
    with open_log(args, settings) as log:
        duty = log.incidents.mark_done(args.id, args.obligation, **delivery(args))
    print(f"{args.id}: {args.obligation} done at {duty['done_at']}")
    return EXIT_OK


def cmd_undone(args: argparse.Namespace, settings: Settings) -> int:
    """``breach undone ID OBLIGATION --reason TEXT``."""
    with open_log(args, settings) as log:
        log.incidents.reopen_duty(args.id, args.obligation, args.reason)
        row = log.incident_row(args.id)
    print(f"{args.id}: {args.obligation} is open again (the reason is in the audit trail)")
    _print_next(row, args, settings)
    return EXIT_OK


def cmd_note(args: argparse.Namespace, settings: Settings) -> int:
    """``breach note ID TEXT``."""
    with open_log(args, settings) as log:
        if args.handover:
            log.team.handover(args.id, args.text)
        else:
            log.incidents.add_note(args.id, args.text)
    print(f"{args.id}: {'handover note' if args.handover else 'note'} added")
    return EXIT_OK


def cmd_assign(args: argparse.Namespace, settings: Settings) -> int:
    """``breach assign ID PERSON [--duty OBLIGATION]`` / ``breach assign ID --off``."""
    from ..errors import BadInput

    if bool(args.person) == args.off:
        raise BadInput("give either PERSON or --off")
    with open_log(args, settings) as log:
        print(log.team.assign(args.id, None if args.off else args.person, args.duty))
    return EXIT_OK


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """``breach close ID`` / ``breach reopen ID``."""
    with open_log(args, settings) as log:
        log.incidents.set_status(args.id, args.status)
    print(f"{args.id}: {'closed' if args.status == 'closed' else 'reopened'}")
    return EXIT_OK


def _due_text(due: str, now: datetime) -> str:
    from ..clock import countdown

    return countdown(datetime.fromisoformat(due.replace("Z", "+00:00")), now)


def _print_next(row: dict[str, Any], args: argparse.Namespace, settings: Settings) -> None:
    if row["next_due"]:
        from ..clock import format_local

        due = datetime.fromisoformat(row["next_due"].replace("Z", "+00:00"))
        print(
            f"Next: {row['next_duty']} due {format_local(due, settings.zone)} "
            f"({_due_text(row['next_due'], now_for(args))})"
        )
    else:
        print("No open deadline.")


#: Above this many controller customers, show folds their duties into one line.
FOLD = 10


def _print_incident(
    data: dict[str, Any],
    args: argparse.Namespace,
    settings: Settings,
    lacking: list[tuple[str, int, list[str]]],
) -> None:
    from ..clock import format_local

    zone_name = settings.zone
    now = now_for(args)
    print(f"{data['id']} — {one_line(data['title'])}")
    print(
        f"  {data['status']} · {one_line(data['organisation_name'])} · {data['role']} · "
        f"risk {(data['decision'] or {}).get('risk', '?')} · facts v{data['facts_version']}"
    )
    assignees = data.get("assignees") or {}
    if assignees.get("incident"):
        print(f"  on it: {one_line(assignees['incident'])}")
    on_duty = assignees.get("duties") or {}
    print("Duties")
    customers = [
        d
        for d in data["obligations"]
        if d["duty"] == "notify_controller" and d["status"] != "not_required"
    ]
    folded = len(customers) > FOLD
    if folded:
        done = sum(1 for d in customers if d["done_at"])
        waiting = sorted(
            (d for d in customers if not d["done_at"]), key=lambda d: d["due_at"] or ""
        )
        line = f"  {done:,} of {len(customers):,} customers informed"
        if waiting and waiting[0]["due_at"]:
            first = waiting[0]["due_at"]
            due = datetime.fromisoformat(first.replace("Z", "+00:00"))
            line += f"; next due {format_local(due, zone_name)} ({_due_text(first, now)})"
        print(line + " (breach notice ID controller --all)")
    for duty in data["obligations"]:
        if duty["status"] == "not_required" or (folded and duty in customers):
            continue
        state = f"DONE {duty['done_at']}" if duty["done_at"] else duty["status"].upper()
        line = f"  [{state}] {duty['id']}"
        if duty["due_at"] and not duty["done_at"]:
            due = datetime.fromisoformat(duty["due_at"].replace("Z", "+00:00"))
            line += f" — due {format_local(due, zone_name)} ({_due_text(duty['due_at'], now)})"
        if on_duty.get(duty["id"]):
            line += f" · {one_line(on_duty[duty['id']])} is on it"
        print(line)
        if duty["recipient"]:
            print(f"      to {one_line(duty['recipient']['name'])}")
    skipped = [d["id"] for d in data["obligations"] if d["status"] == "not_required"]
    if skipped:
        print(f"  not required: {', '.join(skipped)}")
    for line in decisive_lines(data["decision"] or {}):
        print(line)
    if lacking:
        print("Still to be confirmed in the notices to send")
        for duty_id, count, unknowns in lacking:
            many = f" ({count:,} notices)" if count > 1 else ""
            print(f"  {duty_id}{many}: {one_line('; '.join(unknowns)) or 'complete'}")
    print("Timeline")
    for event in data["events"]:
        kind = "HANDOVER" if event["kind"] == "handover" else event["kind"]
        print(f"  {event['at']}  {kind:8} {one_line(event['text'])}  — {one_line(event['actor'])}")
