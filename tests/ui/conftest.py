"""UI fixtures: a real SQLite file with the demo incidents at a frozen instant."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from breach.clock import fixed_clock
from breach.demo import create_demo
from breach.rules import load_rules
from breach.store import Store
from breach.ui.app import BreachApp, make_app

FROZEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
ZONE = "Europe/Luxembourg"


@pytest.fixture(autouse=True)
def _no_animation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


def build_app(db: Path, demo: bool = True) -> BreachApp:
    rules = load_rules(cache=False)
    store = Store.open(db)
    if demo:
        create_demo(store, rules, fixed_clock(FROZEN))
    return make_app(store, rules, fixed_clock(FROZEN), ZONE, demo_path=db.with_name("demo.db"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "ui.db"
