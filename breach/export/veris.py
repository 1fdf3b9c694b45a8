"""VERIS 1.4 incidents (the Vocabulary for Event Recording and Incident Sharing), one JSON
object per line, valid against the VERIS community's ``verisc-merged.json``, with the GDPR
and telecom details VERIS has no field for under ``plus.breach``.

What the facts say maps onto VERIS enumerations; what they do not say is "Unknown", as
VERIS asks. The incident's ``kinds`` and ``cause`` give the actor, action, attribute and
asset; ``malicious`` decides where they are silent. ``incident_id`` is the incident's own
random UUIDv4, kept when the incident is imported into another installation.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from .common import Options, decision, one_line

#: What ``verisc-merged.json`` (vz-risk/veris 45d9d7a) asks ``schema_version`` to be.
SCHEMA_VERSION = "1.4.0"
DUTY_KEYS = (
    "id", "regime", "duty", "status", "due_at", "due_kind", "basis", "exemption", "done_at",
    "reference", "late_reason",
)  # fmt: skip
DATA_VARIETY = {
    "identity": "Personal",
    "contact": "Personal",
    "account": "Personal",
    "national_id": "Personal",
    "orders": "Personal",
    "location": "Personal",
    "traffic_data": "Personal",
    "communications_content": "Personal",
    "behavioural": "Personal",
    "employment": "Personal",
    "credentials": "Credentials",
    "financial": "Bank",
    "special_category": "Sensitive Personal",
    "criminal": "Sensitive Personal",
    "other": "Other",
}
DATA_VICTIM = {
    "customers": "Customer",
    "employees": "Employee",
    "applicants": "Employee",
    "patients": "Patient",
    "children": "Other",
    "vulnerable": "Other",
    "public_figures": "Other",
    "other": "Other",
}
DISCLOSURE = {
    "none": "No",
    "trusted_recipient": "Yes",
    "known_recipients": "Yes",
    "unknown_recipients": "Yes",
    "unknown": "Unknown",
}
#: incident kind -> (action category, its variety). ``insider`` is misuse when deliberate,
#: error otherwise; ``physical_documents`` and ``other`` name no action.
ACTION = {
    "ransomware": ("malware", "Ransomware"),
    "malware": ("malware", "Unknown"),
    "phishing": ("social", "Phishing"),
    "social_engineering": ("social", "Unknown"),
    "credential_stuffing": ("hacking", "Use of stolen creds"),
    "hacking": ("hacking", "Unknown"),
    "misconfiguration": ("error", "Misconfiguration"),
    "misdirected_communication": ("error", "Misdelivery"),
    "publication_error": ("error", "Publishing error"),
    "lost_device": ("error", "Loss"),
    "stolen_device": ("physical", "Theft"),
    "insider": ("misuse", "Privilege abuse"),
}
INSIDER_ERROR = ("error", "Unknown")
#: a misconfiguration someone exploited on purpose is also hacking
EXPLOITED_MISCONFIG = ("hacking", "Exploit misconfig")
#: what each action category requires besides its variety
ACTION_EXTRA = {"social": {"target": ["Unknown"]}}
#: kinds that say the data became unavailable, and how (VERIS files encryption by
#: ransomware as Obscuration, a lost or stolen device as Loss)
AVAILABILITY = {"ransomware": "Obscuration", "lost_device": "Loss", "stolen_device": "Loss"}
#: kinds that imply an integrity change by VERIS convention (installed malware, a person
#: deceived into acting)
INTEGRITY = {
    "ransomware": "Software installation",
    "malware": "Software installation",
    "phishing": "Alter behavior",
    "social_engineering": "Alter behavior",
}
ASSET = {"physical_documents": "M - Documents"}
#: kinds that tell an outsider did it when ``cause`` is not given
OUTSIDER = frozenset(
    {"ransomware", "malware", "phishing", "credential_stuffing", "hacking",
     "social_engineering", "stolen_device"}
)  # fmt: skip
#: discovered_by -> discovery_method (None: VERIS's ``other`` flag)
DISCOVERY: dict[str, tuple[str, str] | None] = {
    "internal_monitoring": ("internal", "Unknown"),
    "staff": ("internal", "Reported by employee"),
    "customer": ("external", "Customer"),
    "data_subject": ("external", "Other"),
    "third_party": ("external", "Unknown"),
    "attacker": ("external", "Actor disclosure"),
    "authority": ("external", "Other"),
    "media": ("external", "Other"),
    "other": None,
}


def veris_id(incident: dict[str, Any]) -> str:
    """The VERIS ``incident_id``: the incident's random UUIDv4, upper-case as VERIS writes it."""
    value = incident.get("uuid")
    if not value:
        raise ValueError(f"incident {incident.get('id')} has no uuid: no VERIS incident_id")
    try:
        parsed = uuid.UUID(str(value))
    except ValueError:
        raise ValueError(f"incident {incident.get('id')}: uuid {value!r} is not a UUID") from None
    if parsed.version != 4:
        raise ValueError(f"incident {incident.get('id')}: uuid {value!r} is not a version 4 UUID")
    return str(parsed).upper()


