"""The terminal UI: ``breach`` alone, ``breach demo``, and in a browser ``breach serve``."""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import Any

from ..settings import Settings
from .common import EXIT_OK, add_db_option, open_log, warn


def add_commands(sub: Any) -> None:
    """Register ``demo`` and ``serve`` (``breach`` alone runs :func:`cmd_ui`)."""
    p = sub.add_parser(
        "demo",
        help="open the UI on a demo database (created on first use)",
        description="Create a demo database with realistic incidents for the five seed "
        "organisations at different stages (overdue, due within 6 h, processor, telecom "
        "24 h, closed) and open the UI on it. Default: demo.db in the user data directory.",
    )
    p.add_argument("--tz", metavar="ZONE", help="zone for showing times (default: local)")
    add_db_option(p)
    p.set_defaults(run=cmd_demo)
    p = sub.add_parser(
        "serve",
        help="the same UI in a browser: one UI per tab, on the same log",
        description="Serve the UI to a web browser (textual-serve): each tab runs its own UI "
        "on the same incident log, rules, zone and actor (--actor / BREACH_ACTOR, else your "
        "login: every change from every tab is recorded as that actor). Listens on "
        "127.0.0.1 (this machine only) unless --host says otherwise; from another machine, "
        "use an SSH tunnel. The printed address carries a random key: the page is refused "
        "without it. Ctrl+C stops.",
    )
    p.add_argument("--port", metavar="N", help="the port to listen on (default: 8000)")
    p.add_argument(
        "--host",
        metavar="H",
        help="the address to listen on (default: 127.0.0.1); any other is reachable from "
        "the network, with no login: prefer an SSH tunnel",
    )
    p.add_argument("--tz", metavar="ZONE", help="zone for showing times (default: local)")
    add_db_option(p)
    p.set_defaults(run=cmd_serve)


def run_ui(settings: Settings, db: Path | None = None) -> int:
    """Open the Textual UI on the log at ``db`` (default: the settings' log)."""
    from ..ui.app import make_app

    with open_log(None, settings, path=db) as log:
        app = make_app(log, settings)
        try:
            app.run()
        finally:
            if app.incident_log is not log:
                app.incident_log.close()  # the app switched to the demo log
    return int(app.return_code or 0)


def cmd_ui(args: argparse.Namespace, settings: Settings) -> int:
    """``breach`` alone: the terminal UI on the incident log."""
    return run_ui(settings)


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """``breach demo``: create the demo log if needed and open the UI on it."""
    typed = getattr(args, "db", None)
    path = Path(typed) if typed else settings.demo_db
    if not typed:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open_log(None, settings, path=path, actor="demo") as log:
        if log.count() == 0:
            log.create_demo()
    if not sys.stdout.isatty():
        print(f"demo database ready: {path}")
        return EXIT_OK
    return run_ui(settings, path)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """``breach serve``: the UI in a browser, one UI process per tab (see :mod:`.serve`)."""
    from . import serve

    bind = serve.check_bind(args.host, args.port)

    def ready(key: str) -> None:
        # once listening: a port in use leaves no new log behind, and a bad log is one
        # line here rather than an error in every tab
        with open_log(None, settings):
            pass
        if not bind.loopback:
            warn(
                f"warning: listening on {bind.host}:{bind.port}, reachable from other "
                "machines. The UI gives full access to the incident log, every change "
                f"recorded as {settings.actor!r}; there is no login (only the key in the "
                "address) and no encryption (plain http). Prefer the default 127.0.0.1 and "
                f"an SSH tunnel: ssh -L {bind.port}:127.0.0.1:{bind.port} THIS-HOST"
            )
        print(f"breach serve: the UI on {settings.db}, changes recorded as {settings.actor!r}")
        print(f"open {bind.url(key)}")
        if bind.unspecified:
            print(f"  from another machine: {bind.url(key, socket.getfqdn())}")
        print("Ctrl+C stops.", flush=True)  # a pipe (a test, a log) sees it now

    serve.serve(bind, serve.tab_command(settings), ready)
    print("stopped")
    return EXIT_OK
