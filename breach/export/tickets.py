"""Ticket-shaped payloads, one JSON object per line (POST each one as it is):

- ``jira``: the body of Jira's ``POST /rest/api/2/issue`` (summary, description in wiki
  markup, due date = nearest open deadline, priority from the ENISA severity, labels);
- ``thehive``: the body of TheHive 5's ``POST /api/v1/case`` (tasks with due dates for the
  open duties) or, with ``--kind alert``, ``POST /api/v1/alert`` (``sourceRef`` = incident
  id, so TheHive refuses a duplicate); severity 1-4, tags, TLP/PAP, custom fields;
- ``webhook``: one event per change on the timeline, in the shape of TheHive's webhooks
  (``operation``, ``objectType``, ``objectId``, ``details``, ``object``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .common import (
    Options,
    clean,
    decision,
    due_words,
    duty_title,
    epoch_ms,
    is_open,
    one_line,
    open_deadlines,
    severity_band,
    utc,
)

JIRA_PRIORITY = {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Highest"}
THEHIVE_SEVERITY = {"low": 1, "medium": 2, "high": 3, "very_high": 4}
TLP = {"clear": 0, "white": 0, "green": 1, "amber": 2, "amber+strict": 3, "red": 4}
PAP = {"clear": 0, "white": 0, "green": 1, "amber": 2, "red": 3}
AUTHORITY_DUTIES = ("notify_authority", "early_warning", "incident_notification")
_WIKI_SPECIAL = re.compile(r"([\\{}\[\]|*_^~#!])")  # macros, links, images, tables, emphasis
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|!#])")  # links, images, HTML, tables, emphasis


# -- Jira ----------------------------------------------------------------------------------


def jira_issue(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """A Jira issue-create body (REST API v2) for one incident."""
    fields: dict[str, Any] = {
        "project": {"key": options.jira_project},
        "issuetype": {"name": options.jira_issue_type},
        "summary": one_line(f"[{incident['id']}] {incident.get('title') or ''}", 255),
        "description": jira_description(incident),
        "labels": labels(incident),
    }
    band = severity_band(incident)
    if band:
        fields["priority"] = {"name": JIRA_PRIORITY[band]}
    deadlines = open_deadlines(incident)
    if deadlines:
        fields["duedate"] = local_date(deadlines[0]["due_at"], options.zone)
    return {"fields": fields}


def local_date(iso: str, zone_name: str | None) -> str:
    """The calendar date of an instant in ``zone_name`` (UTC when None): Jira's due date."""
    from ..clock import zone

    return utc(iso).astimezone(zone(zone_name)).date().isoformat()


def labels(incident: dict[str, Any]) -> list[str]:
    """Labels without spaces: breach, the id, risk, severity, regimes, organisation."""
    found = ["breach", incident["id"]]
    if incident.get("risk"):
        found.append(f"risk-{incident['risk']}")
    band = severity_band(incident)
    if band:
        found.append(f"severity-{band}")
    found += [str(r) for r in incident.get("regimes") or []]
    found.append(f"org-{incident.get('organisation')}")
    return [re.sub(r"\s+", "_", clean(label))[:255] for label in dict.fromkeys(found)]


def wiki(text: str | None) -> str:
    """User text for Jira wiki markup, on one line, markup characters escaped."""
    return _WIKI_SPECIAL.sub(r"\\\1", one_line(text))


def wiki_block(text: str | None) -> str:
    """User text shown literally in a {noformat} block."""
    body = clean(text).replace("{noformat}", "(noformat)")
    return "{noformat}\n" + body + "\n{noformat}"


def jira_description(incident: dict[str, Any]) -> str:
    """The issue description: the assessment, the deadlines table, what happened."""
    facts = incident.get("facts") or {}
    found = decision(incident)
    severity = found.get("severity") or {}
    lines = [
        f"h2. Personal data breach {incident['id']}",
        f"*Risk:* {wiki(found.get('risk'))} ({wiki(found.get('risk_source'))}) · "
        f"*Severity:* {wiki(severity.get('band'))} (ENISA {severity.get('score', '?')}) · "
        f"*Status:* {wiki(incident.get('status'))} · *Role:* {wiki(incident.get('role'))}",
        f"*Organisation:* {wiki(incident.get('organisation_name'))} · "
        f"*Detected:* {wiki(facts.get('detected_at'))} · *Aware:* "
        f"{wiki(facts.get('aware_at') or facts.get('detected_at'))}",
        "",
        "h3. Duties",
        "||Due (UTC)||Duty||Recipient||Basis||Status||",
    ]
    for duty in incident.get("obligations") or []:
        if duty.get("status") == "not_required":
            continue
        state = f"done {duty['done_at']}" if duty.get("done_at") else duty.get("status")
        recipient = (duty.get("recipient") or {}).get("name")
        lines.append(
            f"|{wiki(duty.get('due_at') or '-')} ({due_words(duty)})|{wiki(duty['id'])}"
            f"|{wiki(recipient or '-')}|{wiki(duty.get('basis'))}|{wiki(str(state))}|"
        )
    lines += ["", "h3. What happened", wiki_block(facts.get("summary") or incident.get("title"))]
    if facts.get("mitigation"):
        lines += ["h3. Mitigation", wiki_block(facts["mitigation"])]
    lines += [
        "",
        f"Exported from breach. Record a duty as sent with "
        f"{{{{breach done {incident['id']} DUTY --reference REF}}}}.",
    ]
    return "\n".join(lines)


