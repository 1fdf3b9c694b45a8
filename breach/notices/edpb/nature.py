"""Section 3: when it happened and how we learnt of it, what it was, whom and what it hit."""

from __future__ import annotations

from datetime import datetime

from ...clock import format_utc
from ...model import Facts
from ..view import is_late
from .parties import legal_name
from .sheet import Sheet

#: discovered_by -> field 50. A "customer" may be a business customer: an external party.
DISCOVERY = {
    "internal_monitoring": "a",
    "staff": "a",
    "customer": "d",
    "data_subject": "c",
    "third_party": "d",
    "attacker": "d",
    "authority": "d",
    "media": "e",
    "other": "f",
}
DISCOVERY_WORDS = {
    "internal_monitoring": "Detected by our own monitoring",
    "staff": "Reported internally by a member of staff",
    "customer": "Reported to us by a customer",
    "data_subject": "Reported to us by an affected person",
    "third_party": "Reported to us by a third party",
    "attacker": "Made known to us by the attacker",
    "authority": "Reported to us by an authority",
    "media": "Learnt from the press",
    "other": "Discovered in another way",
}
#: incident_kinds -> field 60 (one answer: the first kind; the others go in field 62).
INCIDENT = {
    "ransomware": "b",
    "malware": "c",
    "phishing": "d",
    "credential_stuffing": "f",
    "hacking": "c",
    "misconfiguration": "m",
    "misdirected_communication": "r",
    "lost_device": "i",
    "stolen_device": "i",
    "insider": "a",
    "social_engineering": "d",
    "physical_documents": "o",
    "publication_error": "v",
    "other": "y",
}
#: (cause, malicious) -> field 61
CAUSE = {
    ("internal", False): "a",
    ("internal", True): "b",
    ("external", False): "c",
    ("external", True): "d",
}
#: subjects.kinds -> field 65 (the template counts applicants among employees)
SUBJECTS = {
    "customers": "a",
    "employees": "b",
    "applicants": "b",
    "patients": "e",
    "children": "d",
    "vulnerable": "i",
    "public_figures": "j",
    "other": "j",
}
SUBJECT_WORDS = {
    "customers": "customers",
    "employees": "employees",
    "applicants": "job applicants",
    "patients": "patients",
    "children": "children",
    "vulnerable": "vulnerable people",
    "public_figures": "public figures",
    "other": "other people (specify)",
}
#: data_categories -> field 70; what has no option of its own is "additional" (u)
DATA = {
    "identity": ["a"],
    "contact": ["b"],
    "account": ["n"],
    "credentials": ["s"],
    "national_id": ["n"],
    "financial": ["l", "q"],
    "orders": ["u"],
    "location": ["o"],
    "traffic_data": ["u"],
    "communications_content": ["u"],
    "behavioural": ["r"],
    "employment": ["u"],
    "special_category": ["u"],  # which Art. 9 category (b-k) the facts do not say
    "criminal": ["d"],
    "other": ["u"],
}
DATA_WORDS = {
    "identity": "identity data (name, sex, date of birth)",
    "contact": "contact details",
    "account": "account data (user names, customer numbers)",
    "credentials": "credentials (passwords, tokens)",
    "national_id": "national identification numbers (ID card, passport, social security or "
    "tax number)",
    "financial": "financial data (bank, card, income, invoices, payments)",
    "orders": "orders and service details",
    "location": "location data",
    "traffic_data": "electronic communications traffic data (call and SMS metadata, IP and "
    "connection logs)",
    "communications_content": "content of communications (recordings, voicemail, messages)",
    "behavioural": "behavioural data (preferences, usage, profiles)",
    "employment": "employment data",
    "special_category": "special categories of data (GDPR Art. 9): specify which",
    "criminal": "data on criminal convictions and offences (GDPR Art. 10)",
    "other": "other personal data: specify",
}
PROTECTION = {"encrypted": ["c"], "hashed": ["a"], "pseudonymised": ["a"]}
PROTECTION_WORDS = {
    "encrypted": "The data were encrypted",
    "hashed": "The data were hashed",
    "pseudonymised": "The data were pseudonymised",
}


def fill(sheet: Sheet) -> None:
    """Fields 44-76."""
    _timeline(sheet)
    _discovery(sheet)
    _nature(sheet)
    _incident(sheet)
    _subjects(sheet)
    _data(sheet)
    _measures(sheet)


def utc(moment: datetime | None) -> str | None:
    """``2026-09-14T07:00:00Z`` (None stays None)."""
    return format_utc(moment) if moment else None


def _unique(codes: list[str]) -> list[str]:
    return sorted(set(codes))


def _timeline(sheet: Sheet) -> None:
    facts, duty = sheet.view.facts, sheet.duty
    start, end = facts.occurred_at, facts.ended_at
    if facts.ongoing:
        when = "c"
    elif end is not None or facts.ongoing is False:
        same_day = bool(start and end and format_utc(start)[:10] == format_utc(end)[:10])
        when = "a" if same_day else "b"
    else:  # whether it ended is not known yet
        when = "e"
    sheet.put(44, when, pending=when == "e")
    sheet.put(46, utc(start))
    sheet.put(47, utc(end))
    if sheet.for_controller:  # in principle the controller is aware once we inform it
        done = (duty or {}).get("done_at")
        sheet.put(48, done or utc(sheet.now), "suggested")
    else:
        sheet.put(48, utc(facts.awareness))
    sheet.late = duty is not None and is_late(duty, sheet.now)
    logged = (duty or {}).get("late_reason")
    sheet.put(49, logged or facts.delay_reason.strip(), "log" if logged else "facts")
    if facts.unavailable_hours is not None:
        hours = f"{facts.unavailable_hours:g}"
        sheet.put(53, f"The data were unavailable for {hours} hours.")


