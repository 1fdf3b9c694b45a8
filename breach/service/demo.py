"""A demo database: realistic incidents for the five seed organisations at different stages.

Times are relative to the clock, so the demo always shows live clocks: one incident
overdue, one telecom 24-hour notice due within 6 hours, a processor case, a non-EU case
and a closed one. Every demo title starts with :data:`DEMO_PREFIX` and every demo id with
``DEMO-`` (the demo log is marked as one for good), so a demo incident is never mistaken
for a real one (on the dashboard, in an export, a ticket or a report).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..clock import Clock, fixed_clock
from ..errors import BadInput
from ..model import facts_from_data
from ..rules import RuleSet
from ..store import Store
from .incidents import IncidentService

#: what every demo incident's title starts with
DEMO_PREFIX = "[DEMO] "


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def demo_incidents(now: datetime) -> list[dict[str, Any]]:
    """The demo facts, in the order they are recorded."""

    def hours(n: float) -> datetime:
        return now - timedelta(hours=n)

    return [
        {
            "title": "Customer list e-mailed to the wrong reseller",
            "summary": "A sales employee attached the full customer export to an e-mail for a "
            "reseller; the reseller has not confirmed deletion.",
            "organisation": "flexibelt",
            "role": "controller",
            "detected_at": _iso(hours(82)),
            "aware_at": _iso(hours(80)),
            "personal_data": True,
            "confidentiality": "known_recipients",
            "integrity": "none",
            "availability": "none",
            "exfiltration": "confirmed",
            "malicious": False,
            "data_categories": ["identity", "contact", "financial"],
            "subjects": {"count": 2300, "kinds": ["customers"], "countries": ["NL"]},
            "significant_incident": False,
        },
        {
            "title": "Call detail records exfiltrated from the billing database",
            "summary": "An attacker used a leaked API key to dump CDRs of business subscribers.",
            "organisation": "mixvoip",
            "role": "controller",
            "detected_at": _iso(hours(19)),
            "aware_at": _iso(hours(14)),
            "personal_data": True,
            "confidentiality": "unknown_recipients",
            "integrity": "none",
            "availability": "none",
            "exfiltration": "confirmed",
            "malicious": True,
            "data_categories": ["traffic_data", "identity", "contact"],
            "subjects": {"count": 12000, "kinds": ["customers"], "countries": ["LU", "BE", "DE"]},
            "ecs_data": True,
            "significant_incident": None,
        },
        {
            "title": "Voicemail storage of a hosted-PBX customer world-readable",
            "summary": "A misconfigured bucket exposed one customer's voicemail recordings.",
            "organisation": "infra-voip",
            "role": "processor",
            "detected_at": _iso(hours(4)),
            "aware_at": _iso(hours(3)),
            "personal_data": True,
            "confidentiality": "unknown_recipients",
            "integrity": "none",
            "availability": "none",
            "exfiltration": "unknown",
            "malicious": False,
            "data_categories": ["communications_content", "contact"],
            "subjects": {"count": 340, "kinds": ["customers"], "countries": ["NL"]},
            "significant_incident": False,
            "controllers": [
                {
                    "name": "Acme Logistics B.V.",
                    "contact": "privacy@acme.example",
                    "notice_hours": 24,
                }
            ],
        },
        {
            "title": "Phished admin account exposed EU customers' SIP credentials",
            "summary": "An administrator's mailbox was phished; the attacker read customer "
            "onboarding mails containing SIP passwords.",
            "organisation": "diflex",
            "role": "controller",
            "detected_at": _iso(hours(31)),
            "aware_at": _iso(hours(30)),
            "personal_data": True,
            "confidentiality": "unknown_recipients",
            "integrity": "none",
            "availability": "none",
            "exfiltration": "suspected",
            "malicious": True,
            "data_categories": ["credentials", "identity", "contact"],
            "subjects": {"count": 640, "kinds": ["customers"], "countries": ["GE", "DE", "FR"]},
        },
        {
            "title": "Invoice sent to the wrong customer",
            "summary": "One customer's invoice was attached to another customer's e-mail; the "
            "recipient deleted it and confirmed in writing.",
            "organisation": "assutech",
            "role": "controller",
            "detected_at": _iso(hours(24 * 12)),
            "aware_at": _iso(hours(24 * 12)),
            "personal_data": True,
            "confidentiality": "trusted_recipient",
            "integrity": "none",
            "availability": "none",
            "exfiltration": "none",
            "malicious": False,
            "data_categories": ["identity", "contact", "financial"],
            "subjects": {"count": 1, "kinds": ["customers"], "countries": ["FR"]},
            "mitigation": "Recipient confirmed deletion; mail templates now check the address.",
            "significant_incident": False,
        },
    ]


def create_demo(store: Store, rules: RuleSet, clock: Clock) -> list[str]:
    """Make the empty ``store`` a demo log and record the demo incidents (and their
    histories) in it, all at once; returns their ids (``DEMO-…``)."""
    with store.transaction():
        if store.count_incidents():
            # marking it would give DEMO- ids to the responder's next real incidents
            raise BadInput(
                f"{store.path or 'this log'}: already holds incidents; the demo goes in a log "
                "of its own (breach demo)"
            )
        store.mark_demo()
        return _record(store, rules, clock)


def _record(store: Store, rules: RuleSet, clock: Clock) -> list[str]:
    """Each demo incident recorded when its responder would have, then its history."""
    now = clock()
    ids = []
    for data in demo_incidents(now):
        data = {**data, "title": DEMO_PREFIX + str(data["title"])}
        recorded_at = datetime.fromisoformat(str(data["aware_at"])) + timedelta(minutes=20)
        service = IncidentService(store, rules, fixed_clock(min(recorded_at, now)), actor="demo")
        ids.append(service.open(facts_from_data(data, "demo")))
    later = IncidentService(store, rules, clock, actor="demo")
    flexibelt, mixvoip, _infra, diflex, assutech = ids
    later.add_note(flexibelt, "Reseller asked twice to delete the file; no answer yet.")
    later.add_note(mixvoip, "API key revoked; forensic copy of the billing DB taken.")
    later.add_note(diflex, "Admin password reset, MFA enforced; SIP passwords being rotated.")
    later.mark_done(
        assutech,
        "gdpr.document",
        at=now - timedelta(days=11),
        reference="REG-2026-014",
        channel="breach register",
    )
    later.set_status(assutech, "closed")
    return ids
