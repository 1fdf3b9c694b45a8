"""The EDPB common template for Art. 33 notifications (v1.0, 2026) as JSON.

Field numbers and value codes follow the template's field list (../shared/PEERS.md,
"EDPB common template"; machine-readable extraction by NicklawAI). Each field carries
its label, whether the template makes it mandatory, its value (``null``: not known yet)
and where the value came from: ``facts``, ``decision``, ``profile``, ``log`` (the
incident log) or ``suggested`` (derived by breach from the facts: review it). The mandatory
fields still empty are listed in ``missing_mandatory``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ..clock import format_utc
from ..engine.routing import EEA, Geography
from .safe import clean_data
from .view import IncidentView, is_late, previous_send

TEMPLATE = "EDPB template for personal data breach notification, v1.0 (2026, consultation)"
SCHEMA = "breach.edpb-template/1"
Check = Callable[[dict[int, Any]], bool]


def _is(field: int, value: str) -> Check:
    return lambda values: values.get(field) == value


def _has(field: int, value: str) -> Check:
    return lambda values: value in (values.get(field) or [])


#: (number, label, mandatory: True, False, or a check on the other values)
FIELDS: list[tuple[int, str, bool | Check]] = [
    (3, "Type of notification (new / follow-up)", True),
    (4, "Sub-type (complete / incomplete / withdraw)", True),
    (6, "ID of the previously notified breach", _is(3, "follow_up")),
    (7, "Controller's internal reference", False),
    (12, "Organisation name", True),
    (13, "Organisation contact details", True),
    (14, "Sector", False),
    (21, "Reporting person: name", True),
    (22, "Reporting person: contact details", True),
    (23, "Reporting person: function", True),
    (29, "Data protection officer designated?", True),
    (30, "DPO name", _is(29, "yes")),
    (31, "DPO contact details", _is(29, "yes")),
    (33, "More information can be obtained at", False),
    (38, "Processors or joint controllers involved?", True),
    (39, "Their qualification (processor / joint controller)", _is(38, "yes")),
    (40, "Their name(s)", _is(38, "yes")),
    (41, "Their contact details", _is(38, "yes")),
    (44, "When the breach occurred", True),
    (48, "Date and time of awareness", True),
    (49, "Reasons for late notification", lambda values: bool(values.get(-1))),
    (50, "How the breach was discovered", True),
    (51, "Further description of the breach and its discovery", True),
    (55, "Type of breach (confidentiality / integrity / availability)", True),
    (56, "Confidentiality breach", False),
    (57, "Data unintelligible or not identifiable?", False),
    (58, "Integrity breach", False),
    (59, "Availability breach", False),
    (60, "Nature of the incident", True),
    (61, "Cause of the incident", True),
    (62, "Further description of the incident", True),
    (63, "Systems, software, services and infrastructure involved", True),
    (65, "Categories of data subjects", True),
    (66, "Other categories of data subjects", _has(65, "additional")),
    (67, "Number of data subjects: exact / approximate / unknown", True),
    (68, "Number of data subjects", False),
    (70, "Types of personal data breached", True),
    (71, "Other types of personal data", _has(70, "additional")),
    (72, "Number of records: exact / approximate / unknown", True),
    (73, "Number of records", True),
    (75, "Measures in place before the breach (Art. 32)", True),
    (76, "Description of the measures in place", True),
    (85, "Nature of the potential impact", True),
    (87, "Severity", True),
    (89, "Outcome of the risk assessment", True),
    (90, "Description of the risk assessment", True),
    (92, "Measures taken to address the breach and mitigate its effects", True),
    (94, "Measures to prevent recurrence", True),
    (95, "Description of the measures to prevent recurrence", True),
    (97, "Communicated to the data subjects?", True),
    (98, "Date of the communication", _is(97, "yes")),
    (99, "Planned date of the communication", False),
    (100, "Art. 34(3) condition met", _is(97, "no_art_34_3_condition_met")),
    (104, "Means of communication", _is(97, "yes")),
    (110, "Notified to other authorities under other legislation (e.g. NIS2)", False),
    (111, "Which authorities", _is(110, "yes")),
    (113, "Cross-border processing by an EEA controller?", True),
    (114, "Lead supervisory authority", _is(113, "yes")),
    (115, "EEA countries of establishment", False),
    (116, "Countries of the affected data subjects", False),
    (118, "Supervisory authorities notified", False),
    (120, "Non-EEA controller subject to GDPR Art. 3(2)?", True),
]

SUBJECT_KINDS = {
    "customers": "customers",
    "employees": "employees",
    "applicants": "additional",
    "patients": "patients",
    "children": "minors",
    "vulnerable": "vulnerable_individuals",
    "public_figures": "additional",
    "other": "additional",
}
DATA_TYPES = {
    "identity": ["basic"],
    "contact": ["contact"],
    "account": ["identification_numbers"],
    "credentials": ["credentials"],
    "national_id": ["identification_numbers", "official_documents"],
    "financial": ["economic_financial", "payment_methods"],
    "orders": ["additional"],
    "location": ["location"],
    "traffic_data": ["additional"],
    "communications_content": ["additional"],
    "behavioural": ["profile"],
    "employment": ["additional"],
    "special_category": ["additional"],
    "criminal": ["criminal"],
    "other": ["additional"],
}
ADDITIONAL_DATA = {
    "orders": "orders and service details",
    "traffic_data": "electronic communications traffic data (call detail records, IP logs)",
    "communications_content": "content of communications (recordings, voicemail, messages)",
    "employment": "employment data",
    "special_category": "special categories of data (Art. 9): specify which",
    "other": "other personal data: specify",
}
IMPACT = {
    "identity": ["identity_theft"],
    "contact": ["loss_of_control"],
    "account": ["loss_of_control"],
    "credentials": ["fraud", "financial_loss"],
    "national_id": ["identity_theft", "fraud"],
    "financial": ["fraud", "financial_loss"],
    "location": ["physical_or_mental_harm"],
    "traffic_data": ["damage_to_reputation", "loss_of_control"],
    "communications_content": ["loss_of_professional_secrecy", "damage_to_reputation"],
    "employment": ["economic_social_disadvantage"],
    "special_category": ["discrimination", "physical_or_mental_harm"],
    "criminal": ["discrimination", "damage_to_reputation"],
}
RISK = {"high": "high_risk", "risk": "risk_not_high", "unlikely": "unlikely_risk"}
SEVERITY = {"low": "minor", "medium": "moderate", "high": "severe", "very_high": "severe"}
EXEMPTION = {"encryption": "a", "mitigated": "b", "disproportionate_effort": "c"}


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _breach_type(view: IncidentView) -> list[str] | None:
    f = view.facts
    hit = [
        name
        for name, value in (
            ("confidentiality", f.confidentiality),
            ("integrity", f.integrity),
            ("availability", f.availability),
        )
        if value not in ("none", "unknown")
    ]
    if f.exfiltration in ("confirmed", "suspected") and "confidentiality" not in hit:
        hit.insert(0, "confidentiality")
    return hit or None


def _confidentiality(view: IncidentView) -> str | None:
    f = view.facts
    if f.exfiltration == "confirmed" or f.confidentiality in (
        "known_recipients",
        "unknown_recipients",
        "trusted_recipient",
    ):
        return "exfiltrated_or_disclosed"
    if f.exfiltration == "suspected":
        return "likely_no_evidence"
    if f.confidentiality == "none":
        return "not_affected_reasonable_evidence"
    return "to_be_determined"


def _unintelligible(view: IncidentView) -> str:
    f = view.facts
    if f.protection == "none":
        return "no"
    if f.key_compromised:
        return "measures_likely_subverted"
    if f.key_compromised is None:
        return "not_possible_to_assess"
    return "yes_protection_intact" if f.protection_state_of_the_art else "no"


def _subjects(view: IncidentView) -> dict[int, Any]:
    f = view.facts
    kinds = _unique([SUBJECT_KINDS[k] for k in f.subjects.kinds])
    if f.ecs_data and "customers" in kinds:
        kinds.append("subscribers")
    other_kinds = [k for k in f.subjects.kinds if SUBJECT_KINDS[k] == "additional"]
    types = _unique([t for c in f.data_categories for t in DATA_TYPES[c]])
    extra = [ADDITIONAL_DATA[c] for c in f.data_categories if c in ADDITIONAL_DATA]
    impact = [i for c in f.data_categories for i in IMPACT.get(c, [])]
    if f.protection == "pseudonymised":
        impact.append("reversal_of_pseudonymisation")
    if f.availability == "permanent":
        impact.append("limitation_of_rights")
    return {
        65: kinds or ["not_yet_known"],
        66: ", ".join(k.replace("_", " ") for k in other_kinds) or None,
        67: "approximate" if f.subjects.count is not None else "to_be_determined",
        68: f.subjects.count,
        70: types or ["not_yet_known"],
        71: "; ".join(extra) or None,
        72: "to_be_determined",
        85: _unique(impact) or ["to_be_determined"],
    }


def _communication(view: IncidentView) -> dict[int, Any]:
    duties = sorted(
        (d for d in view.duties if d["duty"] == "notify_data_subjects"),
        key=lambda d: ({"required": 0, "exempt": 1}.get(d["status"], 2), d["id"]),
    )
    if not duties:
        return {97: None}
    duty = duties[0]
    if duty["status"] == "required" and duty["done_at"]:
        return {97: "yes", 98: duty["done_at"], 104: duty["channel"]}
    if duty["status"] == "required":
        return {97: "no_will_communicate", 99: duty["due_at"]}
    if duty["status"] == "exempt":
        letter = EXEMPTION.get(duty["exemption"] or "")
        means = "public_announcement" if letter == "c" else None
        return {97: "no_art_34_3_condition_met", 100: letter, 104: means}
    return {97: "no_unlikely_high_risk"}


def _cross_border(view: IncidentView, duty: dict[str, Any] | None) -> dict[int, Any]:
    geo = Geography.of(view.facts, view.org)
    established = sorted(geo.established)
    subjects = sorted(set(view.facts.subjects.countries))
    cross = geo.cross_border
    lead = ((duty or {}).get("recipient") or {}).get("name") if cross else None
    notified = [
        (d.get("recipient") or {}).get("name")
        for d in view.duties
        if d["duty"] == "notify_authority" and d["done_at"]
    ]
    targeting = not established and bool(view.org.gdpr_targeting)
    others = [
        d
        for d in view.duties
        if d["regime"] not in ("gdpr", (duty or {}).get("regime"))
        and d["status"] == "required"
        and d["duty"] in ("notify_authority", "early_warning", "incident_notification")
    ]
    other_names = _unique(
        [f"{d['regime']}: {(d.get('recipient') or {}).get('name', '')}" for d in others]
    )
    return {
        110: "yes" if others else "no",
        111: "; ".join(other_names) or None,
        113: "yes" if cross and established else "no",
        114: lead,
        115: established,
        116: [c for c in subjects if c in EEA] or subjects,
        118: [n for n in notified if n] or None,
        120: "yes" if targeting else "no",
    }


def _values(
    view: IncidentView,
    duty: dict[str, Any] | None,
    phase: str,
    series: list[dict[str, Any]],
    now: datetime,
) -> tuple[dict[int, Any], dict[int, str]]:
    """Field values and, for the derived ones, their source."""
    f, decision = view.facts, view.decision
    for_controller = duty is not None and duty["duty"] == "notify_controller"
    recipient = (duty or {}).get("recipient") or {}
    previous = previous_send(duty, series)
    trace = decision.get("trace") or []
    level = next((t for t in trace if t["rule"] in ("risk.override", "risk.level")), None)
    protection = {"encrypted": ["encryption"], "hashed": ["pseudonymisation"]}
    protection["pseudonymised"] = ["pseudonymisation"]
    values: dict[int, Any] = {
        -1: duty is not None and is_late(duty, now),
        3: "new" if phase == "initial" else "follow_up",
        6: (previous or {}).get("reference"),
        7: view.id,
        12: recipient.get("name") if for_controller else view.org.name,
        13: recipient.get("contact") if for_controller else view.org.contact,
        14: "electronic communications" if view.org.ecs_provider else None,
        33: view.org.contact,
        38: "yes" if for_controller or f.role == "joint_controller" else None,
        39: "processor"
        if for_controller
        else ("joint_controller" if f.role != "controller" else None),
        40: [view.org.name] if for_controller else None,
        41: view.org.contact if for_controller else None,
        48: None if for_controller else format_utc(f.awareness),
        49: (duty or {}).get("late_reason"),
        50: "processor" if for_controller else None,
        51: f.summary.strip() or None,
        55: _breach_type(view),
        56: _confidentiality(view),
        57: _unintelligible(view),
        58: {"recoverable": "evidence_reversible", "unrecoverable": "evidence_irreversible"}.get(
            f.integrity
        ),
        59: {"temporary": "temporary", "permanent": "permanent", "unknown": "not_determined"}.get(
            f.availability
        ),
        61: "to_be_determined" if f.malicious is None else None,
        62: f.summary.strip() or None,
        75: protection.get(f.protection),
        87: SEVERITY.get((decision.get("severity") or {}).get("band", "")),
        89: RISK.get(decision.get("risk", "")),
        90: level["because"] if level else None,
        92: f.mitigation.strip() or None,
        **_subjects(view),
        **_communication(view),
        **_cross_border(view, duty),
    }
    sources = {n: "suggested" for n in (14, 56, 57, 65, 70, 85, 87, 71)}
    sources.update({n: "decision" for n in (89, 90, 97, 98, 99, 100, 110, 111, 113, 114)})
    sources.update({n: "log" for n in (3, 6, 7, 49, 104, 118)})
    ours = (33, 40, 41) if for_controller else (12, 13, 33)
    sources.update({n: "profile" for n in ours})
    return values, sources


def edpb_document(
    view: IncidentView,
    duty: dict[str, Any] | None,
    phase: str,
    series: list[dict[str, Any]],
    now: datetime,
) -> tuple[dict[str, Any], list[str]]:
    """The filled template and the labels of its mandatory fields still empty."""
    values, sources = _values(view, duty, phase, series, now)
    fields: dict[str, Any] = {}
    missing: list[dict[str, Any]] = []
    for number, label, rule in FIELDS:
        if number == 4:
            continue
        value = values.get(number)
        mandatory = rule(values) if callable(rule) else rule
        if value in (None, "", []) and mandatory:
            missing.append({"field": number, "label": label})
        fields[str(number)] = {
            "label": label,
            "mandatory": mandatory,
            "value": None if value in ("", []) else value,
            "source": sources.get(number, "facts") if value not in (None, "", []) else None,
        }
    incomplete = bool(view.facts.personal_data is None) or any(m["field"] >= 44 for m in missing)
    fields = {
        "3": fields.pop("3"),
        "4": {
            "label": "Sub-type (complete / incomplete / withdraw)",
            "mandatory": True,
            "value": "incomplete" if incomplete else "complete",
            "source": "log",
        },
        **fields,
    }
    document = {
        "schema": SCHEMA,
        "template": TEMPLATE,
        "incident": view.id,
        "generated_at": format_utc(now),
        "for": (duty or {}).get("id"),
        "fields": fields,
        "missing_mandatory": missing,
    }
    labels = [f"field {m['field']}: {m['label']}" for m in missing]
    return clean_data(document), labels
