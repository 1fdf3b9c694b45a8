"""``breach push``: against a loopback HTTP server (pytest-httpserver), never the network."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
from itertools import count
from pathlib import Path

import pytest
from werkzeug import Request, Response

from breach.errors import BadInput
from breach.export.common import Options
from breach.export.http import DeliveryFailed
from breach.service import Selection
from breach.service.push import Credentials, endpoint_of, push
from breach.store import Store

from .conftest import NOW, WEIRD, run


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """No test here reaches beyond 127.0.0.1: any other connection fails the test."""
    connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost"):
            pytest.fail(f"a test tried to reach {address!r}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


JIRA_ENV = {"BREACH_JIRA_TOKEN": "s3cret-token", "BREACH_JIRA_USER": "dpo@example.com"}


@pytest.fixture
def jira(httpserver):
    """A Jira that numbers the issues it creates and accepts updates."""
    numbers = count(1)

    def create(request: Request) -> Response:
        number = next(numbers)
        body = {"id": str(10000 + number), "key": f"SEC-{number}", "self": "…"}
        return Response(json.dumps(body), 201, content_type="application/json")

    httpserver.expect_request("/rest/api/2/issue", method="POST").respond_with_handler(create)
    httpserver.expect_request("/rest/api/2/issue/SEC-2", method="PUT").respond_with_data(
        "", status=204
    )
    return httpserver


def requests_made(server) -> list[tuple[str, str]]:
    return [(request.method, request.path) for request, _ in server.log]


def push_cli(capsys, monkeypatch, db: Path, *args: str, env=JIRA_ENV):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return run(capsys, "--db", str(db), "push", *args, "--now", NOW)


def test_jira_first_push_creates_then_updates_and_a_second_run_creates_nothing(
    capsys, monkeypatch, source_db, jira
) -> None:
    url = jira.url_for("/")
    code, out, err = push_cli(capsys, monkeypatch, source_db, "jira", "--url", url)
    assert code == 0, err
    assert out.strip() == "pushed to jira: 4 created, 0 updated, 0 unchanged"
    assert requests_made(jira) == [("POST", "/rest/api/2/issue")] * 4
    first, _ = jira.log[0]
    assert first.headers["Authorization"].startswith("Basic ")
    assert json.loads(first.data)["fields"]["project"] == {"key": "SEC"}

    code, out, err = push_cli(capsys, monkeypatch, source_db, "jira", "--url", url)
    assert code == 0 and "0 created, 0 updated" in out and len(jira.log) == 4

    run(capsys, "--db", str(source_db), "note", "BR-2026-0002", "called the CNPD")
    code, out, err = push_cli(capsys, monkeypatch, source_db, "jira", "--url", url, "--json")
    assert code == 0, err
    assert json.loads(out) == {"created": [], "updated": ["BR-2026-0002"], "unchanged": []}
    method, path = requests_made(jira)[-1]
    assert (method, path) == ("PUT", "/rest/api/2/issue/SEC-2")
    body = json.loads(jira.log[-1][0].data)
    assert "project" not in body["fields"] and "issuetype" not in body["fields"]


def test_explicit_ids_are_pushed_and_unchanged_ones_skipped(
    capsys, monkeypatch, source_db, jira
) -> None:
    url = jira.url_for("/")
    code, out, _ = push_cli(capsys, monkeypatch, source_db, "jira", "BR-2026-0001", "--url", url)
    assert code == 0 and "1 created" in out
    code, out, _ = push_cli(capsys, monkeypatch, source_db, "jira", "BR-2026-0001", "--url", url)
    assert code == 0 and "0 created, 0 updated, 1 unchanged" in out
    code, _, err = push_cli(capsys, monkeypatch, source_db, "jira", "BR-2026-9999", "--url", url)
    assert code == 2 and "BR-2026-9999" in err


def test_dry_run_prints_the_requests_and_sends_nothing(
    capsys, monkeypatch, source_db, jira
) -> None:
    url = jira.url_for("/")
    code, out, err = push_cli(
        capsys, monkeypatch, source_db, "jira", "--url", url, "--dry-run", env={}
    )
    assert code == 0, err
    assert jira.log == []
    lines = out.splitlines()
    assert lines[0] == f"POST {url}rest/api/2/issue"
    assert json.loads(lines[1])["fields"]["summary"].startswith("[BR-2026-0001]")
    assert "\x1b" not in out and "would be created" in err
    code, out, _ = push_cli(capsys, monkeypatch, source_db, "jira", "--url", url)
    assert "4 created" in out  # the dry run stored nothing


@pytest.mark.parametrize(
    ("status", "meaning"),
    [
        (401, "credentials were refused (401 Unauthorized): check BREACH_JIRA_TOKEN"),
        (403, "may not do this (403 Forbidden)"),
        (404, "not found (404) at /rest/api/2/issue: check --url"),
        (400, "400 BAD REQUEST at /rest/api/2/issue: project: project is required"),
    ],
)
def test_a_refusal_is_one_line_naming_its_cause(
    capsys, monkeypatch, source_db, httpserver, status, meaning
) -> None:
    answer = {"errorMessages": [], "errors": {"project": "project is required"}}
    httpserver.expect_request("/rest/api/2/issue").respond_with_json(answer, status=status)
    url = httpserver.url_for("/")
    code, out, err = push_cli(capsys, monkeypatch, source_db, "jira", "--url", url)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and meaning in err, err
    assert "BR-2026-0001" in err and "s3cret-token" not in err
    assert len(httpserver.log) == 1  # refusals are not retried


def test_missing_credentials_and_bad_urls_are_refused_before_anything_is_sent(
    capsys, monkeypatch, source_db, httpserver
) -> None:
    monkeypatch.delenv("BREACH_JIRA_TOKEN", raising=False)
    code, _, err = run(capsys, "--db", str(source_db), "push", "jira", "--url", "https://x.test")
    assert code == 2 and "BREACH_JIRA_TOKEN is not set" in err
    for url, why in [
        ("http://jira.example.com", "plain http"),
        ("ftp://x", "not an http(s) URL"),
        ("https://u:p@jira.example.com", "no credentials in the URL"),
    ]:
        code, _, err = push_cli(capsys, monkeypatch, source_db, "jira", "--url", url)
        assert code == 2 and why in err, err
    assert httpserver.log == []


def test_429_and_5xx_are_retried_with_backoff_honouring_retry_after(
    store_with_incidents, httpserver
) -> None:
    path = "/rest/api/2/issue"
    httpserver.expect_ordered_request(path).respond_with_data("", 503)
    httpserver.expect_ordered_request(path).respond_with_data("", 429, {"Retry-After": "7"})
    httpserver.expect_ordered_request(path).respond_with_json({"id": "1", "key": "SEC-1"}, 201)
    slept: list[float] = []
    with Store.open(store_with_incidents) as store:
        summary = push(
            store,
            "jira",
            httpserver.url_for("/"),
            Selection(("BR-2026-0001",)),
            Options(exported_at=NOW),
            Credentials({"Authorization": "Bearer t"}, "BREACH_JIRA_TOKEN"),
            backoff_s=0.5,
            sleep=slept.append,
        )
    assert summary.created == ["BR-2026-0001"]
    assert slept == [0.5, 7.0] and len(httpserver.log) == 3


def test_retries_give_up_with_one_line_and_keep_what_was_delivered(
    store_with_incidents, httpserver
) -> None:
    numbers = count(1)

    def flaky(request: Request) -> Response:
        number = next(numbers)
        if number > 2:
            return Response("down", 502)
        return Response(json.dumps({"id": str(number), "key": f"SEC-{number}"}), 201)

    httpserver.expect_request("/rest/api/2/issue").respond_with_handler(flaky)
    url = httpserver.url_for("/")
    with Store.open(store_with_incidents) as store:
        with pytest.raises(DeliveryFailed) as failed:
            push(store, "jira", url, Selection(), Options(exported_at=NOW), Credentials(),
                 retries=2, sleep=lambda s: None)  # fmt: skip
        assert "BR-2026-0003 create: 502 BAD GATEWAY" in str(failed.value)
        assert "(after 3 tries)" in str(failed.value)
        assert store.push_cursor("jira", endpoint_of(url)) is None  # not complete
    httpserver.clear()
    httpserver.expect_request("/rest/api/2/issue").respond_with_json({"id": "9", "key": "S-9"})
    with Store.open(store_with_incidents) as store:
        summary = push(store, "jira", url, Selection(), Options(exported_at=NOW), Credentials())
    assert summary.created == ["BR-2026-0003", "BR-2026-0004"]
    assert summary.unchanged == ["BR-2026-0001", "BR-2026-0002"]


def test_a_timeout_is_one_line(store_with_incidents, httpserver) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.5)
        return Response("{}", 201)

    httpserver.expect_request("/rest/api/2/issue").respond_with_handler(slow)
    with Store.open(store_with_incidents) as store, pytest.raises(DeliveryFailed) as failed:
        push(store, "jira", httpserver.url_for("/"), Selection(("BR-2026-0001",)),
             Options(exported_at=NOW), Credentials(), retries=1, timeout_s=0.1,
             sleep=lambda s: None)  # fmt: skip
    assert "no answer within 0.1 s (after 2 tries)" in str(failed.value)


def test_thehive_cases_are_created_then_patched_and_closed_by_the_update(
    capsys, monkeypatch, source_db, httpserver
) -> None:
    numbers = count(1)

    def create(request: Request) -> Response:
        number = next(numbers)
        return Response(json.dumps({"_id": f"~{number}", "number": number}), 201)

    httpserver.expect_request("/api/v1/case", method="POST").respond_with_handler(create)
    httpserver.expect_request("/api/v1/case/~3", method="PATCH").respond_with_data("", 204)
    httpserver.expect_request("/api/v1/case/~2", method="PATCH").respond_with_data("", 204)
    env = {"BREACH_THEHIVE_KEY": "hive-key", "BREACH_THEHIVE_ORG": "privacy"}
    url = httpserver.url_for("/")
    code, out, err = push_cli(capsys, monkeypatch, source_db, "thehive", "--url", url, env=env)
    assert code == 0, err
    made = requests_made(httpserver)
    assert made.count(("POST", "/api/v1/case")) == 4
    close = made.index(("PATCH", "/api/v1/case/~3"))  # BR-2026-0003 is closed
    assert made[close - 1] == ("POST", "/api/v1/case")
    request = httpserver.log[close][0]
    assert json.loads(request.data)["status"] == "TruePositive"
    assert request.headers["Authorization"] == "Bearer hive-key"
    assert request.headers["X-Organisation"] == "privacy"
    run(capsys, "--db", str(source_db), "note", "BR-2026-0002", WEIRD)
    code, out, err = push_cli(capsys, monkeypatch, source_db, "thehive", "--url", url, env=env)
    assert code == 0 and "0 created, 1 updated" in out
    assert requests_made(httpserver)[-1] == ("PATCH", "/api/v1/case/~2")
    assert "tasks" not in json.loads(httpserver.log[-1][0].data)


def test_webhook_events_are_signed_and_each_delivered_once(
    capsys, monkeypatch, source_db, httpserver
) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    env = {"BREACH_WEBHOOK_SECRET": "hook-secret"}
    url = httpserver.url_for("/hook")
    code, out, err = push_cli(capsys, monkeypatch, source_db, "webhook", "--url", url, env=env)
    assert code == 0, err
    delivered = [json.loads(request.data) for request, _ in httpserver.log]
    assert len(delivered) >= 8 and all(d["schema"] == "breach.webhook/1" for d in delivered)
    for request, _ in httpserver.log:
        digest = hmac.new(b"hook-secret", request.data, hashlib.sha256).hexdigest()
        assert request.headers["X-Breach-Signature-256"] == f"sha256={digest}"
    before = len(httpserver.log)
    code, out, _ = push_cli(capsys, monkeypatch, source_db, "webhook", "--url", url, env=env)
    assert code == 0 and len(httpserver.log) == before
    run(capsys, "--db", str(source_db), "note", "BR-2026-0001", "handover to legal")
    code, out, _ = push_cli(capsys, monkeypatch, source_db, "webhook", "--url", url, env=env)
    assert len(httpserver.log) == before + 1
    last = json.loads(httpserver.log[-1][0].data)
    assert last["event"]["kind"] == "note" and last["event"]["text"] == "handover to legal"


def test_the_url_is_https_or_loopback() -> None:
    assert endpoint_of("https://jira.example.com/") == "https://jira.example.com"
    assert endpoint_of("http://127.0.0.1:8080/hook") == "http://127.0.0.1:8080/hook"
    with pytest.raises(BadInput):
        endpoint_of("http://10.0.0.1/hook")


@pytest.fixture
def store_with_incidents(source_db) -> Path:
    return source_db


def test_progress_on_a_terminal_and_silence_in_a_pipe(capsys, monkeypatch, source_db, jira):
    import sys

    from .test_streaming import Terminal

    url = jira.url_for("/")
    code, _, err = push_cli(capsys, monkeypatch, source_db, "jira", "BR-2026-0001", "--url", url)
    assert code == 0 and err == ""
    monkeypatch.setattr("sys.stderr", Terminal())
    code, _, _ = push_cli(capsys, monkeypatch, source_db, "jira", "--url", url)
    assert code == 0 and "pushing to jira" in sys.stderr.getvalue()
