"""Filters on the incident list (status, organisation, regime, due window): in SQL through
the service, and on `breach list`. The demo log at a frozen instant is the data:

DEMO-2026-0001 flexibelt  open    due 01:30 (overdue)  gdpr
DEMO-2026-0002 mixvoip    open    due 14:30 (5 h)      eprivacy, nis2
DEMO-2026-0003 infra-voip open    due 06:30 next day   gdpr
DEMO-2026-0004 diflex     open    due in 41 h          gdpr, ge_pdp
DEMO-2026-0005 assutech   closed                       gdpr
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breach.clock import fixed_clock
from breach.errors import BadInput
from breach.rules import RuleSet
from breach.service import IncidentLog
from breach.service.filters import Filters

from .conftest import run_cli

FROZEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
NOW = "2026-11-20T09:30:00Z"
OPEN = ["DEMO-2026-0001", "DEMO-2026-0002", "DEMO-2026-0003", "DEMO-2026-0004"]
CLOSED = "DEMO-2026-0005"


@pytest.fixture
def db(tmp_path: Path, rules: RuleSet) -> Path:
    path = tmp_path / "filters.db"
    with IncidentLog.open(path, rules, fixed_clock(FROZEN), "tester") as log:
        log.create_demo()
    return path


@pytest.fixture
def log(db: Path, rules: RuleSet) -> Iterator[IncidentLog]:
    with IncidentLog.open(db, rules, fixed_clock(FROZEN), "tester") as opened:
        yield opened


def ids(log: IncidentLog, filters: Filters, search: str = "", mine: bool = False) -> list[str]:
    """The dashboard's page under ``filters``; the whole list agrees with it."""
    page = [r["id"] for r in log.page(False, search, 200, mine, filters)]
    if not search and not mine:
        assert [r["id"] for r in log.summaries(False, filters)] == page
        assert [r["id"] for r in json.loads(log.list_json(False, filters))] == page
    return page


def test_status_open_closed_all(log: IncidentLog) -> None:
    assert ids(log, Filters()) == OPEN
    assert ids(log, Filters("closed")) == [CLOSED]
    assert ids(log, Filters("all")) == [*OPEN, CLOSED]  # no deadline last


def test_without_filters_the_old_arguments_still_decide(log: IncidentLog) -> None:
    assert [r["id"] for r in log.page(False, "", 200)] == OPEN
    assert [r["id"] for r in log.page(True, "", 200)] == [*OPEN, CLOSED]


def test_organisation(log: IncidentLog) -> None:
    assert ids(log, Filters(organisation="mixvoip")) == ["DEMO-2026-0002"]
    assert ids(log, Filters(organisation="assutech")) == []  # its one incident is closed
    assert ids(log, Filters("all", organisation="assutech")) == [CLOSED]
    assert log.organisations() == {
        "assutech": "Assutech",
        "diflex": "DIFLEX",
        "flexibelt": "Flexibelt",
        "infra-voip": "Infra VOIP",
        "mixvoip": "Mixvoip",
    }


def test_regime_keeps_the_incidents_with_a_required_duty_under_it(log: IncidentLog) -> None:
    assert ids(log, Filters(regime="nis2")) == ["DEMO-2026-0002"]
    assert ids(log, Filters(regime="ge_pdp")) == ["DEMO-2026-0004"]
    assert ids(log, Filters(regime="gdpr")) == ["DEMO-2026-0001", "DEMO-2026-0003", OPEN[3]]
    assert ids(log, Filters(regime="ch_fadp")) == []
    # the same answer as the stored duties give, incident by incident
    for regime, _, _ in log.regimes():
        expected = [
            row["id"]
            for row in log.summaries(True)
            if any(
                d["regime"] == regime and d["status"] == "required"
                for d in log.store.duties(row["id"])
            )
        ]
        assert ids(log, Filters("all", regime=regime)) == expected, regime


