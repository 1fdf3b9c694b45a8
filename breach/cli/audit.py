"""``breach audit``: verify the chain and every row it vouches for, print its head, key it.

What the chain proves and what it cannot: docs/storage.md.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..settings import Settings
from .common import EXIT_FAILED, EXIT_OK, UsageError, add_db_option, open_log, print_json


def add_commands(sub: Any) -> None:
    """Register ``audit verify``, ``audit head`` and ``audit key``."""
    p = sub.add_parser(
        "audit",
        help="check the tamper-evident audit trail, print its head, create its key",
        description=(
            "The hash-chained audit log vouches for every row of the log (incidents, facts "
            "versions, assessments, duties, notices, events). See docs/storage.md."
        ),
    )
    add_db_option(p)
    actions = p.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify",
        help="check every entry and every row it vouches for (exit 1 naming the first problem)",
        description="Walk the chain, recompute every row's hash, and check the file.",
    )
    verify.add_argument(
        "--expect",
        metavar="HEAD",
        help="a head kept outside the file (SEQ:HASH, from `breach audit head`): fail if the "
        "chain no longer reaches it (truncated or rewritten)",
    )
    add_db_option(verify)
    verify.set_defaults(run=cmd_audit_verify)
    head = actions.add_parser(
        "head",
        help="print the chain's head (SEQ:HASH) to keep outside the file",
        description="Print the last audit entry's number and hash. Keep it where someone "
        "else holds it (a ticket, a sent notice, an e-mail to yourself): `breach audit "
        "verify --expect HEAD` then proves the log has not been rewritten since.",
    )
    head.add_argument("--json", action="store_true", help='print {"seq": …, "hash": …}')
    add_db_option(head)
    head.set_defaults(run=cmd_audit_head)
    key = actions.add_parser(
        "key",
        help="create the audit key (keys every later entry: a rewrite without it is caught)",
        description="Create a secret key in your config folder (readable by you only). "
        "Every later audit entry is keyed with it (HMAC-SHA256), so rewriting the chain "
        "needs the key. Back it up: keyed entries cannot be verified without it.",
    )
    key.set_defaults(run=cmd_audit_key)


def parse_head(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` as printed by ``breach audit head``."""
    seq, _, digest = text.strip().partition(":")
    if not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise UsageError(f"--expect {text[:80]!r}: give the head as SEQ:HASH (breach audit head)")
    return int(seq), digest


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    """``breach audit verify [--expect HEAD]``: exit 1 naming the first problem."""
    from ..progress import progress, wanted

    expect = parse_head(args.expect) if args.expect else None
    with open_log(args, settings, write=False) as log:
        show = wanted(sys.stderr)
        total = log.verify_size() if show else None
        with progress("verifying the audit chain", total, sys.stderr, show) as step:
            checked, integrity = log.verify(expect, step)
    if checked.problem:
        print(f"breach: {checked.problem}", file=sys.stderr)
        return EXIT_FAILED
    if not integrity:
        print("breach: the database file fails SQLite's integrity check", file=sys.stderr)
        return EXIT_FAILED
    if checked.keyed_from == 1:
        keyed = "keyed"
    elif checked.keyed:
        keyed = f"keyed from entry {checked.keyed_from}"
    else:
        keyed = "not keyed (breach audit key keys it)"
    if not checked.keyed and log.store_keyed:
        print(
            "breach: warning: you hold an audit key but no entry is keyed: if entries were "
            "written with it since, the chain was rewritten",
            file=sys.stderr,
        )
    reaches = (
        f"; it still reaches the head you kept ({args.expect.strip()[:20]}…)" if expect else ""
    )
    print(
        f"ok: {checked.entries} audit entries and {checked.rows} rows verified, chain "
        f"{keyed}{reaches}; database integrity ok"
    )
    return EXIT_OK


def cmd_audit_head(args: argparse.Namespace, settings: Settings) -> int:
    """``breach audit head``."""
    with open_log(args, settings, write=False) as log:
        seq, digest = log.audit_head()
    if args.json:
        print_json({"seq": seq, "hash": digest})
    else:
        print(f"{seq}:{digest}")
    return EXIT_OK


def cmd_audit_key(args: argparse.Namespace, settings: Settings) -> int:
    """``breach audit key``: create the key (never overwrite one)."""
    from ..service.audit_key import create_key

    path = create_key(settings.audit_key_path)
    print(f"created {path} (readable by you only); every later audit entry is keyed with it")
    print("back it up: keyed entries cannot be verified without it")
    return EXIT_OK
