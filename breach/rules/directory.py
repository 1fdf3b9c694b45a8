"""``authorities.toml`` and ``profiles/*.toml``: who receives notices, and who we are."""

from __future__ import annotations

from datetime import date
from functools import cached_property

from pydantic import ConfigDict, Field

from ..model import Establishment, Nis2Status, Organisation, Recipient, Role
from ..model.facts import DataCategory
from .regimes import RuleModel


class Authority(RuleModel):
    """A body that receives notifications."""

    id: str
    country: str = Field(pattern=r"^[A-Z]{2}$")
    regimes: list[str]
    name: str
    local_name: str = ""
    website: str = ""
    portal: str = ""
    languages: list[str] = Field(default_factory=list)
    zone: str = "UTC"
    source: str
    last_verified: date | None = Field(default=None, description="absent: not yet verified")
    note: str = ""

    @property
    def recipient(self) -> Recipient:
        """This authority as the recipient of an obligation."""
        return Recipient(
            name=self.name,
            country=self.country,
            contact=self.portal or self.website or None,
            authority_id=self.id,
        )


class AuthorityDirectory(RuleModel):
    """``authorities.toml``."""

    authorities: list[Authority]

    @cached_property
    def _index(self) -> dict[tuple[str, str], list[Authority]]:
        index: dict[tuple[str, str], list[Authority]] = {}
        for authority in self.authorities:
            for regime in authority.regimes:
                index.setdefault((regime, authority.country), []).append(authority)
        return index

    def for_regime(self, regime: str, country: str) -> list[Authority]:
        """Authorities of ``country`` that receive notifications under ``regime``."""
        return list(self._index.get((regime, country), []))


class ProfileSources(RuleModel):
    """Where each profile field comes from in the organisation's policy."""

    name: str = ""
    main_establishment: str = ""
    ecs_provider: str = ""
    gdpr_targeting: str = ""
    nis2: str = ""
    contact: str = ""
    languages: str = ""


class ProfileEstablishment(Establishment):
    """An entity with its country and where the policy names it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entity: str
    source: str


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

    label: str
    category: DataCategory
    source: str


class Profile(Organisation):
    """An organisation profile built from its privacy policy: the CONTRACT's organisation,
    with where each answer comes from, its roles, commitments and data inventory."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    policy: str
    ecs_provider: bool
    gdpr_targeting: bool
    nis2: Nis2Status
    languages: list[str]
    notes: list[str] = Field(default_factory=list)
    sources: ProfileSources
    establishments: list[ProfileEstablishment]  # type: ignore[assignment]
    roles: list[ProfileRole]
    breach_commitment: BreachCommitment | None = None
    inventory: list[InventoryItem]
