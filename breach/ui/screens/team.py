"""Working as a team in the UI: who is on what, handover notes, the timeline with who did
what, and what to say when someone else changed the incident first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from ...textsafe import one_line
from ..formatting import local, parse_utc
from .modals import DIALOG_CSS

#: the Select value meaning "the whole incident" rather than one duty
WHOLE = "__incident__"


def timeline_text(events: list[dict[str, Any]], zone_name: str | None, limit: int) -> Text:
    """The latest ``limit`` events, each with who made it; handovers stand out."""
    timeline = Text()
    if len(events) > limit:
        timeline.append(f"{len(events) - limit:,} earlier events: breach show ID\n", style="dim")
    for event in events[-limit:]:
        handover = event["kind"] == "handover"
        timeline.append(f"{local(parse_utc(event['at']), zone_name)}  ", style="dim")
        if handover:
            timeline.append(" HANDOVER ", style="bold reverse")
            timeline.append(" ")
        else:
            timeline.append(f"{event['kind']:8} ", style="bold")
        timeline.append(one_line(event["text"]), style="bold" if handover else "")
        timeline.append(f"  — {one_line(event['actor'])}\n", style="italic")
    return timeline


def on_it_text(data: dict[str, Any]) -> str:
    """ " · Alice is on it" for the title line, or nothing."""
    person = (data.get("assignees") or {}).get("incident")
    return f" · {one_line(person)} is on it" if person else ""


SHOWN_FRESH = "the screen now shows the fresh state; check it and do it again if still needed"
KEPT_EDIT = "your edit is still here: leave to see the fresh state, then edit again"


def conflict_text(incident_id: str, data: dict[str, Any], then: str = SHOWN_FRESH) -> str:
    """What to tell a responder whose change lost the race, from the fresh incident."""
    last = (data.get("events") or [{}])[-1]
    who = one_line(last.get("actor") or "someone else")
    what = one_line(last.get("text") or "a change")
    return (
        f"{incident_id} was changed by {who} while you had it open ({what}). Nothing of "
        f"yours was saved: {then}."
    )


@dataclass(frozen=True)
class Assignment:
    """What the assign dialog returns: who (None: nobody) on what (None: the incident)."""

    person: str | None
    duty: str | None


class AssignScreen(ModalScreen[Assignment | None]):
    """Put someone on the incident or one of its duties (empty name: take them off)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="AssignScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, me: str, duties: list[dict[str, Any]], selected: str | None) -> None:
        super().__init__()
        self.me = me
        self.duties = duties
        self.selected = selected

    def compose(self) -> ComposeResult:
        # the duty under the cursor comes right after the whole incident, the default
        duties = sorted(
            (d for d in self.duties if d["status"] == "required"),
            key=lambda d: d["id"] != self.selected,
        )
        options = [("The whole incident", WHOLE)] + [(one_line(d["id"]), d["id"]) for d in duties]
        with Vertical():
            yield Label("Who is on it? (enter to save; empty: nobody; escape: cancel)")
            yield Select(options, value=WHOLE, allow_blank=False, id="assign-what")
            yield Input(value=self.me, placeholder="name, as they give --actor", id="assign-who")

    def on_mount(self) -> None:
        self.query_one("#assign-who", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        what = self.query_one("#assign-what", Select).value
        duty = None if what == WHOLE else str(what)
        self.dismiss(Assignment(event.value.strip() or None, duty))

    def action_cancel(self) -> None:
        self.dismiss(None)


class HandoverScreen(ModalScreen[str | None]):
    """A handover note for the next shift."""

    DEFAULT_CSS = DIALOG_CSS.format(name="HandoverScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Handover for the next shift: what is done, what is open, who to call")
            yield Input(id="handover")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
