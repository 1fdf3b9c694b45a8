"""TheHive 5 bodies (API v1), shaped as thehive4py 2.x types them:

- :func:`thehive_case`: ``POST /api/v1/case`` (``InputCase``), a task per required duty;
- :func:`thehive_case_update`: ``PATCH /api/v1/case/{id}`` (``InputUpdateCase``), which is
  where a closed incident's ``impactStatus`` goes;
- :func:`thehive_alert` / :func:`thehive_alert_update`: ``POST /api/v1/alert``
  (``InputAlert``) and ``PATCH /api/v1/alert/{id}`` (``InputUpdateAlert``).

``Options.tlp`` is a TLP number as TheHive 5.2 and later count; :func:`tlp_number`
turns it into the numbering of ``Options.thehive_version``.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import BadInput
from .common import (
    Options,
    clean,
    decision,
    duty_title,
    epoch_ms,
    is_open,
    one_line,
    open_deadlines,
    severity_band,
)

THEHIVE_SEVERITY = {"low": 1, "medium": 2, "high": 3, "very_high": 4}
#: TLP names to numbers as TheHive 5.2 and later count (TLP 2.0: CLEAR, AMBER+STRICT)
TLP = {"clear": 0, "white": 0, "green": 1, "amber": 2, "amber+strict": 3, "red": 4}
#: the same TLP levels as TheHive 5.0 and 5.1 count them (TLP 1.0: no AMBER+STRICT)
TLP_BEFORE_5_2 = {0: 0, 1: 1, 2: 2, 4: 3}
PAP = {"clear": 0, "white": 0, "green": 1, "amber": 2, "red": 3}
AUTHORITY_DUTIES = ("notify_authority", "early_warning", "incident_notification")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|!#])")  # links, images, HTML, tables, emphasis
#: the releases that number TLP the TLP 1.0 way (``Options.thehive_version``)
TLP_1_RELEASES = ("5.0", "5.1")


def tlp_number(options: Options) -> int:
    """``options.tlp`` (5.2+ numbering) as ``options.thehive_version`` counts it."""
    if options.thehive_version not in TLP_1_RELEASES:
        return options.tlp
    if options.tlp not in TLP_BEFORE_5_2:
        raise BadInput(
            f"TLP:AMBER+STRICT needs TheHive 5.2 or later (TheHive "
            f"{options.thehive_version} has no such level): choose amber or red"
        )
    return TLP_BEFORE_5_2[options.tlp]


def markdown(text: str | None) -> str:
    """User text for TheHive's Markdown, markup characters escaped (no links, no HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", clean(text)).replace("\n", "  \n")


def thehive_description(incident: dict[str, Any]) -> str:
    """Markdown description: the assessment, the duties, what happened."""
    facts = incident.get("facts") or {}
    found = decision(incident)
    severity = found.get("severity") or {}
    lines = [
        f"**Personal data breach {markdown(incident['id'])}** — "
        f"risk {markdown(found.get('risk'))}, severity {markdown(severity.get('band'))} "
        f"(ENISA {severity.get('score', '?')}), {markdown(incident.get('role'))}",
        "",
        "| Due (UTC) | Duty | Status |",
        "|---|---|---|",
    ]
    for duty in incident.get("obligations") or []:
        if duty.get("status") == "not_required":
            continue
        state = f"done {duty['done_at']}" if duty.get("done_at") else duty.get("status")
        lines.append(
            f"| {markdown(duty.get('due_at') or '-')} | {markdown(duty_title(duty))} "
            f"(`{markdown(duty['id'])}`) | {markdown(str(state))} |"
        )
    lines += ["", markdown(facts.get("summary") or incident.get("title"))]
    if facts.get("mitigation"):
        lines += ["", "**Mitigation:** " + markdown(facts["mitigation"])]
    return "\n".join(lines)


