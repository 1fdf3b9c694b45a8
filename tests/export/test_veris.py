"""The VERIS export: valid against the VERIS community's own schema (verisc-merged.json,
vz-risk/veris 45d9d7a), a random UUIDv4 per incident, records not people in data_total,
and the incident kinds and cause mapped onto VERIS actors, actions and attributes."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest

from breach.clock import fixed_clock
from breach.export import veris
from breach.export.common import Options
from breach.model import facts_from_data
from breach.model.particulars import DiscoveredBy, IncidentKind
from breach.rules import RuleSet
from breach.service.incidents import IncidentService
from breach.store import Store

from ..conftest import BASE_FACTS
from ..conftest import NOW as CASE_NOW
from .conftest import NOW, populate, run

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "tests" / "data" / "veris-1.4-verisc-merged.json").read_text())
VALIDATOR = jsonschema.Draft4Validator(SCHEMA)
SHARED = ROOT.parent / "shared" / "cases"
CASES = sorted((ROOT / "tests" / "data" / "edpb_examples").glob("*.json"))
if SHARED.is_dir():
    CASES += sorted(SHARED.glob("*.json"))
#: The facts of the worked cases, changed to say what kind of incident it was and who did it.
VARIANTS: dict[str, dict[str, Any]] = {
    "insider": {"incident_kinds": ["insider"], "cause": "internal", "malicious": True},
    "insider_error": {"incident_kinds": ["insider"], "malicious": False},
    "ransomware": {"incident_kinds": ["ransomware"], "availability": "temporary",
                   "unavailable_hours": 5, "confidentiality": "none", "exfiltration": "none"},
    "misdelivery": {"incident_kinds": ["misdirected_communication"], "malicious": False,
                    "confidentiality": "unknown", "exfiltration": "unknown"},
    "loss": {"incident_kinds": ["lost_device"], "malicious": False, "cause": "internal",
             "confidentiality": "unknown", "exfiltration": "unknown"},
    "paper_lost": {"incident_kinds": ["physical_documents", "lost_device"], "malicious": False},
    "theft": {"incident_kinds": ["stolen_device"], "protection": "encrypted",
              "protection_state_of_the_art": True, "key_compromised": False},
    "phishing": {"incident_kinds": ["phishing", "credential_stuffing"]},
    "exploited": {"incident_kinds": ["misconfiguration"], "cause": "external"},
    "processor": {"cause": "external", "malicious": False,
                  "processors": [{"name": "Cloud Hosting Ltd", "country": "IE"}]},
    "unknown": {"cause": "unknown", "malicious": None},
    "records": {"records": 1234, "occurred_at": "2026-02-20T08:00:00Z",
                "ended_at": "2026-03-03T08:00:00Z", "discovered_by": "staff"},
    "every_kind": {"incident_kinds": list(get_args(IncidentKind)), "availability": "permanent",
                   "integrity": "recoverable", "discovered_by": "attacker"},
}  # fmt: skip


def errors(record: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(record)]


def exported(capsys: Any, db: Path, *ids: str) -> list[dict[str, Any]]:
    code, out, err = run(capsys, "--db", str(db), "export", "--format", "veris", "--now", NOW, *ids)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def open_all(db: Path, rules: RuleSet, facts: list[dict[str, Any]]) -> list[str]:
    with Store.open(db) as store:
        service = IncidentService(store, rules, fixed_clock(CASE_NOW), actor="tester")
        return [service.open(facts_from_data(data)) for data in facts]


def enum(*path: str) -> list[str]:
    """The enumeration at ``path`` in the schema (array items followed)."""
    node = SCHEMA
    for key in path:
        node = node["properties"][key]
        if node.get("type") == "array":
            node = node["items"]
    values: list[str] = node["enum"]
    return values


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory, rules: RuleSet) -> Path:
    db = tmp_path_factory.mktemp("veris") / "breach.db"
    open_all(db, rules, [{**BASE_FACTS, "title": n, **v} for n, v in VARIANTS.items()])
    return db


@pytest.fixture
def by_title(capsys: Any, variants: Path) -> dict[str, dict[str, Any]]:
    return {r["summary"]: r for r in exported(capsys, variants)}


def test_the_fixture_incidents_are_valid_veris(capsys: Any, source_db: Path) -> None:
    records = exported(capsys, source_db)
    assert len(records) == 4
    for record in records:
        assert errors(record) == [], record["reference"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_worked_case_is_valid_veris(capsys: Any, tmp_path: Path, rules, path) -> None:
    facts = json.loads(path.read_text())["facts"]
    (incident,) = open_all(tmp_path / "cases.db", rules, [facts])
    (record,) = exported(capsys, tmp_path / "cases.db", incident)
    assert errors(record) == []
    assert record["reference"] == incident and record["victim"]["country"] != ["Unknown"]
    assert "data_total" not in record["attribute"]["confidentiality"]  # no records in the cases


def test_every_variant_is_valid_veris(by_title: dict[str, dict[str, Any]]) -> None:
    assert set(by_title) == set(VARIANTS)
    for title, record in by_title.items():
        assert errors(record) == [], title


def test_the_schema_version_is_the_one_the_schema_asks_for() -> None:
    wanted = SCHEMA["properties"]["schema_version"]
    assert veris.SCHEMA_VERSION in wanted.get("enum", [wanted["default"]])


def test_every_mapped_value_is_in_the_schema_enumerations() -> None:
    kinds = set(get_args(IncidentKind))
    pairs = [*veris.ACTION.values(), veris.INSIDER_ERROR, veris.EXPLOITED_MISCONFIG]
    for category, variety in pairs:
        assert variety in enum("action", category, "variety"), (category, variety)
        required = SCHEMA["properties"]["action"]["properties"][category]["required"]
        assert set(required) <= {"variety", "vector", *veris.ACTION_EXTRA.get(category, {})}
    for table in (veris.ACTION, veris.AVAILABILITY, veris.INTEGRITY, veris.ASSET):
        assert set(table) <= kinds
    assert set(veris.AVAILABILITY.values()) <= set(enum("attribute", "availability", "variety"))
    assert set(veris.INTEGRITY.values()) <= set(enum("attribute", "integrity", "variety"))
    assert set(veris.ASSET.values()) <= set(enum("asset", "assets", "variety"))
    confidentiality = ("attribute", "confidentiality")
    assert set(veris.DATA_VARIETY.values()) <= set(enum(*confidentiality, "data", "variety"))
    assert set(veris.DATA_VICTIM.values()) <= set(enum(*confidentiality, "data_victim"))
    assert set(veris.DISCLOSURE.values()) <= set(enum(*confidentiality, "data_disclosure"))
    assert set(veris.DISCOVERY) == set(get_args(DiscoveredBy))
    for found in filter(None, veris.DISCOVERY.values()):
        assert found[1] in enum("discovery_method", found[0], "variety"), found


def test_each_installation_gives_its_own_random_uuid(
    capsys: Any, tmp_path: Path, rules: RuleSet
) -> None:
    ids = []
    for name in ("one", "two"):
        with Store.open(tmp_path / f"{name}.db") as store:
            populate(store, rules)
        first, again = (exported(capsys, tmp_path / f"{name}.db")[0] for _ in range(2))
        assert first["reference"] == "BR-2026-0001"
        assert first["incident_id"] == again["incident_id"] == first["plus"]["master_id"]
        parsed = uuid.UUID(first["incident_id"])
        assert parsed.version == 4 and first["incident_id"] == str(parsed).upper()
        ids.append(first["incident_id"])
    assert ids[0] != ids[1]
    assert not hasattr(veris, "NAMESPACE")


def test_the_incident_id_is_the_stored_uuid_and_a_missing_one_is_refused() -> None:
    incident = {"id": "BR-2026-0009", "uuid": "3f0c2a1e-9b7d-4c2a-8e1f-0a1b2c3d4e5f"}
    assert veris.veris_id(incident) == "3F0C2A1E-9B7D-4C2A-8E1F-0A1B2C3D4E5F"
    with pytest.raises(ValueError, match="BR-2026-0009 has no uuid"):
        veris.veris_id({"id": "BR-2026-0009"})
    with pytest.raises(ValueError, match="not a version 4"):
        veris.veris_id({**incident, "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, "x"))})


def test_an_insider_is_an_internal_actor(by_title: dict[str, dict[str, Any]]) -> None:
    deliberate, error = by_title["insider"], by_title["insider_error"]
    assert deliberate["actor"] == {"internal": {"variety": ["Unknown"], "motive": ["Unknown"]}}
    assert deliberate["action"] == {
        "misuse": {"variety": ["Privilege abuse"], "vector": ["Unknown"]}
    }
    assert error["actor"] == {"internal": {"variety": ["Unknown"], "motive": ["NA"]}}
    assert error["action"] == {"error": {"variety": ["Unknown"], "vector": ["Unknown"]}}


def test_the_departing_employee_is_not_filed_as_an_outsider(
    capsys: Any, tmp_path: Path, rules: RuleSet
) -> None:
    departing = {
        **BASE_FACTS,
        "title": "Departing employee copied client list",
        "confidentiality": "known_recipients",
        "exfiltration": "confirmed",
    }
    told = {**departing, "incident_kinds": ["insider"], "cause": "internal"}
    db = tmp_path / "departing.db"
    silent, known = exported(capsys, db, *open_all(db, rules, [departing, told]))
    assert list(silent["actor"]) == ["unknown"]  # deliberate, but by whom is not said
    assert list(known["actor"]) == ["internal"] and list(known["action"]) == ["misuse"]


def test_ransomware_is_malware_that_obscures(by_title: dict[str, dict[str, Any]]) -> None:
    record = by_title["ransomware"]
    assert record["action"]["malware"]["variety"] == ["Ransomware"]
    availability = record["attribute"]["availability"]
    assert availability["variety"] == ["Obscuration"]
    assert availability["duration"] == {"unit": "Hours", "value": 5}
    assert record["attribute"]["integrity"]["variety"] == ["Software installation"]
    assert record["attribute"]["confidentiality"]["data_disclosure"] == "No"
    assert "external" in record["actor"]


def test_misdelivery_is_an_error_that_disclosed_data(by_title: dict[str, dict[str, Any]]) -> None:
    record = by_title["misdelivery"]
    assert record["action"] == {"error": {"variety": ["Misdelivery"], "vector": ["Unknown"]}}
    assert record["attribute"]["confidentiality"]["data_disclosure"] == "Yes"
    assert record["actor"]["internal"]["motive"] == ["NA"]


def test_loss_is_an_error_and_an_availability_loss(by_title: dict[str, dict[str, Any]]) -> None:
    record = by_title["loss"]
    assert record["action"] == {"error": {"variety": ["Loss"], "vector": ["Unknown"]}}
    assert record["attribute"]["availability"]["variety"] == ["Loss"]
    assert record["attribute"]["confidentiality"]["data_disclosure"] == "Unknown"
    paper = by_title["paper_lost"]
    assert paper["asset"] == {"assets": [{"variety": "M - Documents"}], "cloud": ["NA"]}
    assert paper["action"]["error"]["variety"] == ["Loss"]


def test_theft_is_physical_and_an_availability_loss(by_title: dict[str, dict[str, Any]]) -> None:
    record = by_title["theft"]
    assert record["action"] == {"physical": {"variety": ["Theft"], "vector": ["Unknown"]}}
    assert record["attribute"]["availability"]["variety"] == ["Loss"]
    assert record["attribute"]["confidentiality"]["state"] == ["Stored encrypted"]
    assert record["asset"] == {"assets": [{"variety": "Unknown"}], "cloud": ["Unknown"]}
    assert list(record["actor"]) == ["external"]


def test_phishing_hacking_and_an_exploited_misconfiguration(by_title) -> None:
    phishing = by_title["phishing"]["action"]
    assert phishing["social"] == {"variety": ["Phishing"], "vector": ["Unknown"],
                                  "target": ["Unknown"]}  # fmt: skip
    assert phishing["hacking"]["variety"] == ["Use of stolen creds"]
    exploited = by_title["exploited"]
    assert exploited["action"]["error"]["variety"] == ["Misconfiguration"]
    assert exploited["action"]["hacking"]["variety"] == ["Exploit misconfig"]
    assert list(exploited["actor"]) == ["external"]


def test_a_processors_error_is_a_partner_and_unknown_stays_unknown(by_title) -> None:
    partner = by_title["processor"]["actor"]
    assert partner == {"partner": {"motive": ["NA"], "country": ["IE"],
                                   "name": ["Cloud Hosting Ltd"]}}  # fmt: skip
    record = by_title["unknown"]
    assert list(record["actor"]) == ["unknown"] and list(record["action"]) == ["unknown"]


def test_data_total_counts_records_never_people(by_title, capsys, source_db) -> None:
    confidentiality = by_title["records"]["attribute"]["confidentiality"]
    assert confidentiality["data_total"] == 1234
    assert confidentiality["notes"] == "50 people affected (data_total counts records)"
    assert by_title["records"]["plus"]["breach"]["subjects"]["count"] == 50
    for record in [*by_title.values(), *exported(capsys, source_db)]:
        gdpr = record["plus"]["breach"]
        total = record["attribute"]["confidentiality"].get("data_total")
        assert total == gdpr["records"], record["summary"]  # absent without a records count
        assert total is None or total != gdpr["subjects"]["count"]


def test_timeline_and_discovery_from_the_facts(by_title: dict[str, dict[str, Any]]) -> None:
    record = by_title["records"]
    assert record["timeline"] == {
        "incident": {"year": 2026, "month": 2, "day": 20},
        "discovery": {"unit": "Days", "value": 10.0},
        "containment": {"unit": "Hours", "value": 24.0},
    }
    assert record["discovery_method"] == {"internal": {"variety": ["Reported by employee"]}}
    assert by_title["every_kind"]["discovery_method"] == {
        "external": {"variety": ["Actor disclosure"]}
    }
    assert by_title["ransomware"]["discovery_method"] == {"unknown": True}


def test_every_kind_at_once_merges_the_mappings(by_title: dict[str, dict[str, Any]]) -> None:
    record = by_title["every_kind"]
    assert set(record["action"]) == {"malware", "social", "hacking", "error", "physical", "misuse"}
    assert record["action"]["malware"]["variety"] == ["Ransomware", "Unknown"]
    assert record["attribute"]["availability"]["variety"] == ["Obscuration", "Loss"]
    assert "Modify data" in record["attribute"]["integrity"]["variety"]


def test_victim_countries_are_iso_codes_veris_knows() -> None:
    incident = {"organisation": "x", "facts": {}}
    profile = {"main_establishment": "EL", "establishments": [{"country": "UK"}, {"country": "ZZ"}]}
    found = veris.victim(incident, Options(exported_at=NOW, profiles={"x": profile}))
    assert found["country"] == ["GR", "GB"] and found["government"] == ["Unknown"]
    assert veris.victim(incident, Options(exported_at=NOW))["country"] == ["Unknown"]


def test_the_gdpr_details_stay_under_plus_breach(capsys: Any, source_db: Path) -> None:
    record = exported(capsys, source_db)[0]
    assert record["reference"] == "BR-2026-0001" and record["schema_version"] == "1.4.0"
    assert record["timeline"]["incident"] == {"year": 2026, "month": 3, "day": 2}
    confidentiality = record["attribute"]["confidentiality"]
    assert confidentiality["data_disclosure"] == "Yes" and "data_total" not in confidentiality
    assert {"variety": "Personal"} in confidentiality["data"]
    assert confidentiality["data_victim"] == ["Customer"]
    assert record["victim"]["country"] == ["LU"] and record["victim"]["industry"] == "000"
    gdpr = record["plus"]["breach"]
    assert gdpr["risk"] and any(o["reference"] == "CNPD-42" for o in gdpr["obligations"])
    assert record["plus"]["analysis_status"] == "First pass"
