"""Duties in a responder's words: "Notify the AP (Netherlands) — telecom, 24 h".

The rule ids (``eprivacy.notify_authority.NL``) stay in the details; screens lead with
what to do, for whom, under which law and within what time.
"""

from __future__ import annotations

import re
from typing import Any

from ..rules import RuleSet

REGIMES = {
    "gdpr": "GDPR",
    "eprivacy": "telecom",
    "nis2": "NIS2",
    "uk_gdpr": "UK GDPR",
    "pecr": "UK telecom (PECR)",
    "ch_fadp": "Swiss FADP",
    "ge_pdp": "Georgian law",
}
ACTIONS = {
    "document": "Record it in the breach register",
    "notify_authority": "Notify {who}",
    "follow_up": "Follow up with {who}",
    "notify_data_subjects": "Tell the people affected",
    "notify_controller": "Inform {who}",
    "public_communication": "Publish a public communication",
    "early_warning": "Early warning to {who}",
    "incident_notification": "Incident notification to {who}",
    "final_report": "Final report to {who}",
}
COUNTRIES = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus",
    "CZ": "Czechia", "DK": "Denmark", "EE": "Estonia", "FI": "Finland", "FR": "France",
    "DE": "Germany", "GR": "Greece", "HU": "Hungary", "IE": "Ireland", "IT": "Italy",
    "LV": "Latvia", "LT": "Lithuania", "LU": "Luxembourg", "MT": "Malta", "NL": "Netherlands",
    "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SK": "Slovakia", "SI": "Slovenia",
    "ES": "Spain", "SE": "Sweden", "IS": "Iceland", "LI": "Liechtenstein", "NO": "Norway",
    "GB": "United Kingdom", "CH": "Switzerland", "GE": "Georgia",
}  # fmt: skip
_ACRONYM = re.compile(r"\(([^()]{2,12})\)\s*$")


class DutyWords:
    """Words for the duties of one rule set (its rules and authorities looked up once)."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = {rule.id: rule for regime in rules.regimes.values() for rule in regime.rules}
        self.authorities = {a.id: a for a in rules.authorities.authorities}

    def duty(self, duty: dict[str, Any]) -> str:
        """What to do, for whom, under which law, within what time."""
        kind = str(duty.get("duty", ""))
        action = ACTIONS.get(kind, kind.replace("_", " "))
        head = action.format(who=self.recipient(duty))
        regime = REGIMES.get(str(duty.get("regime")), str(duty.get("regime", "")))
        window = self.window(duty)
        return f"{head} — {regime}, {window}" if window else f"{head} — {regime}"

    def recipient(self, duty: dict[str, Any]) -> str:
        """ "the AP (Netherlands)" for an authority known by its acronym, else its name."""
        recipient = duty.get("recipient") or {}
        name = str(recipient.get("name") or "the recipient")
        authority = self.authorities.get(str(recipient.get("authority_id")))
        found = _ACRONYM.search(authority.local_name or "") if authority else None
        if found:
            name = f"the {found.group(1)}"
        country = recipient.get("country")
        return f"{name} ({COUNTRIES.get(country, country)})" if country else name

    def window(self, duty: dict[str, Any]) -> str:
        """ "24 h", "72 h", "1 month", or "without undue delay", from the rule that fired."""
        rule = self.rules.get(str(duty.get("rule")))
        if rule is None:
            return ""
        if rule.period.months:
            months = rule.period.months
            return f"{months} month" + ("s" if months > 1 else "")
        if duty.get("due_kind") == "without_undue_delay":
            return "without undue delay"
        hours = rule.period.hours or 0
        if hours > 72 and hours % 24 == 0:
            return f"{hours / 24:g} days"
        return f"{hours:g} h"
