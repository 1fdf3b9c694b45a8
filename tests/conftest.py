"""Shared fixtures: the shipped rules, a facts builder, a fixed instant, isolated env."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from breach.model import Facts, facts_from_data
from breach.rules import RuleSet, load_rules

NOW = datetime(2026, 12, 1, tzinfo=UTC)

BASE_FACTS: dict[str, Any] = {
    "title": "Test incident",
    "organisation": {
        "id": "example-lu",
        "name": "Example S.A.",
        "establishments": [{"country": "LU"}],
        "main_establishment": "LU",
        "ecs_provider": False,
        "nis2": "none",
    },
    "role": "controller",
    "detected_at": "2026-03-02T09:00:00+01:00",
    "aware_at": "2026-03-02T10:00:00+01:00",
    "personal_data": True,
    "confidentiality": "unknown_recipients",
    "integrity": "none",
    "availability": "none",
    "exfiltration": "confirmed",
    "malicious": True,
    "data_categories": ["identity", "contact"],
    "subjects": {"count": 50, "kinds": ["customers"], "countries": ["LU"]},
    "protection": "none",
    "key_compromised": None,
}


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """Every test runs with its own data and config homes: never the user's real ones."""
    for name in ("BREACH_RULES_DIR", "BREACH_ACTOR", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BREACH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BREACH_DB", str(tmp_path / "breach.db"))
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


def make_facts(**overrides: Any) -> Facts:
    """BASE_FACTS with top-level overrides (``subjects`` and ``organisation`` replace whole)."""
    data = {**BASE_FACTS, **overrides}
    return facts_from_data(data)


@pytest.fixture
def facts_factory() -> Any:
    return make_facts


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``breach ARGV`` in-process, as a user runs it: exit code, stdout, stderr."""
    from breach.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err
