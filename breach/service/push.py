"""``breach push``: deliver incidents to Jira, TheHive or a webhook receiver, once each.

The first push of an incident creates it there and stores the remote id here (one row per
target and endpoint); later pushes update it, and an incident unchanged since its last
push is not sent again. Without ids or ``--since``, a push continues from where the last
complete one to the same endpoint began (its cursor). Each delivery is recorded in its own
transaction as soon as the target has accepted it, so a push that fails half-way keeps
what it delivered and the next run carries on without duplicates.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO
from urllib.parse import urlsplit

from ..clock import Clock, format_utc, system_clock
from ..errors import BadInput
from ..export import Options, Selection
from ..export.source import incident_data, pages
from ..store import Store
from ..textsafe import json_safe

PAGE = 200


@dataclass(frozen=True)
class Credentials:
    """What the target accepts us by (read from the environment by the CLI)."""

    headers: dict[str, str] = field(default_factory=dict, repr=False)
    #: the environment variables that hold them, for messages
    names: str = ""
    #: webhooks: the secret each body is signed with (HMAC-SHA256)
    secret: bytes | None = field(default=None, repr=False)


@dataclass
class PushSummary:
    """What a push did, by incident id."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def endpoint_of(url: str) -> str:
    """The URL a push goes to, checked: https, or plain http only to this machine."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise BadInput(f"--url: {url!r} is not an http(s) URL, e.g. https://jira.example.com")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise BadInput(
            f"--url: refusing to send personal data over plain http to {parts.hostname}; "
            "use https (plain http is allowed to 127.0.0.1 and localhost only)"
        )
    if parts.username or parts.password:
        raise BadInput("--url: no credentials in the URL; set them in the environment")
    return url.rstrip("/") if parts.path not in ("", "/") else f"{parts.scheme}://{parts.netloc}"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def signature(secret: bytes, body: bytes) -> dict[str, str]:
    """The header a webhook receiver checks: HMAC-SHA256 of the exact body, in hex."""
    digest = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return {"X-Breach-Signature-256": f"sha256={digest}"}


def push(
    store: Store,
    target_name: str,
    url: str,
    selection: Selection,
    options: Options,
    credentials: Credentials,
    *,
    dry_run: TextIO | None = None,
    tick: Callable[[int], None] = lambda n: None,
    retries: int = 4,
    backoff_s: float = 1.0,
    timeout_s: float = 30.0,
    now: Clock = system_clock,
    sleep: Callable[[float], None] = time.sleep,
) -> PushSummary:
    """Deliver the selected incidents; ``dry_run``: print the requests there instead."""
    from ..export.http import Request, Sender
    from ..export.push import Remote, target_for

    endpoint = endpoint_of(url)
    target = target_for(target_name, endpoint, options)
    since = selection.since
    if since is None and not selection.ids:
        since = store.push_cursor(target_name, endpoint)
    started = format_utc(now())
    summary = PushSummary()
    sender = None
    if dry_run is None:
        secret = credentials.secret
        sender = Sender(
            target_name,
            credentials.headers,
            credentials.names,
            retries=retries,
            backoff_s=backoff_s,
            timeout_s=timeout_s,
            sleep=sleep,
            sign=(lambda body: signature(secret, body)) if secret else (lambda body: {}),
        )

    def send(request: Request, what: str) -> Any:
        if sender is None:
            assert dry_run is not None
            dry_run.write(f"{request.method} {request.url}\n")
            dry_run.write(json_safe(request.content().decode()) + "\n")
            return {"id": "(new)", "key": "(new)", "_id": "(new)"}
        return sender.send(request, what)

    try:
        chosen = _selected(store, target_name, endpoint, selection, since)
        for incident_id, incident, record in chosen:
            if record is not None and record["version"] == incident["version"]:
                summary.unchanged.append(incident_id)
                tick(1)
                continue
            known = Remote(record["remote_id"], record["remote_key"]) if record else None
            remote = target.deliver(incident, known, _naming(send, incident_id), since)
            (summary.updated if record else summary.created).append(incident_id)
            if dry_run is None:
                with store.transaction():
                    store.put_remote_record(
                        {
                            "target": target_name,
                            "endpoint": endpoint,
                            "incident_id": incident_id,
                            "remote_id": remote.remote_id,
                            "remote_key": remote.remote_key,
                            "version": incident["version"],
                            "pushed_at": format_utc(now()),
                        }
                    )
            tick(1)
    finally:
        if sender is not None:
            sender.close()
    if dry_run is None and not selection.ids:
        with store.transaction():
            store.put_push_cursor(target_name, endpoint, started)
    return summary


def _naming(send: Callable[[Any, str], Any], incident_id: str) -> Callable[[Any, str], Any]:
    """``send``, with the incident's id in front of what each request is for."""
    return lambda request, what: send(request, f"{incident_id} {what}")


def count(store: Store, selection: Selection, target_name: str, url: str) -> int:
    """How many incidents a push will look at (for progress)."""
    since = selection.since
    if since is None and not selection.ids:
        since = store.push_cursor(target_name, endpoint_of(url))
    if selection.ids:
        return sum(len(page) for page in pages(store, Selection(selection.ids, since)))
    return store.count_updated_since(since)


def _selected(
    store: Store, target_name: str, endpoint: str, selection: Selection, since: str | None
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """Each selected incident (export shape) with its push record, a page at a time; no
    read stays open while deliveries are recorded."""
    ids = [i for page in pages(store, Selection(selection.ids, since), PAGE) for i in page]
    for start in range(0, len(ids), PAGE):
        page = ids[start : start + PAGE]
        records = store.remote_records(target_name, endpoint, page)
        for incident_id in page:
            yield incident_id, incident_data(store, incident_id), records.get(incident_id)
