"""The user's own organisation profiles: saving, versions, loading beside the shipped ones,
and the profile version every Decision records."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from breach.clock import fixed_clock
from breach.engine import assess
from breach.engine.assess import FactsError
from breach.errors import BadInput
from breach.model import Decision
from breach.rules import RuleSet, load_rules
from breach.rules.loading import locate_json
from breach.service import IncidentLog
from breach.service.profiles import (
    ProfileError,
    add_profile_text,
    listing,
    profile_template,
    save_profile,
    user_profiles_dir,
)
from breach.service.rulebook import load

from ..conftest import NOW, make_facts

ACME: dict[str, Any] = {
    "id": "acme-telecom",
    "name": "Acme Telecom",
    "establishments": [{"country": "BE", "entity": "Acme Telecom SRL"}],
    "main_establishment": "BE",
    "ecs_provider": True,
    "gdpr_targeting": False,
    "nis2": "important",
    "contact": "dpo@acme.example",
    "languages": ["fr", "nl"],
    "inventory": [{"label": "Call detail records", "category": "traffic_data"}],
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "config"


@pytest.fixture(scope="module")
def shipped() -> RuleSet:
    return load_rules()


def acme(**changes: Any) -> dict[str, Any]:
    return json.loads(json.dumps({**ACME, **changes}))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def telecom_facts() -> Any:
    return make_facts(
        organisation="acme-telecom",
        data_categories=["traffic_data"],
        ecs_data=True,
        ecs_position="provider",
        subjects={"count": 500, "kinds": ["customers"], "countries": ["BE"]},
    )


def test_a_saved_profile_is_loaded_beside_the_shipped_ones(home, shipped) -> None:
    assert save_profile(home, acme(), rules=shipped) == "acme-telecom"
    saved = user_profiles_dir(home) / "acme-telecom.json"
    assert saved.is_file() and (saved.stat().st_mode & 0o077) == 0
    rules = load(None, home)
    assert rules.profiles["acme-telecom"].main_establishment == "BE"
    assert set(shipped.profiles) < set(rules.profiles)
    origin = rules.origins["acme-telecom"]
    assert (origin.source, origin.version, origin.sha256) == ("user", "1", sha(saved))
    assert (user_profiles_dir(home) / ".history" / "acme-telecom.1.json").read_bytes() == (
        saved.read_bytes()
    )
    assert rules.origins["mixvoip"].source == "shipped"


def test_without_a_config_home_only_the_shipped_profiles_load(home, shipped) -> None:
    save_profile(home, acme(), rules=shipped)
    assert "acme-telecom" not in load(None).profiles


def test_a_bad_field_is_named(home, shipped) -> None:
    bad = acme(establishments=[{"country": "XX", "entity": "Acme"}])
    with pytest.raises(ProfileError) as raised:
        save_profile(home, bad, rules=shipped)
    assert isinstance(raised.value, BadInput)
    assert str(raised.value).startswith(
        "establishments[0].country: 'XX' is not an ISO 3166 alpha-2 country code"
    )
    assert not user_profiles_dir(home).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": "Acme SA"}, "id: 'Acme SA' is not a profile id"),
        ({"name": ""}, "name: must not be empty"),
        ({"languages": []}, "languages:"),
        ({"establishments": []}, "establishments:"),
        ({"nis2": "maybe"}, "nis2: 'maybe' is not allowed"),
        ({"dpo": {"designated": True, "email": "not-an-address"}}, "dpo.email:"),
        ({"inventory": [{"label": "x", "category": "secrets"}]}, "inventory[0].category:"),
        ({"colour": "red"}, "colour: is not a known field"),
    ],
)
def test_each_field_is_validated(home, shipped, changes, field) -> None:
    with pytest.raises(ProfileError, match=r"^" + field.replace("[", r"\[").replace("]", r"\]")):
        save_profile(home, acme(**changes), rules=shipped)


def test_a_shipped_id_is_refused(home, shipped) -> None:
    with pytest.raises(ProfileError, match="'mixvoip' is the id of a shipped profile"):
        save_profile(home, acme(id="mixvoip"), rules=shipped)
    with pytest.raises(ProfileError, match="shipped profile"):  # the shipped rules by default
        save_profile(home, acme(id="diflex"))


def test_an_existing_id_needs_replace_and_every_version_is_kept(home, shipped) -> None:
    save_profile(home, acme(), rules=shipped)
    first = (user_profiles_dir(home) / "acme-telecom.json").read_bytes()
    with pytest.raises(ProfileError, match="exists.*--replace"):
        save_profile(home, acme(nis2="essential"), rules=shipped)
    save_profile(home, acme(nis2="essential"), replace=True, rules=shipped)
    rules = load(None, home)
    assert rules.profiles["acme-telecom"].nis2 == "essential"
    assert rules.origins["acme-telecom"].version == "2"
    history = user_profiles_dir(home) / ".history"
    assert (history / "acme-telecom.1.json").read_bytes() == first
    assert sorted(p.name for p in history.iterdir()) == [
        "acme-telecom.1.json",
        "acme-telecom.2.json",
    ]


def test_the_same_content_again_is_no_new_version(home, shipped) -> None:
    text = json.dumps(acme(), indent=2)
    first = add_profile_text(home, text, "a.json", "json", rules=shipped)
    again = add_profile_text(home, text, "a.json", "json", replace=True, rules=shipped)
    assert (first.version, first.changed) == (1, True)
    assert (again.version, again.changed) == (1, False)


def test_a_toml_file_is_saved_as_written_and_its_errors_name_the_line(home, shipped) -> None:
    text = (
        '# ours\nid = "acme-telecom"\nname = "Acme"\necs_provider = true\n'
        'gdpr_targeting = false\nnis2 = "none"\nlanguages = ["fr"]\n\n'
        '[[establishments]]\ncountry = "BE"\nentity = "Acme SRL"\n\n'
        '[[inventory]]\nlabel = "Names"\ncategory = "identity"\n'
    )
    saved = add_profile_text(home, text, "acme.toml", "toml", rules=shipped)
    assert saved.path.name == "acme-telecom.toml" and saved.path.read_text() == text
    broken = text.replace('country = "BE"', 'country = "XX"')
    with pytest.raises(ProfileError, match=r"^acme\.toml:10: establishments\[0\]\.country: 'XX'"):
        add_profile_text(home, broken, "acme.toml", "toml", replace=True, rules=shipped)
    with pytest.raises(ProfileError, match=r"^acme\.toml: .*line 3"):
        add_profile_text(home, text.replace('name = "Acme"', "name = = 1"), "acme.toml", "toml")


def test_json_errors_name_the_line_of_the_field(home, shipped) -> None:
    text = json.dumps(acme(inventory=[{"label": "x", "category": "identity"}, {"label": "y"}]))
    text = json.dumps(json.loads(text), indent=2)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if '"label": "y"' in s) - 1
    with pytest.raises(ProfileError, match=rf"^p\.json:{line}: inventory\[1\]\.category: is"):
        add_profile_text(home, text, "p.json", "json", rules=shipped)
    with pytest.raises(ProfileError, match=r"^p\.json:2:\d+: invalid JSON"):
        add_profile_text(home, '{\n  "id": ,\n}', "p.json", "json", rules=shipped)


def test_locate_json_follows_keys_and_indices() -> None:
    text = '{\n "a": [\n  {"b": 1},\n  {\n   "b": 2\n  }\n ],\n "c": {"d": [1,\n 2]}\n}'
    assert locate_json(text, ("a", 1, "b")) == 5
    assert locate_json(text, ("a", 0, "b")) == 3
    assert locate_json(text, ("c", "d", 1)) == 9
    assert locate_json(text, ("a", 7, "b")) == 2  # no such item: the list's line
    assert locate_json(text, ("zz",)) == 1


def test_the_template_holds_the_fields_to_fill(home, shipped) -> None:
    template = profile_template()
    assert {"id", "name", "establishments", "main_establishment", "ecs_provider", "nis2"} <= set(
        template
    )
    assert {"dpo", "languages", "inventory", "gdpr_targeting", "contact"} <= set(template)
    with pytest.raises(ProfileError, match="^id: "):
        save_profile(home, template, rules=shipped)
    template.update(id="newco", name="NewCo", languages=["en"], main_establishment="LU")
    template["establishments"][0].update(country="LU", entity="NewCo S.A.")
    template["inventory"][0]["label"] = "Customer names"
    assert save_profile(home, template, rules=shipped) == "newco"
    assert load(None, home).profiles["newco"].dpo is not None


def test_a_broken_file_is_left_out_and_reported(home, shipped) -> None:
    save_profile(home, acme(), rules=shipped)
    folder = user_profiles_dir(home)
    (folder / "broken.toml").write_text('id = "broken"\nname = "B"\nnis2 = "maybe"\n')
    (folder / "mixvoip.toml").write_text(
        (Path(shipped.directory) / "profiles/mixvoip.toml").read_text()
    )
    (folder / "other.json").write_text(json.dumps(acme(id="not-other")))
    (folder / "twice.json").write_text(json.dumps(acme(id="twice")))
    (folder / "twice.toml").write_text('id = "twice"\n')
    (folder / "notes.txt").write_text("not a profile")
    rules = load(None, home)
    assert "acme-telecom" in rules.profiles  # the good one still loads
    assert rules.profiles["mixvoip"] == shipped.profiles["mixvoip"]
    assert rules.origins["mixvoip"].source == "shipped"
    broken = rules.broken_profiles
    assert set(broken) == {"broken", "mixvoip", "other", "twice"}
    assert broken["broken"].startswith(f"{folder / 'broken.toml'}:")
    assert "shipped profile" in broken["mixvoip"]
    assert "must equal the file name" in broken["other"]
    assert "two files" in broken["twice"]
    entries = [e for e in listing(rules) if e["id"] == "mixvoip"]
    assert [e["source"] for e in entries] == ["shipped", "user"] and "error" in entries[1]


def test_facts_naming_a_broken_profile_say_why(home, shipped) -> None:
    folder = user_profiles_dir(home)
    folder.mkdir(parents=True)
    (folder / "acme-telecom.toml").write_text('id = "acme-telecom"\n')
    with pytest.raises(FactsError, match=r"acme-telecom.*broken: .*acme-telecom\.toml:1:"):
        assess(telecom_facts(), load(None, home), NOW)


def test_a_file_changed_by_hand_is_kept_before_the_next_version(home, shipped) -> None:
    save_profile(home, acme(), rules=shipped)
    path = user_profiles_dir(home) / "acme-telecom.json"
    path.write_text(json.dumps(acme(contact="privacy@acme.example")))
    by_hand = path.read_bytes()
    origin = load(None, home).origins["acme-telecom"]
    assert (origin.version, origin.kept) == ("2", False)
    save_profile(home, acme(nis2="essential"), replace=True, rules=shipped)
    history = user_profiles_dir(home) / ".history"
    assert (history / "acme-telecom.2.json").read_bytes() == by_hand
    assert load(None, home).origins["acme-telecom"].version == "3"


def test_the_decision_records_the_profile_version_it_used(home, shipped) -> None:
    save_profile(home, acme(), rules=shipped)
    first = assess(telecom_facts(), load(None, home), NOW)
    required = {o.id for o in first.obligations if o.status == "required"}
    assert "eprivacy.notify_authority.BE" in required  # a Belgian telecom provider
    assert first.profile is not None
    history = user_profiles_dir(home) / ".history"
    assert first.profile.model_dump() == {
        "id": "acme-telecom",
        "source": "user",
        "version": "1",
        "sha256": sha(history / "acme-telecom.1.json"),
    }
    save_profile(
        home,
        acme(main_establishment="LU", establishments=[{"country": "LU", "entity": "A"}]),
        replace=True,
        rules=shipped,
    )
    second = assess(telecom_facts(), load(None, home), NOW)
    assert second.profile is not None and second.profile.version == "2"
    assert second.profile.sha256 == sha(history / "acme-telecom.2.json")
    assert "eprivacy.notify_authority.LU" in {o.id for o in second.obligations}
    stored = Decision.model_validate(first.dump())  # what the log keeps stays version 1
    assert stored.profile is not None and stored.profile.version == "1"


def test_shipped_and_inline_organisations(shipped) -> None:
    decision = assess(make_facts(organisation="mixvoip"), shipped, NOW)
    assert decision.profile is not None
    assert (decision.profile.source, decision.profile.version) == ("shipped", shipped.version)
    path = Path(shipped.directory) / "profiles" / "mixvoip.toml"
    assert decision.profile.sha256 == sha(path)
    assert assess(make_facts(), shipped, NOW).profile is None  # inline, no such profile
    assert assess(make_facts(), shipped, NOW).dump()["profile"] is None


def test_the_decision_schema_has_an_optional_profile() -> None:
    schema = Decision.model_json_schema(by_alias=True, mode="serialization")
    assert "profile" in schema["properties"] and "profile" not in schema.get("required", [])
    assert (
        Decision.model_validate({**assess(make_facts(), load_rules(), NOW).dump()}).profile is None
    )


def test_a_running_log_sees_a_saved_profile_after_reload(home, tmp_path) -> None:
    log = IncidentLog.open(tmp_path / "log.db", lambda: load(None, home), fixed_clock(NOW), "dpo")
    with log:
        assert "acme-telecom" not in log.rules.profiles
        before = log.incidents
        save_profile(home, acme(), rules=log.rules)
        assert "acme-telecom" not in log.rules.profiles  # loaded once, until asked
        rules = log.reload_rules()
        assert "acme-telecom" in rules.profiles and log.rules is rules
        assert log.incidents is not before
        incident_id = log.incidents.open(telecom_facts())
        decision = log.incident(incident_id)["decision"]
        assert decision["profile"]["id"] == "acme-telecom" and decision["profile"]["version"] == "1"
