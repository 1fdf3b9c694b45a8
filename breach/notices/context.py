"""The data a notice template sees, built from a stored incident (pure: no I/O).

Everything a user typed is cleaned of control characters here and escaped for the target
format by the renderer. A fact not yet known is a :class:`Missing` value: it prints as
the marker of the notice's language (``[to be confirmed]``, ``[à confirmer]``…) and the
renderer lists it, so it is never silently left out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from markupsafe import Markup

from .fmt import Formatter
from .incident_data import (
    facts_data,
    fmt_hours,
    organisation_data,
    risk_data,
    subjects_notice,
)
from .missing import Missing, known
from .safe import clean, marker_for
from .view import IncidentView, is_late, previous_send

#: The basis of a follow-up to a notification, where the decision lists no follow-up duty.
FOLLOW_UP_BASIS = {
    "gdpr": "GDPR Art. 33(4)",
    "uk_gdpr": "UK GDPR Art. 33(4)",
    "eprivacy": "Regulation (EU) 611/2013 Art. 2(3)",
    "pecr": "Regulation (EU) 611/2013 Art. 2(3) (retained, PECR reg. 5A)",
}
#: When a controller notice promises our next update, at the latest.
NEXT_UPDATE = timedelta(hours=24)
#: Kinds whose letters go to people, who read their own clock only.
PERSONAL_KINDS = ("data_subjects", "public")


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
        "named": clean(letter_name(duty, fmt.language)),
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


def letter_name(duty: dict[str, Any], language: str) -> str:
    """The recipient's name as a letter in ``language`` writes it: the directory's name in
    that language; in English its English name; else its own official name."""
    recipient = duty.get("recipient") or {}
    names = duty.get("names") or {}
    if language in names:
        return str(names[language])
    if language == "en":
        return str(recipient.get("name") or "")
    local = str(duty.get("local_name") or "")
    if local and " / " not in local:  # its own official name reads better than an English one
        return local
    return str(recipient.get("name") or "")


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
    data["name"] = known(data["named"], "recipient")
    data["contact"] = known(data["contact"], "recipient's contact (address, e-mail or portal)")
    return data


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


def follow_up_basis(duty: dict[str, Any] | None, duties: list[dict[str, Any]]) -> str:
    """What a follow-up to ``duty``'s notification rests on: the regime's follow-up duty,
    else the known article (GDPR Art. 33(4), 611/2013 Art. 2(3)), else the duty's own."""
    if duty is None:
        return ""
    if duty["duty"] != "notify_authority":
        return str(duty["basis"])
    regime = duty["regime"]
    country = (duty.get("recipient") or {}).get("country")
    same = [d for d in duties if d["duty"] == "follow_up" and d["regime"] == regime]
    chosen = next((d for d in same if (d.get("recipient") or {}).get("country") == country), None)
    if chosen is not None or same:
        return str((chosen or same[0])["basis"])
    return FOLLOW_UP_BASIS.get(regime, str(duty["basis"]))


def controller_data(
    controllers: dict[str, Any], duty: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The controller customer a ``notify_controller`` duty is for, with its own numbers
    (``controllers``: the facts' controller contacts by name)."""
    if duty is None or duty["duty"] != "notify_controller":
        return None
    match = controllers.get((duty.get("recipient") or {}).get("name") or "")
    if match is None:
        return None
    return {
        "name": clean(match.name),
        "contact": known(match.contact, f"contact of {clean(match.name)}"),
        "hours": fmt_hours(match.notice_hours),
        "subjects": match.subjects,
        "language": match.language or "",
    }


def base_context(
    view: IncidentView,
    kind: str,
    language: str,
    now: datetime,
    zone_name: str | None,
    head: tuple[int, str] = (0, ""),
) -> dict[str, Any]:
    """What every notice of ``kind`` in ``language`` shares, whoever it goes to (built once
    when thousands of controller notices are drafted); ``head`` is the audit chain's head
    as the notice is drafted, printed at its foot (a copy outside anchors the log)."""
    fmt = Formatter(language, zone_name, with_utc=kind not in PERSONAL_KINDS)
    facts = view.facts
    duties = [duty_data(d, fmt, now) for d in view.duties]
    countries = sorted(set(facts.subjects.countries) | view.org.countries)
    home = view.org.main_establishment
    authorities = sorted(
        (d for d in duties if d["duty"] == "notify_authority" and d["status"] == "required"),
        key=lambda d: (d["country"] != home, d["id"]),
    )
    # one body may receive the GDPR and the ePrivacy notification: name it once
    authorities = list({(a["named"], a["country"]): a for a in reversed(authorities)}.values())[
        ::-1
    ]
    return {
        "lang": language,
        "kind": kind,
        "today": fmt.when(now),
        "date": fmt.date(now),
        "next_update": fmt.when(now + NEXT_UPDATE),
        "marker": Markup(marker_for(language)),
        # the marker named in a sentence, without brackets: not itself a marker to fill
        "marker_word": Markup(marker_for(language).strip("[]")),
        "role": facts.role,
        "incident": {
            "id": view.id,
            "title": clean(facts.title or view.data["title"]),
            "summary": known(facts.summary.strip(), "what happened (summary)"),
            "status": view.data["status"],
        },
        "org": organisation_data(view),
        "facts": facts_data(view, fmt),
        "risk": risk_data(view, fmt),
        "duties": duties,
        "required": [d for d in duties if d["status"] == "required"],
        "decisions": decision_groups(duties),
        "subjects_notice": subjects_notice(view, fmt),
        "authorities": authorities,
        "authorities_done": all(a["done"] for a in authorities),
        "nis2": any(d["regime"] == "nis2" and d["status"] == "required" for d in duties),
        "record": {"incident": view.id, "seq": head[0], "hash": head[1]},
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
        "_formatter": fmt,
        "_controllers": view.controllers,
    }


def duty_context(
    view: IncidentView,
    base: dict[str, Any],
    duty: dict[str, Any] | None,
    series: list[dict[str, Any]],
    phase: str,
    now: datetime,
    voluntary: bool = False,
) -> dict[str, Any]:
    """``base`` completed for one recipient: whom it goes to, its stage, its own numbers.
    ``voluntary``: the duty is not required and the responder asked for the notice anyway."""
    fmt: Formatter = base["_formatter"]
    facts = view.facts
    previous = previous_send(duty, series)
    to = recipient_data(duty, fmt, now)
    if phase != "initial":
        to["basis"] = follow_up_basis(duty, view.duties) or to["basis"]
    controller = controller_data(base["_controllers"], duty)
    people = facts.subjects.count
    if controller is not None and controller["subjects"] is not None:
        people = controller["subjects"]
    delay = (duty or {}).get("late_reason") or facts.delay_reason.strip()
    return {
        **{key: value for key, value in base.items() if not key.startswith("_")},
        "phase": phase,
        "voluntary": voluntary,
        "to": to,
        "previous": None
        if previous is None and phase == "initial"
        else {
            "at": known(fmt.when((previous or {}).get("at")), "date of our previous notification"),
            "reference": known(
                (previous or {}).get("reference"), "reference of our previous notification"
            ),
        },
        "late": duty is not None and is_late(duty, now),
        "late_reason": known(clean(delay), "reasons for the delay"),
        "controller": controller,
        "people": known(fmt.number(people), "approximate number of people affected"),
    }


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
    voluntary: bool = False,
) -> dict[str, Any]:
    """Everything a notice template of ``kind`` may print (see :func:`base_context`)."""
    base = base_context(view, kind, language, now, zone_name, head)
    return duty_context(view, base, duty, series, phase, now, voluntary)
