"""Sections 1 and 2: the notification, the organisation, who reports, whom to ask, others."""

from __future__ import annotations

import re

from ...model import Dpo, Person
from ..view import IncidentView, previous_send
from .sheet import Sheet

_DPO_ROLE = re.compile(r"\b(dpo|data protection officer)\b", re.IGNORECASE)


def fill(sheet: Sheet) -> None:
    """Fields 3-41."""
    _notification(sheet)
    _organisation(sheet)
    if not sheet.for_controller:  # the controller's own people: for it to give
        _reporter(sheet)
        _dpo(sheet)
        _contact_point(sheet)
    _other_parties(sheet)


def contact(*parts: str | None) -> str:
    """``e-mail, phone`` of what is known ("" if nothing)."""
    return ", ".join(part for part in parts if part)


def legal_name(view: IncidentView) -> str:
    """The legal entity of the main establishment, else the organisation's name."""
    main = view.org.main_establishment
    for establishment in view.org.establishments:
        if establishment.entity and (main is None or establishment.country == main):
            return establishment.entity
    return view.org.name


def our_contact(view: IncidentView) -> str:
    """How to reach us: the reporting person, else the organisation's contact point."""
    reporter = view.facts.reporter
    found = contact(reporter.email, reporter.phone) if reporter else ""
    return found or view.org.contact or ""


def _notification(sheet: Sheet) -> None:
    sheet.put(3, "a" if sheet.phase == "initial" else "b", "log")
    previous = previous_send(sheet.duty, sheet.series)
    sheet.put(6, (previous or {}).get("reference"), "log")
    sheet.put(7, sheet.view.id, "log")


def _organisation(sheet: Sheet) -> None:
    view, org = sheet.view, sheet.view.org
    if sheet.for_controller:  # the notification is the controller's, about the controller
        recipient = (sheet.duty or {}).get("recipient") or {}
        sheet.put(12, recipient.get("name"), "decision")
        sheet.put(13, recipient.get("contact"), "decision")
        return
    dpo_email = org.dpo.email if org.dpo and org.dpo.designated else None
    sheet.put(12, legal_name(view), "profile")
    sheet.put(13, org.contact or dpo_email, "profile")
    if org.ecs_provider:
        # A public electronic communications service is a business's service: private
        # sector and NACE division 61 are likely. The profile does not say: review them.
        sheet.put(14, "a", "suggested")
        sheet.put(17, "NACE Rev. 2 division 61 (Telecommunications)", "suggested")


def _is_dpo(reporter: Person, dpo: Dpo | None) -> bool:
    if reporter.role and _DPO_ROLE.search(reporter.role):
        return True
    if dpo is None or not dpo.designated:
        return False
    same_email = bool(reporter.email and dpo.email and reporter.email.lower() == dpo.email.lower())
    same_name = bool(reporter.name and dpo.name and reporter.name.lower() == dpo.name.lower())
    return same_email or same_name


def _reporter(sheet: Sheet) -> None:
    reporter = sheet.view.facts.reporter
    if reporter is None:
        return
    sheet.put(21, reporter.name)
    sheet.put(22, contact(reporter.email, reporter.phone))
    if _is_dpo(reporter, sheet.view.org.dpo):
        sheet.put(23, "a")
    elif reporter.role:
        # b (legal representative) cannot be told from a job title: "other", with the title
        sheet.put(23, "c", "suggested")
        sheet.put(24, reporter.role)


def _dpo(sheet: Sheet) -> None:
    dpo = sheet.view.org.dpo
    if dpo is None:  # the profile does not say: not known
        return
    sheet.put(29, "yes" if dpo.designated else "no", "profile")
    if dpo.designated:
        sheet.put(30, dpo.name, "profile")
        sheet.put(31, contact(dpo.email, dpo.phone), "profile")


def _contact_point(sheet: Sheet) -> None:
    """Art. 33(3)(b): the DPO where there is one, else the reporting person."""
    if sheet.has(29, "yes") or sheet.has(23, "a"):
        sheet.put(33, "a", "suggested")
    elif 21 in sheet.values:
        sheet.put(33, "b", "suggested")


def _other_parties(sheet: Sheet) -> None:
    """Processors, controllers and joint controllers involved (processors null: not known;
    an empty list: none)."""
    view, facts = sheet.view, sheet.view.facts
    parties: list[tuple[str, str | None, str | None]] = []
    if sheet.for_controller:
        parties.append(("processor", legal_name(view), our_contact(view)))
    elif facts.role == "processor":
        parties += [("controller", c.name, c.contact) for c in facts.controllers]
    if facts.role == "joint_controller":
        parties.append(("joint controller", None, None))
    for processor in facts.processors or []:
        where = f" ({processor.country})" if processor.country else ""
        parties.append(("processor", processor.name + where, None))
    if not parties:
        if facts.processors == [] and facts.role == "controller":
            sheet.put(38, "b")  # the responder said: no processor or other party involved
        return
    sheet.put(38, "a")
    sheet.put(39, "; ".join(dict.fromkeys(kind for kind, _, _ in parties)))
    names = [name for _, name, _ in parties if name]
    sheet.put(40, names, pending=len(names) < len(parties))
    reach = [f"{name}: {how}" for _, name, how in parties if name and how]
    sheet.put(41, "; ".join(reach), pending=len(reach) < len(parties))
