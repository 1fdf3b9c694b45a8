"""Sending JSON to a ticketing system or webhook receiver: retries, and one line per failure.

429 and 5xx answers and timeouts are retried with exponential backoff (``Retry-After``
honoured up to a minute); 401, 403 and 404 stop at once with what they mean. Credentials
travel only in headers, and no error line ever repeats a header.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..errors import BreachError
from ..textsafe import terminal_safe

RETRIED = frozenset({429, 500, 502, 503, 504})
MEANING = {
    401: "the credentials were refused (401 Unauthorized): check {credentials}",
    403: "the account may not do this (403 Forbidden): check its permissions{where}",
    404: "not found (404){where}: check --url",
}


class DeliveryFailed(BreachError):
    """The target refused or did not answer; what was delivered before is kept (exit 1)."""


@dataclass(frozen=True)
class Request:
    """One HTTP request to make: method, full URL, JSON body."""

    method: str
    url: str
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def content(self) -> bytes:
        """The body as sent: compact UTF-8 JSON."""
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass
class Sender:
    """An HTTP client that retries what may succeed later and explains what will not."""

    target: str
    headers: dict[str, str]
    credentials: str
    retries: int = 4
    backoff_s: float = 1.0
    timeout_s: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    sign: Callable[[bytes], dict[str, str]] = lambda body: {}
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(
            headers={"Content-Type": "application/json", "Accept": "application/json"}
            | self.headers,
            timeout=self.timeout_s,
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would see personal data
        )

    def close(self) -> None:
        self.client.close()

    def send(self, request: Request, what: str) -> Any:
        """Make ``request`` (``what``: "BR-2026-0001", for messages); its JSON answer, or
        None when it has none."""
        content = request.content()
        headers = request.headers | self.sign(content)
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                answer = self.client.request(
                    request.method, request.url, content=content, headers=headers
                )
            except httpx.TimeoutException:
                if last:
                    raise self._failed(
                        what, request, f"no answer within {self.timeout_s:g} s", attempt
                    ) from None
                self.sleep(self._delay(attempt, None))
                continue
            except httpx.HTTPError as err:  # refused, DNS, TLS: retrying will not help
                raise self._failed(what, request, _network(err), None) from None
            if answer.status_code in RETRIED and not last:
                self.sleep(self._delay(attempt, answer.headers.get("Retry-After")))
                continue
            if answer.is_success:
                return _json(answer)
            raise self._failed(what, request, self._meaning(answer), attempt)
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), 60.0)
        return float(self.backoff_s * 2**attempt)

    def _meaning(self, answer: httpx.Response) -> str:
        template = MEANING.get(answer.status_code)
        where = f" at {answer.request.url.path}"
        if template:
            return template.format(credentials=self.credentials, where=where)
        detail = _error_text(answer)
        status = f"{answer.status_code} {answer.reason_phrase}".strip()
        return f"{status}{where}" + (f": {detail}" if detail else "")

    def _failed(self, what: str, request: Request, why: str, attempt: int | None) -> DeliveryFailed:
        tries = "" if not attempt else f" (after {attempt + 1} tries)"
        host = httpx.URL(request.url).host
        return DeliveryFailed(
            terminal_safe(f"{self.target} at {host}: {what}: {why}{tries}").replace("\n", " ")
        )


def _json(answer: httpx.Response) -> Any:
    if not answer.content:
        return None
    try:
        return answer.json()
    except ValueError:
        return None


def _network(err: httpx.HTTPError) -> str:
    text = str(err) or type(err).__name__
    return f"cannot connect ({text})"


def _error_text(answer: httpx.Response) -> str:
    """What the target says went wrong (Jira's errorMessages/errors, TheHive's message),
    on one line and short."""
    found = _json(answer)
    parts: list[str] = []
    if isinstance(found, dict):
        parts += [str(m) for m in found.get("errorMessages") or []]
        errors = found.get("errors")
        if isinstance(errors, dict):
            parts += [f"{k}: {v}" for k, v in errors.items()]
        if found.get("message"):
            parts.append(str(found["message"]))
    text = "; ".join(parts) or answer.text
    line = " ".join(text.split())
    return line[:200] + ("…" if len(line) > 200 else "")
