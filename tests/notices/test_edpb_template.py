"""The ``edpb-json`` export against the EDPB template's field-by-field extraction.

tests/data/edpb-template-v1.0-fields.schema.json (see tests/data/README.md) gives each
question's number, property key, option keys and conditions. Every export is validated
against it; where the tool reads a question differently, docs/notices.md says so and
:func:`as_read` applies the same reading to the schema.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from .conftest import (
    CONTROLLER_FACTS,
    NOW,
    Runner,
    complete_controller_facts,
    complete_processor_facts,
    open_incident,
)

HERE = Path(__file__).resolve().parent
SCHEMA: dict[str, Any] = json.loads(
    (HERE.parent / "data" / "edpb-template-v1.0-fields.schema.json").read_text(encoding="utf-8")
)
PROPERTIES: dict[str, dict[str, Any]] = SCHEMA["properties"]
PROCESSOR_NOW = "2026-06-10T16:00:00Z"
LATE = "2026-09-18T12:00:00Z"  # the 72 h ran out on 17 September, 07:00 UTC
LEAD = "National Commission for Data Protection"

#: Our readings of the extraction (docs/notices.md): check-box questions take a list of
#: option keys, 117 and 122 a number per country, 118 and 123 the authorities' names (its
#: option list for them is one garbled option), and 95 is a description, not a date.
LISTS = {40, 55, 65, 70, 75, 79, 81, 83, 85, 94}
PER_COUNTRY = {117, 122}
NAMES = {118, 123}
#: Required by the extraction without a condition, hidden by ours: 41 goes with 38.
HIDDEN_HERE = {41}


def as_read(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with our readings of its questions applied."""
    read = copy.deepcopy(schema)
    properties = read["properties"]
    for number in LISTS:
        one = properties[f"field_{number}"]
        properties[f"field_{number}"] = {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": one,
        }
    for number in PER_COUNTRY:
        properties[f"field_{number}"] = {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": "^[A-Z]{2}$"},
            "additionalProperties": properties[f"field_{number}"],
        }
    for number in NAMES:
        properties[f"field_{number}"] = {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "minLength": 1},
        }
    del properties["field_95"]["format"]
    return read


VALIDATOR = Draft202012Validator(
    as_read(SCHEMA), format_checker=Draft202012Validator.FORMAT_CHECKER
)


def numbers(items: Any) -> set[int]:
    return {int(re.sub(r"\D", "", str(item))) for item in items}


def check(document: dict[str, Any]) -> None:
    """Valid as the template reads, and every field accounted for."""
    answers, fields = document["answers"], document["fields"]
    errors = list(VALIDATOR.iter_errors(answers))
    assert [e.message for e in errors if e.validator != "required"] == []
    absent = numbers(
        re.findall(r"'(field_\d+)' is a required", " ".join(e.message for e in errors))
    )
    missing = {m["field"] for m in document["missing_mandatory"]}
    hidden = set(document["hidden"])
    # a required field is absent only because it is still missing, or because the template
    # hides it: then the extraction gives it a condition (or we read one, HIDDEN_HERE)
    assert absent <= missing | hidden
    for number in absent & hidden:
        assert "x-visible-if" in PROPERTIES[f"field_{number}"] or number in HIDDEN_HERE
    # every one of the template's input fields: shown (filled or not) or hidden
    assert numbers(fields) | hidden == numbers(PROPERTIES) and not numbers(fields) & hidden
    for number, entry in fields.items():
        assert entry["key"] == f"field_{number}"
        assert answers.get(entry["key"]) == entry["value"]
        if entry["mandatory"] and entry["value"] is None:
            assert int(number) in missing
        if "option" in entry:  # a coded answer: each code is one of the template's options
            texts = entry["option"]
            assert None not in (texts if isinstance(texts, list) else [texts])
    for number in hidden:
        assert f"field_{number}" not in answers
    for key, value in answers.items():  # the format checker does not check date-time
        if PROPERTIES[key].get("format") == "date-time":
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value)
            datetime.fromisoformat(value)
    # "to be determined" answers are only for an incomplete notification
    if answers["field_4"] == "a":
        assert not missing


