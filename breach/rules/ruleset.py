"""``ruleset.toml`` and the whole rule set: everything in ``decision_rules/``, validated."""

from __future__ import annotations

from pydantic import Field

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


class RuleSet(RuleModel):
    """Everything in ``decision_rules/``, validated; read-only, shared by every assessment."""

    settings: RulesetFile
    regimes: dict[str, Regime]
    risk: RiskModel
    authorities: AuthorityDirectory
    profiles: dict[str, Profile]
    directory: str

    @property
    def version(self) -> str:
        """The rules version recorded in every Decision."""
        return self.settings.version