# -- TheHive -------------------------------------------------------------------------------


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
    band = severity_band(incident) or "medium"
    facts = incident.get("facts") or {}
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
        "tlp": options.tlp,
        "pap": options.pap,
        "customFields": custom_fields(incident),
        "startDate": epoch_ms(facts.get("detected_at") or incident["created_at"]),
    }


def thehive_case(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """A TheHive 5 case-create body, with a task per required duty (due date, status)."""
    case = _common(incident, options)
    closed = incident.get("status") != "open"
    case["status"] = "TruePositive" if closed else "New"
    if closed:
        case["summary"] = "Closed in breach."
        case["impactStatus"] = "WithImpact"
    tasks = []
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
        tasks.append(task)
    case["tasks"] = tasks
    return case


def thehive_alert(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """A TheHive 5 alert-create body; ``sourceRef`` is the incident id."""
    alert = _common(incident, options)
    alert.update(
        {
            "type": "personal-data-breach",
            "source": "breach",
            "sourceRef": incident["id"],
            "date": alert.pop("startDate", epoch_ms(incident["created_at"])),
        }
    )
    return alert


# -- webhook events ------------------------------------------------------------------------

EVENT_SHAPES = {
    "opened": ("Creation", "incident"),
    "facts": ("Update", "incident"),
    "closed": ("Update", "incident"),
    "reopened": ("Update", "incident"),
    "note": ("Creation", "note"),
    "duty": ("Update", "obligation"),
    "done": ("Update", "obligation"),
    "notice": ("Update", "notice"),
}


def incident_object(incident: dict[str, Any]) -> dict[str, Any]:
    """The incident as webhook ``object``: its row, without the nested history."""
    keys = (
        "id", "title", "status", "organisation", "organisation_name", "role", "risk",
        "regimes", "created_at", "updated_at", "version", "next_due", "next_duty",
        "facts_version",
    )  # fmt: skip
    return {key: incident.get(key) for key in keys}


def webhook_events(
    incident: dict[str, Any], options: Options, since: str | None = None
) -> Iterator[dict[str, Any]]:
    """One event per timeline entry (at or after ``since``), oldest first.

    ``object`` is the state at export time (the incident row, the duty, or the note),
    ``details`` what the change recorded; ``requestId`` is stable per change, so a receiver
    can drop one it has already seen.
    """
    duties = {d["id"]: d for d in incident.get("obligations") or []}
    notices = {n.get("id"): n for n in incident.get("notices") or []}
    for event in incident.get("events") or []:
        if since is not None and event["at"] < since:
            continue
        operation, object_type = EVENT_SHAPES.get(event["kind"], ("Update", "incident"))
        data = event.get("data") or {}
        details = {"kind": event["kind"], "text": event.get("text"), **data}
        if object_type == "obligation" and data.get("duty") in duties:
            object_id = f"{incident['id']}/{data['duty']}"
            target: dict[str, Any] = duties[data["duty"]]
        elif object_type == "notice" and data.get("notice_id") in notices:
            object_id = f"{incident['id']}/notice/{data['notice_id']}"
            target = {k: v for k, v in notices[data["notice_id"]].items() if k != "generated"}
        elif object_type == "note":
            object_id = f"{incident['id']}/event/{event['id']}"
            target = {"at": event["at"], "text": event.get("text"), "actor": event.get("actor")}
        else:
            object_type = "incident"
            object_id = incident["id"]
            target = incident_object(incident)
        yield {
            "operation": operation,
            "objectType": object_type,
            "objectId": object_id,
            "details": details,
            "object": target,
            "base": True,
            "startDate": epoch_ms(event["at"]),
            "rootId": incident["id"],
            "requestId": f"breach:{incident['id']}:{event['id']}",
            "organisation": incident.get("organisation"),
            "actor": event.get("actor"),
        }
