"""The terminal UI and the demo: ``breach`` alone, and ``breach demo``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..settings import Settings
from .common import EXIT_OK, add_db_option, open_log


def add_commands(sub: Any) -> None:
    """Register ``demo`` (``breach`` alone runs :func:`cmd_ui`)."""
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
