"""``ruleset.toml`` and the whole rule set: everything in ``decision_rules/``, validated."""

from __future__ import annotations

from pydantic import Field

from ..model import ProfileSource, ProfileUsed
from .directory import AuthorityDirectory, Profile
from .regimes import Regime, RuleModel
from .risk_model import RiskModel


class RulesetFile(RuleModel):
    """``ruleset.toml``: the version and defaults of the whole rule set."""

    version: str
    processor_notice_hours: float = Field(gt=0)
    processor_notice_source: str
    ecs_only_for_mixed: list[str] = Field(
        default_factory=list,
        description="countries where a mixed incident goes the ePrivacy route alone (Art. 95)",
    )
    ecs_only_for_mixed_source: str = ""
    ecs_account_data_telecom_only: list[str] = Field(
        default_factory=list,
        description="countries where a national rule sends a telecom provider's customer-account "
        "data the telecom route alone; elsewhere both routes are required",
    )
    ecs_account_data_telecom_only_source: str = ""


class ProfileOrigin(RuleModel):
    """Where a profile comes from: shipped in the rules folder, or the user's own."""

    source: ProfileSource
    path: str
    version: str = Field(description="user: '1', '2', …; shipped: the rules version")
    sha256: str
    kept: bool = Field(
        default=True,
        description="whether this content is a kept version (false: the file was changed "
        "by hand since; the next save keeps it first)",
    )


class RuleSet(RuleModel):
    """Everything in ``decision_rules/``, validated; read-only, shared by every assessment."""

    settings: RulesetFile
    regimes: dict[str, Regime]
    risk: RiskModel
    authorities: AuthorityDirectory
    profiles: dict[str, Profile]
    directory: str
    origins: dict[str, ProfileOrigin] = Field(
        default_factory=dict, description="where each profile comes from, by id"
    )
    broken_profiles: dict[str, str] = Field(
        default_factory=dict,
        description="the user's profile files that cannot be used, by id: the error line",
    )

    @property
    def version(self) -> str:
        """The rules version recorded in every Decision."""
        return self.settings.version

    def profile_used(self, profile_id: str) -> ProfileUsed | None:
        """The identity of profile ``profile_id`` an assessment records (None: unknown)."""
        origin = self.origins.get(profile_id)
        if origin is None or profile_id not in self.profiles:
            return None
        return ProfileUsed(
            id=profile_id, source=origin.source, version=origin.version, sha256=origin.sha256
        )
