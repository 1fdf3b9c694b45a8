"""``breach push jira|thehive|webhook --url URL``: deliver incidents, once each."""

from __future__ import annotations

import argparse
import base64
import os
import sys
from typing import Any

from ..errors import BadInput
from ..settings import Settings
from .common import EXIT_OK, add_time_options, now_for, open_log, print_json

#: the environment variables each target reads its credentials from
CREDENTIALS = {
    "jira": "BREACH_JIRA_TOKEN (and BREACH_JIRA_USER for Jira Cloud)",
    "thehive": "BREACH_THEHIVE_KEY (and BREACH_THEHIVE_ORG if you have several)",
    "webhook": "BREACH_WEBHOOK_SECRET",
}


def add_commands(sub: Any) -> None:
    """Register ``push``."""
    from .exchange import add_target_options

    p = sub.add_parser(
        "push",
        help="deliver incidents to Jira, TheHive or a webhook (creates once, then updates)",
        description=(
            "Send incidents to Jira (issues), TheHive 5 (cases or alerts) or a webhook "
            "receiver (breach.webhook/1 events, signed). The first push creates the issue or "
            "case and remembers its id; later pushes update it, and unchanged incidents are "
            "not sent again. Without IDs or --since, a push continues where the last one to "
            "the same URL began. Credentials come from the environment only: "
            + "; ".join(f"{k}: {v}" for k, v in CREDENTIALS.items())
            + ". See docs/export.md."
        ),
    )
    p.add_argument("target", choices=tuple(CREDENTIALS), help="where to deliver")
    p.add_argument("ids", nargs="*", metavar="ID", help="incident ids (default: all changed)")
    p.add_argument(
        "--url",
        required=True,
        metavar="URL",
        help="Jira or TheHive base URL (https://jira.example.com), or the webhook's URL",
    )
    p.add_argument("--since", metavar="ISO", help="only incidents updated at or after this time")
    p.add_argument(
        "--dry-run", action="store_true", help="print the requests instead of sending them"
    )
    p.add_argument("--json", action="store_true", help="print what was pushed as JSON")
    p.add_argument(
        "--retries", type=int, default=4, metavar="N", help="retries on 429/5xx/timeouts (4)"
    )
    p.add_argument(
        "--timeout", type=float, default=30.0, metavar="S", help="seconds per request (30)"
    )
    add_target_options(p)
    add_time_options(p)
    p.set_defaults(run=cmd_push)


def credentials_from_environment(target: str, needed: bool) -> Any:
    """The target's credentials from the environment; a missing one is bad input."""
    from ..service.push import Credentials

    env = os.environ
    names = CREDENTIALS[target]
    if target == "jira":
        token, user = env.get("BREACH_JIRA_TOKEN"), env.get("BREACH_JIRA_USER")
        if not token:
            return _missing(needed, "BREACH_JIRA_TOKEN", names)
        if user:  # Jira Cloud: e-mail and API token
            pair = base64.b64encode(f"{user}:{token}".encode()).decode()
            return Credentials({"Authorization": f"Basic {pair}"}, names)
        return Credentials({"Authorization": f"Bearer {token}"}, names)  # a personal token
    if target == "thehive":
        key = env.get("BREACH_THEHIVE_KEY")
        if not key:
            return _missing(needed, "BREACH_THEHIVE_KEY", names)
        headers = {"Authorization": f"Bearer {key}"}
        if env.get("BREACH_THEHIVE_ORG"):
            headers["X-Organisation"] = env["BREACH_THEHIVE_ORG"]
        return Credentials(headers, names)
    secret = env.get("BREACH_WEBHOOK_SECRET")
    if not secret:
        return _missing(needed, "BREACH_WEBHOOK_SECRET", names)
    return Credentials({}, names, secret.encode())


def _missing(needed: bool, variable: str, names: str) -> Any:
    from ..service.push import Credentials

    if needed:
        raise BadInput(f"{variable} is not set: put the credentials in the environment ({names})")
    return Credentials({}, names)


def cmd_push(args: argparse.Namespace, settings: Settings) -> int:
    """``breach push TARGET --url URL [ID ...]``."""
    from ..clock import format_utc, parse_instant
    from ..progress import progress, wanted
    from ..service import Selection
    from .exchange import target_options

    if args.retries < 0 or args.timeout <= 0:
        raise BadInput("--retries must be 0 or more and --timeout more than 0")
    credentials = credentials_from_environment(args.target, needed=not args.dry_run)
    since = format_utc(parse_instant(args.since, args.tz)) if args.since else None
    options = target_options(args, format_utc(now_for(args)))
    selection = Selection(tuple(args.ids), since)
    with open_log(args, settings, write=not args.dry_run) as log:
        total = log.push_count(args.target, args.url, selection)
        show = wanted(sys.stderr) and not args.dry_run
        with progress(f"pushing to {args.target}", total, sys.stderr, show) as step:
            summary = log.push(
                args.target,
                args.url,
                selection,
                options,
                credentials,
                dry_run=sys.stdout if args.dry_run else None,
                tick=step,
                retries=args.retries,
                timeout_s=args.timeout,
            )
    if args.json:
        print_json(
            {"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged}
        )
    elif args.dry_run:
        print(
            f"dry run: nothing was sent; {len(summary.created)} would be created, "
            f"{len(summary.updated)} updated, {len(summary.unchanged)} unchanged",
            file=sys.stderr,
        )
    else:
        print(
            f"pushed to {args.target}: {len(summary.created)} created, "
            f"{len(summary.updated)} updated, {len(summary.unchanged)} unchanged"
        )
    return EXIT_OK
