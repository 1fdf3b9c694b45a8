"""The new-incident wizard: one question per step, the decision updating beside it.

Every answer is written to the drafts table at once, so closing the terminal loses nothing
and the next "new incident" resumes where the responder stopped.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, get_args

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Checkbox,
    ContentSwitcher,
    Footer,
    Header,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from ... import model
from ...clock import TimeInputError, format_local, format_utc, parse_typed
from ...service.wizard import STEPS, draft_facts, empty_draft, step_index
from ..widgets.decision_panel import DecisionPanel

if TYPE_CHECKING:
    from ..app import BreachApp

TRI = [("yes", "yes"), ("no", "no"), ("unknown", "unknown")]
TRI_VALUE = {"yes": True, "no": False, "unknown": None}
TRI_NAME = {True: "yes", False: "no", None: "unknown"}


def options(literal: Any) -> list[tuple[str, str]]:
    """Select options from a Literal type of the model."""
    return [(value.replace("_", " "), value) for value in get_args(literal)]


class WizardScreen(Screen[None]):
    """Record a new incident, or edit an existing one's facts (``incident_id``)."""

    BINDINGS = [
        Binding("ctrl+n", "next_step", "Next", id="next"),
        Binding("ctrl+b", "previous_step", "Back", id="back"),
        Binding("ctrl+t", "now", "Now", id="now"),
        Binding("f2", "override", "Override risk", id="override"),
        Binding("ctrl+s", "save", "Record", id="record"),
        Binding("escape", "leave", "Leave (kept)", id="leave"),
    ]

    def __init__(
        self,
        draft: dict[str, Any] | None = None,
        draft_id: int | None = None,
        step: int = 0,
        incident_id: str | None = None,
    ) -> None:
        super().__init__()
        self.draft = {**empty_draft(), **(draft or {})}
        self.draft_id = draft_id
        self.step = step
        self.incident_id = incident_id
        self._restoring = True
        self.last_refresh_ms = 0.0

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
        yield Footer()

    def _fields(self, step_id: str) -> ComposeResult:
        d = self.draft
        zone = self.breach.zone_name or "UTC"
        if step_id == "what":
            yield Label("Title")
            yield Input(d["title"], placeholder="e.g. CDR database exfiltrated", id="f-title")
            yield Label("Summary")
            yield Input(d["summary"], placeholder="what, where, how it was found", id="f-summary")
        elif step_id == "when":
            yield Static(f"Your zone: {zone} (ctrl+t: now)", classes="article")
            for name, label in (
                ("detected_at", "Detected"),
                ("aware_at", "Aware (blank: same as detected)"),
            ):
                yield Label(label)
                yield Input(
                    self._time_value(d[name]),
                    placeholder="2026-11-20 14:30, 20.11.2026 14:30, now",
                    id=f"f-{name}",
                )
                yield Static("", id=f"fb-{name}", classes="feedback")
        elif step_id == "who":
            profiles = [(p.name, pid) for pid, p in self.breach.incident_log.rules.profiles.items()]
            yield Label("Organisation")
            org = (
                d["organisation"]
                if d["organisation"] in self.breach.incident_log.rules.profiles
                else Select.NULL
            )
            if isinstance(d["organisation"], dict):
                yield Static(
                    f"Inline organisation: {d['organisation'].get('name')} (kept)",
                    classes="article",
                )
            yield Select(profiles, value=org, prompt="choose", id="f-organisation")
            yield Label("Our role for this data")
            yield Select(
                options(model.Role), value=d["role"] or Select.NULL, prompt="choose", id="f-role"
            )
        elif step_id == "data":
            yield Label("Personal data involved?")
            yield Select(
                TRI, value=TRI_NAME[d["personal_data"]], allow_blank=False, id="f-personal_data"
            )
            yield Label("As the organisation's policy names it (space to tick)")
            yield SelectionList[str](*self._inventory(), id="f-inventory")
            yield Label("Other categories")
            yield SelectionList[str](
                *[
                    (c.replace("_", " "), c, c in d["data_categories"])
                    for c in get_args(model.DataCategory)
                ],
                id="f-categories",
            )
            yield Checkbox(
                "Processed to provide our public telecom / VoIP service (ePrivacy)",
                d["ecs_data"],
                id="f-ecs_data",
            )
            yield Label("Other personal data too (staff, marketing)?")
            yield Select(
                TRI, value=TRI_NAME[d["non_ecs_data"]], allow_blank=False, id="f-non_ecs_data"
            )
        elif step_id == "people":
            subjects = d["subjects"]
            yield Label("How many people (blank: unknown)")
            yield Input(
                "" if subjects["count"] is None else str(subjects["count"]),
                type="integer",
                id="f-count",
            )
            yield Label("Who")
            yield SelectionList[str](
                *[
                    (k.replace("_", " "), k, k in subjects["kinds"])
                    for k in get_args(model.SubjectKind)
                ],
                id="f-kinds",
            )
            yield Label("Where they live (country codes, e.g. LU, BE, DE)")
            yield Input(", ".join(subjects["countries"]), id="f-countries")
        elif step_id == "impact":
            for name, literal in (
                ("confidentiality", model.Confidentiality),
                ("integrity", model.Integrity),
                ("availability", model.Availability),
                ("exfiltration", model.Exfiltration),
            ):
                yield Label(name.capitalize())
                yield Select(options(literal), value=d[name], allow_blank=False, id=f"f-{name}")
            yield Label("Unavailable for how many hours (blank: unknown)")
            yield Input(
                "" if d["unavailable_hours"] is None else f"{d['unavailable_hours']:g}",
                type="number",
                id="f-unavailable_hours",
            )
            yield Label("Deliberate (attack, theft, insider)?")
            yield Select(TRI, value=TRI_NAME[d["malicious"]], allow_blank=False, id="f-malicious")
            yield Label("How easily can people be identified from it?")
            yield Select(
                options(model.Identifiability),
                value=d["identifiability"],
                allow_blank=False,
                id="f-identifiability",
            )
        elif step_id == "protection":
            yield Label("Protection of the affected data")
            yield Select(
                options(model.Protection),
                value=d["protection"],
                allow_blank=False,
                id="f-protection",
            )
            yield Checkbox(
                "State-of-the-art algorithm and implementation",
                d["protection_state_of_the_art"],
                id="f-protection_state_of_the_art",
            )
            yield Label("Key, salt or secret compromised?")
            yield Select(
                TRI, value=TRI_NAME[d["key_compromised"]], allow_blank=False, id="f-key_compromised"
            )
        elif step_id == "mitigation":
            yield Label("What has been done")
            yield Input(d["mitigation"], id="f-mitigation")
            yield Checkbox(
                "Measures make a high risk no longer likely (Art. 34(3)(b))",
                d["high_risk_averted"],
                id="f-high_risk_averted",
            )
            yield Checkbox(
                "People cannot reasonably be contacted one by one (Art. 34(3)(c))",
                d["disproportionate_effort"],
                id="f-disproportionate_effort",
            )
            yield Label("NIS2 significant incident (severe disruption or loss, damage to others)?")
            yield Select(
                TRI,
                value=TRI_NAME[d["significant_incident"]],
                allow_blank=False,
                id="f-significant_incident",
            )
        elif step_id == "controllers":
            yield Label("One controller per line: name; contact; hours agreed (optional)")
            lines = [
                "; ".join(
                    str(x)
                    for x in (c["name"], c.get("contact") or "", c.get("notice_hours") or "")
                    if x != ""
                )
                for c in d["controllers"]
            ]
            yield TextArea("\n".join(lines), id="f-controllers")

    def _inventory(self) -> list[tuple[str, str, bool]]:
        profile = self.breach.incident_log.rules.profiles.get(str(self.draft.get("organisation")))
        picked = set(self.draft.get("_inventory", []))
        if profile is None:
            return []
        return [
            (f"{item.label}  → {item.category}", item.label, item.label in picked)
            for item in profile.inventory
        ]

    def _time_value(self, stored: str | None) -> str:
        if not stored:
            return ""
        from datetime import datetime

        local = datetime.fromisoformat(stored).astimezone(self._zone())
        return local.strftime("%Y-%m-%d %H:%M")

    def _zone(self):  # type: ignore[no-untyped-def]
        from ...clock import zone

        return zone(self.breach.zone_name)

    # -- life cycle ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.show_step(self.step)
        for name in ("detected_at", "aware_at"):
            self._time_feedback(name)
        self.refresh_decision()
        self.call_after_refresh(self._ready)

    def _ready(self) -> None:
        self._restoring = False

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
        if not self.incident_id:
            self.notify("Draft kept: press n on the dashboard to resume it.")
        self.app.pop_screen()

    def action_now(self) -> None:
        focused = self.focused
        if isinstance(focused, Input) and focused.id in ("f-detected_at", "f-aware_at"):
            now = self.breach.clock().astimezone(self._zone())
            focused.value = now.strftime("%Y-%m-%d %H:%M")

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
            service.update(self.incident_id, data)
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
        if name in ("detected_at", "aware_at"):
            self._time_feedback(name)
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
        if name in (
            "personal_data",
            "non_ecs_data",
            "malicious",
            "key_compromised",
            "significant_incident",
        ):
            self.draft[name] = TRI_VALUE[str(value)]
        elif name == "organisation":
            self.draft[name] = value
            self.draft["_inventory"] = []
            self._rebuild_inventory()
        elif name:
            self.draft[name] = value
        self.changed()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.draft[(event.checkbox.id or "").removeprefix("f-")] = event.value
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
        self.draft["data_categories"] = self._categories()
        self.changed()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id != "f-controllers":
            return
        controllers = []
        for line in event.text_area.text.splitlines():
            parts = [p.strip() for p in line.split(";")]
            if not parts or not parts[0]:
                continue
            entry: dict[str, Any] = {
                "name": parts[0],
                "contact": parts[1] if len(parts) > 1 and parts[1] else None,
            }
            if len(parts) > 2 and parts[2].replace(".", "", 1).isdigit() and float(parts[2]) > 0:
                entry["notice_hours"] = float(parts[2])
            controllers.append(entry)
        self.draft["controllers"] = controllers
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

    def refresh_decision(self) -> None:
        """Re-assess the draft and redraw the panel."""
        from ...service.rulebook import assess

        started = time.perf_counter()
        facts, missing = draft_facts(self.draft)
        now = self.breach.clock()
        decision = assess(facts, self.breach.incident_log.rules, now) if facts else None
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
