import shutil
from pathlib import Path

import pytest

from breach import rulecache
from breach.rules import as_data, load_rules, rules_dir


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir(), copy)
    return copy


def test_second_load_comes_from_the_cache_and_is_equal(rules_copy: Path) -> None:
    first = load_rules(rules_copy)
    assert list(rulecache.cache_dir().glob("rules-*.pickle"))
    second = load_rules(rules_copy)
    assert second is not first
    assert as_data(second) == as_data(first)
    cached = rulecache.read(rules_copy)
    assert cached is not None and as_data(cached) == as_data(first)


def test_cached_rules_still_evaluate_conditions(rules_copy: Path) -> None:
    load_rules(rules_copy)
    cached = rulecache.read(rules_copy)
    assert cached is not None
    rule = cached.regimes["gdpr"].rules[0]
    assert rule.not_required[0].condition.evaluate({"gdpr_applies": False}) is True


def test_editing_a_rule_file_misses_the_cache(rules_copy: Path) -> None:
    load_rules(rules_copy)
    path = rules_copy / "ruleset.toml"
    path.write_text(path.read_text().replace('version = "', 'version = "edited-'))
    assert rulecache.read(rules_copy) is None
    assert load_rules(rules_copy).version.startswith("edited-")


def test_cache_can_be_bypassed(rules_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BREACH_NO_CACHE", "1")
    load_rules(rules_copy)
    assert not list(rulecache.cache_dir().glob("rules-*.pickle"))


def test_a_corrupt_cache_file_is_ignored(rules_copy: Path) -> None:
    load_rules(rules_copy)
    [cached] = rulecache.cache_dir().glob("rules-*.pickle")
    cached.write_bytes(b"not a pickle")
    assert load_rules(rules_copy).version


def test_an_unwritable_cache_dir_does_not_fail(
    rules_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("BREACH_CACHE_DIR", str(blocker / "cache"))
    assert load_rules(rules_copy).version
