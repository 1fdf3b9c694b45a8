"""The rules as a user works with them without a log: assess facts, check the rule files,
look up authorities and organisation profiles."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from ..engine import assess as engine_assess
from ..model import Decision, Facts
from ..rules import Authority, Profile, RuleSet, as_data, load_rules, with_user_profiles
from .profiles import user_profiles_dir


def load(directory: Path | str | None = None, config_home: Path | None = None) -> RuleSet:
    """The rule set of ``directory`` (None: the shipped rules), validated; with
    ``config_home``, the user's own profiles beside the shipped ones (a broken one is left
    out and reported in ``broken_profiles``)."""
    rules = load_rules(directory)
    if config_home is not None:
        rules = with_user_profiles(rules, user_profiles_dir(config_home))
    return rules


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


#: The regimes whose routes ``breach authorities CC`` shows, in this order, with their names.
ROUTES = {
    "gdpr": "GDPR personal data breach (Art. 33, 72 h)",
    "eprivacy": "Telecom personal data breach (Dir. 2002/58/EC Art. 4(3), Reg. 611/2013: 24 h)",
    "nis2": "NIS2 significant incident (Dir. (EU) 2022/2555 Art. 23: early warning in 24 h)",
    "uk_gdpr": "UK GDPR personal data breach (Art. 33, 72 h)",
    "pecr": "PECR personal data breach (reg. 5A, 24 h)",
    "ch_fadp": "Swiss FADP data security breach (Art. 24)",
    "ge_pdp": "Georgian data protection incident (Law of 14 June 2023, Art. 29)",
}


def routes(rules: RuleSet, country: str) -> list[dict[str, Any]]:
    """Where a provider established in ``country`` files each regime's notification: the
    bodies (its entry points, else every authority of the regime there), why, the national
    law, and what is not yet confirmed."""
    directory = rules.authorities
    cc = country.strip().upper()
    found = []
    for regime, label in ROUTES.items():
        points = directory.entry_points_of(regime, cc)
        bodies = [directory.by_id[p.authority] for p in points] or directory.for_regime(regime, cc)
        law = directory.national_law(regime, cc)
        if not bodies and law is None:
            continue
        unconfirmed = [p.unconfirmed for p in points] + [_open_points(b) for b in bodies]
        unconfirmed.append(law.unconfirmed if law else "")
        found.append(
            {
                "regime": regime,
                "what": label,
                "authorities": [
                    {
                        "id": b.id,
                        "name": b.name,
                        "local_name": b.local_name,
                        "contact": b.portal or b.website,
                        "languages": b.languages,
                    }
                    for b in bodies
                ],
                "informs": sorted({i for p in points for i in p.informs}),
                "because": [p.because for p in points],
                "law": as_data(law) if law else None,
                "unconfirmed": [text for text in unconfirmed if text],
            }
        )
    return found


def _open_points(authority: Authority) -> str:
    """What is open about ``authority``, for the routes listing (its note follows it)."""
    if authority.unconfirmed or not authority.has_open_details:
        return authority.unconfirmed
    return f"details of {authority.name}'s entry: see its note below"


def profiles(rules: RuleSet) -> list[Profile]:
    """The organisation profiles (shipped and the user's), by id."""
    return [rules.profiles[key] for key in sorted(rules.profiles)]


def data(item: Authority | Profile) -> Any:
    """An authority or profile as JSON-ready data."""
    return as_data(item)
