import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from breach.engine.routing import EEA
from breach.rules import RuleFileError, load_rules, rules_dir
from breach.settings import Settings

SHIPPED = rules_dir()


def test_every_shipped_rule_file_validates(rules) -> None:
    assert "gdpr" in rules.regimes
    assert rules.version
    assert all(
        rule.source and rule.basis for regime in rules.regimes.values() for rule in regime.rules
    )


def test_rules_dir_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(SHIPPED, copy)
    monkeypatch.setenv("BREACH_RULES_DIR", str(copy))
    settings = Settings.load()
    assert settings.rules_dir == copy
    assert load_rules(settings.rules_dir).directory == str(copy)


def test_a_rule_edited_in_place_gives_the_new_deadline_at_once(tmp_path: Path) -> None:
    """Same size, same modification time, another period: the next run applies it.

    A cache keyed on a file's size or time would keep the old 72-hour deadline here.
    """
    copy = tmp_path / "rules"
    shutil.copytree(SHIPPED, copy)
    gdpr = copy / "regimes" / "gdpr.toml"
    example = Path(__file__).resolve().parents[2] / "examples" / "stolen-unencrypted-laptop.json"

    def deadline() -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "breach", "--rules", str(copy), "assess", str(example),
             "--json", "--now", "2026-12-01T00:00:00Z"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        decision = json.loads(proc.stdout)
        [duty] = [o for o in decision["obligations"] if o["rule"] == "gdpr.notify_authority"]
        return str(duty["due_at"])

    before = deadline()
    stat = gdpr.stat()
    text = gdpr.read_text()
    old = 'period = { hours = 72 }\ndue_kind = "deadline"\nrecipients = "supervisory_authority"'
    assert old in text, "the notify_authority rule's period moved: update this test"
    edited = text.replace(old, old.replace("72", "96"), 1)
    assert len(edited.encode()) == stat.st_size
    gdpr.write_text(edited)
    os.utime(gdpr, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (gdpr.stat().st_size, gdpr.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    after = deadline()
    shift = datetime.fromisoformat(after) - datetime.fromisoformat(before)
    assert shift == timedelta(hours=24)


def _broken_copy(tmp_path: Path, relative: str, old: str, new: str) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(SHIPPED, copy)
    target = copy / relative
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new, 1))
    return copy


def test_unknown_key_names_file_and_line(tmp_path: Path) -> None:
    copy = _broken_copy(
        tmp_path,
        "regimes/gdpr.toml",
        'duty = "notify_authority"',
        'duty = "notify_authority"\nduedate = 3',
    )
    with pytest.raises(RuleFileError) as err:
        load_rules(copy)
    message = str(err.value)
    text = (copy / "regimes/gdpr.toml").read_text().splitlines()
    line = next(i for i, row in enumerate(text, 1) if row.startswith("duedate"))
    assert f"gdpr.toml:{line}:" in message
    assert "not a known field" in message


def test_bad_condition_names_the_rule_line(tmp_path: Path) -> None:
    copy = _broken_copy(
        tmp_path,
        "regimes/gdpr.toml",
        "when = \"risk == 'unlikely'\"",
        "when = \"risk == 'unlikely' and __import__('os')\"",
    )
    with pytest.raises(RuleFileError, match=r"gdpr\.toml:\d+: .*not allowed"):
        load_rules(copy)


def test_unknown_condition_name_is_caught_at_load(tmp_path: Path) -> None:
    copy = _broken_copy(
        tmp_path, "risk.toml", 'when = "trusted_recipient"', 'when = "trusted_recipeint"'
    )
    with pytest.raises(RuleFileError, match="unknown name"):
        load_rules(copy)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    copy = _broken_copy(
        tmp_path, "ruleset.toml", "processor_notice_hours = 24", "processor_notice_hours = = 24"
    )
    with pytest.raises(RuleFileError, match=r"ruleset\.toml: .*line \d+"):
        load_rules(copy)


def test_profiles_are_the_five_seed_organisations(rules) -> None:
    assert set(rules.profiles) == {"diflex", "mixvoip", "infra-voip", "flexibelt", "assutech"}
    for profile in rules.profiles.values():
        assert profile.ecs_provider, profile.id  # all five are VoIP providers
        assert profile.inventory, profile.id
        assert all(item.source for item in profile.inventory)
        assert profile.sources.name and profile.sources.ecs_provider


def test_profile_facts_match_the_policies(rules) -> None:
    mixvoip = rules.profiles["mixvoip"]
    assert {e.country for e in mixvoip.establishments} >= {"LU", "DE", "BE"}
    assert {r.role for r in mixvoip.roles} >= {"controller", "processor"}
    assert any(item.category == "traffic_data" for item in mixvoip.inventory)
    diflex = rules.profiles["diflex"]
    assert diflex.main_establishment is None and diflex.gdpr_targeting
    assert rules.profiles["infra-voip"].breach_commitment is not None


