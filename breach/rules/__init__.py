"""The legal knowledge in ``decision_rules/``: the rule files' models, validated on load.

- :mod:`.regimes`: regimes and their rules (conditions compiled, reasons checked);
- :mod:`.risk_model`: the ENISA method and the EDPB factors;
- :mod:`.directory`: the authorities and the organisation profiles;
- :mod:`.ruleset`: ``ruleset.toml`` and the whole :class:`RuleSet`;
- :mod:`.loading`: finding the folder and reading it, errors naming file and line;
- :mod:`.conditions`: the small safe evaluator of conditions (never ``eval``).
"""

from .conditions import Condition, ConditionError, compile_condition
from .directory import Authority, AuthorityDirectory, EntryPoint, NationalLaw, Profile
from .loading import RULES_ENV, RuleFileError, as_data, load_file, load_rules, rules_dir
from .regimes import DECISION_NAMES, Clause, ExemptionClause, Regime, RegimeWarning, Rule
from .risk_model import RISK_NAMES, Factor, RiskModel
from .ruleset import RuleSet, RulesetFile
from .text import check_template, fill_template, placeholders

__all__ = [
    "DECISION_NAMES",
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
    "NationalLaw",
    "Profile",
    "Regime",
    "RegimeWarning",
    "RiskModel",
    "Rule",
    "RuleFileError",
    "RuleSet",
    "RulesetFile",
    "as_data",
    "check_template",
    "compile_condition",
    "fill_template",
    "load_file",
    "load_rules",
    "placeholders",
    "rules_dir",
]
