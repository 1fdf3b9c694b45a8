"""``authorities.toml`` and ``profiles/*.toml``: who receives notices, and who we are."""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from ..model import Establishment, Nis2Status, Organisation, Recipient, Role
from ..model.facts import DataCategory
from .regimes import RuleModel


def _cites_a_page(value: str) -> str:
    if not re.search(r"\bhttps?://\S+", value):
        raise ValueError("needs the public URL(s) of what was read (https://…)")
    return value


#: What an entry rests on: one or more public URLs (" ; " between them).
Sources = Annotated[str, AfterValidator(_cites_a_page)]

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$")


def _slug(value: str) -> str:
    # a profile id is also its file name, and facts name it: keep it plain
    if not _SLUG.match(value):
        raise ValueError(
            f"{value[:40]!r} is not a profile id: use lower-case letters, digits, - and _ "
            "(at most 64, e.g. acme-telecom)"
        )
    return value


#: A profile id: its file's name too.
ProfileId = Annotated[str, AfterValidator(_slug)]


class Authority(RuleModel):
    """A body that receives notifications."""

    id: str
    country: str = Field(pattern=r"^[A-Z]{2}$")
    regimes: list[str]
    name: str
    local_name: str = ""
    names: dict[str, str] = Field(
        default_factory=dict, description="its name in each language it works in (fr, nl…)"
    )
    website: str = ""
    portal: str = ""
    languages: list[str] = Field(default_factory=list)
    zone: str = "UTC"
    source: Sources
    last_verified: date = Field(description="when the sources were last read")
    note: str = ""
    unconfirmed: str = Field(
        default="", description="what a responder must check before relying on it; a warning"
    )

    @property
    def has_open_details(self) -> bool:
        """Whether some detail of the entry (contact, form, languages) is not confirmed."""
        return "unconfirmed" in self.note.lower()

    @property
    def recipient(self) -> Recipient:
        """This authority as the recipient of an obligation."""
        return Recipient(
            name=self.name,
            country=self.country,
            contact=self.portal or self.website or None,
            authority_id=self.id,
        )


class NationalLaw(RuleModel):
    """The national provision a regime's duty rests on in one country (the transposition of
    a directive, e.g. Directive 2002/58/EC Art. 4 or NIS2 Art. 23)."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    regime: str
    citation: str = Field(description="as a lawyer cites it: 'Telecommunicatiewet art. 11.3a'")
    title: str = ""
    in_force: date | None = Field(default=None, description="absent: not known")
    source: Sources = Field(description="public URL(s) of what was read")
    last_verified: date = Field(description="when the source was last read")
    unconfirmed: str = Field(default="", description="what is not confirmed; a warning when used")


class EntryPoint(RuleModel):
    """Where a regime's notification is filed in one country, when the country designates
    one body for it (NIS2 Art. 23(1): the CSIRT or the competent authority)."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    regime: str
    authority: str = Field(description="id of the authority that receives the notification")
    informs: list[str] = Field(
        default_factory=list, description="ids of the authorities it passes the notification on to"
    )
    because: str = Field(min_length=1, description="why this body: the designation, in words")
    source: Sources
    last_verified: date = Field(description="when the source was last read")
    unconfirmed: str = ""


class AuthorityDirectory(RuleModel):
    """``authorities.toml``: the authorities, the national entry points and national laws."""

    authorities: list[Authority]
    entry_points: list[EntryPoint] = Field(default_factory=list)
    national_laws: list[NationalLaw] = Field(default_factory=list)

    @cached_property
    def _index(self) -> dict[tuple[str, str], list[Authority]]:
        index: dict[tuple[str, str], list[Authority]] = {}
        for authority in self.authorities:
            for regime in authority.regimes:
                index.setdefault((regime, authority.country), []).append(authority)
        return index

    @cached_property
    def by_id(self) -> dict[str, Authority]:
        """Every authority by its id."""
        return {authority.id: authority for authority in self.authorities}

    def for_regime(self, regime: str, country: str) -> list[Authority]:
        """Authorities of ``country`` that receive notifications under ``regime``."""
        return list(self._index.get((regime, country), []))

    def entry_points_of(self, regime: str, country: str) -> list[EntryPoint]:
        """Where ``regime``'s notifications are filed in ``country`` (empty: not designated
        in this directory, so every authority of the regime there receives one)."""
        return [p for p in self.entry_points if (p.regime, p.country) == (regime, country)]

    def national_law(self, regime: str, country: str) -> NationalLaw | None:
        """The national provision ``regime`` rests on in ``country``, if recorded."""
        return next(
            (law for law in self.national_laws if (law.regime, law.country) == (regime, country)),
            None,
        )

    @model_validator(mode="after")
    def _entry_points_name_known_authorities(self) -> AuthorityDirectory:
        known = {authority.id for authority in self.authorities}
        for point in self.entry_points:
            for name in (point.authority, *point.informs):
                if name not in known:
                    raise ValueError(f"entry point of {point.country}: no authority {name!r}")
        return self


class ProfileSources(RuleModel):
    """Where each profile field comes from in the organisation's policy."""

    name: str = ""
    main_establishment: str = ""
    ecs_provider: str = ""
    gdpr_targeting: str = ""
    nis2: str = ""
    contact: str = ""
    dpo: str = ""
    languages: str = ""


class ProfileEstablishment(Establishment):
    """An entity with its country and where the policy names it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entity: str = Field(min_length=1, description="legal entity name")
    source: str = ""


class ProfileRole(RuleModel):
    """A role the organisation takes for some data."""

    role: Role
    scope: str
    source: str


class BreachCommitment(RuleModel):
    """What the organisation promises its customers about breaches."""

    notice_hours: float | None = Field(default=None, gt=0)
    text: str
    exemptions: list[str] = Field(default_factory=list)
    source: str


class InventoryItem(RuleModel):
    """A kind of data as the policy names it, mapped to a Facts category."""

    label: str = Field(min_length=1)
    category: DataCategory
    source: str = ""


class Profile(Organisation):
    """An organisation profile (shipped, built from its privacy policy, or the user's own):
    the CONTRACT's organisation, with where each answer comes from, its roles, commitments
    and data inventory."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: ProfileId
    name: str = Field(min_length=1, max_length=500)
    policy: str = Field(default="", description="the policy document it was built from")
    ecs_provider: bool
    gdpr_targeting: bool
    nis2: Nis2Status
    languages: list[str] = Field(min_length=1, description="languages it can notify in")
    notes: list[str] = Field(default_factory=list)
    sources: ProfileSources = Field(default_factory=ProfileSources)
    establishments: list[ProfileEstablishment] = Field(  # type: ignore[assignment]
        min_length=1, max_length=300
    )
    roles: list[ProfileRole] = Field(default_factory=list)
    breach_commitment: BreachCommitment | None = None
    inventory: list[InventoryItem]
