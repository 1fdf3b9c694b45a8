"""A small incident log with every kind of content an export must carry."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from breach.cli import main
from breach.clock import fixed_clock
from breach.rules import RuleSet
from breach.service.incidents import IncidentService
from breach.store import Store

from ..conftest import make_facts

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # after BASE_FACTS awareness (09:00Z)
NOW = "2026-03-03T00:00:00Z"
# Terminal escapes (ESC and C1 CSI), a spreadsheet formula, ICS/CSV specials, non-ASCII.
WEIRD = "Evil \x1b[31mred\x1b[0m \x9b2J =cmd|' /C calc'!A0; a,b \\ ü€ \n second line" + (
    " long" * 20
)


def service(store: Store, rules: RuleSet, at: datetime = T0) -> IncidentService:
    return IncidentService(store, rules, fixed_clock(at), actor="tester")


def populate(store: Store, rules: RuleSet) -> list[str]:
    """Four incidents: one with a duty done, one updated with a note and notices, one
    closed, one of a processor."""
    first = service(store, rules)
    ids = [
        first.open(make_facts(title="Laptop stolen")),
        first.open(make_facts(title=WEIRD, summary=WEIRD, mitigation="=1+1")),
        first.open(make_facts(title="Closed one")),
        first.open(
            make_facts(
                title="Processor incident",
                role="processor",
                controllers=[{"name": "ACME B.V.", "contact": "dpo@acme.test", "notice_hours": 24}],
            )
        ),
    ]
    later = service(store, rules, T0 + timedelta(hours=2))
    later.mark_done(ids[0], "gdpr.notify_authority.LU", reference="CNPD-42", channel="portal")
    later.update(ids[1], {"subjects": {"count": 5000}})
    later.add_note(ids[1], WEIRD)
    service(store, rules, T0 + timedelta(hours=3)).set_status(ids[2], "closed")
    with store.transaction():
        for version, status in ((1, "sent"), (2, "draft")):
            notice_id = store.add_notice(
                ids[1],
                {
                    "kind": "authority",
                    "language": "en",
                    "format": "text",
                    "text": f"Notice v{version}: {WEIRD}",
                    "version": version,
                    "created_at": "2026-03-02T14:00:00Z",
                    "sent_at": None,
                    "status": "draft",
                    "obligation": "gdpr.notify_authority.LU",
                    "recipient": "CNPD",
                    "unknowns": json.dumps(["[TO COMPLETE: count]"]),
                    "edited": 1,
                    "actor": "tester",
                },
            )
            if status == "sent":
                store.mark_notice_sent(notice_id, "2026-03-02T15:00:00Z", "REF-9", "e-mail")
    return ids


@pytest.fixture
def source_db(tmp_path: Path, rules: RuleSet) -> Path:
    path = tmp_path / "source.db"
    with Store.open(path) as store:
        populate(store, rules)
    return path


def run(capsys: Any, *args: str) -> tuple[int, str, str]:
    """``breach ARGS`` in-process: exit code, stdout, stderr."""
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def export_file(capsys: Any, db: Path, target: Path, *args: str) -> dict[str, Any]:
    code, _, err = run(capsys, "--db", str(db), "export", "-o", str(target), "--now", NOW, *args)
    assert code == 0, err
    data: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    return data
