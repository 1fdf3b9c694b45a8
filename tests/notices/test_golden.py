"""Golden files: each notice kind in each language for a fixed incident, with --now.

A test fails whenever the output changes; after a deliberate template change, review the
new output the failure points to and copy it over the golden file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import NOW, TZ, Golden, Runner
from .htmlcheck import assert_safe_page

KINDS = ["authority", "data_subjects", "controller", "public", "register"]
LANGUAGES = ["en", "nl", "fr", "de"]
PROCESSOR_NOW = "2026-06-10T16:00:00Z"


#: The incident each kind is drafted from: without particulars, and with every one.
INCIDENTS = {
    "authority": ("BR-2026-0001", "BR-2026-0003"),
    "data_subjects": ("BR-2026-0001", "BR-2026-0003"),
    "controller": ("BR-2026-0002", "BR-2026-0004"),
    "public": ("BR-2026-0005", "BR-2026-0006"),
    "register": ("BR-2026-0001", "BR-2026-0003"),
}


def _args(kind: str, complete: bool = False) -> tuple[str, str]:
    """Incident and --now: the controller notice comes from a processor incident."""
    incident = INCIDENTS[kind][complete]
    return incident, PROCESSOR_NOW if kind == "controller" else NOW


@pytest.mark.parametrize("complete", [False, True], ids=["bare", "complete"])
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_notice_golden(
    golden_db: Path, cli: Runner, check_golden: Golden, kind: str, lang: str, complete: bool
) -> None:
    incident, now = _args(kind, complete)
    code, out, err = cli(
        "--db", str(golden_db), "notice", incident, kind, "--lang", lang,
        "--format", "md", "--now", now, "--tz", TZ,
    )  # fmt: skip
    assert code == 0, err
    check_golden(f"{kind}.{lang}{'.complete' if complete else ''}.md", out)
    assert ("to be confirmed:" in err) != complete


@pytest.mark.parametrize("kind", KINDS)
def test_every_language_marks_the_same_unknowns(golden_db: Path, cli: Runner, kind: str) -> None:
    incident, now = _args(kind)
    lists = set()
    for lang in LANGUAGES:
        code, out, err = cli(
            "--db", str(golden_db), "notice", incident, kind, "--lang", lang,
            "--now", now, "--tz", TZ,
        )  # fmt: skip
        assert code == 0
        line = next((x for x in err.splitlines() if "to be confirmed:" in x), "")
        lists.add(line)
        assert line
    assert len(lists) == 1, lists


def test_text_and_html_golden(golden_db: Path, cli: Runner, check_golden: Golden) -> None:
    base = ("--db", str(golden_db), "notice", "BR-2026-0001")
    code, out, _ = cli(*base, "authority", "--lang", "en", "--now", NOW, "--tz", TZ)
    assert code == 0
    check_golden("authority.en.txt", out)
    assert "**" not in out and "\x1b" not in out
    code, out, _ = cli(
        *base, "data_subjects", "--lang", "en", "--format", "html", "--now", NOW, "--tz", TZ
    )
    assert code == 0
    check_golden("data_subjects.en.html", out)
    page = assert_safe_page(out)
    assert page.tags.count("h2") == 5 and "What you should do now" in page.all_text


def test_edpb_json_golden(golden_db: Path, cli: Runner, check_golden: Golden) -> None:
    code, out, err = cli(
        "--db", str(golden_db), "notice", "BR-2026-0001", "authority",
        "--format", "edpb-json", "--now", NOW, "--tz", TZ,
    )  # fmt: skip
    assert code == 0
    check_golden("authority.edpb.json", out)
    document = json.loads(out)
    assert document["fields"]["48"]["value"] == "2026-09-14T07:00:00Z"
    missing = {m["field"] for m in document["missing_mandatory"]}
    assert {21, 22, 23, 44, 60, 72}.issubset(missing)
    assert "field 21: Name of the reporting person" in err


SECTIONS = {
    "eprivacy.notify_authority.LU": ["Annex I", "16–17."],
    "nis2.early_warning.LU": ["23(4)(a)", "23, lid 4, onder a", "23, paragraphe 4, point a"],
    "nis2.incident_notification.LU": ["23(4)(b)", "23, lid 4, onder b", "Abs. 4 lit. b"],
    "nis2.final_report.LU": ["23(4)(d)", "23, lid 4, onder d", "Abs. 4 lit. d"],
}


@pytest.fixture(scope="module")
def telecom_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The controller incident on the telecom route, significant under NIS2."""
    from .conftest import CONTROLLER_FACTS, open_incident

    db = tmp_path_factory.mktemp("telecom") / "breach.db"
    facts = {**CONTROLLER_FACTS, "ecs_data": True, "significant_incident": True}
    open_incident(db, facts)
    open_incident(db, {**CONTROLLER_FACTS, "disproportionate_effort": True})
    return db


@pytest.mark.parametrize("duty", sorted(SECTIONS))
def test_telecom_and_nis2_notices_in_every_language(
    telecom_db: Path, cli: Runner, duty: str
) -> None:
    unknowns = set()
    for lang in LANGUAGES:
        code, out, err = cli(
            "--db", str(telecom_db), "notice", "BR-2026-0001", "authority", "--lang", lang,
            "--recipient", duty, "--format", "md", "--now", NOW, "--tz", TZ,
        )  # fmt: skip
        assert code == 0, err
        assert any(marker in out for marker in SECTIONS[duty]), (lang, out[:400])
        unknowns.add(next((x for x in err.splitlines() if "to be confirmed:" in x), ""))
    assert len(unknowns) == 1


def test_public_communication_when_people_cannot_be_reached(telecom_db: Path, cli: Runner) -> None:
    code, out, err = cli(
        "--db", str(telecom_db), "notice", "BR-2026-0002", "public", "--now", NOW, "--tz", TZ
    )
    assert code == 0 and "warning" not in err
    assert out.startswith("Security incident at Mixvoip: information for our customers\n")
    code, out, _ = cli("--db", str(telecom_db), "notice", "BR-2026-0002", "authority",
                       "--now", NOW, "--tz", TZ)  # fmt: skip
    assert "disproportionate effort, so a public communication is made instead" in out
