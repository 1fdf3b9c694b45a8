"""Export and import commands of the ``breach`` CLI (``export``, ``import``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

from ..files import private_file
from ..service import EXPORT_WRITERS, PAP_LEVELS, TLP_LEVELS
from ..settings import Settings
from .common import EXIT_OK, add_time_options, now_for, open_log, print_json


def add_commands(sub: Any) -> None:
    """Register the export and import subcommands."""
    p = sub.add_parser(
        "export",
        help="export incidents: breach.export/1 JSON, ticket payloads, calendar, register",
        description=(
            "Write incidents (all, or the IDs given; --since: only those updated at or after "
            "that time) as breach.export/1 JSON (schema: `breach schema export`), Jira or "
            "TheHive payloads, webhook events, an iCalendar of the deadlines, VERIS, or the "
            "breach register as CSV. See docs/export.md."
        ),
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="incident ids (default: all)")
    p.add_argument(
        "--since",
        metavar="ISO",
        help="only incidents updated at or after this time (incremental export)",
    )
    formats = ", ".join(f"{name}: {writer.help}" for name, writer in EXPORT_WRITERS.items())
    p.add_argument(
        "--format",
        choices=list(EXPORT_WRITERS),
        default="json",
        help=f"output format (default json) — {formats}",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    p.add_argument("--project", metavar="KEY", default="SEC", help="jira: project key (SEC)")
    p.add_argument("--issue-type", metavar="NAME", default="Task", help="jira: issue type (Task)")
    p.add_argument(
        "--kind", choices=("case", "alert"), default="case", help="thehive: case or alert (case)"
    )
    p.add_argument("--tlp", choices=list(TLP_LEVELS), default="amber", help="thehive: TLP (amber)")
    p.add_argument("--pap", choices=list(PAP_LEVELS), default="amber", help="thehive: PAP (amber)")
    add_time_options(p)
    p.set_defaults(run=cmd_export)

    p = sub.add_parser(
        "import",
        help="import a breach.export/1 file (all or nothing, no duplicates)",
        description=(
            "Import a breach.export/1 file (or - for standard input). The whole file is "
            "checked first and imported in one transaction: a bad file is refused naming the "
            "first problem, nothing half-imported. Incidents already here with the same "
            "content are skipped; an older state here is brought up to date; a diverged "
            "one refuses the file."
        ),
    )
    p.add_argument("file", metavar="FILE", help="breach.export/1 JSON file, or -")
    p.add_argument("--json", action="store_true", help="print what was imported as JSON")
    add_time_options(p)
    p.set_defaults(run=cmd_import)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """``breach export [ID ...]``."""
    from ..clock import format_utc, parse_instant
    from ..progress import progress, wanted
    from ..service import ExportOptions, Selection

    since = format_utc(parse_instant(args.since, args.tz)) if args.since else None
    options = ExportOptions(
        exported_at=format_utc(now_for(args)),
        zone=args.tz,
        jira_project=args.project,
        jira_issue_type=args.issue_type,
        thehive_kind=args.kind,
        tlp=TLP_LEVELS[args.tlp],
        pap=PAP_LEVELS[args.pap],
    )
    to_terminal = not args.output or args.output == "-"
    with open_log(args, settings, write=False) as log:
        selection = Selection(tuple(args.ids), since)
        total = log.check_selection(selection)
        show = wanted(sys.stderr, to_terminal and sys.stdout.isatty())
        with (
            _output(args.output) as out,
            progress(f"exporting {args.format}", total, sys.stderr, show) as step,
        ):
            log.export(selection, args.format, out, options, step)
    return EXIT_OK


@contextmanager
def _output(path: str | None) -> Iterator[BinaryIO]:
    """Standard output, or FILE written whole or not at all, readable by you only."""
    if not path or path == "-":
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with private_file(path) as out:
        yield out


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """``breach import FILE``."""
    import tempfile

    from ..progress import wanted

    show = wanted(sys.stderr)
    spool = None
    path, source = args.file, args.file
    if args.file == "-":  # read twice (check, then import): keep a private copy
        spool = tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False)  # noqa: SIM115
        with spool:
            while chunk := sys.stdin.buffer.read(1 << 20):
                spool.write(chunk)
        path, source = spool.name, "<stdin>"
    try:
        with open_log(args, settings) as log:
            summary = log.import_file(path, source, show, sys.stderr)
    finally:
        if spool is not None:
            os.unlink(spool.name)
    if args.json:
        print_json(
            {"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged}
        )
    else:
        print(
            f"imported {source}: {len(summary.created)} new, {len(summary.updated)} updated, "
            f"{len(summary.unchanged)} unchanged"
        )
    return EXIT_OK