def test_due_window_counts_from_the_logs_clock(log: IncidentLog) -> None:
    assert ids(log, Filters(due="overdue")) == ["DEMO-2026-0001"]
    assert ids(log, Filters(due="24h")) == OPEN[:3]  # overdue ones too
    assert ids(log, Filters(due="72h")) == OPEN
    log.clock = fixed_clock(FROZEN + timedelta(hours=6))  # 14:30 has passed
    assert ids(log, Filters(due="overdue")) == OPEN[:2]


def test_a_closed_incident_has_no_open_deadline(log: IncidentLog) -> None:
    log.clock = fixed_clock(FROZEN + timedelta(days=30))  # every deadline long past
    assert ids(log, Filters("all", due="overdue")) == OPEN
    assert ids(log, Filters("closed", due="overdue")) == []


def test_filters_combine_with_each_other_search_and_mine(log: IncidentLog) -> None:
    assert ids(log, Filters(regime="gdpr", due="24h")) == ["DEMO-2026-0001", "DEMO-2026-0003"]
    both = Filters(organisation="infra-voip", regime="gdpr", due="24h")
    assert ids(log, both) == ["DEMO-2026-0003"]
    assert ids(log, Filters(regime="gdpr"), search="Voicemail") == ["DEMO-2026-0003"]
    assert ids(log, Filters(regime="gdpr"), search="Call detail") == []
    log.team.assign("DEMO-2026-0004", "tester")
    log.team.assign("DEMO-2026-0002", "tester")
    assert ids(log, Filters(regime="gdpr"), mine=True) == ["DEMO-2026-0004"]
    assert ids(log, Filters(due="24h"), mine=True) == ["DEMO-2026-0002"]


def test_a_page_stays_a_page(log: IncidentLog) -> None:
    assert [r["id"] for r in log.page(False, "", 1, filters=Filters(regime="gdpr"))] == [
        "DEMO-2026-0001"
    ]


def page_plan(log: IncidentLog, filters: Filters) -> str:
    """SQLite's plan of the query a dashboard page under ``filters`` runs."""
    statements: list[str] = []
    log.store.db.conn.set_trace_callback(statements.append)
    log.page(False, "", 200, filters=filters)
    log.store.db.conn.set_trace_callback(None)
    [select] = [s for s in statements if s.lstrip().startswith("SELECT")]
    return " ".join(r[3] for r in log.store.db.execute(f"EXPLAIN QUERY PLAN {select}"))


def test_the_due_window_is_a_range_on_the_deadline_index(log: IncidentLog) -> None:
    """No scan of the table: a page under a due window reads the deadline index."""
    plan = page_plan(log, Filters(due="24h", organisation="mixvoip"))
    assert "USING INDEX incidents_by_deadline (status=? AND <expr><?)" in plan, plan
    assert "SCAN incidents" not in plan


def test_a_regime_matches_whole_ids_only(log: IncidentLog) -> None:
    """A regime is an element of the stored array, not a part of one: gdpr is not uk_gdpr."""
    log.store.db.execute(
        "UPDATE incidents SET regimes = ? WHERE id = 'DEMO-2026-0003'", ['["uk_gdpr"]']
    )
    assert "DEMO-2026-0003" not in ids(log, Filters(regime="gdpr"))
    assert ids(log, Filters(regime="uk_gdpr")) == ["DEMO-2026-0003"]
    assert ids(log, Filters(regime="gdp")) == []


def test_organisation_and_regime_filters_read_the_deadline_index(log: IncidentLog) -> None:
    """A filter on a rare organisation or regime walks the index (which holds both), in
    deadline order, not the table."""
    plan = page_plan(log, Filters(organisation="mixvoip", regime="nis2"))
    assert "USING INDEX incidents_by_deadline (status=?)" in plan, plan
    assert "SCAN incidents" not in plan and "TEMP B-TREE" not in plan
    index = log.store.db.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'incidents_by_deadline'"
    ).fetchone()[0]
    assert index.endswith("created_at, organisation, regimes)")


