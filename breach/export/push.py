"""What ``breach push`` sends to each target for one incident, and what it keeps of the
answer (the remote id) so that the next push updates instead of creating.

- Jira: ``POST /rest/api/{2|3}/issue`` once, then ``PUT /rest/api/{2|3}/issue/{key}``.
- TheHive 5: ``POST /api/v1/case`` (or ``/alert``) once, then ``PATCH /api/v1/case/{id}``;
  a closed incident is closed by the update call, which is where TheHive takes it.
- Webhook: one ``POST`` of a ``breach.webhook/1`` event per change not yet delivered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

from . import tickets
from .common import Options
from .http import DeliveryFailed, Request
from .webhook import webhook_events

Send = Callable[[Request, str], Any]


@dataclass(frozen=True)
class Remote:
    """What the target knows the incident by (for webhooks: the last event delivered)."""

    remote_id: str
    remote_key: str | None = None


class Target(Protocol):
    """A system ``breach push`` delivers to."""

    def deliver(
        self, incident: dict[str, Any], known: Remote | None, send: Send, since: str | None
    ) -> Remote: ...


@dataclass(frozen=True)
class Jira:
    """Jira issues (REST API v2 or v3, ``options.jira_api``)."""

    base: str
    options: Options

    def deliver(
        self, incident: dict[str, Any], known: Remote | None, send: Send, since: str | None
    ) -> Remote:
        api = f"{self.base}/rest/api/{self.options.jira_api}/issue"
        if known is None:
            answer = send(
                Request("POST", api, tickets.jira_issue(incident, self.options)), "create"
            )
            issue = answer if isinstance(answer, dict) else {}
            if not issue.get("id"):
                raise ValueError("Jira's answer to the create call has no issue id")
            return Remote(str(issue["id"]), issue.get("key"))
        key = quote(known.remote_key or known.remote_id, safe="")
        send(Request("PUT", f"{api}/{key}", tickets.jira_update(incident, self.options)), "update")
        return known


@dataclass(frozen=True)
class TheHive:
    """TheHive 5 cases (or alerts, ``options.thehive_kind``), API v1."""

    base: str
    options: Options

    def deliver(
        self, incident: dict[str, Any], known: Remote | None, send: Send, since: str | None
    ) -> Remote:
        kind = self.options.thehive_kind
        api = f"{self.base}/api/v1/{kind}"
        closed = incident.get("status") != "open"
        if kind == "alert":
            create, update = tickets.thehive_alert, tickets.thehive_alert_update
        else:
            create, update = tickets.thehive_case, tickets.thehive_case_update
        if known is None:
            body = create(incident, self.options)
            made = _answer(send(Request("POST", api, body), "create"), "_id", incident)
            known = Remote(str(made["_id"]), str(made.get("number") or "") or None)
            if not closed:
                return known
        target = f"{api}/{quote(known.remote_id, safe='')}"
        send(Request("PATCH", target, update(incident, self.options)), "update")
        return known


@dataclass(frozen=True)
class Webhook:
    """A receiver of ``breach.webhook/1`` events at one URL."""

    url: str
    options: Options

    def deliver(
        self, incident: dict[str, Any], known: Remote | None, send: Send, since: str | None
    ) -> Remote:
        after = int(known.remote_id) if known else 0
        if known is None and since is not None:  # changes before --since are not wanted
            after = max([e["id"] for e in incident.get("events") or [] if e["at"] < since] or [0])
        last = after
        for event in webhook_events(incident, self.options, None, after):
            send(Request("POST", self.url, event), f"event {event['event']['id']}")
            last = event["event"]["id"]
        return Remote(str(last))


def _answer(answer: Any, key: str, incident: dict[str, Any]) -> dict[str, Any]:
    """The created object's answer, which must name its id."""
    if not isinstance(answer, dict) or not answer.get(key):
        raise DeliveryFailed(
            f"{incident['id']}: the create call was accepted but the answer names no {key!r}; "
            "is --url the system's base URL?"
        )
    return answer


def target_for(name: str, url: str, options: Options) -> Target:
    """The target ``name`` at ``url`` (a base URL; for webhooks the receiver's URL)."""
    base = url.rstrip("/")
    if name == "jira":
        return Jira(base, options)
    if name == "thehive":
        return TheHive(base, options)
    if name == "webhook":
        return Webhook(url, options)
    raise ValueError(f"unknown push target {name!r}")


TARGETS = ("jira", "thehive", "webhook")
