""" "New organisation…" in the wizard: a provider that is none of the shipped profiles
describes itself once; the profile is saved in your config folder and chosen at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, SelectionList, Static

from ...errors import BreachError
from ..widgets.readable import ReadableSelectionList
from .modals import DIALOG_CSS

#: the Select value of the wizard's "New organisation…" choice
NEW_ORGANISATION = "__new_organisation__"
#: the data categories, in a responder's words, for the data inventory
CATEGORIES = (
    ("identity", "Identity (name, date of birth)"),
    ("contact", "Contact details (address, e-mail, phone)"),
    ("account", "Customer account and contract"),
    ("credentials", "Passwords, PINs, SIP credentials"),
    ("national_id", "National ID or passport numbers"),
    ("financial", "Bank or payment data"),
    ("orders", "Orders and invoices"),
    ("location", "Location data"),
    ("traffic_data", "Traffic data (CDRs, who called whom)"),
    ("communications_content", "Content of communications (voicemail, messages)"),
    ("behavioural", "Usage and preferences"),
    ("employment", "Employee records"),
    ("special_category", "Special categories (health, …)"),
    ("criminal", "Criminal records"),
    ("other", "Other"),
)
YES_NO = [("Yes", "yes"), ("No", "no")]
NIS2 = [("Essential entity", "essential"), ("Important entity", "important"), ("Neither", "none")]


def slug(name: str) -> str:
    """A profile id from a name: "ACME Telecom S.A." -> "acme-telecom-s-a"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]


def codes(text: str) -> list[str]:
    """Comma- or space-separated codes, upper- or lower-cased as given: "lu, be" -> ["lu", "be"]."""
    return [part for part in re.split(r"[\s,;]+", text.strip()) if part]


def profile_from_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The profile the dialog's answers describe (validated by the service on save)."""
    name = " ".join(str(answers["name"]).split())
    countries = [c.upper() for c in codes(answers["countries"])]
    main = str(answers["main"]).strip().upper() or (countries[0] if countries else None)
    dpo_name = str(answers["dpo_name"]).strip() or None
    dpo_email = str(answers["dpo_email"]).strip() or None
    labels = dict(CATEGORIES)
    return {
        "id": str(answers["id"]).strip() or slug(name),
        "name": name,
        "establishments": [{"country": c, "entity": name} for c in countries],
        "main_establishment": main,
        "ecs_provider": answers["ecs"] == "yes",
        "gdpr_targeting": False,
        "nis2": answers["nis2"],
        "contact": dpo_email,
        "dpo": {"designated": bool(dpo_name or dpo_email), "name": dpo_name, "email": dpo_email},
        "languages": [c.lower() for c in codes(answers["languages"])] or ["en"],
        "inventory": [{"label": labels[c], "category": c} for c in answers["inventory"]],
    }


class NewOrganisationScreen(ModalScreen[str | None]):
    """Describe your organisation; ctrl+s saves it through ``save`` (which validates and
    stores it, returning its id) and closes with the id; a refusal is shown and every
    answer stays."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="NewOrganisationScreen")
        + """
    NewOrganisationScreen > VerticalScroll { width: 76; max-width: 100%; height: 90%;
        border: thick $accent; background: $surface; padding: 0 2; }
    NewOrganisationScreen SelectionList { height: auto; max-height: 10; }
    """
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "save", "Save", id="save"),
    ]

    def __init__(self, save: Callable[[dict[str, Any]], str]) -> None:
        super().__init__()
        self.save = save

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Your organisation (saved in your config folder; ctrl+s saves)")
            yield Label("Name")
            yield Input(placeholder="ACME Telecom S.A.", id="o-name")
            yield Label("Id (blank: from the name)")
            yield Input(placeholder="acme-telecom", id="o-id")
            yield Label("Countries of your establishments (ISO codes)")
            yield Input(placeholder="LU, BE", id="o-countries")
            yield Label("Main establishment in the EU/EEA (blank: the first country)")
            yield Input(placeholder="LU", id="o-main")
            yield Label("Do you provide a public electronic communications service?")
            yield Select(YES_NO, value="yes", allow_blank=False, id="o-ecs")
            yield Label("NIS2")
            yield Select(NIS2, value="none", allow_blank=False, id="o-nis2")
            yield Label("Data protection officer: name, e-mail (blank: none designated)")
            yield Input(placeholder="Jane Doe", id="o-dpo-name")
            yield Input(placeholder="dpo@acme.example", id="o-dpo-email")
            yield Label("Languages you notify in")
            yield Input(value="en", placeholder="en, fr, de", id="o-languages")
            yield Label("The data you hold (space to tick)")
            yield ReadableSelectionList(
                *[(label, key) for key, label in CATEGORIES], id="o-inventory"
            )
            yield Static("", id="o-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#o-name", Input).focus()

    def answers(self) -> dict[str, Any]:
        """What is typed and chosen now."""

        def text(key: str) -> str:
            return self.query_one(f"#o-{key}", Input).value

        return {
            "name": text("name"),
            "id": text("id"),
            "countries": text("countries"),
            "main": text("main"),
            "ecs": self.query_one("#o-ecs", Select).value,
            "nis2": self.query_one("#o-nis2", Select).value,
            "dpo_name": text("dpo-name"),
            "dpo_email": text("dpo-email"),
            "languages": text("languages"),
            "inventory": list(self.query_one("#o-inventory", SelectionList).selected),
        }

    def show_error(self, message: str) -> None:
        """Say what is wrong; the answers stay."""
        self.query_one("#o-error", Static).update(f"✗ {message}")

    def action_save(self) -> None:
        answers = self.answers()
        if not " ".join(answers["name"].split()):
            self.show_error("name: give your organisation's name")
            return
        if not codes(answers["countries"]):
            self.show_error("countries: give at least one country code, e.g. LU")
            return
        if not answers["inventory"]:
            self.show_error("data: tick at least one kind of data you hold")
            return
        try:
            saved = self.save(profile_from_answers(answers))
        except BreachError as err:
            self.show_error(str(err))
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        self.dismiss(None)