def test_every_eea_country_has_exactly_one_gdpr_authority(rules) -> None:
    for country in EEA:
        assert len(rules.authorities.for_regime("gdpr", country)) == 1, country


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="not found"):
        load_rules(tmp_path / "nope")


def test_risk_tables_must_cover_every_category(tmp_path: Path) -> None:
    copy = _broken_copy(
        tmp_path, "risk.toml", 'location = { dpc = 2, enisa = "behavioural" }\n', ""
    )
    with pytest.raises(RuleFileError, match="categories lacks location"):
        load_rules(copy)


def test_two_versions_of_a_rule_must_not_overlap(tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(SHIPPED, copy)
    text = (copy / "regimes/gdpr.toml").read_text()
    start = text.index('[[rules]]\nid = "gdpr.follow_up"')
    end = text.index("[[rules]]", start + 5)
    block = text[start:end]
    (copy / "regimes/gdpr.toml").write_text(text + "\n" + block)
    with pytest.raises(RuleFileError, match="in force at the same time"):
        load_rules(copy)


def test_dated_versions_apply_by_start_event(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from breach.engine import assess

    from ..conftest import make_facts

    copy = tmp_path / "rules"
    shutil.copytree(SHIPPED, copy)
    path = copy / "regimes/gdpr.toml"
    text = path.read_text()
    start = text.index('[[rules]]\nid = "gdpr.notify_authority"')
    end = text.index("[[rules]]", start + 5)
    old = text[start:end].replace(
        "effective_from = 2018-05-25", "effective_from = 2018-05-25\neffective_to = 2026-06-01"
    )
    new = (
        text[start:end]
        .replace("effective_from = 2018-05-25", "effective_from = 2026-06-01")
        .replace("period = { hours = 72 }", "period = { hours = 96 }")
    )
    path.write_text(text[:start] + old + new + text[end:])
    rules = load_rules(copy)
    before = make_facts(
        detected_at="2026-05-31T20:00:00+00:00", aware_at="2026-05-31T23:00:00+00:00"
    )
    after = make_facts(
        detected_at="2026-06-01T08:00:00+00:00", aware_at="2026-06-01T09:00:00+00:00"
    )
    now = datetime(2026, 12, 1, tzinfo=UTC)

    def hours(facts):
        [ob] = [o for o in assess(facts, rules, now).obligations if o.duty == "notify_authority"]
        return (ob.due_at - facts.awareness).total_seconds() / 3600

    assert (hours(before), hours(after)) == (72, 96)


def test_fill_template_fills_each_placeholder_from_extra_then_env() -> None:
    from breach.rules import fill_template

    env = {"risk": "high", "unknowns": ["who could see the data", "how many people"]}
    text = "Risk is {risk}; still unknown: {unknowns}; sent via {authority_route}."
    filled = fill_template(text, env, {"authority_route": "the CNPD (LU)"})
    assert filled == (
        "Risk is high; still unknown: who could see the data, how many people; "
        "sent via the CNPD (LU)."
    )
    # the same text again (split once, then reused) with other values
    assert fill_template(text, {"risk": "risk", "unknowns": []}, {"authority_route": "post"}) == (
        "Risk is risk; still unknown: none; sent via post."
    )
    with pytest.raises(KeyError, match="authority_route"):  # a name nobody gave: a bug
        fill_template(text, env)
    assert fill_template("no placeholders", env) == "no placeholders"
    assert fill_template("{risk}{risk}", env) == "highhigh"


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        (
            "regimes/gdpr.toml",
            "period = { hours = 72 }",
            "period = { hours = -72 }",
            r"gdpr\.toml:18: rules\[0\]\.period\.hours: must be more than 0 \(got -72\)",
        ),
        (
            "regimes/gdpr.toml",
            'id = "gdpr.',
            'id = "GDPR.',
            r"gdpr\.toml:\d+: rules\[0\]\.id: .*expected form",
        ),
        (
            "authorities.toml",
            'country = "LU"',
            'country = "Lux"',
            r"authorities\.toml:\d+: .*country",
        ),
        ("risk.toml", "dpc = 1", "dpc = 9", r"risk\.toml:\d+: .*dpc: must be at most \d \(got 9\)"),
    ],
    ids=["positive-hours", "id-pattern", "country-pattern", "dpc-range"],
)
def test_field_constraints_name_file_and_line(tmp_path, relative, old, new, expected) -> None:
    with pytest.raises(RuleFileError, match=expected):
        load_rules(_broken_copy(tmp_path, relative, old, new))
