"""The legal knowledge in ``decision_rules/``: the rule files' models, validated on load.

- :mod:`.regimes`: regimes and their rules (conditions compiled, reasons checked);
- :mod:`.risk_model`: the ENISA method and the EDPB factors;
- :mod:`.directory`: the authorities and the organisation profiles;
- :mod:`.ruleset`: ``ruleset.toml`` and the whole :class:`RuleSet`;
- :mod:`.loading`: finding the folder and reading it, errors naming file and line;
- :mod:`.user_profiles`: the user's own profiles (their config folder), with versions;
- :mod:`.conditions`: the small safe evaluator of conditions (never ``eval``).
"""

from .conditions import Condition, ConditionError, compile_condition
from .directory import Authority, AuthorityDirectory, EntryPoint, NationalLaw, Profile
from .loading import (
    RULES_ENV,
    Format,
    RuleFileError,
    as_data,
    file_sha256,
    load_file,
    load_rules,
    load_text,
    parse_text,
    rules_dir,
)
from .regimes import DECISION_NAMES, Clause, ExemptionClause, Regime, RegimeWarning, Rule
from .risk_model import RISK_NAMES, Factor, RiskModel
from .ruleset import ProfileOrigin, RuleSet, RulesetFile
from .text import check_template, fill_template, placeholders
from .user_profiles import (
    HISTORY,
    ProfileError,
    check_profile_text,
    format_of,
    kept_number,
    kept_versions,
    line_of_id,
    profile_files,
    profile_id_of,
    read_profile_file,
    shipped_ids,
    with_user_profiles,
)

__all__ = [
    "DECISION_NAMES",
    "HISTORY",
    "RISK_NAMES",
    "RULES_ENV",
    "Authority",
    "AuthorityDirectory",
    "Clause",
    "Condition",
    "ConditionError",
    "EntryPoint",
    "ExemptionClause",
    "Factor",
    "Format",
    "NationalLaw",
    "Profile",
    "ProfileError",
    "ProfileOrigin",
    "Regime",
    "RegimeWarning",
    "RiskModel",
    "Rule",
    "RuleFileError",
    "RuleSet",
    "RulesetFile",
    "as_data",
    "check_profile_text",
    "check_template",
    "compile_condition",
    "file_sha256",
    "fill_template",
    "format_of",
    "kept_number",
    "kept_versions",
    "line_of_id",
    "load_file",
    "load_rules",
    "load_text",
    "parse_text",
    "placeholders",
    "profile_files",
    "profile_id_of",
    "read_profile_file",
    "rules_dir",
    "shipped_ids",
    "with_user_profiles",
]
