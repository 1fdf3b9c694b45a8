"""The rules as a user works with them without a log: assess facts, check the rule files,
look up authorities and organisation profiles."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from ..engine import assess as engine_assess
from ..model import Decision, Facts
from ..rules import Authority, Profile, RuleSet, as_data, load_rules


def load(directory: Path | str | None = None) -> RuleSet:
    """The rule set of ``directory`` (None: the shipped rules), validated."""
    return load_rules(directory)


def assess(facts: Facts, rules: RuleSet, now: datetime) -> Decision:
    """Which duties apply to ``facts`` at ``now``: touches no log."""
    return engine_assess(facts, rules, now)


def check(directory: Path | str | None = None) -> str:
    """Validate every rule file; the one-line summary of what was found."""
    rules = load_rules(directory)
    n_rules = sum(len(r.rules) for r in rules.regimes.values())
    return (
        f"ok: {rules.directory} — rules {rules.version}: {len(rules.regimes)} regime(s), "
        f"{n_rules} rule(s), {len(rules.risk.factors)} risk factor(s), "
        f"{len(rules.authorities.authorities)} authorities, {len(rules.profiles)} profile(s)"
    )


def authorities(rules: RuleSet, country: str | None = None) -> list[Authority]:
    """The authorities of the directory, of one country when given."""
    items = rules.authorities.authorities
    if country:
        wanted = country.strip().upper()
        items = [a for a in items if a.country == wanted]
    return list(items)


def profiles(rules: RuleSet) -> list[Profile]:
    """The organisation profiles, by id."""
    return [rules.profiles[key] for key in sorted(rules.profiles)]


def data(item: Authority | Profile) -> Any:
    """An authority or profile as JSON-ready data."""
    return as_data(item)
