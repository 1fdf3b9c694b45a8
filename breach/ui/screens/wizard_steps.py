"""The fields of each wizard step, as widgets filled from the draft, and how typed lists
read back (no behaviour here)."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import TYPE_CHECKING, Any, get_args

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static, TextArea

from ... import model
from ...clock import zone
from ..widgets.readable import ReadableCheckbox, ReadableSelectionList
from .new_organisation import NEW_ORGANISATION

if TYPE_CHECKING:
    from ...rules import Profile

TRI = [("yes", "yes"), ("no", "no"), ("unknown", "unknown")]
TRI_VALUE = {"yes": True, "no": False, "unknown": None}
TRI_NAME = {True: "yes", False: "no", None: "unknown"}
#: the answers asked as yes / no / unknown
TRI_FIELDS = frozenset(
    {
        "personal_data",
        "non_ecs_data",
        "malicious",
        "key_compromised",
        "significant_incident",
        "recipient_deleted",
        "ongoing",
    }
)
POSITIONS = [
    ("provider: we hold the subscriber contracts", "provider"),
    ("sub-provider: part of another provider's service", "sub_provider"),
    ("not sure yet", "unknown"),
]
POSITION_HELP = (
    "Provider: you sell the public telecom/VoIP service to these subscribers, even as the GDPR "
    "processor of a business customer, so the 24-hour notice is yours; sub-provider: you "
    "deliver part of another provider's service (wholesale, white label) and only that "
    "provider has the subscribers, so you tell it at once (Reg. 611/2013 Art. 5)."
)
RECIPIENT_HELP = (
    "Trusted recipient: someone with an established relationship with you (another "
    "department, a regular supplier), bound to confidentiality, who returned or deleted the "
    "data, and no one else saw it. A stranger, or someone trusted only for their legal "
    "status, is a known recipient (EDPB Guidelines 9/2022)."
)


#: The widget that answers a facts field, where its id is not ``f-<field>``.
WIDGETS = {
    "subjects.count": "count",
    "subjects.countries": "countries",
    "data_categories": "categories",
}


def field_widget(field: str) -> str:
    """The id (after ``f-``) of the widget that answers facts ``field``."""
    return WIDGETS.get(field, field)


def controllers_from_text(text: str) -> list[dict[str, Any]]:
    """The controllers typed one a line: ``name; contact; notice hours`` (the last two
    optional; hours only when a positive number)."""
    controllers = []
    for line in text.splitlines():
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
    return controllers


def options(literal: Any) -> list[tuple[str, str]]:
    """Select options from a Literal type of the model."""
    return [(value.replace("_", " "), value) for value in get_args(literal)]


def inventory_options(
    profile: Profile | None, draft: dict[str, Any]
) -> list[tuple[str, str, bool]]:
    """The profile's data inventory as options, those picked in the draft ticked."""
    picked = set(draft.get("_inventory", []))
    if profile is None:
        return []
    return [
        (f"{item.label}  → {item.category}", item.label, item.label in picked)
        for item in profile.inventory
    ]


def time_value(stored: str | None, zone_name: str | None) -> str:
    """A stored instant as the responder types it, on their wall clock."""
    if not stored:
        return ""
    local = datetime.fromisoformat(stored).astimezone(zone(zone_name))
    return local.strftime("%Y-%m-%d %H:%M")


