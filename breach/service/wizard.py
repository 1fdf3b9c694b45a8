"""The questions the law asks, in the order a responder thinks (the new-incident wizard).

Core data for any front end: each step names the facts fields it fills, a short
explanation, and the article it comes from. The Textual wizard renders these; nothing
here imports Textual. Drafts are plain dicts of Facts fields, saved after every answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import BadInput
from ..model import Facts, facts_from_data

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Step:
    """One wizard step."""

    id: str
    title: str
    explanation: str
    article: str
    fields: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step(
        "what",
        "What happened?",
        "Describe the incident in your own words: what was affected, how it was found. "
        "This becomes the title and summary of every notice.",
        "GDPR Art. 33(3)(a), 33(5)",
        ("title", "summary"),
    ),
    Step(
        "when",
        "When did you detect it, and when were you aware?",
        "Detection is the first alert. Awareness is a reasonable degree of certainty that "
        "personal data was compromised: the GDPR 72-hour clock starts there; telecom (24 h) "
        "and Georgian clocks start at detection. Type a time with its offset, or a local "
        "time (your zone is shown); 'now' fills the current time.",
        "GDPR Art. 33(1); Reg. 611/2013 Art. 2(2); EDPB Guidelines 9/2022 para 31-33",
        ("detected_at", "aware_at"),
    ),
    Step(
        "who",
        "Which organisation, and what is your role for this data?",
        "A controller decides why and how the data is processed and notifies; a processor "
        "works on a customer's behalf and must tell that customer (the controller).",
        "GDPR Art. 4(7)-(8), 26, 33(2)",
        ("organisation", "role"),
    ),
    Step(
        "data",
        "What personal data is involved?",
        "Pick the kinds of data as your organisation's policy names them. Special categories, "
        "ID numbers, financial data and communications content raise the risk.",
        "GDPR Art. 33(3)(a), 9, 10; ENISA 2013 (data processing context)",
        ("personal_data", "data_categories", "ecs_data", "ecs_position", "non_ecs_data"),
    ),
    Step(
        "people",
        "Who is affected, how many, where?",
        "A best estimate is fine; an unknown number is assessed as very many. Children and "
        "vulnerable people raise the risk. Countries decide which authorities are involved.",
        "GDPR Art. 33(3)(a); EDPB Guidelines 9/2022 para 114-115",
        ("subjects",),
    ),
    Step(
        "impact",
        "What happened to the data?",
        "Confidentiality: who could see it. Integrity: was it altered. Availability: is it "
        "lost or unreachable, and for how long. Exfiltration and malice raise the risk.",
        "GDPR Art. 4(12); ENISA 2013 (circumstances of the breach)",
        (
            "confidentiality",
            "recipient_deleted",
            "integrity",
            "availability",
            "unavailable_hours",
            "exfiltration",
            "malicious",
            "identifiability",
        ),
    ),
    Step(
        "protection",
        "Was the data protected?",
        "Data encrypted or hashed with a state-of-the-art method whose key is safe is "
        "unintelligible to others: people then need not be told.",
        "GDPR Art. 34(3)(a); Reg. 611/2013 Art. 4",
        ("protection", "protection_state_of_the_art", "key_compromised"),
    ),
    Step(
        "mitigation",
        "What has been done, and what else applies?",
        "Measures that make a high risk no longer likely, or the impossibility of reaching "
        "people one by one, change whom you must tell. A NIS2 significant incident starts "
        "its own 24-hour clock.",
        "GDPR Art. 33(3)(d), 34(3)(b)-(c); NIS2 Art. 23(3)",
        ("mitigation", "high_risk_averted", "disproportionate_effort", "significant_incident"),
    ),
    Step(
        "controllers",
        "Which controllers must you inform? (processor)",
        "As processor, list each customer whose data is affected, with a contact and the hours "
        "your contract gives you. One notice per controller.",
        "GDPR Art. 33(2), 28(3)(f)",
        ("controllers",),
    ),
    Step(
        "details",
        "Details for the notices (each can wait: leave it blank for later)",
        "They decide no duty, but every notice and the regulators' forms ask for them: "
        "what is blank now reads as 'to be confirmed' in the drafts, and the incident "
        "screen lists it. Times on your wall clock, like the detection time.",
        "GDPR Art. 33(3)-(4); Reg. 611/2013 Annex I-II; EDPB notification template",
        (
            "occurred_at",
            "ended_at",
            "ongoing",
            "discovered_by",
            "incident_kinds",
            "cause",
            "systems",
            "records",
            "consequences",
            "measures_before",
            "measures_planned",
            "reporter",
            "subjects_contact",
            "delay_reason",
        ),
    ),
)


def step_index(step_id: str) -> int:
    """Position of a step by id."""
    return next(i for i, step in enumerate(STEPS) if step.id == step_id)


def step_of(field: str) -> int:
    """The step that asks facts ``field`` (``subjects.count`` is asked with the people)."""
    top = field.split(".")[0]
    return next(i for i, step in enumerate(STEPS) if top in step.fields)


def draft_facts(draft: dict[str, Any], tz: str | None = None) -> tuple[Facts | None, str]:
    """The draft as Facts, or None and the first thing still missing or wrong.

    Keys starting with "_" hold front-end state (e.g. the inventory labels picked) and are
    not facts.
    """
    data = {
        key: value
        for key, value in draft.items()
        if not key.startswith("_") and (value is not None or key == "aware_at")
    }
    try:
        return facts_from_data(data, "draft", tz), ""
    except BadInput as err:
        return None, str(err).removeprefix("draft: ")


def empty_draft() -> dict[str, Any]:
    """A new draft: every answer 'unknown' until given (the cautious default)."""
    return {
        "title": "",
        "summary": "",
        "organisation": None,
        "role": None,
        "detected_at": None,
        "aware_at": None,
        "personal_data": None,
        "confidentiality": UNKNOWN,
        "recipient_deleted": None,
        "integrity": UNKNOWN,
        "availability": UNKNOWN,
        "unavailable_hours": None,
        "exfiltration": UNKNOWN,
        "malicious": None,
        "data_categories": [],
        "subjects": {"count": None, "kinds": [], "countries": []},
        "identifiability": "maximum",
        "protection": "none",
        "protection_state_of_the_art": False,
        "key_compromised": None,
        "high_risk_averted": False,
        "mitigation": "",
        "disproportionate_effort": False,
        "ecs_data": False,
        "ecs_position": None,
        "non_ecs_data": None,
        "significant_incident": None,
        "controllers": [],
        "risk_override": None,
        "occurred_at": None,
        "ended_at": None,
        "ongoing": None,
        "discovered_by": None,
        "incident_kinds": [],
        "cause": None,
        "systems": "",
        "records": None,
        "consequences": "",
        "measures_before": "",
        "measures_planned": "",
        "reporter": None,
        "subjects_contact": "",
        "delay_reason": "",
    }