def no_dpo_reporter_controller() -> dict[str, Any]:
    """A single-country controller with a DPO, who reports the breach; still going on."""
    organisation = {
        "id": "solo",
        "name": "Solo Hosting",
        "main_establishment": "LU",
        "establishments": [{"country": "LU", "entity": "Solo Hosting S.à r.l."}],
        "contact": "privacy@solo.example",
        "dpo": {"designated": True, "name": "Marie Klein", "email": "dpo@solo.example"},
    }
    data = complete_controller_facts()
    data["organisation"] = organisation
    data["subjects"] = {"count": 800, "kinds": ["customers"], "countries": ["LU"]}
    data["reporter"] = {
        "name": "Marie Klein",
        "role": "Data protection officer",
        "email": "dpo@solo.example",
    }
    data["ongoing"], data["ended_at"] = True, None
    return data


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BR-2026-0001 complete, -0002 only the required facts, -0003 a processor with every
    particular, -0004 the complete one on the telecom (ePrivacy) route, -0005 a DPO-run
    single-country controller, -0006 a controller outside the EEA (Georgia)."""
    from datetime import UTC

    path = tmp_path_factory.mktemp("edpb") / "breach.db"
    required = {key: CONTROLLER_FACTS[key] for key in ("organisation", "role", "detected_at")}
    outside = {**CONTROLLER_FACTS, "organisation": "diflex"}
    outside["subjects"] = {"count": 50, "kinds": ["customers"], "countries": ["DE", "FR"]}
    assert open_incident(path, complete_controller_facts()) == "BR-2026-0001"
    assert open_incident(path, required) == "BR-2026-0002"
    processor_opened = datetime(2026, 6, 10, 15, tzinfo=UTC)
    assert open_incident(path, complete_processor_facts(), processor_opened) == "BR-2026-0003"
    assert open_incident(path, {**complete_controller_facts(), "ecs_data": True}) == "BR-2026-0004"
    assert open_incident(path, no_dpo_reporter_controller()) == "BR-2026-0005"
    assert open_incident(path, outside) == "BR-2026-0006"
    return path


def export(
    cli: Runner, db: Path, incident: str, *args: str, kind: str = "authority", now: str = NOW
) -> tuple[dict[str, Any], str]:
    """Draft the edpb-json notice, check it against the template; document and stderr."""
    code, out, err = cli(
        "--db", str(db), "notice", incident, kind, "--format", "edpb-json", "--now", now, *args
    )  # fmt: skip
    assert code == 0, err
    document = json.loads(out)
    check(document)
    return document, err


def missing(document: dict[str, Any]) -> set[int]:
    return {m["field"] for m in document["missing_mandatory"]}


def test_a_complete_incident_fills_every_field_it_can(cli: Runner, db: Path) -> None:
    document, err = export(cli, db, "BR-2026-0001")
    answers, fields = document["answers"], document["fields"]
    assert answers["field_3"] == "a" and answers["field_12"] == "MIXVOIP Sa"
    # 14 is Private/Public, never our own "electronic communications"
    assert answers["field_14"] == "a" and fields["14"]["option"] == "Private"
    assert fields["14"]["source"] == "suggested"
    # 33 names who to ask (DPO / reporting person / other), not an address
    assert answers["field_33"] == "b" and fields["33"]["option"] == "Reporting person"
    assert answers["field_21"] == "Anne Weber" and answers["field_23"] == "c"
    assert answers["field_24"] == "Security officer"  # shown because 23 is "other"
    assert answers["field_44"] == "b" and answers["field_46"] == "2026-09-09T09:20:00Z"
    assert answers["field_47"] == "2026-09-14T06:10:00Z"
    assert answers["field_48"] == "2026-09-14T07:00:00Z"
    assert answers["field_60"] == "m" and fields["60"]["option"] == "Misconfiguration"
    assert answers["field_61"] == "b"  # internal, malicious
    assert answers["field_55"] == ["a"] and answers["field_56"] == "a"
    assert answers["field_70"] == ["a", "b", "n", "s"] and answers["field_73"] == 9200
    assert answers["field_79"] == ["a", "b", "c", "d"]  # 79: confidentiality consequences
    assert answers["field_80"] == complete_controller_facts()["consequences"]
    assert answers["field_87"] == "c" and answers["field_89"] == "a"
    assert answers["field_97"] == "b" and answers["field_99"] == "2026-09-17"
    assert answers["field_109"] == "a" and "PGD-2026-4471" in answers["field_111"]
    # cross-border processing under the GDPR: the one-stop shop's lead authority
    assert answers["field_113"] == "a" and answers["field_114"] == LEAD
    assert answers["field_116"] == "BE, DE, LU"
    assert answers["field_117"] == {"BE": 600, "DE": 200, "LU": 1500}
    # hidden: integrity and availability (not hit), the DPO's name (none is known), 6.3
    assert {58, 59, 81, 83, 30, 31, 120, 121} <= set(document["hidden"])
    assert "field_83" not in answers and "83" not in fields
    # what the facts cannot say: whether a DPO is designated, the processor's contact
    assert missing(document) == {29, 41} and answers["field_4"] == "b"
    assert "field 41: Contact details of the other involved party" in err


def test_only_the_required_facts_lists_what_is_missing(cli: Runner, db: Path) -> None:
    document, err = export(cli, db, "BR-2026-0002", "--recipient", "gdpr.notify_authority.LU")
    answers = document["answers"]
    assert answers["field_4"] == "b"
    assert answers["field_60"] == "x" and answers["field_44"] == "e"  # to be determined
    assert answers["field_65"] == ["k"] and answers["field_70"] == ["t"]
    expected = {21, 22, 23, 29, 38, 44, 50, 51, 55, 60, 61, 62, 63, 65, 66, 67, 70, 71, 72}
    expected |= {75, 76, 85, 92, 94, 95, 116, 117}
    assert expected <= missing(document)
    # the people's countries are unknown: the lead authority is known, their countries not
    assert answers["field_114"] == LEAD and "field_116" not in answers
    # nothing about confidentiality is known: its questions (56, 57, 79) are not asked yet
    assert {56, 57, 79} <= set(document["hidden"])
    labels = err.split("to be confirmed: ", 1)[1]
    assert len(labels.split("; ")) == len(document["missing_mandatory"])
    assert "field 60: Nature of the incident" in labels


def test_no_lead_authority_for_a_nis2_notice(cli: Runner, db: Path) -> None:
    document, _ = export(cli, db, "BR-2026-0002", "--recipient", "nis2.early_warning.LU")
    assert document["answers"]["field_113"] == "a"
    assert {114, 115, 116, 117, 118} <= set(document["hidden"])
    assert "field_114" not in document["answers"]
    assert document["answers"]["field_110"] == "a"  # the GDPR notification: other legislation


def test_telecom_eprivacy_notice_has_no_lead_authority(cli: Runner, db: Path) -> None:
    eprivacy, _ = export(cli, db, "BR-2026-0004", "--recipient", "eprivacy.notify_authority.LU")
    answers = eprivacy["answers"]
    assert answers["field_113"] == "a" and "field_114" not in answers
    assert 114 in eprivacy["hidden"] and 114 not in missing(eprivacy)
    assert answers["field_65"] == ["a", "g"]  # the customers are the service's subscribers
    assert answers["field_110"] == "a" and "GDPR" in answers["field_111"]
    gdpr, _ = export(cli, db, "BR-2026-0004", "--recipient", "gdpr.notify_authority.LU")
    assert gdpr["answers"]["field_114"] == LEAD


def test_a_processor_prefills_the_template_for_its_controller(cli: Runner, db: Path) -> None:
    document, _ = export(
        cli, db, "BR-2026-0003", "--recipient", "gdpr.notify_controller.acme_logistics_b_v",
        kind="controller", now=PROCESSOR_NOW,
    )  # fmt: skip
    answers = document["answers"]
    assert answers["field_12"] == "Acme Logistics B.V."
    assert answers["field_38"] == "a" and answers["field_39"] == "processor"
    assert answers["field_40"] == ["Infratech Telecommunicatie B.V."]
    assert "security@infravoip.example" in answers["field_41"]
    assert answers["field_50"] == "b"  # detection and communication by the processor
    assert answers["field_52"] == "2026-06-10" and answers["field_48"] == PROCESSOR_NOW
    # what only the controller can answer stays missing; no lead authority is suggested
    assert {21, 22, 23, 29, 97, 113, 120} <= missing(document)
    assert {114, 115, 116, 117, 118} <= set(document["hidden"])
    assert "field_14" not in answers and "field_33" not in answers


def test_the_dpo_reporting_a_breach_still_going_on(cli: Runner, db: Path) -> None:
    document, _ = export(cli, db, "BR-2026-0005")
    answers, hidden = document["answers"], set(document["hidden"])
    assert answers["field_23"] == "a" and answers["field_33"] == "a"
    assert {24, 29, 30, 31} <= hidden  # the DPO is the reporting person: not asked again
    assert answers["field_44"] == "c" and 47 in hidden  # ongoing: no end date
    assert answers["field_113"] == "b" and {114, 116} <= hidden  # one country: no lead
    assert "field_14" not in answers and 15 in hidden  # not a telecom provider: not guessed
    assert answers["field_12"] == "Solo Hosting S.à r.l."


def test_a_controller_outside_the_eea(cli: Runner, db: Path) -> None:
    document, _ = export(cli, db, "BR-2026-0006")
    answers, hidden = document["answers"], set(document["hidden"])
    assert 113 in hidden and 114 in hidden
    assert answers["field_120"] == "a" and answers["field_121"] == "DE, FR"
    assert answers["field_123"] and 122 in missing(document)  # no count per country
    assert 18 in missing(document)  # its representative in the EEA: not in the facts
    assert answers["field_29"] == "yes" and 30 in missing(document)
    assert answers["field_31"] == "dpo@diflex-voip.com"


def test_a_late_notification_asks_for_the_reasons(cli: Runner, db: Path) -> None:
    on_time, _ = export(cli, db, "BR-2026-0001")
    assert 49 in on_time["hidden"]
    late, err = export(cli, db, "BR-2026-0001", now=LATE)
    assert 49 in missing(late) and "field 49: Reasons for late notification" in err


def test_follow_up_after_telling_the_people(cli: Runner, tmp_path: Path) -> None:
    db = tmp_path / "breach.db"
    incident = open_incident(db, complete_controller_facts())
    base = ("--db", str(db), "done", incident)
    at = ("--at", "2026-09-14T11:00:00Z", "--now", NOW)
    code, _, err = cli(*base, "gdpr.notify_authority.LU", "--reference", "CNPD-2026-77", *at)
    assert code == 0, err
    code, _, err = cli(*base, "gdpr.notify_data_subjects", "--channel", "e-mail", *at)
    assert code == 0, err
    document, _ = export(cli, db, incident, "--recipient", "gdpr.notify_authority.LU")
    answers, hidden = document["answers"], set(document["hidden"])
    assert answers["field_3"] == "b" and answers["field_6"] == "CNPD-2026-77"
    assert answers["field_97"] == "a" and answers["field_98"] == "2026-09-14"
    assert answers["field_104"] == "a" and answers["field_102"] == "a"
    assert {99, 100, 101} <= hidden
    assert 106 in missing(document)  # no data_subjects notice was saved and sent