def step_fields(
    step_id: str, d: dict[str, Any], zone_name: str | None, profiles: dict[str, Profile]
) -> ComposeResult:
    """The widgets of one step, filled from the draft ``d``."""
    if step_id == "what":
        yield Label("Title")
        yield Input(d["title"], placeholder="e.g. CDR database exfiltrated", id="f-title")
        yield Label("Summary")
        yield Input(d["summary"], placeholder="what, where, how it was found", id="f-summary")
    elif step_id == "when":
        yield Static(f"Your zone: {zone_name or 'UTC'} (ctrl+t: now)", classes="article")
        for name, label in (
            ("detected_at", "Detected"),
            ("aware_at", "Aware (blank: same as detected)"),
        ):
            yield Label(label)
            yield Input(
                time_value(d[name], zone_name),
                placeholder="2026-11-20 14:30, 01:40, yesterday 23:10, 2h ago, now",
                id=f"f-{name}",
            )
            yield Static("", id=f"fb-{name}", classes="feedback")
    elif step_id == "who":
        choices = [(p.name, pid) for pid, p in profiles.items()]
        choices.append(("New organisation…", NEW_ORGANISATION))
        yield Label("Organisation")
        org = d["organisation"] if d["organisation"] in profiles else Select.NULL
        if isinstance(d["organisation"], dict):
            yield Static(
                f"Inline organisation: {d['organisation'].get('name')} (kept)",
                classes="article",
            )
        yield Select(choices, value=org, prompt="choose", id="f-organisation")
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
        yield ReadableSelectionList(
            *inventory_options(profiles.get(str(d.get("organisation"))), d), id="f-inventory"
        )
        yield Label("Other categories")
        yield ReadableSelectionList(
            *[
                (c.replace("_", " "), c, c in d["data_categories"])
                for c in get_args(model.DataCategory)
            ],
            id="f-categories",
        )
        yield ReadableCheckbox(
            "Processed to provide our public telecom / VoIP service (ePrivacy)",
            d["ecs_data"],
            id="f-ecs_data",
        )
        with Vertical(id="ecs-position-box") as box:
            box.display = bool(d["ecs_data"])
            yield Label("For these subscribers, are we the provider or a sub-provider?")
            yield Static(POSITION_HELP, classes="article")
            yield Select(
                POSITIONS,
                value=d.get("ecs_position") or "unknown",
                allow_blank=False,
                id="f-ecs_position",
            )
        yield Label("Other personal data too (staff, marketing)?")
        yield Select(TRI, value=TRI_NAME[d["non_ecs_data"]], allow_blank=False, id="f-non_ecs_data")
    elif step_id == "people":
        subjects = d["subjects"]
        yield Label("How many people (blank: unknown)")
        yield Input(
            "" if subjects["count"] is None else str(subjects["count"]),
            type="integer",
            id="f-count",
        )
        yield Label("Who")
        yield ReadableSelectionList(
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
            if name == "confidentiality":
                yield Static(RECIPIENT_HELP, classes="article")
                yield Label("Known recipients: did they confirm deleting or returning it?")
                yield Select(
                    TRI,
                    value=TRI_NAME[d.get("recipient_deleted")],
                    allow_blank=False,
                    id="f-recipient_deleted",
                )
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
        yield ReadableCheckbox(
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
        yield ReadableCheckbox(
            "Measures make a high risk no longer likely (Art. 34(3)(b))",
            d["high_risk_averted"],
            id="f-high_risk_averted",
        )
        yield ReadableCheckbox(
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
    elif step_id == "details":
        yield from detail_fields(d, zone_name)
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


#: The text fields of the details step: (facts field, label).
DETAIL_TEXTS = (
    ("systems", "Systems, services and storage media involved, and where"),
    ("consequences", "Likely consequences, in your words"),
    ("measures_before", "Security measures in place before the breach"),
    ("measures_planned", "Measures planned, and to prevent a recurrence"),
    ("subjects_contact", "Where affected people get more information (blank: the contact)"),
    ("delay_reason", "Why a notification is late, if it is (GDPR Art. 33(1))"),
)
#: The reporter's fields: (key, label).
REPORTER = (("name", "name"), ("role", "role"), ("email", "e-mail"), ("phone", "phone"))


def detail_fields(d: dict[str, Any], zone_name: str | None) -> ComposeResult:
    """The particulars: when, how found, what kind, records, measures, who reports."""
    for name, label in (("occurred_at", "Began"), ("ended_at", "Ended (blank: not yet known)")):
        yield Label(label)
        yield Input(time_value(d.get(name), zone_name), placeholder="later", id=f"f-{name}")
        yield Static("", id=f"fb-{name}", classes="feedback")
    yield Label("Still going on?")
    yield Select(TRI, value=TRI_NAME[d.get("ongoing")], allow_blank=False, id="f-ongoing")
    yield Label("How you learnt of it")
    yield Select(
        options(model.DiscoveredBy),
        value=d.get("discovered_by") or Select.NULL,
        prompt="later",
        id="f-discovered_by",
    )
    yield Label("Kind of incident (space to tick)")
    yield ReadableSelectionList(
        *[
            (k.replace("_", " "), k, k in (d.get("incident_kinds") or []))
            for k in get_args(model.IncidentKind)
        ],
        id="f-incident_kinds",
    )
    yield Label("Where it came from")
    yield Select(
        options(model.Cause), value=d.get("cause") or Select.NULL, prompt="later", id="f-cause"
    )
    yield Label("Approximate number of personal data records")
    records = d.get("records")
    yield Input("" if records is None else str(records), type="integer", id="f-records")
    for name, label in DETAIL_TEXTS:
        yield Label(label)
        yield Input(d.get(name) or "", placeholder="later", id=f"f-{name}")
    reporter = d.get("reporter") or {}
    yield Label("Who sends the notifications")
    for key, label in REPORTER:
        yield Input(reporter.get(key) or "", placeholder=label, id=f"f-reporter_{key}")


def answers(draft: dict[str, Any]) -> dict[str, Any]:
    """The answers of a wizard draft that become facts, copied (the draft changes in place),
    to tell later whether an edit changed anything."""
    return copy.deepcopy({k: v for k, v in draft.items() if not k.startswith("_")})
