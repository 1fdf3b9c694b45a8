"""Who receives each duty: authorities by regime and country, controllers, people, public.

Routing is the legal part of "to whom"; the data it reads is the authorities directory in
``decision_rules/authorities.toml``. GDPR Art. 55/56 (lead or single establishment), Art.
3(2) organisations (every authority where affected people live, EDPB Guidelines 9/2022 para
73), and the per-country routes of ePrivacy and NIS2 (each Member State where the service
is provided, NIS2 Art. 26(1)(a)) live here.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..model import Facts, Organisation, Recipient
from ..rules import Authority, NationalLaw, Profile, Rule, RuleSet

#: EU member states plus Iceland, Liechtenstein and Norway (EEA): where the GDPR applies.
EEA = frozenset(
    {
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
        *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
        *("IS", "LI", "NO"),
    }
)


class Target(NamedTuple):
    """One recipient of a rule's duty, with what to say about the route and the period.

    ``recipient`` is None for the affected people, whom the incident describes.
    """

    recipient: Recipient | None
    suffix: str | None
    route: str = ""
    hours: float | None = None
    #: the national provisions the duty rests on ("§ 169 TKG"), cited beside the EU act
    law: str = ""
    #: why this body receives it (a country's designated entry point), for the trace
    why: str = ""
    #: what is not confirmed about this route (a warning once per decision)
    unconfirmed: tuple[str, ...] = ()
    #: the authority when some detail of its entry is open (one warning names them all)
    check: Authority | None = None


class Geography(NamedTuple):
    """Where the organisation is established and where affected people live."""

    #: every country where the organisation has an entity (EEA or not)
    everywhere: frozenset[str]
    #: the EEA ones among them
    established: frozenset[str]
    #: EEA countries where affected people live
    subjects: frozenset[str]
    #: whether the facts name any country of affected people at all
    subjects_known: bool
    main: str | None

    @classmethod
    def of(cls, facts: Facts, org: Organisation) -> Geography:
        """The geography of ``facts`` for ``org``."""
        everywhere = frozenset(org.countries)
        return cls(
            everywhere=everywhere,
            established=everywhere & EEA,
            subjects=EEA.intersection(facts.subjects.countries),
            subjects_known=bool(facts.subjects.countries),
            main=org.main_establishment,
        )

    @property
    def cross_border(self) -> bool:
        """More than one EEA country involved, by establishment or by the people affected:
        cross-border processing (GDPR Art. 4(23)), where a lead authority is needed."""
        return len(self.established | self.subjects) > 1


class Parties(NamedTuple):
    """What routing reads of an incident: where, which controllers, and who we are."""

    facts: Facts
    org: Organisation
    profile: Profile | None
    geo: Geography


def countries_of_service(geo: Geography) -> list[str]:
    """EEA countries whose authorities receive ePrivacy and NIS2 notices.

    The service is provided where the organisation is established; of those, the countries
    where affected people live. Unknown countries: every establishment (cautious). People
    hit only outside them: the main establishment, whose authority informs the others
    (611/2013 Art. 2(5)).
    """
    if not geo.subjects_known:
        return sorted(geo.established)
    hit = geo.established & geo.subjects
    if hit:
        return sorted(hit)
    main = geo.main if geo.main in geo.established else None
    return [main] if main else sorted(geo.established)


def recipients(rule: Rule, regime: str, parties: Parties, rules: RuleSet) -> list[Target]:
    """Expand a rule's recipient kind into concrete recipients."""
    kind = rule.recipients
    if kind == "supervisory_authority":
        return gdpr_authorities(parties.geo, rules)
    if kind == "service_authorities":
        return country_authorities(rule, regime, countries_of_service(parties.geo), rules)
    if kind == "national_authority":
        return country_authorities(rule, regime, [rule.authority_country or ""], rules)
    if kind == "controllers":
        return controller_targets(parties, rules)
    # the provider's own duties rest on the national law of each country of service
    key = rule.authority_regime or regime
    found = [rules.authorities.national_law(key, c) for c in countries_of_service(parties.geo)]
    laws = [law for law in found if law is not None]
    cited = "; ".join(_law(law) for law in laws)
    unconfirmed = tuple(
        _not_confirmed(law.country, law.unconfirmed) for law in laws if law.unconfirmed
    )
    if kind == "data_subjects":
        return [Target(None, None, law=cited, unconfirmed=unconfirmed)]
    if kind == "public":
        name = "The public (website notice, press or an equally effective channel)"
        return [Target(Recipient(name=name), None)]
    org = parties.org  # "register": its own records (GDPR Art. 33(5))
    register = Recipient(name=f"Breach register of {org.name}", contact=org.contact)
    return [Target(register, None, law=cited, unconfirmed=unconfirmed)]


def subjects_recipient(facts: Facts) -> Recipient:
    """The affected people of ``facts``: how many, and where they live."""
    count = facts.subjects.count
    who = f"{count:,} people" if count is not None else "number not yet known"
    where = ", ".join(facts.subjects.countries) or "countries not yet known"
    return Recipient(name=f"Affected data subjects ({who}; {where})")


