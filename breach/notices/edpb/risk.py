"""Section 4: consequences, the risk assessment, measures, and telling the people affected."""

from __future__ import annotations

import re
from typing import Any

from .sheet import Sheet

#: data_categories -> field 85 (the potential impact on the people)
IMPACT = {
    "identity": ["d"],
    "contact": ["a"],
    "account": ["a"],
    "credentials": ["e", "f"],
    "national_id": ["d", "e"],
    "financial": ["e", "f"],
    "location": ["l"],
    "traffic_data": ["a", "h"],
    "communications_content": ["h", "i"],
    "employment": ["k"],
    "special_category": ["c", "l"],
    "criminal": ["c", "h"],
}
#: ENISA severity band -> field 87 (as the extraction's authors map it)
SEVERITY = {"low": "a", "medium": "b", "high": "c", "very_high": "c"}
RISK = {"high": "a", "risk": "b", "unlikely": "c"}
#: the duty's Art. 34(3) exemption -> field 100
EXEMPTION = {"encryption": "a", "mitigated": "b", "disproportionate_effort": "c"}
STATUS_ORDER = {"required": 0, "exempt": 1}
_PUBLIC = re.compile(r"web|press|public|social|announce", re.IGNORECASE)
_INDIVIDUAL = re.compile(r"mail|letter|post|sms|text|phone|call|individual", re.IGNORECASE)


def fill(sheet: Sheet) -> None:
    """Fields 79-106."""
    _consequences(sheet)
    _impact(sheet)
    _assessment(sheet)
    _measures(sheet)
    if not sheet.for_controller:  # whether to tell the people is the controller's call
        _communication(sheet)


def _unique(codes: list[str]) -> list[str]:
    return sorted(set(codes))


def _consequences(sheet: Sheet) -> None:
    facts = sheet.view.facts
    ours = facts.consequences.strip()
    secrecy = []
    if not sheet.has(57, "a"):  # unreadable data have no such consequences
        if sheet.has(56, "a"):
            secrecy.append("a")
        if facts.identifiability in ("significant", "maximum"):
            secrecy.append("b")
        if facts.malicious or facts.confidentiality == "unknown_recipients":
            secrecy.append("c")
    if ours:
        secrecy.append("d")
    sheet.put(79, secrecy or ["e"], "suggested", pending=not secrecy)
    sheet.put(80, ours)
    altered = ["a"] + (["b"] if facts.malicious else []) + (["c"] if ours else [])
    sheet.put(81, altered, "suggested")
    sheet.put(82, ours)
    lost = {"permanent": ["a"], "temporary": ["b"]}.get(facts.availability, [])
    lost += ["c"] if ours else []
    sheet.put(83, lost or ["d"], "suggested", pending=not lost)
    sheet.put(84, ours)


def _impact(sheet: Sheet) -> None:
    facts = sheet.view.facts
    impact = [code for category in facts.data_categories for code in IMPACT.get(category, [])]
    if sheet.has(56, "a") and facts.confidentiality != "trusted_recipient":
        impact.append("j")
    if facts.protection == "pseudonymised":
        impact.append("g")
    if facts.availability == "permanent":
        impact.append("b")
    sheet.put(85, _unique(impact) or ["o"], "suggested", pending=not impact)


def _assessment(sheet: Sheet) -> None:
    decision = sheet.view.decision
    band = (decision.get("severity") or {}).get("band", "")
    severity = SEVERITY.get(band, "d")
    sheet.put(87, severity, "decision", pending=severity == "d")
    sheet.put(89, RISK.get(decision.get("risk", "")), "decision")
    trace = decision.get("trace") or []
    level = next((t for t in trace if t["rule"] in ("risk.override", "risk.level")), None)
    override = sheet.view.facts.risk_override
    parts = [level["because"] if level else "", override.justification if override else ""]
    sheet.put(90, "\n\n".join(part.strip() for part in parts if part.strip()), "decision")


def _measures(sheet: Sheet) -> None:
    facts = sheet.view.facts
    sheet.put(92, facts.mitigation.strip())
    planned = facts.measures_planned.strip()
    # free text cannot be coded: "other measures", described in field 95
    sheet.put(94, ["o"] if planned else None, "suggested")
    sheet.put(95, planned)


def _means(channel: str | None) -> str | None:
    if not channel:
        return None
    if _PUBLIC.search(channel):
        return "b"
    return "a" if _INDIVIDUAL.search(channel) else "c"


def _subjects_duty(sheet: Sheet) -> dict[str, Any] | None:
    """The duty to tell the people: the notice's regime first, required before exempt."""
    duties = [d for d in sheet.view.duties if d["duty"] == "notify_data_subjects"]
    duties.sort(
        key=lambda d: (d["regime"] != sheet.regime, STATUS_ORDER.get(d["status"], 2), d["id"])
    )
    return duties[0] if duties else None


def _communication(sheet: Sheet) -> None:
    duty = _subjects_duty(sheet)
    if duty is None:  # not decided yet
        sheet.put(97, "c", "decision", pending=True)
        return
    if duty["status"] == "required" and duty["done_at"]:
        sheet.put(97, "a", "log")
        sheet.put(98, duty["done_at"][:10], "log")
        sheet.put(102, "a", "suggested")  # marked done: we take it that everyone was told
        means = _means(duty["channel"])
        sheet.put(104, means, "log")
        sheet.put(105, duty["channel"] if means == "c" else None, "log")
        sent = [
            n for n in sheet.view.notices if n["kind"] == "data_subjects" and n["status"] == "sent"
        ]
        sheet.put(106, sent[-1]["text"].strip() if sent else None, "log")
    elif duty["status"] == "required":
        sheet.put(97, "b", "decision")
        sheet.put(99, (duty["due_at"] or "")[:10], "suggested")
    elif duty["status"] == "exempt":
        sheet.put(97, "e", "decision")
        sheet.put(100, EXEMPTION.get(duty["exemption"] or ""), "decision")
        sheet.put(101, duty["reason"], "decision")
    else:
        sheet.put(97, "d", "decision")
