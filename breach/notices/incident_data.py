"""The incident as template data: facts and particulars, risk, organisation, people.

Codes stay codes (``confidentiality``, ``incident_kinds``, risk factors): each template
words them in its own language. What the responder typed is cleaned; what is not yet
known is a :class:`Missing` value, which prints as the marker of the notice's language.
"""

from __future__ import annotations

from typing import Any

from .fmt import Formatter
from .missing import Missing, known
from .safe import clean
from .view import IncidentView

EDPB_SEVERITY = {"low": "minor", "medium": "moderate", "high": "severe", "very_high": "severe"}


def yes_no(value: bool | None) -> str:
    """``yes``, ``no`` or ``unknown``."""
    return "unknown" if value is None else ("yes" if value else "no")


def facts_data(view: IncidentView, fmt: Formatter) -> dict[str, Any]:
    """The facts and particulars as template data; what is not known is :class:`Missing`."""
    f = view.facts
    protected = f.protection != "none"
    return {
        "detected": fmt.when(f.detected_at),
        "aware": fmt.when(f.awareness),
        "occurred": known(fmt.when(f.occurred_at), "when the breach began (date and time)"),
        "occurred_day": fmt.date(f.occurred_at or f.detected_at),
        "ended": fmt.when(f.ended_at),
        "ongoing": yes_no(f.ongoing if f.ended_at is None else False),
        "discovered_by": known(f.discovered_by, "how we learnt of the breach"),
        "incident_kinds": list(f.incident_kinds),
        "cause": f.cause or "unknown",
        "root_cause": known(list(f.incident_kinds), "type of incident (root cause)"),
        "records": known(fmt.number(f.records), "approximate number of personal data records"),
        "systems": known(f.systems.strip(), "systems, services and storage media involved"),
        "processors": Missing("processors or other providers involved (an empty list: none)")
        if f.processors is None
        else [{"name": clean(p.name), "country": p.country or ""} for p in f.processors],
        "police": None
        if f.police_report is None
        else {"filed": f.police_report.filed, "reference": clean(f.police_report.reference or "")},
        "consequences": clean(f.consequences.strip()),
        "measures_before": known(
            f.measures_before.strip(), "security measures in place before the breach"
        ),
        "measures_planned": known(
            f.measures_planned.strip(), "measures proposed, and to prevent a recurrence"
        ),
        "personal_data": yes_no(f.personal_data),
        "confidentiality": f.confidentiality,
        "integrity": f.integrity,
        "availability": f.availability,
        "exfiltration": f.exfiltration,
        "malicious": yes_no(f.malicious),
        "outage_hours": fmt.number(f.unavailable_hours),
        "categories": known(list(f.data_categories), "categories of personal data"),
        "kinds": known(list(f.subjects.kinds), "categories of people affected"),
        "people": known(fmt.number(f.subjects.count), "approximate number of people affected"),
        "people_count": f.subjects.count,
        "by_country": [
            {"country": country, "people": fmt.number(people)}
            for country, people in sorted(f.subjects.by_country.items())
        ],
        "countries": known(list(f.subjects.countries), "countries where the affected people live"),
        "protection": f.protection,
        "state_of_the_art": f.protection_state_of_the_art,
        "key": yes_no(f.key_compromised) if protected else "no",
        "mitigation": known(f.mitigation.strip(), "measures taken to address the breach"),
        "averted": f.high_risk_averted,
        "ecs_data": f.ecs_data,
        "significant": yes_no(f.significant_incident),
        "pending": pending_facts(view),
    }


def pending_facts(view: IncidentView) -> list[str]:
    """Codes of the decision facts still unknown (the templates name them in their language)."""
    f = view.facts
    checks = [
        ("personal_data", f.personal_data is None),
        ("confidentiality", f.confidentiality == "unknown"),
        ("integrity", f.integrity == "unknown"),
        ("availability", f.availability == "unknown"),
        ("exfiltration", f.exfiltration == "unknown"),
        ("malicious", f.malicious is None),
        ("categories", not f.data_categories),
        ("people", f.subjects.count is None),
        ("countries", not f.subjects.countries),
        ("key", f.protection != "none" and f.key_compromised is None),
    ]
    return [code for code, unknown in checks if unknown]


def risk_data(view: IncidentView, fmt: Formatter) -> dict[str, Any]:
    """The current decision's risk (:func:`decision_risk`) with its EDPB severity word,
    when it was assessed and under which rules."""
    decision = view.decision
    risk = decision_risk(decision, fmt)
    return {
        **risk,
        "edpb_severity": EDPB_SEVERITY.get(risk["band"], "to_be_determined"),
        "assessed": fmt.when(decision.get("assessed_at")),
        "rules_version": decision.get("rules_version", ""),
    }


