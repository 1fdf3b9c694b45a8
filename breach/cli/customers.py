"""Controller customers at scale: ``breach controllers import ID FILE.csv`` and
``breach notice-sent ID --batch LOG.csv`` (a mail tool's delivery log). Thin: parse, call
the service, print."""

from __future__ import annotations

import argparse
from typing import Any

from ..settings import Settings
from ..textsafe import one_line
from .common import EXIT_OK, add_db_option, add_time_options, open_log, read_text, warn

#: How many problem lines a batch prints before summarising the rest.
SHOWN = 10


def add_commands(sub: Any) -> None:
    """Register ``controllers import``."""
    p = sub.add_parser(
        "controllers",
        help="import the controller customers of a processor incident from a CSV file",
        description=(
            "Controller customers of a processor (or the providers a sub-provider serves), "
            "by the thousand: a CSV file with a header row and the columns name (required), "
            "contact, notice_hours, subjects (how many of the affected people are that "
            "customer's) and language. Comma or semicolon separated, UTF-8."
        ),
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser(
        "import",
        help="merge the customers of FILE.csv into the incident's facts and re-assess",
        description=(
            "Read FILE.csv and merge its customers into the incident's controllers (a "
            "customer of the same name is replaced by the file's row); --replace drops the "
            "ones the file does not list. One new facts version, re-assessed: one duty "
            "to inform each customer. Any bad row names its line; nothing is stored then."
        ),
    )
    imp.add_argument("id", metavar="ID", help="incident id")
    imp.add_argument("file", metavar="FILE", help="CSV file, or - for standard input")
    imp.add_argument(
        "--replace", action="store_true", help="the file lists every customer: drop the others"
    )
    add_db_option(imp)
    add_time_options(imp)
    imp.set_defaults(run=cmd_import)


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """``breach controllers import ID FILE.csv``."""
    from ..service.customers import import_controllers, informed, read_controllers

    source = "<stdin>" if args.file == "-" else args.file
    contacts = read_controllers(read_text(args.file), source)
    with open_log(args, settings) as log:
        change = import_controllers(log.incidents, args.id, contacts, args.replace)
        done, required = informed(log.incidents.store.duties(args.id))
    print(
        f"{args.id}: {len(contacts):,} controller customer(s) from {source}; "
        f"facts version {change.facts_version}; {required:,} to inform, {done:,} informed"
    )
    return EXIT_OK


def record_batch(args: argparse.Namespace, settings: Settings) -> int:
    """``breach notice-sent ID --batch LOG.csv``: the deliveries of a mail tool's log."""
    source = "<stdin>" if args.batch == "-" else args.batch
    text = read_text(args.batch)
    with open_log(args, settings) as log:
        result = log.record_deliveries(args.id, text, source, args.tz, args.reason)
        done, required = log.customers_informed(args.id)
    print(f"{args.id}: {len(result.done):,} delivery(ies) recorded from {source}")
    if result.already:
        print(f"  {len(result.already):,} customer(s) were already recorded as informed")
    for label, lines in (("not delivered", result.failed), ("no such customer", result.unmatched)):
        for line in lines[:SHOWN]:
            warn(f"{label}: {one_line(line)}")
        if len(lines) > SHOWN:
            warn(f"{label}: and {len(lines) - SHOWN:,} more")
    print(f"{done:,} of {required:,} customers informed")
    return EXIT_OK
