"""UI fixtures: a real SQLite file with the demo incidents at a frozen instant."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from breach.clock import fixed_clock
from breach.rules import load_rules
from breach.service import IncidentLog
from breach.settings import Settings
from breach.ui.app import BreachApp, make_app

FROZEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
ZONE = "Europe/Luxembourg"


@pytest.fixture(autouse=True)
def _no_animation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


def settings_for(db: Path) -> Settings:
    """The UI's settings in the test's own folder (its demo log next to ``db``)."""
    return Settings(
        db=db,
        rules_dir=None,
        zone=ZONE,
        actor="tester",
        data_home=db.parent,
        config_home=db.parent / "config",
    )


def build_app(db: Path, demo: bool = True) -> BreachApp:
    log = IncidentLog.open(db, load_rules(), fixed_clock(FROZEN), "tester")
    if demo:
        log.create_demo()
    return make_app(log, settings_for(db))


def demo_id(app: BreachApp, words: str) -> str:
    """The id of the demo incident whose title holds ``words``."""
    return next(i["id"] for i in app.incident_log.summaries(True) if words in i["title"])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "ui.db"