def test_bad_filters_are_refused_naming_the_choices(log: IncidentLog) -> None:
    with pytest.raises(BadInput, match="choose one of open, closed, all"):
        Filters("shut")
    with pytest.raises(BadInput, match="choose one of overdue, 24h, 72h"):
        Filters(due="1h")
    with pytest.raises(BadInput, match=r"'acme' has no incident .*assutech, diflex"):
        log.check_filters(Filters(organisation="acme"))
    with pytest.raises(BadInput, match=r"regime 'foo' is not known .*ch_fadp, eprivacy"):
        log.check_filters(Filters(regime="foo"))
    assert log.check_filters(Filters(organisation="mixvoip", regime="nis2")).regime == "nis2"


def test_filters_in_words() -> None:
    assert not Filters().active and Filters("all").active
    filters = Filters("open", "mixvoip", "nis2", "24h")
    assert filters.describe({"mixvoip": "Mixvoip"}, {"nis2": "NIS2"}) == (
        "open · Mixvoip · NIS2 · due within 24 h"
    )
    assert Filters("all", regime="gdpr").describe() == "open and closed · gdpr"


def test_regimes_are_named_as_the_duties_name_them(log: IncidentLog) -> None:
    regimes = log.regimes()
    assert [r[0] for r in regimes][:3] == ["gdpr", "eprivacy", "nis2"]
    assert ("eprivacy", "telecom") in [(r[0], r[1]) for r in regimes]
    assert {r[0] for r in regimes} == set(log.rules.regimes)


# -- breach list --------------------------------------------------------------------------


def listed(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines()]


def test_cli_list_filters(capsys, db: Path) -> None:
    base = ("--db", str(db), "list", "--now", NOW)
    code, out, _ = run_cli(capsys, *base, "--due", "24h")
    assert code == 0 and listed(out) == OPEN[:3]
    code, out, _ = run_cli(capsys, *base, "--regime", "NIS2")  # the id, any case
    assert code == 0 and listed(out) == ["DEMO-2026-0002"]
    code, out, _ = run_cli(capsys, *base, "--org", "assutech", "--all")
    assert code == 0 and listed(out) == [CLOSED]
    code, out, _ = run_cli(capsys, *base, "--org", "diflex", "--regime", "gdpr", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == ["DEMO-2026-0004"]
    code, out, _ = run_cli(capsys, *base, "--org", "assutech")
    assert code == 0 and out == "No open incidents matching the filters.\n"


def test_cli_list_due_counts_from_now(capsys, db: Path) -> None:
    later = "2026-11-20T15:00:00Z"
    code, out, _ = run_cli(capsys, "--db", str(db), "list", "--now", later, "--due", "overdue")
    assert code == 0 and listed(out) == OPEN[:2]


def test_cli_list_without_filters_is_unchanged(capsys, db: Path) -> None:
    code, out, _ = run_cli(capsys, "--db", str(db), "list", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == OPEN
    code, out, _ = run_cli(capsys, "--db", str(db), "list", "--all", "--now", NOW)
    assert code == 0 and listed(out) == [*OPEN, CLOSED]


@pytest.mark.parametrize(
    ("option", "said"),
    [
        (("--org", "acme"), "organisation 'acme' has no incident in this log (organisations: "),
        (("--regime", "foo"), "regime 'foo' is not known (regimes: ch_fadp, eprivacy, gdpr"),
        (("--due", "1h"), "argument --due: invalid choice: '1h'"),
    ],
)
def test_cli_list_bad_filter_is_one_line_exit_2(capsys, db: Path, option, said) -> None:
    code, out, err = run_cli(capsys, "--db", str(db), "list", *option)
    assert code == 2 and out == ""
    [line] = [line for line in err.splitlines() if line.startswith("breach:")]
    assert said in line
