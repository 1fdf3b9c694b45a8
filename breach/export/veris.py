"""VERIS 1.4.1-shaped incidents (the Vocabulary for Event Recording and Incident Sharing),
one JSON object per line, with the GDPR and telecom details VERIS has no field for under
``plus.breach``.

What the facts say maps onto VERIS enumerations; what they do not say is "Unknown", as
VERIS asks. The incident id in VERIS is a UUID: a stable one derived from the breach id,
so re-exporting the same incident gives the same ``incident_id``.
"""

from __future__ import annotations

import uuid
from typing import Any

from .common import Options, decision, one_line, utc

SCHEMA_VERSION = "1.4.1"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://breach.invalid/incident")
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


def veris_id(incident_id: str) -> str:
    """The stable VERIS ``incident_id`` (upper-case UUID) of a breach incident."""
    return str(uuid.uuid5(NAMESPACE, incident_id)).upper()


def veris_incident(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """One incident in VERIS 1.4.1 shape."""
    facts = incident.get("facts") or {}
    detected = utc(_z(facts.get("detected_at") or incident["created_at"]))
    record: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "schema_name": "verisc",
        "incident_id": veris_id(incident["id"]),
        "source_id": "breach",
        "reference": incident["id"],
        "security_incident": "Confirmed",
        "confidence": "High" if not decision(incident).get("warnings") else "Medium",
        "summary": one_line(facts.get("summary") or incident.get("title")),
        "timeline": {
            "incident": {"year": detected.year, "month": detected.month, "day": detected.day}
        },
        "discovery_method": {"unknown": True},
        "victim": victim(incident, options),
        "actor": actor(facts),
        "action": action(facts),
        "asset": {"assets": [{"variety": "Unknown"}]},
        "attribute": attribute(facts),
        "plus": plus(incident, options),
    }
    return record


def _z(iso: str) -> str:
    from ..clock import format_utc, isoparse

    return format_utc(isoparse(iso))


def victim(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """The organisation: its countries, and telecom's NAICS code when it is an ECS provider."""
    organisation = options.organisation(incident)
    countries = [e["country"] for e in organisation.get("establishments") or []]
    if organisation.get("main_establishment"):
        countries.insert(0, organisation["main_establishment"])
    industry = "517" if organisation.get("ecs_provider") else "000"
    return {
        "victim_id": one_line(incident.get("organisation_name") or incident.get("organisation")),
        "industry": industry,
        "country": list(dict.fromkeys(countries)) or ["Unknown"],
        "employee_count": "Unknown",
    }


def actor(facts: dict[str, Any]) -> dict[str, Any]:
    """External for a deliberate act, internal for an error, else unknown."""
    if facts.get("malicious") is True:
        return {
            "external": {
                "variety": ["Unknown"],
                "motive": ["Unknown"],
                "country": ["Unknown"],
                "region": ["000000"],
            }
        }
    if facts.get("malicious") is False:
        return {"internal": {"variety": ["Unknown"], "motive": ["NA"]}}
    return {"unknown": {"notes": "not yet known"}}


def action(facts: dict[str, Any]) -> dict[str, Any]:
    """Error for a non-deliberate breach; otherwise unknown (breach records no vector)."""
    if facts.get("malicious") is False:
        return {"error": {"variety": ["Unknown"], "vector": ["Unknown"]}}
    return {"unknown": {"notes": "not recorded in breach"}}


def attribute(facts: dict[str, Any]) -> dict[str, Any]:
    """Confidentiality (data varieties, people, disclosure), integrity, availability."""
    subjects = facts.get("subjects") or {}
    disclosure = DISCLOSURE.get(str(facts.get("confidentiality")), "Unknown")
    if facts.get("exfiltration") == "confirmed":
        disclosure = "Yes"
    elif disclosure in ("No", "Unknown") and facts.get("exfiltration") == "suspected":
        disclosure = "Potentially"
    categories = facts.get("data_categories") or []
    varieties = dict.fromkeys(DATA_VARIETY.get(c, "Other") for c in categories)
    people = dict.fromkeys(DATA_VICTIM.get(k, "Other") for k in subjects.get("kinds") or [])
    confidentiality: dict[str, Any] = {
        "data_disclosure": disclosure,
        "data": [{"variety": v} for v in varieties] or [{"variety": "Unknown"}],
        "data_victim": list(people) or ["Unknown"],
    }
    if subjects.get("count") is not None:
        confidentiality["data_total"] = subjects["count"]
    if facts.get("protection") == "encrypted":
        confidentiality["state"] = ["Stored encrypted"]
    result: dict[str, Any] = {"confidentiality": confidentiality}
    if facts.get("integrity") in ("recoverable", "unrecoverable"):
        result["integrity"] = {"variety": ["Modify data"]}
    if facts.get("availability") in ("temporary", "permanent"):
        availability: dict[str, Any] = {
            "variety": ["Interruption" if facts["availability"] == "temporary" else "Loss"]
        }
        if facts.get("unavailable_hours") is not None:
            availability["duration"] = {"unit": "Hours", "value": facts["unavailable_hours"]}
        result["availability"] = availability
    return result


def plus(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """VERIS's free section: provenance and, under ``breach``, the GDPR assessment."""
    facts = incident.get("facts") or {}
    found = decision(incident)
    return {
        "master_id": veris_id(incident["id"]),
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
            "data_categories": facts.get("data_categories") or [],
            "subjects": facts.get("subjects") or {},
            "mitigation": facts.get("mitigation") or "",
            "obligations": [
                {key: duty.get(key) for key in DUTY_KEYS}
                for duty in incident.get("obligations") or []
            ],
        },
    }