def decision_risk(decision: dict[str, Any], fmt: Formatter) -> dict[str, Any]:
    """A stored decision's risk as codes the templates word: its level, ``ground`` — what
    set it: ``unlikely`` (nothing readable reached anyone who would misuse it), ``floor``
    (special-category or criminal data exposed), ``score`` (the adjusted ENISA score
    against the threshold) or ``override`` (our judgement, with its ``justification`` and
    the level the engine gave) — the severity and the factors that moved it."""
    trace = decision.get("trace") or []
    step = next((t for t in trace if t["rule"] == "risk.level"), None)
    override = next((t for t in trace if t["rule"] == "risk.override"), None)
    engine = step["result"] if step else decision.get("risk", "")
    if override is not None:
        ground = "override"
    elif engine == "unlikely":
        ground = "unlikely"
    elif step and not step["because"].startswith("adjusted score"):
        ground = "floor"
    else:
        ground = "score"
    severity = decision.get("severity") or {}
    because = str(override["because"]) if override else ""
    return {
        "level": decision.get("risk", ""),
        "engine_level": engine,
        "source": decision.get("risk_source", ""),
        "ground": ground,
        "justification": clean(because.split("': ", 1)[-1]) if override else "",
        "score": fmt.number(severity.get("score")),
        "band": severity.get("band", ""),
        "factors": [
            {
                "code": t["rule"].removeprefix("edpb."),
                "raises": not str(t["result"]).startswith("-"),
                "because": clean(t["because"]),
            }
            for t in trace
            if t["rule"].startswith("edpb.")
        ],
    }


def person_data(name: Any, role: Any, email: Any, phone: Any) -> dict[str, Any] | None:
    """A person as template data (None when nothing about them is known)."""
    parts = {"name": name, "role": role, "email": email, "phone": phone}
    if not any(parts.values()):
        return None
    return {**{key: clean(value or "") for key, value in parts.items()}, "dpo": False}


def organisation_data(view: IncidentView) -> dict[str, Any]:
    """Who we are: name, legal entity, contact point, DPO, who signs, breach commitment."""
    org, profile, facts = view.org, view.profile, view.facts
    entity = org.name
    main = org.main_establishment
    for establishment in org.establishments:
        if establishment.entity and (main is None or establishment.country == main):
            entity = establishment.entity
            break
    commitment = profile.breach_commitment if profile else None
    label = entity if entity == org.name else f"{entity} ({org.name})"
    dpo = org.dpo
    dpo_data = person_data(dpo.name, None, dpo.email, dpo.phone) if dpo and dpo.designated else None
    reporter = facts.reporter
    reporter_data = (
        person_data(reporter.name, reporter.role, reporter.email, reporter.phone)
        if reporter
        else None
    )
    contact = org.contact or (dpo_data or {}).get("email")
    signatory = reporter_data if reporter_data and reporter_data["name"] else None
    if signatory is None and dpo_data and dpo_data["name"]:
        signatory = {**dpo_data, "dpo": True}
    phone = (reporter_data or {}).get("phone") or (dpo_data or {}).get("phone") or ""
    return {
        "name": clean(org.name),
        "entity": clean(entity),
        "label": clean(label),
        "contact": known(contact, "contact point (DPO or other, with e-mail and phone)"),
        "dpo": dpo_data,
        "reporter": reporter_data
        or Missing("the person sending the notification (name, role, e-mail, phone)"),
        "signatory": signatory or Missing("who signs the letter (name and role)"),
        "phone": known(phone, "a phone number the people affected can call"),
        "subjects_contact": known(
            clean(facts.subjects_contact.strip()) or contact,
            "where the people affected can get more information",
        ),
        "country": main or "",
        "ecs": org.ecs_provider,
        "commitment": clean(commitment.text) if commitment else "",
        "commitment_hours": fmt_hours(commitment.notice_hours if commitment else None),
    }


def fmt_hours(hours: float | None) -> str:
    """``24`` for 24.0, ``1.5`` for 1.5, "" for None."""
    return "" if hours is None else f"{hours:g}"


def subjects_notice(view: IncidentView, fmt: Formatter) -> dict[str, Any]:
    """Whether the affected people are told: done, planned, exempt, not required, none."""
    duties = sorted(
        (d for d in view.duties if d["duty"] == "notify_data_subjects"),
        key=lambda d: ({"required": 0, "exempt": 1}.get(d["status"], 2), d["id"]),
    )
    if not duties:
        return {"state": "none", "at": "", "due": "", "exemption": "", "reason": "", "means": ""}
    duty = duties[0]
    state = duty["status"]
    if state == "required":
        state = "done" if duty["done_at"] else "planned"
    return {
        "state": state,
        "at": fmt.when(duty["done_at"]),
        "due": fmt.when(duty["due_at"]),
        "exemption": duty["exemption"] or "",
        "reason": clean(duty["reason"]),
        "means": known(clean(duty["channel"] or ""), "how the people affected were informed"),
    }