def veris_incident(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """One incident in VERIS 1.4 shape."""
    facts = incident.get("facts") or {}
    incident_id = veris_id(incident)
    return {
        "schema_version": SCHEMA_VERSION,
        "schema_name": "verisc",
        "incident_id": incident_id,
        "source_id": "breach",
        "reference": incident["id"],
        "security_incident": "Confirmed",
        "confidence": "High" if not decision(incident).get("warnings") else "Medium",
        "summary": one_line(facts.get("summary") or incident.get("title")),
        "timeline": timeline(facts, incident["created_at"]),
        "discovery_method": discovery(facts),
        "victim": victim(incident, options),
        "actor": actor(facts),
        "action": action(facts),
        "asset": asset(facts),
        "attribute": attribute(facts),
        "plus": plus(incident, options, incident_id),
    }


def _time(text: str) -> datetime:
    from ..clock import isoparse  # here, not at the top: see _countries

    return isoparse(text).astimezone(UTC)


def _span(start: datetime, end: datetime) -> dict[str, Any]:
    """A VERIS duration: minutes under an hour, hours under two days, else days."""
    seconds = (end - start).total_seconds()
    for unit, size, below in (("Minutes", 60, 3600), ("Hours", 3600, 172_800)):
        if seconds < below:
            return {"unit": unit, "value": round(seconds / size, 1)}
    return {"unit": "Days", "value": round(seconds / 86_400, 1)}


def timeline(facts: dict[str, Any], created_at: str) -> dict[str, Any]:
    """When it began (else when it was detected), how long until discovery and containment."""
    detected = _time(facts.get("detected_at") or created_at)
    began = _time(facts["occurred_at"]) if facts.get("occurred_at") else None
    ended = _time(facts["ended_at"]) if facts.get("ended_at") else None
    start = began or detected
    result: dict[str, Any] = {
        "incident": {"year": start.year, "month": start.month, "day": start.day}
    }
    if began and began <= detected:
        result["discovery"] = _span(began, detected)
    if ended and ended >= detected:
        result["containment"] = _span(detected, ended)
    return result


def discovery(facts: dict[str, Any]) -> dict[str, Any]:
    """Who found it, from ``discovered_by``."""
    by = facts.get("discovered_by")
    if by not in DISCOVERY:
        return {"unknown": True}
    found = DISCOVERY[by]
    if found is None:
        return {"other": True}
    return {found[0]: {"variety": [found[1]]}}


def _countries(codes: Any) -> list[str]:
    """ISO codes VERIS knows (EU spellings read as ISO's), in order, once each."""
    # imported here: the CLI parser imports this module and must not load pydantic
    from ..model.countries import ASSIGNED, EU_SPELLINGS

    found = (EU_SPELLINGS.get(str(c).upper(), str(c).upper()) for c in codes if c)
    return list(dict.fromkeys(c for c in found if c in ASSIGNED))


def victim(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """The organisation: its countries, and telecom's NAICS code when it is an ECS provider.

    Breach does not record whether an organisation is public, so ``government`` is Unknown.
    """
    organisation = options.organisation(incident)
    countries = [organisation.get("main_establishment")]
    countries += [e.get("country") for e in organisation.get("establishments") or []]
    return {
        "victim_id": one_line(incident.get("organisation_name") or incident.get("organisation")),
        "industry": "517" if organisation.get("ecs_provider") else "000",  # 000: unknown
        "government": ["Unknown"],
        "country": _countries(countries) or ["Unknown"],
        "employee_count": "Unknown",
    }


def origin(facts: dict[str, Any]) -> str:
    """Who did it: internal, partner, external or unknown.

    ``cause`` wins; an external cause with processors involved is a partner when it was an
    error (or an insider's). Without a cause, the kinds tell an outsider or an insider, and
    else an error is ours (as VERIS files most errors) and a deliberate act unknown.
    """
    kinds = set(facts.get("incident_kinds") or [])
    cause, malicious = facts.get("cause"), facts.get("malicious")
    if cause == "unknown":
        return "unknown"
    if cause == "internal" or (cause is None and "insider" in kinds):
        return "internal"
    if cause == "external":
        partner = facts.get("processors") and (malicious is False or "insider" in kinds)
        return "partner" if partner else "external"
    if kinds & OUTSIDER:
        return "external"
    return "internal" if malicious is False else "unknown"


def actor(facts: dict[str, Any]) -> dict[str, Any]:
    """The actor ``origin`` names; an error's motive is NA, a deliberate one's Unknown."""
    motive = ["NA"] if facts.get("malicious") is False else ["Unknown"]
    who = origin(facts)
    if who == "internal":
        return {"internal": {"variety": ["Unknown"], "motive": motive}}
    if who == "partner":
        processors = facts.get("processors") or []
        partner: dict[str, Any] = {
            "motive": motive,
            "country": _countries(p.get("country") for p in processors) or ["Unknown"],
        }
        names = list(dict.fromkeys(one_line(p.get("name")) for p in processors))
        if names := [n for n in names if n]:
            partner["name"] = names
        return {"partner": partner}
    if who == "external":
        return {
            "external": {
                "variety": ["Unknown"],
                "motive": motive,
                "country": ["Unknown"],
                "region": ["000000"],  # M49 "unknown"
            }
        }
    return {"unknown": {"notes": "not yet known"}}


def action(facts: dict[str, Any]) -> dict[str, Any]:
    """The actions the kinds name; without one, error for a non-deliberate breach, else
    unknown. Vectors are Unknown: breach does not record them."""
    malicious = facts.get("malicious")
    found: dict[str, dict[str, None]] = {}
    for kind in facts.get("incident_kinds") or []:
        pairs = [ACTION[kind]] if kind in ACTION else []
        if kind == "insider" and malicious is False:
            pairs = [INSIDER_ERROR]
        if kind == "misconfiguration" and malicious is True:
            pairs.append(EXPLOITED_MISCONFIG)
        for category, variety in pairs:
            found.setdefault(category, {})[variety] = None
    if not found and malicious is False:
        found["error"] = {"Unknown": None}
    if not found:
        return {"unknown": {"notes": "not recorded in breach"}}
    return {
        category: {
            "variety": list(varieties),
            "vector": ["Unknown"],
            **ACTION_EXTRA.get(category, {}),
        }
        for category, varieties in found.items()
    }


def asset(facts: dict[str, Any]) -> dict[str, Any]:
    """Paper when the kinds say so, else Unknown; ``cloud`` is NA for paper only."""
    kinds = facts.get("incident_kinds") or []
    varieties = list(dict.fromkeys(ASSET[k] for k in kinds if k in ASSET))
    cloud = "NA" if varieties and all(v.startswith("M - ") for v in varieties) else "Unknown"
    return {
        "assets": [{"variety": v} for v in varieties or ["Unknown"]],
        "cloud": [cloud],
    }


def attribute(facts: dict[str, Any]) -> dict[str, Any]:
    """Confidentiality (data varieties, people, disclosure, records), integrity, availability."""
    kinds = facts.get("incident_kinds") or []
    result: dict[str, Any] = {"confidentiality": confidentiality(facts)}
    integrity = [INTEGRITY[k] for k in kinds if k in INTEGRITY]
    if facts.get("integrity") in ("recoverable", "unrecoverable"):
        integrity.append("Modify data")
    if integrity:
        result["integrity"] = {"variety": list(dict.fromkeys(integrity))}
    lost = {"temporary": "Interruption", "permanent": "Loss"}.get(str(facts.get("availability")))
    # a kind says how the data became unavailable (ransomware: Obscuration, not a mere
    # Interruption); a permanent loss is a Loss whatever the kind
    varieties = [AVAILABILITY[k] for k in kinds if k in AVAILABILITY]
    if lost == "Loss" or (lost and not varieties):
        varieties.append(lost)
    if varieties:
        availability: dict[str, Any] = {"variety": list(dict.fromkeys(varieties))}
        if facts.get("unavailable_hours") is not None:
            availability["duration"] = {"unit": "Hours", "value": facts["unavailable_hours"]}
        result["availability"] = availability
    return result


def confidentiality(facts: dict[str, Any]) -> dict[str, Any]:
    """Who saw the data, what data, whose, how many records (never people: VERIS's
    ``data_total`` counts records; the people count is in the notes and ``plus.breach``)."""
    subjects = facts.get("subjects") or {}
    disclosure = DISCLOSURE.get(str(facts.get("confidentiality")), "Unknown")
    if facts.get("exfiltration") == "confirmed":
        disclosure = "Yes"
    elif disclosure in ("No", "Unknown") and facts.get("exfiltration") == "suspected":
        disclosure = "Potentially"
    if "misdirected_communication" in (facts.get("incident_kinds") or []) and disclosure in (
        "Unknown",
        "Potentially",
    ):
        disclosure = "Yes"  # misdelivered: someone received it
    categories = facts.get("data_categories") or []
    varieties = dict.fromkeys(DATA_VARIETY.get(c, "Other") for c in categories)
    people = dict.fromkeys(DATA_VICTIM.get(k, "Other") for k in subjects.get("kinds") or [])
    result: dict[str, Any] = {
        "data_disclosure": disclosure,
        "data": [{"variety": v} for v in varieties] or [{"variety": "Unknown"}],
        "data_victim": list(people) or ["Unknown"],
    }
    if facts.get("records") is not None:
        result["data_total"] = facts["records"]
    if subjects.get("count") is not None:
        result["notes"] = f"{subjects['count']} people affected (data_total counts records)"
    if facts.get("protection") == "encrypted":
        result["state"] = ["Stored encrypted"]
    return result


def plus(incident: dict[str, Any], options: Options, master_id: str) -> dict[str, Any]:
    """VERIS's free section: provenance and, under ``breach``, the GDPR assessment."""
    facts = incident.get("facts") or {}
    found = decision(incident)
    return {
        "master_id": master_id,
        "created": incident["created_at"],
        "modified": incident["updated_at"],
        "analysis_status": "First pass",
        "breach": {
            "id": incident["id"],
            "exported_at": options.exported_at,
            "audit_head": (
                {"seq": options.audit_head[0], "hash": options.audit_head[1]}
                if options.audit_head
                else None
            ),
            "status": incident.get("status"),
            "role": incident.get("role"),
            "detected_at": facts.get("detected_at"),
            "aware_at": facts.get("aware_at"),
            "personal_data_breach": found.get("personal_data_breach"),
            "risk": found.get("risk"),
            "risk_source": found.get("risk_source"),
            "severity": found.get("severity"),
            "rules_version": found.get("rules_version"),
            "incident_kinds": facts.get("incident_kinds") or [],
            "cause": facts.get("cause"),
            "malicious": facts.get("malicious"),
            "records": facts.get("records"),
            "data_categories": facts.get("data_categories") or [],
            "subjects": facts.get("subjects") or {},
            "mitigation": facts.get("mitigation") or "",
            "obligations": [
                {key: duty.get(key) for key in DUTY_KEYS}
                for duty in incident.get("obligations") or []
            ],
        },
    }