def _discovery(sheet: Sheet) -> None:
    facts = sheet.view.facts
    how = "b" if sheet.for_controller else DISCOVERY.get(facts.discovered_by or "")
    sheet.put(50, how)
    if facts.discovered_by:
        who = legal_name(sheet.view) + (" (the processor)" if sheet.for_controller else "")
        sheet.put(
            51,
            f"{DISCOVERY_WORDS[facts.discovered_by]} on {utc(facts.detected_at)}; {who} "
            f"became aware of it on {utc(facts.awareness)}.",
        )
    if sheet.for_controller:  # the day we tell the controller: today, unless done already
        done = (sheet.duty or {}).get("done_at")
        sheet.put(52, (done or format_utc(sheet.now))[:10], "suggested")
    elif how in ("c", "d", "e", "f"):  # we detected it when we were told
        sheet.put(52, format_utc(facts.detected_at)[:10], "suggested")


def _breach_types(facts: Facts) -> list[str]:
    found = []
    if facts.confidentiality not in ("none", "unknown") or facts.exfiltration in (
        "confirmed",
        "suspected",
    ):
        found.append("a")
    if facts.integrity not in ("none", "unknown"):
        found.append("b")
    if facts.availability not in ("none", "unknown"):
        found.append("c")
    return found


def _confidentiality(facts: Facts) -> str:
    if facts.exfiltration == "confirmed" or facts.confidentiality in (
        "known_recipients",
        "trusted_recipient",
    ):
        return "a"
    if facts.exfiltration == "suspected":
        return "b"
    if facts.exfiltration == "none" or facts.confidentiality == "none":
        return "c"
    return "e"


def _unintelligible(facts: Facts) -> str:
    if facts.protection == "none":
        return "c"
    if facts.key_compromised is None:
        return "e"
    if facts.key_compromised or not facts.protection_state_of_the_art:
        return "b"
    return "a"


def _nature(sheet: Sheet) -> None:
    facts = sheet.view.facts
    unsure = "unknown" in (facts.confidentiality, facts.integrity, facts.availability)
    types = _breach_types(facts)
    sheet.put(55, types, pending=unsure)  # an unknown one may still be hit
    secrecy = _confidentiality(facts)
    sheet.put(56, secrecy, "suggested", pending=secrecy == "e")
    unreadable = _unintelligible(facts)
    sheet.put(57, unreadable, "suggested", pending=unreadable == "e")
    if facts.integrity in ("recoverable", "unrecoverable") and facts.malicious is not None:
        # evidence of illegal or wrong use: deliberate alteration
        misuse = "b" if facts.integrity == "recoverable" else "c"
        sheet.put(58, misuse if facts.malicious else "a", "suggested")
    lost = {"temporary": "a", "permanent": "b"}.get(facts.availability)
    sheet.put(59, lost)


def _incident(sheet: Sheet) -> None:
    facts = sheet.view.facts
    kinds = list(dict.fromkeys(facts.incident_kinds))
    sheet.put(60, INCIDENT[kinds[0]] if kinds else "x", pending=not kinds)
    if facts.cause == "unknown":
        cause = "f"
    elif facts.cause is None or facts.malicious is None:
        cause = "e"
    else:
        cause = CAUSE[facts.cause, facts.malicious]
    sheet.put(61, cause, pending=cause == "e")
    text = facts.summary.strip()
    if len(kinds) > 1:
        also = ", ".join(kind.replace("_", " ") for kind in kinds[1:])
        text = f"{text}\n\nAlso: {also}." if text else f"Also: {also}."
    sheet.put(62, text)
    sheet.put(63, facts.systems.strip())


def _subjects(sheet: Sheet) -> None:
    facts = sheet.view.facts
    kinds = [SUBJECTS[kind] for kind in facts.subjects.kinds]
    if facts.ecs_data and "a" in kinds:  # a communications service's customers subscribe to it
        kinds.append("g")
    sheet.put(65, _unique(kinds) or ["k"], "suggested", pending=not kinds)
    words = [SUBJECT_WORDS[kind] for kind in facts.subjects.kinds]
    text = "; ".join(words).capitalize()
    if words and facts.ecs_data:
        text += " (subscribers or users of our public electronic communications service)"
    shares = [f"{c.name} ({c.subjects:,})" for c in facts.controllers if c.subjects is not None]
    if words and shares:
        text += f"; per controller: {', '.join(shares)}"
    sheet.put(66, f"{text}." if words else None, "suggested")
    count = facts.subjects.count
    sheet.put(67, "d" if count is None else "b", pending=count is None)
    sheet.put(68, count)


def _data(sheet: Sheet) -> None:
    facts = sheet.view.facts
    types = [code for category in facts.data_categories for code in DATA[category]]
    sheet.put(70, _unique(types) or ["t"], "suggested", pending=not types)
    words = [DATA_WORDS[category] for category in facts.data_categories]
    sheet.put(71, ("; ".join(words).capitalize() + ".") if words else None, "suggested")
    sheet.put(72, "d" if facts.records is None else "b", pending=facts.records is None)
    sheet.put(73, facts.records)


def _measures(sheet: Sheet) -> None:
    facts = sheet.view.facts
    described = facts.measures_before.strip()
    codes = list(PROTECTION.get(facts.protection, []))
    if described:  # free text cannot be coded: "other measures", described in field 76
        codes.append("l")
    sheet.put(75, _unique(codes), "suggested")
    protection = PROTECTION_WORDS.get(facts.protection, "")
    if protection and facts.protection_state_of_the_art:
        protection += " with state-of-the-art protection"
    parts = [described, f"{protection}." if protection else ""]
    sheet.put(76, " ".join(part for part in parts if part))
