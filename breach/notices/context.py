"""The data a notice template sees, built from a stored incident (pure: no I/O).

Everything a user typed is cleaned of control characters here and escaped for the target
format by the renderer. A fact not yet known is a :class:`Missing` value: it prints as
``[to be confirmed]`` and the renderer lists it, so it is never silently left out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from markupsafe import Markup

from .fmt import Formatter
from .safe import MARKER, clean
from .view import IncidentView, is_late, previous_send

EDPB_SEVERITY = {"low": "minor", "medium": "moderate", "high": "severe", "very_high": "severe"}


class Missing:
    """A fact not yet known: falsy, iterates as empty, prints as the marker, lists its label."""

    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label

    def __bool__(self) -> bool:
        return False

    def __iter__(self) -> Any:
        return iter(())

    def __str__(self) -> str:
        return MARKER

    def __repr__(self) -> str:
        return f"Missing({self.label!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Missing) and other.label == self.label

    def __hash__(self) -> int:
        return hash(self.label)


def known(value: Any, label: str) -> Any:
    """``value`` cleaned if known (non-empty), else :class:`Missing` with ``label``."""
    if value is None or value == "" or value == []:
        return Missing(label)
    if isinstance(value, Markup):  # generated (dates, numbers): already safe
        return value
    if isinstance(value, str):
        return clean(value)
    return value


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def duty_data(duty: dict[str, Any], fmt: Formatter, now: datetime) -> dict[str, Any]:
    """One stored duty as template data (times formatted, user text cleaned)."""
    recipient = duty.get("recipient") or {}
    late = is_late(duty, now)
    return {
        "id": duty["id"],
        "regime": duty["regime"],
        "duty": duty["duty"],
        "status": duty["status"],
        "due": fmt.when(duty["due_at"]),
        "deadline": duty["due_kind"] == "deadline",
        "recipient": clean(recipient.get("name") or ""),
        "local_name": clean(duty.get("local_name") or recipient.get("name") or ""),
        "country": recipient.get("country") or "",
        "contact": clean(recipient.get("contact") or ""),
        "basis": duty["basis"],
        "exemption": duty["exemption"] or "",
        "reason": clean(duty["reason"]),
        "rule": duty["rule"],
        "done": fmt.when(duty["done_at"]),
        "reference": clean(duty["reference"] or ""),
        "channel": clean(duty["channel"] or ""),
        "late": late,
        "overdue": late and not duty["done_at"],
        "late_reason": clean(duty["late_reason"] or ""),
    }


def recipient_data(duty: dict[str, Any] | None, fmt: Formatter, now: datetime) -> dict[str, Any]:
    """Whom this notice goes to; unknown parts are :class:`Missing`."""
    if duty is None:
        return {
            "id": "",
            "name": Missing("recipient"),
            "contact": Missing("recipient's contact"),
            "country": "",
            "regime": "gdpr",
            "duty": "",
            "basis": Missing("legal basis of the notification"),
            "due": "",
            "deadline": False,
            "status": "none",
            "reason": "",
            "exemption": "",
        }
    data = duty_data(duty, fmt, now)
    data["name"] = known(data["recipient"], "recipient")
    data["contact"] = known(data["contact"], "recipient's contact (address, e-mail or portal)")
    return data


def facts_data(view: IncidentView, fmt: Formatter) -> dict[str, Any]:
    """The facts as template data; what is not known is :class:`Missing`."""
    f = view.facts
    protection_known = f.protection != "none"
    return {
        "detected": fmt.when(f.detected_at),
        "aware": fmt.when(f.awareness),
        "occurred": Missing("when the breach occurred (date and time, or period)"),
        "records": Missing("approximate number of personal data records"),
        "systems": Missing("systems, services and storage media involved (and where)"),
        "other_providers": Missing("other providers involved, if any"),
        "ioc": Missing("indicators of compromise, where available"),
        "root_cause": Missing("type of threat or root cause"),
        "means": Missing("means used to inform the people affected"),
        "personal_data": _yes_no(f.personal_data),
        "confidentiality": f.confidentiality,
        "integrity": f.integrity,
        "availability": f.availability,
        "exfiltration": f.exfiltration,
        "malicious": _yes_no(f.malicious),
        "outage_hours": fmt.number(f.unavailable_hours),
        "categories": known(list(f.data_categories), "categories of personal data"),
        "kinds": known(list(f.subjects.kinds), "categories of people affected"),
        "people": known(fmt.number(f.subjects.count), "approximate number of people affected"),
        "countries": known(list(f.subjects.countries), "countries where the affected people live"),
        "protection": f.protection,
        "state_of_the_art": f.protection_state_of_the_art,
        "key": _yes_no(f.key_compromised) if protection_known else "no",
        "mitigation": known(f.mitigation.strip(), "measures taken to address the breach"),
        "averted": f.high_risk_averted,
        "ecs_data": f.ecs_data,
        "significant": _yes_no(f.significant_incident),
        "pending": pending_facts(view),
    }


def pending_facts(view: IncidentView) -> list[str]:
    """Codes of the facts still unknown (the templates name them in their language)."""
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
    """The engine's risk level, severity and reasons (reasons are in English)."""
    decision = view.decision
    severity = decision.get("severity") or {}
    trace = decision.get("trace") or []
    level = next((t for t in trace if t["rule"] in ("risk.override", "risk.level")), None)
    band = severity.get("band", "")
    return {
        "level": decision.get("risk", ""),
        "source": decision.get("risk_source", ""),
        "score": fmt.number(severity.get("score")),
        "band": band,
        "edpb_severity": EDPB_SEVERITY.get(band, "to_be_determined"),
        "because": clean(level["because"]) if level else "",
        "factors": [
            f"{t['result']} {clean(t['because'])}" for t in trace if t["rule"].startswith("edpb.")
        ],
        "assessed": fmt.when(decision.get("assessed_at")),
        "rules_version": decision.get("rules_version", ""),
    }


