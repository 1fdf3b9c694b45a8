"""Jira bodies: ``POST /rest/api/{2|3}/issue`` (:func:`jira_issue`) and
``PUT /rest/api/{2|3}/issue/{key}`` (:func:`jira_update`), ``Options.jira_api`` choosing:

- 2: the description in wiki markup, user text escaped or in ``{noformat}`` blocks;
- 3: the description an Atlassian Document Format (ADF) document, user text in plain
  text nodes (no marks, no links come from it; marks are only this module's own).
"""

from __future__ import annotations

import re
from typing import Any

from .common import (
    Options,
    clean,
    decision,
    due_words,
    one_line,
    open_deadlines,
    severity_band,
    utc,
)

JIRA_PRIORITY = {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Highest"}
_WIKI_SPECIAL = re.compile(r"([\\{}\[\]|*_^~#!])")  # macros, links, images, tables, emphasis
DUTY_COLUMNS = ("Due (UTC)", "Duty", "Recipient", "Basis", "Status")


def jira_issue(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """An issue-create body for one incident (REST API ``options.jira_api``)."""
    fields: dict[str, Any] = {
        "project": {"key": options.jira_project},
        "issuetype": {"name": options.jira_issue_type},
        **_fields(incident, options),
    }
    if fields["duedate"] is None:
        del fields["duedate"]
    return {"fields": fields}


def jira_update(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    """An issue-edit body: the create body's fields but the project and issue type; a
    ``duedate`` of null clears the date once no deadline is open."""
    return {"fields": _fields(incident, options)}


def _fields(incident: dict[str, Any], options: Options) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "summary": one_line(f"[{incident['id']}] {incident.get('title') or ''}", 255),
        "description": (
            adf_description(incident) if options.jira_api == 3 else jira_description(incident)
        ),
        "labels": labels(incident),
    }
    band = severity_band(incident)
    if band:
        fields["priority"] = {"name": JIRA_PRIORITY[band]}
    deadlines = open_deadlines(incident)
    fields["duedate"] = local_date(deadlines[0]["due_at"], options.zone) if deadlines else None
    return fields


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


def _summary(incident: dict[str, Any]) -> dict[str, Any]:
    """What both descriptions say, as plain one-line values (not yet escaped)."""
    facts = incident.get("facts") or {}
    found = decision(incident)
    severity = found.get("severity") or {}
    rows = []
    for duty in incident.get("obligations") or []:
        if duty.get("status") == "not_required":
            continue
        state = f"done {duty['done_at']}" if duty.get("done_at") else duty.get("status")
        rows.append(
            (
                f"{duty.get('due_at') or '-'} ({due_words(duty)})",
                str(duty["id"]),
                one_line((duty.get("recipient") or {}).get("name")) or "-",
                one_line(duty.get("basis")),
                one_line(str(state)),
            )
        )
    return {
        "assessment": [
            ("Risk", f"{one_line(found.get('risk'))} ({one_line(found.get('risk_source'))})"),
            (
                "Severity",
                f"{one_line(severity.get('band'))} (ENISA {severity.get('score', '?')})",
            ),
            ("Status", one_line(incident.get("status"))),
            ("Role", one_line(incident.get("role"))),
        ],
        "context": [
            ("Organisation", one_line(incident.get("organisation_name"))),
            ("Detected", one_line(facts.get("detected_at"))),
            ("Aware", one_line(facts.get("aware_at") or facts.get("detected_at"))),
        ],
        "duties": rows,
        "happened": facts.get("summary") or incident.get("title"),
        "mitigation": facts.get("mitigation"),
    }


# -- v2: wiki markup -----------------------------------------------------------------------


def wiki(text: str | None) -> str:
    """User text for Jira wiki markup, on one line, markup characters escaped."""
    return _WIKI_SPECIAL.sub(r"\\\1", one_line(text))


def wiki_block(text: str | None) -> str:
    """User text shown literally in a {noformat} block."""
    body = clean(text).replace("{noformat}", "(noformat)")
    return "{noformat}\n" + body + "\n{noformat}"


def jira_description(incident: dict[str, Any]) -> str:
    """The v2 description: the assessment, the deadlines table, what happened."""
    said = _summary(incident)

    def pairs(items: list[tuple[str, str]]) -> str:
        return " · ".join(f"*{label}:* {wiki(value)}" for label, value in items)

    lines = [
        f"h2. Personal data breach {incident['id']}",
        pairs(said["assessment"]),
        pairs(said["context"]),
        "",
        "h3. Duties",
        "||" + "||".join(DUTY_COLUMNS) + "||",
        *("|" + "|".join(wiki(cell) for cell in row) + "|" for row in said["duties"]),
        "",
        "h3. What happened",
        wiki_block(said["happened"]),
    ]
    if said["mitigation"]:
        lines += ["h3. Mitigation", wiki_block(said["mitigation"])]
    lines += [
        "",
        f"Exported from breach. Record a duty as sent with "
        f"{{{{breach done {incident['id']} DUTY --reference REF}}}}.",
    ]
    return "\n".join(lines)


# -- v3: Atlassian Document Format ---------------------------------------------------------


def _text(value: str, *marks: str) -> list[dict[str, Any]]:
    """A text node, or none for empty text (ADF refuses an empty text node)."""
    if not value:
        return []
    node: dict[str, Any] = {"type": "text", "text": value}
    if marks:
        node["marks"] = [{"type": mark} for mark in marks]
    return [node]


def _paragraph(*inline: list[dict[str, Any]]) -> dict[str, Any]:
    content = [node for nodes in inline for node in nodes]
    return {"type": "paragraph", "content": content or _text("-")}


def _heading(level: int, value: str) -> dict[str, Any]:
    return {"type": "heading", "attrs": {"level": level}, "content": _text(value)}


def _pairs(items: list[tuple[str, str]]) -> dict[str, Any]:
    inline: list[list[dict[str, Any]]] = []
    for n, (label, value) in enumerate(items):
        inline += [_text(" · " if n else ""), _text(f"{label}:", "strong"), _text(f" {value}")]
    return _paragraph(*inline)


def _cell(kind: str, value: str) -> dict[str, Any]:
    return {"type": kind, "content": [_paragraph(_text(value))]}


def _table(rows: list[tuple[str, ...]]) -> dict[str, Any]:
    header = {"type": "tableRow", "content": [_cell("tableHeader", c) for c in DUTY_COLUMNS]}
    body = [{"type": "tableRow", "content": [_cell("tableCell", c) for c in row]} for row in rows]
    return {"type": "table", "content": [header, *body]}


def adf_blocks(text: str | None) -> list[dict[str, Any]]:
    """User text as paragraphs (a blank line between them), its lines joined by hard
    breaks: plain text nodes only, so nothing in it becomes markup or a link."""
    paragraphs = re.split(r"\n\s*\n", clean(text).strip())
    blocks = []
    for paragraph in paragraphs:
        inline: list[list[dict[str, Any]]] = []
        for line in (line for line in paragraph.split("\n") if line.strip()):
            inline += [[{"type": "hardBreak"}] if inline else [], _text(line)]
        if inline:
            blocks.append(_paragraph(*inline))
    return blocks or [_paragraph()]


def adf_description(incident: dict[str, Any]) -> dict[str, Any]:
    """The v3 description: the v2 content as an ADF document (headings, a duties table)."""
    said = _summary(incident)
    content = [
        _heading(2, f"Personal data breach {incident['id']}"),
        _pairs(said["assessment"]),
        _pairs(said["context"]),
        _heading(3, "Duties"),
    ]
    content.append(_table(said["duties"]) if said["duties"] else _paragraph(_text("None.")))
    content += [_heading(3, "What happened"), *adf_blocks(said["happened"])]
    if said["mitigation"]:
        content += [_heading(3, "Mitigation"), *adf_blocks(said["mitigation"])]
    content.append(
        _paragraph(
            _text("Exported from breach. Record a duty as sent with "),
            _text(f"breach done {incident['id']} DUTY --reference REF", "code"),
            _text("."),
        )
    )
    return {"type": "doc", "version": 1, "content": content}
