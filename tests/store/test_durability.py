"""Real processes: SIGKILL at any point loses no acknowledged change; two writers lose nothing."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from breach.store import Store

from ..conftest import BASE_FACTS

WRITER = """
import json, sys
from breach.clock import system_clock
from breach.model import facts_from_data
from breach.rules import load_rules
from breach.service.incidents import IncidentService
from breach.store import Store

facts = facts_from_data(json.loads(sys.argv[2]))
store = Store.open(sys.argv[1])
service = IncidentService(store, load_rules(), system_clock, actor=sys.argv[3])
print("ready", flush=True)
for n in range(int(sys.argv[4])):
    if sys.argv[5] == "open":
        incident_id = service.open(facts)
        service.add_note(incident_id, f"note {n}")
        print(incident_id, flush=True)  # acknowledged: committed before this line
    else:
        service.add_note(sys.argv[5], f"{sys.argv[3]} {n}")
        print(n, flush=True)
"""


def writer(db: Path, actor: str, count: int, target: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), json.dumps(BASE_FACTS), actor, str(count), target],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.serial
def test_sigkill_at_any_point_keeps_every_acknowledged_change(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    acknowledged: list[str] = []
    for round_number in range(6):
        proc = writer(db, f"w{round_number}", 10_000, "open")
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
        time.sleep(0.05 + 0.07 * round_number)  # kill at a different point each round
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        acknowledged += [line for line in out.split() if line.startswith("BR-")]
        with Store.open(db) as store:
            assert store.integrity_ok()
            problem = store.verify_audit().problem
            assert problem is None, problem
            stored = {row["id"] for row in store.list_incidents(include_closed=True)}
            assert set(acknowledged) <= stored
            for incident_id in acknowledged:  # opened and noted, both committed before the line
                events = store.events(incident_id)
                assert [e["kind"] for e in events] == ["opened", "note"], events
                assert events[1]["text"].startswith("note ")
    assert len(acknowledged) > 0


@pytest.mark.serial
def test_two_processes_editing_one_incident_lose_nothing(tmp_path: Path) -> None:
    from breach.clock import system_clock
    from breach.model import facts_from_data
    from breach.rules import load_rules
    from breach.service.incidents import IncidentService

    db = tmp_path / "two.db"
    with Store.open(db) as store:
        incident_id = IncidentService(store, load_rules(), system_clock, "setup").open(
            facts_from_data(BASE_FACTS)
        )
    procs = [writer(db, name, 25, incident_id) for name in ("alice", "bob")]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
    with Store.open(db) as store:
        notes = [e["text"] for e in store.events(incident_id) if e["kind"] == "note"]
        assert sorted(notes) == sorted(f"{who} {n}" for who in ("alice", "bob") for n in range(25))
        assert store.verify_audit().problem is None
