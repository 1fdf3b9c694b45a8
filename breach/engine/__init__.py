"""The decision engine: pure functions from Facts and the rules to a Decision.

- :mod:`.assess`: ``assess(facts, rules, now) -> Decision``, in one pass;
- :mod:`.risk`: the ENISA severity and the EDPB factors;
- :mod:`.routing`: who receives each duty.
"""

from .assess import FactsError, assess, resolve_organisation

__all__ = ["FactsError", "assess", "resolve_organisation"]
