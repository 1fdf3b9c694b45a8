"""Notice and report commands: ``notice``, ``notice-sent``, ``report``.

Thin: parse, call the incident log's notice service, print. The notice goes to
standard output (or ``-o FILE``); warnings and the list of facts still to be confirmed go
to standard error, so a redirected notice holds only the notice.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..files import write_private_text
from ..service import NOTICE_FORMATS, NOTICE_KINDS
from ..settings import Settings
from ..textsafe import one_line, terminal_safe
from .common import (
    EXIT_OK,
    UsageError,
    add_delivery_options,
    add_time_options,
    delivery,
    open_log,
    print_json,
    read_text,
    warn,
)

if TYPE_CHECKING:
    from ..service.notices import Draft, NoticeService

KINDS = NOTICE_KINDS


def add_commands(sub: Any) -> None:
    """Register the notice and report subcommands."""

    p = sub.add_parser(
        "notice",
        help="draft a notice (authority, data_subjects, controller, public, register)",
        description=(
            "Draft a notice from what the incident log knows: to the authority, to the "
            "people affected, to a controller customer, the public communication or the "
            "breach-register entry. Facts not yet known read [to be confirmed] and are "
            "listed on standard error. --save keeps a version; --edit-from stores your "
            "edit, which later renderings keep; --list shows the stored versions."
        ),
    )
    p.add_argument("id", metavar="ID", help="incident id, e.g. BR-2026-0001")
    p.add_argument("kind", nargs="?", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    p.add_argument("--lang", metavar="LANG", help="language (default: from the profile)")
    p.add_argument("--format", choices=NOTICE_FORMATS, default="text", help="output format")
    p.add_argument(
        "--recipient",
        metavar="OBLIGATION",
        help="the duty the notice is for, e.g. gdpr.notify_authority.LU (default: the next due)",
    )
    p.add_argument(
        "--phase",
        choices=["initial", "follow-up"],
        help="initial or follow-up notification (default: follow-up once one was sent)",
    )
    p.add_argument(
        "--all",
        action="store_true",
        help="every required notice of KIND not yet sent (e.g. one per controller customer), "
        "one file each in --output-dir",
    )
    p.add_argument("--output-dir", metavar="DIR", help="with --all: the folder to write to")
    p.add_argument("--save", action="store_true", help="store this version as a draft")
    p.add_argument("--edit-from", metavar="FILE", help="store FILE as your edited draft")
    p.add_argument("--fresh", action="store_true", help="render anew, ignoring saved edits")
    p.add_argument(
        "--voluntary",
        action="store_true",
        help="draft it although the decision does not require it (titled as voluntary)",
    )
    p.add_argument("--list", action="store_true", help="list the stored notice versions")
    p.add_argument("--show", metavar="NOTICE", type=int, help="print a stored version")
    p.add_argument("--json", action="store_true", help="with --list: print JSON")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    add_time_options(p)
    p.set_defaults(run=cmd_notice)

    p = sub.add_parser(
        "notice-sent",
        help="record that a saved notice was sent (time, reference, channel)",
        description=(
            "Mark a saved notice version as sent. Its duty is marked done with it; a duty "
            "done after its deadline needs --reason or the facts' delay_reason (GDPR Art. "
            "33(1)). A notice still reading markers is refused unless --confirm. A sent "
            "version is kept as sent; the next notice to the same recipient is a follow-up. "
            "--batch records a mail tool's delivery log for controller notices sent by the "
            "thousand."
        ),
    )
    p.add_argument("id", metavar="ID", help="incident id")
    p.add_argument(
        "notice", metavar="NOTICE", type=int, nargs="?", help="notice number (see notice --list)"
    )
    p.add_argument(
        "--batch",
        metavar="LOG.csv",
        help="record the deliveries of a mail tool's log instead (columns: name or email, "
        "sent_at, status, message_id): each delivered controller notice's duty is done",
    )
    add_delivery_options(p, "sent")
    p.add_argument(
        "--confirm",
        action="store_true",
        help="send it although it still reads markers (a phased notification)",
    )
    add_time_options(p)
    p.set_defaults(run=cmd_notice_sent)

    p = sub.add_parser(
        "report",
        help="write the post-incident report (Markdown or self-contained HTML)",
        description=(
            "Write the post-incident report: summary, timeline picture, facts versions, "
            "each decision with its reasoning, duties met or late, notices sent, lessons "
            "learned (set with --lessons FILE) and the audit chain status."
        ),
    )
    p.add_argument("id", metavar="ID", help="incident id")
    p.add_argument("--format", choices=["md", "html"], default="md", help="output format")
    p.add_argument(
        "--lang", metavar="LANG", help="language (default: the organisation's first with a report)"
    )
    p.add_argument(
        "--lessons",
        metavar="FILE",
        help="store FILE (or -) as the lessons learned and follow-up actions, then report",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    add_time_options(p)
    p.set_defaults(run=cmd_report)


def _emit(text: str, output: str | None) -> None:
    """A notice or report to FILE (0600, atomic) or standard output, neutralised for the
    terminal either way: it may hold text typed or imported by anyone."""
    if output and output != "-":
        write_private_text(output, terminal_safe(text))
    else:
        sys.stdout.write(terminal_safe(text))


def _report_draft(draft: Draft) -> None:
    for warning in draft.warnings:
        warn(f"warning: {warning}")
    if draft.kept_edits_of is not None:
        warn(f"kept your edits of notice #{draft.kept_edits_of} (--fresh to drop them)")
        for conflict in draft.conflicts:
            lines = "".join(conflict.generated).strip().replace("\n", " / ")
            warn(f"conflict: your edit kept; the facts now give: {lines}")
        if draft.markers_left:
            warn(f"{draft.markers_left} field(s) still read [to be confirmed]")
    elif draft.unknowns:
        warn(f"{len(draft.unknowns)} to be confirmed: " + "; ".join(draft.unknowns))


def cmd_notice(args: argparse.Namespace, settings: Settings) -> int:
    """``breach notice ID KIND``, ``--list``, ``--show N``, ``--edit-from FILE``."""
    if args.list and args.show is not None:
        raise UsageError("use either --list or --show")
    writes = bool(args.save or args.edit_from)
    with open_log(args, settings, write=writes) as log:
        service = log.notices
        if args.list:
            _print_versions(service.versions(args.id), args.json)
            return EXIT_OK
        if args.show is not None:
            _emit(service.stored(args.id, args.show)["text"], args.output)
            return EXIT_OK
        if args.kind is None:
            raise UsageError("give a notice KIND (" + ", ".join(KINDS) + "), --list or --show")
        if args.all:
            return _draft_all(args, service)
        if args.output_dir:
            raise UsageError("--output-dir goes with --all (one file per recipient)")
        edited = read_text(args.edit_from) if args.edit_from else None
        draft = service.draft(
            args.id,
            args.kind,
            language=args.lang,
            fmt=args.format,
            obligation=args.recipient,
            phase=args.phase,
            zone=args.tz,
            fresh=args.fresh,
            voluntary=args.voluntary,
        )
        if edited is not None:
            notice_id = service.save(args.id, draft, edited_text=edited)
            print(f"{args.id}: saved your edit as notice #{notice_id}")
            return EXIT_OK
        _emit(draft.text, args.output)
        _report_draft(draft)
        if args.save:
            notice_id = service.save(args.id, draft)
            warn(f"saved as notice #{notice_id} (draft)")
    return EXIT_OK


def _draft_all(args: argparse.Namespace, service: NoticeService) -> int:
    """``breach notice ID KIND --all --output-dir DIR``: one file per recipient."""
    from ..progress import progress, wanted
    from ..service.notice_drafts import file_name

    if not args.output_dir:
        raise UsageError("--all writes one file per recipient: give --output-dir DIR")
    if args.recipient or args.edit_from or args.phase:
        raise UsageError("--all drafts every recipient's notice: drop --recipient/--phase")
    folder = Path(args.output_dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--output-dir {folder}: exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    drafts = service.draft_all(
        args.id, args.kind, language=args.lang, fmt=args.format, zone=args.tz
    )
    total = service.count_open(args.id, args.kind)
    written = marked = 0
    unknowns: set[str] = set()
    with progress(f"drafting {args.kind} notices", total, sys.stderr, wanted()) as step:
        for draft in drafts:
            write_private_text(str(folder / file_name(args.id, draft)), terminal_safe(draft.text))
            unknowns.update(draft.unknowns)
            marked += bool(draft.markers_left)
            if args.save:
                service.save(args.id, draft)
            written += 1
            step(1)
    saved = " and saved as drafts" if args.save else ""
    print(f"{args.id}: {written:,} {args.kind} notice(s) written to {folder}{saved}")
    if unknowns:
        warn(
            f"{marked:,} of them still read markers; to be confirmed: "
            + "; ".join(sorted(unknowns))
        )
    return EXIT_OK


def _print_versions(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        print_json(rows)
        return
    if not rows:
        print("No stored notices.")
        return
    for n in rows:
        state = f"sent {n['sent_at']}" if n["status"] == "sent" else "draft"
        extra = f" ref {n['reference']}" if n["reference"] else ""
        extra += f" via {n['channel']}" if n["channel"] else ""
        edited = " edited" if n["edited"] else ""
        target = n["obligation"] or "-"
        print(
            one_line(
                f"#{n['id']:<4} {n['kind']:13} v{n['version']:<3} {n['language']}/{n['format']:9}"
                f" {n['phase']:9} {state}{extra}{edited}  {target}  {n['created_at']}"
            )
        )


def cmd_notice_sent(args: argparse.Namespace, settings: Settings) -> int:
    """``breach notice-sent ID NOTICE`` or ``--batch LOG.csv``."""
    if args.batch:
        if args.notice is not None or args.at or args.reference:
            raise UsageError("--batch takes times and references from the log: drop NOTICE")
        from .customers import record_batch

        return record_batch(args, settings)
    if args.notice is None:
        raise UsageError("give the NOTICE number (see breach notice ID --list) or --batch")
    with open_log(args, settings) as log:
        notice = log.notices.mark_sent(args.id, args.notice, confirm=args.confirm, **delivery(args))
    target = f" ({notice['obligation']} done)" if notice["obligation"] else ""
    print(f"{args.id}: notice #{args.notice} sent at {notice['sent_at']}{target}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    """``breach report ID``."""
    lessons = read_text(args.lessons) if args.lessons else None
    with open_log(args, settings, write=lessons is not None) as log:
        if lessons is not None:
            notice_id = log.reports.set_lessons(args.id, lessons)
            warn(f"lessons learned stored as #{notice_id}")
        rendered = log.reports.report(args.id, args.format, args.lang, args.tz)
    _emit(rendered.text, args.output)
    for warning in rendered.warnings:
        warn(f"warning: {warning}")
    if rendered.unknowns:
        warn(f"{len(rendered.unknowns)} to be confirmed: " + "; ".join(rendered.unknowns))
    return EXIT_OK