def subjects_notice(view: IncidentView, fmt: Formatter) -> dict[str, Any]:
    """Whether the affected people are told: done, planned, exempt, not required, none."""
    duties = sorted(
        (d for d in view.duties if d["duty"] == "notify_data_subjects"),
        key=lambda d: ({"required": 0, "exempt": 1}.get(d["status"], 2), d["id"]),
    )
    if not duties:
        return {"state": "none", "at": "", "due": "", "exemption": "", "reason": ""}
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
    }


def organisation_data(view: IncidentView) -> dict[str, Any]:
    """Who we are: name, legal entity, contact point, breach commitment of the profile."""
    org, profile = view.org, view.profile
    entity = org.name
    main = org.main_establishment
    for establishment in org.establishments:
        if establishment.entity and (main is None or establishment.country == main):
            entity = establishment.entity
            break
    commitment = profile.breach_commitment if profile else None
    label = entity if entity == org.name else f"{entity} ({org.name})"
    return {
        "name": clean(org.name),
        "entity": clean(entity),
        "label": clean(label),
        "contact": known(org.contact, "contact point (DPO or other, with e-mail and phone)"),
        "country": main or "",
        "ecs": org.ecs_provider,
        "commitment": clean(commitment.text) if commitment else "",
        "commitment_hours": fmt_hours(commitment.notice_hours if commitment else None),
    }


def fmt_hours(hours: float | None) -> str:
    """``24`` for 24.0, ``1.5`` for 1.5, "" for None."""
    return "" if hours is None else f"{hours:g}"


def decision_groups(duties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Duties for a register or report: required, then exempt, then not required.

    Required and exempt duties stay one per recipient (each has its own deadline and
    send record); not-required ones with the same duty, basis and reason are grouped,
    their recipients listed together.
    """
    rank = {"required": 0, "exempt": 1, "not_required": 2}
    groups: list[dict[str, Any]] = []
    index: dict[tuple[str, str, str], dict[str, Any]] = {}
    for duty in sorted(duties, key=lambda d: rank.get(d["status"], 3)):
        key = (duty["duty"], duty["basis"], duty["reason"])
        if duty["status"] == "not_required" and key in index:
            if duty["recipient"] and duty["recipient"] not in index[key]["recipients"]:
                index[key]["recipients"].append(duty["recipient"])
            continue
        group = {**duty, "recipients": [duty["recipient"]] if duty["recipient"] else []}
        groups.append(group)
        if duty["status"] == "not_required":
            index[key] = group
    return groups


def notice_context(
    view: IncidentView,
    kind: str,
    duty: dict[str, Any] | None,
    series: list[dict[str, Any]],
    phase: str,
    language: str,
    now: datetime,
    zone_name: str | None,
    head: tuple[int, str] = (0, ""),
) -> dict[str, Any]:
    """Everything a notice template of ``kind`` may print; ``head`` is the audit chain's
    head as the notice is drafted, printed at its foot (a copy outside anchors the log)."""
    fmt = Formatter(language, zone_name)
    facts = view.facts
    duties = [duty_data(d, fmt, now) for d in view.duties]
    late = duty is not None and is_late(duty, now)
    previous = previous_send(duty, series)
    countries = sorted(set(facts.subjects.countries) | view.org.countries)
    home = view.org.main_establishment
    authorities = sorted(
        (d for d in duties if d["duty"] == "notify_authority" and d["status"] == "required"),
        key=lambda d: (d["country"] != home, d["id"]),
    )
    return {
        "lang": language,
        "kind": kind,
        "phase": phase,
        "today": fmt.when(now),
        "marker": Markup(MARKER),
        "role": facts.role,
        "incident": {
            "id": view.id,
            "title": clean(facts.title or view.data["title"]),
            "summary": known(facts.summary.strip(), "what happened (summary)"),
            "status": view.data["status"],
        },
        "org": organisation_data(view),
        "to": recipient_data(duty, fmt, now),
        "facts": facts_data(view, fmt),
        "risk": risk_data(view, fmt),
        "duties": duties,
        "required": [d for d in duties if d["status"] == "required"],
        "decisions": decision_groups(duties),
        "subjects_notice": subjects_notice(view, fmt),
        "authorities": authorities,
        "authorities_done": all(a["done"] for a in authorities),
        "nis2": any(d["regime"] == "nis2" and d["status"] == "required" for d in duties),
        "previous": None
        if previous is None and phase == "initial"
        else {
            "at": known(fmt.when((previous or {}).get("at")), "date of our previous notification"),
            "reference": known(
                (previous or {}).get("reference"), "reference of our previous notification"
            ),
        },
        "record": {"incident": view.id, "seq": head[0], "hash": head[1]},
        "late": late,
        "late_reason": known(duty["late_reason"] if duty else None, "reasons for the delay"),
        "cross_border": len(countries) > 1,
        "all_countries": countries,
        "controllers": [
            {
                "name": clean(c.name),
                "contact": known(c.contact, f"contact of {clean(c.name)}"),
                "hours": fmt_hours(c.notice_hours),
            }
            for c in facts.controllers
        ],
    }