def country_authorities(
    rule: Rule, regime: str, countries: list[str], rules: RuleSet
) -> list[Target]:
    """One target per body that receives the rule's notification in each country: the
    country's designated entry points, else every authority of the regime there (several in
    DE), each with the national law it rests on."""
    key = rule.authority_regime or regime
    if not countries:
        name = f"The {rule.recipient_label} of each country where the service is provided"
        return [Target(Recipient(name=f"{name} (countries not yet known)"), None)]
    directory = rules.authorities
    targets = []
    for country in countries:
        law = directory.national_law(key, country)
        points = directory.entry_points_of(key, country)
        if points:
            for point in points:
                authority = directory.by_id[point.authority]
                suffix = country if len(points) == 1 else f"{country}.{_slug(authority.id)}"
                informs = " and ".join(the(directory.by_id[i].name) for i in point.informs)
                route = f"{the(authority.name)} ({country}" + (f"; {law.citation}" if law else "")
                route += f"; it informs {informs})" if informs else ")"
                texts = [point.unconfirmed, _open(authority), law.unconfirmed if law else ""]
                unconfirmed = tuple(_not_confirmed(country, text) for text in texts if text)
                targets.append(
                    Target(authority.recipient, suffix, route, law=_law(law),
                           why=point.because, unconfirmed=unconfirmed, check=_check(authority))
                )  # fmt: skip
            continue
        found = directory.for_regime(key, country)
        unconfirmed = (_not_confirmed(country, law.unconfirmed),) if law and law.unconfirmed else ()
        if not found:
            generic = Recipient(name=f"The {rule.recipient_label} of {country}", country=country)
            route = f"the {rule.recipient_label} of {country}"
            route += f" ({law.citation})" if law else ""
            targets.append(Target(generic, country, route, law=_law(law), unconfirmed=unconfirmed))
            continue
        for authority in found:
            suffix = country if len(found) == 1 else f"{country}.{_slug(authority.id)}"
            route = _cited(f"{the(authority.name)} ({country}", law)
            extra = (_not_confirmed(country, _open(authority)),) if authority.unconfirmed else ()
            notes = unconfirmed + extra
            targets.append(
                Target(
                    authority.recipient,
                    suffix,
                    route,
                    law=_law(law),
                    unconfirmed=notes,
                    check=_check(authority),
                )
            )
    return targets


def _cited(route: str, law: NationalLaw | None) -> str:
    """Close ``route``'s parenthesis, naming the national law in it when there is one."""
    return f"{route}; {law.citation})" if law else f"{route})"


def _open(authority: Authority) -> str:
    """What must be checked before relying on ``authority`` as a recipient ("" if nothing)."""
    return f"{the(authority.name)}: {authority.unconfirmed}" if authority.unconfirmed else ""


def _check(authority: Authority) -> Authority | None:
    return authority if authority.has_open_details and not authority.unconfirmed else None


def open_details_warning(checks: list[Authority]) -> str:
    """One warning naming every recipient whose directory entry has open details."""
    found = {a.id: a for a in checks}.values()
    names = ", ".join(f"{the(a.name)} ({a.country})" for a in found)
    listed = ", ".join(f"breach authorities {c}" for c in sorted({a.country for a in found}))
    return (
        f"Some details of the directory entries of {names} (contact, form or languages) are "
        f"not confirmed: read their notes ({listed}) before you rely on them."
    )


def _not_confirmed(country: str, what: str) -> str:
    return f"Not yet confirmed for {country}: {what}"


def _law(law: NationalLaw | None) -> str:
    return f"{law.citation} ({law.country})" if law else ""


def gdpr_authorities(geo: Geography, rules: RuleSet) -> list[Target]:
    """GDPR Art. 55/56 routing: the lead or single establishment's authority, or each (3(2))."""
    established, main = geo.established, geo.main

    def authority_of(country: str) -> Authority | None:
        found = rules.authorities.for_regime("gdpr", country)
        return found[0] if found else None

    def recipient(authority: Authority | None, country: str) -> Recipient:
        if authority is None:
            return Recipient(name=f"Supervisory authority of {country}", country=country)
        return authority.recipient

    if established:
        main = main if main in established else None
        country = main or sorted(established)[0]
        authority = authority_of(country)
        name = the(authority.name) if authority else f"the supervisory authority of {country}"
        if geo.cross_border and main:
            route = (
                f"{name} ({country}), lead supervisory authority of your main establishment "
                "(Art. 56(1))"
            )
        elif geo.cross_border:
            route = (
                f"{name} ({country}) — main establishment not set, so the lead authority is "
                "not certain; confirm it"
            )
        else:
            route = f"{name} ({country}), the authority of your establishment (Art. 55)"
        return [Target(recipient(authority, country), country, route)]
    countries = sorted(geo.subjects)
    if not countries:
        unknown = Recipient(
            name="The supervisory authority of each EU/EEA country where affected people live "
            "(countries not yet known)"
        )
        return [Target(unknown, None, "each EU/EEA authority where affected people live")]
    return [
        Target(
            recipient(authority_of(c), c),
            c,
            f"the authority of {c}, where affected people live (no EU establishment: "
            "EDPB Guidelines 9/2022 para 73)",
        )
        for c in countries
    ]


def controller_targets(parties: Parties, rules: RuleSet) -> list[Target]:
    """One target per controller customer, with its agreed (or default) notice hours.

    The default: the profile's breach commitment, else the rule set's processor hours.
    """
    commitment = parties.profile.breach_commitment if parties.profile else None
    default = (
        commitment.notice_hours if commitment else None
    ) or rules.settings.processor_notice_hours
    listed = parties.facts.controllers
    if not listed:
        nobody = Recipient(name="Each controller whose data is affected (none listed yet)")
        return [Target(nobody, None, hours=default)]
    targets = []
    seen: set[str] = set()
    for index, controller in enumerate(listed, start=1):
        slug = _slug(controller.name) or str(index)
        if slug in seen:
            slug = f"{slug}_{index}"
        seen.add(slug)
        recipient = Recipient(name=controller.name, contact=controller.contact)
        targets.append(Target(recipient, slug, hours=controller.notice_hours or default))
    return targets


def the(name: str) -> str:
    """ "the Federal Network Agency", but "CNPD" or "The X" unchanged."""
    return name if name.lower().startswith("the ") or name.isupper() else f"the {name}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
