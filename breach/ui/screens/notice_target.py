"""What a notice is for (its kind, its duty, whether it is voluntary), and copying one
in a way that says what it did."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import BreachError
from ...files import write_private_text
from ...service.notice_drafts import notice_kind

if TYPE_CHECKING:
    from textual.screen import Screen

    from ..app import BreachApp


@dataclass(frozen=True)
class NoticeTarget:
    """A notice one could draft: its kind, the duty it is for, whether it is voluntary."""

    kind: str
    obligation: str
    voluntary: bool


def target_of(duty: dict[str, Any]) -> NoticeTarget:
    """The notice a duty calls for (one no duty requires is voluntary)."""
    kind = notice_kind(duty["duty"]) or "authority"
    return NoticeTarget(kind, duty["id"], duty["status"] != "required")


def notice_folder(app: BreachApp) -> Path:
    """Where notices are written by default: beside the incident log (a folder the
    responder chose for personal data), else the working folder."""
    log = app.incident_log
    return log.path.parent if log.path else Path.cwd()


def copy_notice(screen: Screen[Any], incident_id: str, kind: str, language: str, text: str) -> None:
    """Send ``text`` to the terminal's clipboard and write it to a file readable by the
    responder only; say both, since no terminal tells whether the clipboard got it."""
    app: BreachApp = screen.app  # type: ignore[assignment]
    app.copy_to_clipboard(text)
    target = notice_folder(app) / f"{incident_id}-{kind}.{language}.txt"
    try:
        write_private_text(target, text)
    except BreachError as err:
        screen.notify(f"Sent to the terminal's clipboard (OSC 52); not saved: {err}")
        return
    screen.notify(
        f"{kind.replace('_', ' ')} notice ({len(text):,} characters) sent to the terminal's "
        f"clipboard (OSC 52: tmux needs set-clipboard on) and written to {target} (readable "
        "by you only)",
        timeout=12,
    )
