"""Export and import commands of the ``breach`` CLI (``export``, ``import``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, BinaryIO

from ..files import private_file
from ..service import EXPORT_WRITERS, PAP_LEVELS, TLP_LEVELS
from ..settings import Settings
from .common import EXIT_OK, UsageError, add_time_options, now_for, open_log, print_json

if TYPE_CHECKING:
    from ..service import ExportOptions


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
    add_target_options(p)
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


def add_target_options(p: argparse.ArgumentParser) -> None:
    """The options of the Jira and TheHive bodies (``export`` and ``push``)."""
    p.add_argument("--project", metavar="KEY", default="SEC", help="jira: project key (SEC)")
    p.add_argument("--issue-type", metavar="NAME", default="Task", help="jira: issue type (Task)")
    p.add_argument(
        "--jira-api",
        type=int,
        choices=(2, 3),
        default=2,
        help="jira: REST API version, 2 (wiki markup) or 3 (Atlassian Document Format) (2)",
    )
    p.add_argument(
        "--kind", choices=("case", "alert"), default="case", help="thehive: case or alert (case)"
    )
    p.add_argument("--tlp", choices=list(TLP_LEVELS), default="amber", help="thehive: TLP (amber)")
    p.add_argument("--pap", choices=list(PAP_LEVELS), default="amber", help="thehive: PAP (amber)")
    p.add_argument(
        "--thehive-version",
        choices=("5.0", "5.1", "5.2"),
        default="5.2",
        help="thehive: the release the TLP numbers are for; 5.2 means 5.2 and later (5.2)",
    )


def target_options(args: argparse.Namespace, exported_at: str) -> ExportOptions:
    """The export options the command line gave (TLP:AMBER+STRICT only for TheHive 5.2+)."""
    from ..service import ExportOptions

    if args.tlp == "amber+strict" and args.thehive_version in ("5.0", "5.1"):
        raise UsageError(
            f"--tlp amber+strict needs TheHive 5.2 or later (--thehive-version "
            f"{args.thehive_version} has no AMBER+STRICT): choose amber or red"
        )
    return ExportOptions(
        exported_at=exported_at,
        zone=args.tz,
        jira_project=args.project,
        jira_issue_type=args.issue_type,
        jira_api=args.jira_api,
        thehive_kind=args.kind,
        tlp=TLP_LEVELS[args.tlp],
        pap=PAP_LEVELS[args.pap],
        thehive_version=args.thehive_version,
    )


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """``breach export [ID ...]``."""
    from ..clock import format_utc, parse_instant
    from ..progress import progress, wanted
    from ..service import Selection

    since = format_utc(parse_instant(args.since, args.tz)) if args.since else None
    options = target_options(args, format_utc(now_for(args)))
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