def custom_fields(incident: dict[str, Any]) -> list[dict[str, Any]]:
    """TheHive custom fields (create them once, see docs/export.md); nulls are left out."""
    deadlines = open_deadlines(incident)

    def first(kinds: tuple[str, ...]) -> int | None:
        due = next((d["due_at"] for d in deadlines if d.get("duty") in kinds), None)
        return epoch_ms(due) if due else None

    values = {
        "breach-id": incident["id"],
        "breach-risk": incident.get("risk"),
        "breach-next-deadline": epoch_ms(deadlines[0]["due_at"]) if deadlines else None,
        "breach-next-duty": deadlines[0]["id"] if deadlines else None,
        "breach-authority-deadline": first(AUTHORITY_DUTIES),
        "breach-subjects-deadline": first(("notify_data_subjects",)),
    }
    return [
        {"name": name, "value": value, "order": order}
        for order, (name, value) in enumerate(values.items())
        if value is not None
    ]


def _common(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """The fields every body has: InputCase, InputUpdateCase and InputAlert all take them."""
    band = severity_band(incident) or "medium"
    tags = ["breach", f"breach:{incident['id']}", f"org:{incident.get('organisation')}"]
    if incident.get("risk"):
        tags.append(f"risk:{incident['risk']}")
    tags += [f"regime:{r}" for r in incident.get("regimes") or []]
    return {
        "title": one_line(f"[{incident['id']}] {incident.get('title') or ''}", 512),
        "description": thehive_description(incident),
        "severity": THEHIVE_SEVERITY[band],
        "tags": [one_line(t) for t in tags],
        "flag": incident.get("risk") == "high",
        "tlp": tlp_number(options),
        "pap": options.pap,
        "customFields": custom_fields(incident),
    }


def _start(incident: dict[str, Any]) -> int:
    return epoch_ms((incident.get("facts") or {}).get("detected_at") or incident["created_at"])


def _closed(incident: dict[str, Any]) -> bool:
    return incident.get("status") != "open"


def tasks(incident: dict[str, Any]) -> list[dict[str, Any]]:
    """A task (``InputTask``) per required duty, with its due date and whether it is done."""
    found = []
    for order, duty in enumerate(
        d for d in incident.get("obligations") or [] if d.get("status") == "required"
    ):
        task: dict[str, Any] = {
            "title": one_line(duty_title(duty), 128),
            "group": "breach",
            "description": markdown(
                f"{duty['id']} — {duty.get('basis') or ''}\n{duty.get('reason') or ''}"
            ),
            "status": "Waiting" if is_open(duty) else "Completed",
            "order": order,
            "mandatory": duty.get("due_kind") == "deadline",
        }
        if duty.get("due_at"):
            task["dueDate"] = epoch_ms(duty["due_at"])
        if duty.get("done_at"):
            task["endDate"] = epoch_ms(duty["done_at"])
        found.append(task)
    return found


def thehive_case(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """A case-create body (``InputCase``), with a task per required duty."""
    case = _common(incident, options)
    case["startDate"] = _start(incident)
    case["status"] = "TruePositive" if _closed(incident) else "New"
    if _closed(incident):
        case["summary"] = "Closed in breach."
    case["tasks"] = tasks(incident)
    return case


def thehive_case_update(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """A case-update body (``InputUpdateCase``): no tasks; an open incident's case is
    ``InProgress`` (it exists, so someone works on it; this also reopens a case closed
    before the incident was reopened), a closed one's ``TruePositive`` with its impact."""
    case = _common(incident, options)
    if _closed(incident):
        case.update(status="TruePositive", summary="Closed in breach.", impactStatus="WithImpact")
    else:
        case["status"] = "InProgress"
    return case


def thehive_alert(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """An alert-create body (``InputAlert``); ``sourceRef`` is the incident id."""
    alert = _common(incident, options)
    alert.update(
        type="personal-data-breach",
        source="breach",
        sourceRef=incident["id"],
        date=_start(incident),
    )
    return alert


def thehive_alert_update(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """An alert-update body (``InputUpdateAlert``): what breach knows may have changed;
    ``type``, ``source`` and ``sourceRef`` name the alert and stay."""
    alert = _common(incident, options)
    del alert["flag"]  # not a field of InputUpdateAlert
    alert["date"] = _start(incident)
    return alert
