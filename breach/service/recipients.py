"""Whom a notice goes to, as the drafting needs it: the language it is written in and the
clock its times are shown on."""

from __future__ import annotations

from typing import Any

from ..notices.view import IncidentView
from ..rules import Authority, RuleSet


def preferred_languages(view: IncidentView, kind: str, duty: dict[str, Any] | None) -> list[str]:
    """The organisation's languages; for an authority, the ones it accepts: the
    organisation's own first, then the authority's other languages, then the rest."""
    own = [lang.lower() for lang in view.org.languages]
    name = ((duty or {}).get("recipient") or {}).get("name") or ""
    customer = view.controllers.get(name) if kind == "controller" else None
    chosen = customer.language if customer else None
    if chosen:
        return [chosen, *(lang for lang in own if lang != chosen)]
    authority = authority_of(view, kind, duty)
    if authority is not None and authority.languages:
        accepted = [lang for lang in own if lang in authority.languages]
        theirs = [lang for lang in authority.languages if lang not in accepted]
        return accepted + theirs + [lang for lang in own if lang not in accepted]
    return own


def authority_of(view: IncidentView, kind: str, duty: dict[str, Any] | None) -> Authority | None:
    """The directory entry of an authority notice's recipient (None otherwise)."""
    authority_id = ((duty or {}).get("recipient") or {}).get("authority_id")
    return view.authorities.get(authority_id or "") if kind == "authority" else None


def zone_for(
    rules: RuleSet, view: IncidentView, duty: dict[str, Any] | None, kind: str = "authority"
) -> str | None:
    """The zone the recipient reads: an authority's own; for the people affected, that
    of the country where most of them live; else the main establishment's country."""
    authority_id = ((duty or {}).get("recipient") or {}).get("authority_id")
    if authority_id in view.authorities:
        return view.authorities[authority_id].zone
    country = view.org.main_establishment
    subjects = view.facts.subjects
    if kind in ("data_subjects", "public") and (subjects.by_country or subjects.countries):
        if subjects.by_country:
            country = max(sorted(subjects.by_country), key=subjects.by_country.__getitem__)
        elif country not in subjects.countries:
            country = subjects.countries[0]
    zones = (a.zone for a in rules.authorities.authorities if a.country == country)
    return next(zones, None) if country else None
