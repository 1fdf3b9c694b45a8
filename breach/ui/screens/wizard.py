"""The new-incident wizard: one question per step, the decision updating beside it.

Every answer is written to the drafts table at once, so closing the terminal loses nothing
and the next "new incident" resumes where the responder stopped. Editing a recorded
incident's facts keeps no draft: the edit applies on ctrl+s, and escape with changes not
yet saved asks whether to save or discard them.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Checkbox,
    ContentSwitcher,
    Header,
    Input,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from ...clock import TimeInputError, format_local, format_utc, parse_typed
from ...service import Conflict
from ...service.wizard import STEPS, draft_facts, empty_draft, step_index, step_of
from ...textsafe import clean_data
from ..widgets.decision_panel import DecisionPanel
from ..widgets.footer import SteadyFooter
from .new_organisation import NEW_ORGANISATION, NewOrganisationScreen
from .team import KEPT_EDIT, conflict_text
from .unsaved import LeaveChoice, UnsavedScreen
from .wizard_steps import (
    DETAIL_TEXTS,
    TRI_FIELDS,
    TRI_VALUE,
    answers,
    controllers_from_text,
    field_widget,
    inventory_options,
    step_fields,
    time_value,
)

#: Text answers of the details step, stored as typed.
TEXT_DETAILS = {name for name, _ in DETAIL_TEXTS}

if TYPE_CHECKING:
    from ..app import BreachApp


class WizardScreen(Screen[None]):
    """Record a new incident, or edit an existing one's facts (``incident_id``)."""

    BINDINGS = [
        Binding("ctrl+n", "next_step", "Next", id="next"),
        Binding("ctrl+b", "previous_step", "Back", id="back"),
        Binding("ctrl+t", "now", "Now", id="now"),
        Binding("f3", "next_decisive", "Find out first", id="decisive"),
        Binding("f2", "override", "Override risk", id="override"),
        Binding("ctrl+s", "save", "Record", id="record"),
        # one key, two honest labels (check_action shows the one that applies)
        Binding("escape", "leave", "Leave (draft kept)", id="leave"),
        Binding("escape", "leave_edit", "Leave", id="leave"),
    ]

    def __init__(
        self,
        draft: dict[str, Any] | None = None,
        draft_id: int | None = None,
        step: int = 0,
        incident_id: str | None = None,
        version: int | None = None,
    ) -> None:
        super().__init__()
        #: the incident's version the edit began from: saving is refused if it moved
        self.version = version
        self.draft = {**empty_draft(), **(draft or {})}
        self.draft_id = draft_id
        self.step = step
        self.incident_id = incident_id
        self._restoring = True
        self.last_refresh_ms = 0.0
        self.decisive_fields: list[str] = []
        self._decisive_turn = 0
        #: an edit's answers as loaded, to tell whether there is anything to save
        self._loaded: dict[str, Any] | None = None

    @property
    def breach(self) -> BreachApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="wizard"):
            with Vertical(id="wizard-left"):
                yield Static("", id="step-title")
                with ContentSwitcher(initial=f"step-{STEPS[self.step].id}", id="steps"):
                    for step in STEPS:
                        with VerticalScroll(id=f"step-{step.id}", classes="step"):
                            yield Static(step.explanation, classes="explanation")
                            yield Static(f"Source: {step.article}", classes="article")
                            yield from self._fields(step.id)
            yield DecisionPanel(id="decision")
        yield SteadyFooter()

    def _fields(self, step_id: str) -> ComposeResult:
        profiles = self.breach.incident_log.rules.profiles
        return step_fields(step_id, self.draft, self.breach.zone_name, profiles)

    def _inventory(self) -> list[tuple[str, str, bool]]:
        profile = self.breach.incident_log.rules.profiles.get(str(self.draft.get("organisation")))
        return inventory_options(profile, self.draft)

    # -- life cycle ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.show_step(self.step)
        for name in ("detected_at", "aware_at", "occurred_at", "ended_at"):
            self._time_feedback(name)
        self.refresh_decision()
        self.call_after_refresh(self._ready)

    def _ready(self) -> None:
        self._restoring = False
        self._loaded = answers(self.draft)  # after the fields echoed their values back

    @property
    def edited(self) -> bool:
        """Whether an edit's answers differ from those it began with (not yet saved)."""
        return self._loaded is not None and answers(self.draft) != self._loaded

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave":
            return not self.incident_id
        if action == "leave_edit":
            return bool(self.incident_id)
        return True

    def show_step(self, index: int) -> None:
        """Switch to step ``index`` and focus its first field."""
        self.step = max(0, min(index, len(STEPS) - 1))
        step = STEPS[self.step]
        mode = f"Edit {self.incident_id}" if self.incident_id else "New incident"
        self.query_one("#step-title", Static).update(
            f"{mode} · step {self.step + 1} of {len(STEPS)}: {step.title}"
        )
        self.query_one("#steps", ContentSwitcher).current = f"step-{step.id}"
        fields = self.query_one(f"#step-{step.id}").query(
            "Input, Select, SelectionList, Checkbox, TextArea"
        )
        if fields:
            fields.first().focus()

    def action_next_step(self) -> None:
        self.show_step(self.step + 1)
        self.persist()

    def action_previous_step(self) -> None:
        self.show_step(self.step - 1)
        self.persist()

    def action_leave(self) -> None:
        """Leave a new incident: every answer is already in the draft."""
        if self.draft_id is not None:
            self.notify("Draft kept: press n on the dashboard to resume it.")
        self.app.pop_screen()

    def action_leave_edit(self) -> None:
        """Leave an edit: at once without changes, else ask save, discard or keep editing."""
        if not self.edited:
            self.app.pop_screen()
            return

        def chosen(choice: LeaveChoice | None) -> None:
            if choice == "save":
                self.action_save()  # as ctrl+s: refused (and kept) if incomplete or stale
            elif choice == "discard":
                self.notify(f"Changes to {self.incident_id} discarded")
                self.app.pop_screen()

        question = (
            f"Your changes to the facts of {self.incident_id} are not saved yet. Save them "
            "(the incident is re-assessed), or discard them?"
        )
        self.app.push_screen(UnsavedScreen(question), chosen)

    def action_now(self) -> None:
        focused = self.focused
        if isinstance(focused, Input) and focused.id in ("f-detected_at", "f-aware_at"):
            focused.value = time_value(self.breach.clock().isoformat(), self.breach.zone_name)

    def action_override(self) -> None:
        from .modals import OverrideRiskScreen

        def done(result: Any) -> None:
            if result is not None:
                self.draft["risk_override"] = {
                    "level": result.level,
                    "justification": result.justification,
                }
                self.changed()

        self.app.push_screen(OverrideRiskScreen(), done)

    def action_save(self) -> None:
        facts, missing = draft_facts(self.draft)
        if facts is None:
            self.notify(f"Not yet: {missing}", severity="error")
            self._go_to_problem(missing)
            return
        service = self.breach.incident_log.incidents
        if self.incident_id:
            data = facts.model_dump(mode="json", by_alias=True)
            try:
                service.update(self.incident_id, data, self.version)
            except Conflict:
                fresh = self.breach.incident_log.incident(self.incident_id)
                message = conflict_text(self.incident_id, clean_data(fresh), KEPT_EDIT)
                self.notify(message, severity="warning", timeout=15)
                return
            self.notify(f"{self.incident_id} updated and re-assessed")
            self.app.pop_screen()
            return
        incident_id = service.open(facts)
        if self.draft_id is not None:
            self.breach.incident_log.delete_draft(self.draft_id)
        self.notify(f"Recorded {incident_id}")
        self.app.pop_screen()
        self.breach.open_incident(incident_id)

    def _go_to_problem(self, message: str) -> None:
        for index, step in enumerate(STEPS):
            if any(f"field {name}" in message for name in step.fields):
                self.show_step(index)
                return

    # -- answers ---------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        value = event.value.strip()
        if name in ("detected_at", "aware_at", "occurred_at", "ended_at"):
            self._time_feedback(name)
        elif name == "records":
            self.draft[name] = int(value) if value.isdigit() else None
        elif name.startswith("reporter_"):
            reporter = {**(self.draft.get("reporter") or {}), name.removeprefix("reporter_"): value}
            known = {key: text for key, text in reporter.items() if text}
            self.draft["reporter"] = known or None
        elif name in TEXT_DETAILS:
            self.draft[name] = event.value
        elif name == "count":
            self.draft["subjects"] = {
                **self.draft["subjects"],
                "count": int(value) if value.isdigit() else None,
            }
        elif name == "countries":
            codes = [c.strip().upper() for c in value.replace(";", ",").split(",") if c.strip()]
            self.draft["subjects"] = {**self.draft["subjects"], "countries": codes}
        elif name == "unavailable_hours":
            try:
                self.draft[name] = float(value) if value else None
            except ValueError:
                self.draft[name] = None
        elif name in ("title", "summary", "mitigation"):
            self.draft[name] = event.value
        else:
            return
        self.changed()

    def on_select_changed(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("f-")
        value = None if event.value == Select.NULL else event.value
        if name in TRI_FIELDS:
            self.draft[name] = TRI_VALUE[str(value)]
        elif name == "ecs_position":
            self.draft[name] = None if value == "unknown" else value
        elif name == "organisation" and value == NEW_ORGANISATION:
            self._new_organisation(event.select)
            return
        elif name == "organisation":
            self.draft[name] = value
            self.draft["_inventory"] = []
            self._rebuild_inventory()
        elif name:
            self.draft[name] = value
        self.changed()

    def _new_organisation(self, select: Select[Any]) -> None:
        """Describe a new organisation, save it as your profile, and choose it."""
        before = self.draft.get("organisation")

        def save(data: dict[str, Any]) -> str:
            from ...service.profiles import save_profile

            log = self.breach.incident_log
            saved = save_profile(self.breach.settings.config_home, data, rules=log.rules)
            log.reload_rules()
            return saved

        def chosen(profile_id: str | None) -> None:
            profiles = self.breach.incident_log.rules.profiles
            options = [(p.name, pid) for pid, p in profiles.items()]
            select.set_options([*options, ("New organisation…", NEW_ORGANISATION)])
            keep = profile_id or (before if before in profiles else None)
            select.value = keep if keep else Select.NULL
            if profile_id:
                self.notify(f"Saved your organisation profile {profile_id!r}")

        self.app.push_screen(NewOrganisationScreen(save), chosen)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        name = (event.checkbox.id or "").removeprefix("f-")
        self.draft[name] = event.value
        if name == "ecs_data":  # the position is asked as soon as the data is telecom data
            self.query_one("#ecs-position-box").display = event.value
        self.changed()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        name = (event.selection_list.id or "").removeprefix("f-")
        selected = list(event.selection_list.selected)
        if name == "kinds":
            self.draft["subjects"] = {**self.draft["subjects"], "kinds": selected}
        elif name == "inventory":
            self.draft["_inventory"] = selected
        elif name == "categories":
            self.draft["_categories"] = selected
        elif name == "incident_kinds":
            self.draft[name] = selected
            self.changed()
            return
        self.draft["data_categories"] = self._categories()
        self.changed()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id != "f-controllers":
            return
        self.draft["controllers"] = controllers_from_text(event.text_area.text)
        self.changed()

    def _categories(self) -> list[str]:
        profile = self.breach.incident_log.rules.profiles.get(str(self.draft.get("organisation")))
        labels = set(self.draft.get("_inventory", []))
        from_inventory = (
            {i.category for i in profile.inventory if i.label in labels} if profile else set()
        )
        picked = set(self.draft.get("_categories", self.draft.get("data_categories", [])))
        return sorted(from_inventory | picked)

    def _rebuild_inventory(self) -> None:
        inventory = self.query_one("#f-inventory", SelectionList)
        inventory.clear_options()
        inventory.add_options(self._inventory())

    def _time_feedback(self, name: str) -> None:
        text = self.query_one(f"#f-{name}", Input).value
        feedback = self.query_one(f"#fb-{name}", Static)
        if not text.strip():
            self.draft[name] = None
            feedback.update(
                "not given" + (" — the detection time is used" if name == "aware_at" else "")
            )
            return
        try:
            instant = parse_typed(text, self.breach.zone_name, self.breach.clock())
        except TimeInputError as err:
            self.draft[name] = None
            feedback.update(f"✗ {err}")
            return
        self.draft[name] = instant.isoformat()
        feedback.update(f"✓ {format_local(instant, self.breach.zone_name)} = {format_utc(instant)}")

    def changed(self) -> None:
        """An answer changed: save the draft at once and refresh the decision."""
        if self._restoring:
            return
        self.persist()
        self.refresh_decision()

    def persist(self) -> None:
        """Write the draft (new incidents only; edits apply on ctrl+s)."""
        if self.incident_id:
            return
        self.draft_id = self.breach.incident_log.save_draft(
            self.draft_id, self.draft, self.step, format_utc(self.breach.clock())
        )

    def action_next_decisive(self) -> None:
        """Go to the next question whose answer would change the duties (F3 again: the one
        after it), and focus its field."""
        if not self.decisive_fields:
            self.notify("No unknown answer changes the duties now.")
            return
        field = self.decisive_fields[self._decisive_turn % len(self.decisive_fields)]
        self._decisive_turn += 1
        self.show_step(step_of(field))
        widget = self.query(f"#f-{field_widget(field)}")
        if widget:
            widget.first().focus()

    def refresh_decision(self) -> None:
        """Re-assess the draft and redraw the panel."""
        from ...service.rulebook import assess

        started = time.perf_counter()
        facts, missing = draft_facts(self.draft)
        now = self.breach.clock()
        decision = assess(facts, self.breach.incident_log.rules, now) if facts else None
        self.decisive_fields = [item.field for item in decision.decisive] if decision else []
        self.query_one("#decision", DecisionPanel).show(
            decision, now, self.breach.zone_name, missing
        )
        self.last_refresh_ms = (time.perf_counter() - started) * 1000


def resume_or_new(app: BreachApp) -> WizardScreen:
    """The wizard on the unfinished draft if there is one, else a fresh one."""
    draft = app.incident_log.latest_draft()
    if draft:
        app.notify(f"Resumed the unfinished incident from {draft['updated_at']}")
        return WizardScreen(draft["data"], draft["id"], draft["step"])
    return WizardScreen()


__all__ = ["WizardScreen", "resume_or_new", "step_index"]
