"""Ticket-shaped payloads, one JSON object per line (POST each one as it is), and the
update bodies ``breach push`` sends for an incident a target already has:

- Jira (:mod:`.jira`): ``POST /rest/api/{2|3}/issue`` and ``PUT …/issue/{key}``; summary,
  description (v2 wiki markup, v3 Atlassian Document Format), due date = nearest open
  deadline, priority from the ENISA severity, labels;
- TheHive 5 (:mod:`.thehive`): ``POST /api/v1/case`` (tasks with due dates for the
  duties) or ``/api/v1/alert`` (``sourceRef`` = incident id, so TheHive refuses a
  duplicate), and their ``PATCH`` bodies; severity 1-4, tags, TLP/PAP, custom fields.

The names live in those two modules; this one gathers them.
"""

from __future__ import annotations

from .jira import (
    JIRA_PRIORITY,
    adf_blocks,
    adf_description,
    jira_description,
    jira_issue,
    jira_update,
    labels,
    local_date,
    wiki,
    wiki_block,
)
from .thehive import (
    PAP,
    THEHIVE_SEVERITY,
    TLP,
    TLP_1_RELEASES,
    TLP_BEFORE_5_2,
    custom_fields,
    markdown,
    thehive_alert,
    thehive_alert_update,
    thehive_case,
    thehive_case_update,
    thehive_description,
    tlp_number,
)

__all__ = [
    "JIRA_PRIORITY",
    "PAP",
    "THEHIVE_SEVERITY",
    "TLP",
    "TLP_1_RELEASES",
    "TLP_BEFORE_5_2",
    "adf_blocks",
    "adf_description",
    "custom_fields",
    "jira_description",
    "jira_issue",
    "jira_update",
    "labels",
    "local_date",
    "markdown",
    "thehive_alert",
    "thehive_alert_update",
    "thehive_case",
    "thehive_case_update",
    "thehive_description",
    "tlp_number",
    "wiki",
    "wiki_block",
]
