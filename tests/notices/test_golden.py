"""Golden files: each notice kind in each language for a fixed incident, with --now.

Regenerate after a deliberate template change with ``BREACH_UPDATE_GOLDEN=1``, then
review the diff: a test fails whenever the output changes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import NOW, TZ, Runner, check_golden
from .htmlcheck import assert_safe_page

KINDS = ["authority", "data_subjects", "controller", "public", "register"]
LANGUAGES = ["en", "nl", "fr", "de"]
PROCESSOR_NOW = "2026-06-10T16:00:00Z"


def _args(kind: str) -> tuple[str, str]:
    """Incident and --now: the controller notice comes from the processor incident."""
    return ("BR-2026-0002", PROCESSOR_NOW) if kind == "controller" else ("BR-2026-0001", NOW)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_notice_golden(golden_db: Path, cli: Runner, kind: str, lang: str) -> None:
    incident, now = _args(kind)
    code, out, err = cli(
        "--db", str(golden_db), "notice", incident, kind, "--lang", lang,
        "--format", "md", "--now", now, "--tz", TZ,
    )  # fmt: skip
    assert code == 0, err
    check_golden(f"{kind}.{lang}.md", out)
    assert "[to be confirmed]" not in out or "to be confirmed:" in err


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
        assert out.count("[to be confirmed]") >= (1 if line else 0)
    assert len(lists) == 1, lists


def test_text_and_html_golden(golden_db: Path, cli: Runner) -> None:
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


def test_edpb_json_golden(golden_db: Path, cli: Runner) -> None:
    code, out, err = cli(
        "--db", str(golden_db), "notice", "BR-2026-0001", "authority",
        "--format", "edpb-json", "--now", NOW, "--tz", TZ,
    )  # fmt: skip
    assert code == 0
    check_golden("authority.edpb.json", out)
    document = json.loads(out)
    assert document["fields"]["48"]["value"] == "2026-09-14T07:00:00Z"
    missing = {m["field"] for m in document["missing_mandatory"]}
    assert {21, 22, 23, 44, 60, 73}.issubset(missing)
    assert "field 21: Reporting person: name" in err
