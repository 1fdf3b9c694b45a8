"""What a responder does on the incident screen: mark done (and reopen a duty done by
mistake, with the reason), note, hand over, assign, edit the facts, override the risk,
close and reopen (asked first), write the report and the export. Each change is based on
the version shown, so a colleague's change in between is reported, never overwritten."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import BreachError
from ...files import private_file, write_private_text
from ...service import Conflict
from .team import Assignment, AssignScreen, HandoverScreen, conflict_text

if TYPE_CHECKING:
    from .incident import IncidentScreen

    _Base = IncidentScreen
else:
    _Base = object


class IncidentActions(_Base):
    """The changing actions of :class:`~.incident.IncidentScreen` (a mixin)."""

    @property
    def version(self) -> int:
        """The incident's version as shown: a change based on it is refused if it moved."""
        return int(self.data["version"])

    def _run(self, action: Any) -> bool:
        """Run a service call; show a refusal as a notification instead of crashing, and
        someone else's change first as the fresh state with what happened."""
        try:
            action()
        except Conflict:
            self.reload()
            self.notify(conflict_text(self.incident_id, self.data), severity="warning", timeout=12)
            return False
        except BreachError as err:
            self.notify(str(err), severity="error", timeout=8)
            return False
        self.reload()
        return True

    def action_mark_done(self) -> None:
        from .modals import MarkDoneScreen

        duty = self._selected_duty()
        if duty is None:
            return
        if duty["done_at"]:
            self.notify(f"{duty['id']} was already done at {duty['done_at']}")
            return

        def save(form: Any) -> None:
            if form is None:
                return
            if self._run(
                lambda: self.incidents.mark_done(
                    self.incident_id,
                    duty["id"],
                    at=form.at,
                    reference=form.reference or None,
                    channel=form.channel or None,
                    reason=form.reason or None,
                    expected_version=version,
                )
            ):
                self.notify(f"{duty['id']} marked done")

        version = self.version
        delay_reason = str(self.data["facts"].get("delay_reason") or "")
        screen = MarkDoneScreen(duty, self.breach.clock(), self.breach.zone_name, delay_reason)
        self.app.push_screen(screen, save)

    def action_reopen_duty(self) -> None:
        """Open again the done duty under the cursor, with a reason for the audit trail."""
        from .modals import ReasonScreen

        duty = self._selected_duty()
        if duty is None:
            return
        if not duty["done_at"]:
            self.notify(f"{duty['id']} is not marked done: nothing to reopen", severity="warning")
            return

        def save(reason: str | None) -> None:
            if reason and self._run(
                lambda: self.incidents.reopen_duty(
                    self.incident_id, duty["id"], reason, expected_version=version
                )
            ):
                self.notify(f"{duty['id']} is open again; the reason is in the audit trail")

        version = self.version
        question = (
            f"Reopen {duty['id']} (done at {duty['done_at']})? Why is it not done? The "
            "reason goes into the audit trail; a notice marked sent stays recorded as sent."
        )
        self.app.push_screen(ReasonScreen(question), save)

    def action_note(self) -> None:
        from .modals import NoteScreen

        def save(text: str | None) -> None:
            if text:
                self._run(lambda: self.incidents.add_note(self.incident_id, text))

        self.app.push_screen(NoteScreen(), save)

    def action_handover(self) -> None:
        def save(text: str | None) -> None:
            # a note only adds to the timeline: nobody's change can be lost, so no version
            if text and self._run(lambda: self.team.handover(self.incident_id, text)):
                self.notify("Handover note added to the timeline")

        self.app.push_screen(HandoverScreen(), save)

    def action_assign(self) -> None:
        duty = self._selected_duty()

        def save(result: Assignment | None) -> None:
            if result is None:
                return
            said: list[str] = []

            def assign() -> None:
                said.append(self.team.assign(self.incident_id, result.person, result.duty, version))

            if self._run(assign):
                self.notify(said[0])

        version = self.version
        me = self.breach.incident_log.actor
        screen = AssignScreen(me, self.data["obligations"], duty["id"] if duty else None)
        self.app.push_screen(screen, save)

    def action_edit(self, step: int = 0) -> None:
        from .wizard import WizardScreen

        facts = dict(self.data["facts"])
        screen = WizardScreen(facts, step=step, incident_id=self.incident_id, version=self.version)
        self.app.push_screen(screen)

    def action_find_out(self) -> None:
        """Edit the facts at the first unknown whose answer changes the duties."""
        from ...service.wizard import step_of

        decisive = (self.data.get("decision") or {}).get("decisive") or []
        if not decisive:
            self.notify("No unknown answer changes the duties of this incident.")
            return
        self.action_edit(step_of(decisive[0]["field"]))

    def action_override(self) -> None:
        from .modals import OverrideRiskScreen

        def save(result: Any) -> None:
            if result is not None:
                change = {
                    "risk_override": {"level": result.level, "justification": result.justification}
                }
                self._run(lambda: self.incidents.update(self.incident_id, change, version))

        version = self.version
        self.app.push_screen(OverrideRiskScreen(), save)

    def action_toggle_closed(self) -> None:
        """Close or reopen the incident, once confirmed (a stray ``c`` changes nothing)."""
        from .modals import ConfirmScreen

        status = "open" if self.data.get("status") == "closed" else "closed"
        version = self.version
        if status == "closed":
            question = f"Close {self.incident_id}? Its open deadlines stop counting."
            screen = ConfirmScreen(question, "close", "keep open")
        else:
            question = f"Reopen {self.incident_id}? Its open deadlines count again."
            screen = ConfirmScreen(question, "reopen", "keep closed")

        def answer(yes: bool | None) -> None:
            if yes and self._run(
                lambda: self.incidents.set_status(self.incident_id, status, version)
            ):
                self.notify(f"{self.incident_id} {'closed' if status == 'closed' else 'reopened'}")

        self.app.push_screen(screen, answer)

    def action_export(self) -> None:
        """Write this incident as breach.export/1 JSON and its deadlines as iCalendar."""
        from ...clock import format_utc
        from ...service import ExportOptions, Selection

        log = self.breach.incident_log
        folder = log.path.parent if log.path else Path.cwd()
        options = ExportOptions(
            exported_at=format_utc(self.breach.clock()), zone=self.breach.zone_name
        )
        written = []
        for fmt, suffix in (("json", "json"), ("ics", "ics")):
            target = folder / f"{self.incident_id}.{suffix}"
            try:
                with private_file(target) as out:
                    log.export(Selection((self.incident_id,)), fmt, out, options)
            except BreachError as err:
                self.notify(str(err), severity="error")
                return
            written.append(target.name)
        self.notify(f"Exported to {folder}: {', '.join(written)}", timeout=10)

    def action_report(self) -> None:
        """Write the post-incident report (self-contained HTML) next to the database."""
        try:
            rendered = self.breach.incident_log.reports.report(
                self.incident_id, "html", None, self.breach.zone_name
            )
        except BreachError as err:
            self.notify(str(err), severity="error")
            return
        log = self.breach.incident_log
        folder = log.path.parent if log.path else Path.cwd()
        target = folder / f"{self.incident_id}-report.html"
        try:
            write_private_text(target, rendered.text)
        except BreachError as err:
            self.notify(str(err), severity="error")
            return
        self.notify(f"Report written to {target} (readable by you only)", timeout=10)
