"""Section 6: the police, other authorities, and the GDPR's cross-border questions."""

from __future__ import annotations

from typing import Any

from ...engine.routing import Geography
from .sheet import Sheet

#: Notifications to an authority, whatever the regime.
NOTIFICATIONS = ("notify_authority", "early_warning", "incident_notification")
#: The GDPR duties whose recipient is a supervisory authority.
GDPR_AUTHORITY = ("notify_authority", "follow_up")


def fill(sheet: Sheet) -> None:
    """Fields 109-123."""
    _police_and_others(sheet)
    _cross_border(sheet)


def _name(duty: dict[str, Any]) -> str:
    return str((duty.get("recipient") or {}).get("name") or "")


def _police_and_others(sheet: Sheet) -> None:
    police = sheet.view.facts.police_report
    notes = []
    if police is not None:
        sheet.put(109, "a" if police.filed else "b")
        if police.filed:
            reference = f" (reference {police.reference})" if police.reference else ""
            notes.append(f"Police: complaint filed{reference}")
    others = [
        d
        for d in sheet.view.duties
        if d["regime"] != sheet.regime and d["status"] == "required" and d["duty"] in NOTIFICATIONS
    ]
    # required by the decision: notified, or being notified alongside this notification
    sheet.put(110, "a" if others else "b", "decision")
    for duty in others:
        when = f"notified on {duty['done_at'][:10]}" if duty["done_at"] else "being notified"
        due = f", due by {duty['due_at']}" if duty["due_at"] and not duty["done_at"] else ""
        notes.append(f"{duty['basis']}: {_name(duty)} ({when}{due})")
    sheet.put(111, "; ".join(notes), "decision")


def _gdpr_authorities(sheet: Sheet) -> list[dict[str, Any]]:
    """The supervisory authorities notified, or to be notified, under the GDPR."""
    return [
        d
        for d in sheet.view.duties
        if d["regime"] == "gdpr" and d["duty"] == "notify_authority" and d["status"] == "required"
    ]


def _per_country(sheet: Sheet, listed: int, counted: int, countries: list[str]) -> None:
    sheet.put(listed, ", ".join(countries))
    per_country = sheet.view.facts.subjects.by_country
    counts = {c: per_country[c] for c in countries if c in per_country}
    sheet.put(counted, counts, pending=len(counts) < len(countries))


def _cross_border(sheet: Sheet) -> None:
    view = sheet.view
    if sheet.for_controller or not view.org.countries:
        return  # where the controller is established is not known to us: both sections ask
    geo = Geography.of(view.facts, view.org)
    sheet.eea = bool(geo.established)
    subjects = sorted(geo.subjects)
    authorities = [_name(d) for d in _gdpr_authorities(sheet)]
    if not sheet.eea:
        targeting = view.org.gdpr_targeting
        sheet.put(120, None if targeting is None else ("a" if targeting else "b"), "profile")
        _per_country(sheet, 121, 122, subjects)
        sheet.put(123, authorities, "decision")
        return
    sheet.put(113, "a" if geo.cross_border else "b", "decision")
    # a lead authority only under the GDPR's one-stop shop (Art. 56): never for an
    # ePrivacy, NIS2 or other national-regime notification
    sheet.one_stop_shop = geo.cross_border and sheet.regime == "gdpr"
    if not sheet.one_stop_shop:
        return
    own = sheet.duty if sheet.duty and sheet.duty["duty"] in GDPR_AUTHORITY else None
    lead = own or next(iter(_gdpr_authorities(sheet)), None)
    sheet.put(114, _name(lead) if lead else None, "decision")
    sheet.put(115, ", ".join(sorted(geo.established)), "profile")
    _per_country(sheet, 116, 117, subjects)
    sheet.put(118, authorities, "decision")
