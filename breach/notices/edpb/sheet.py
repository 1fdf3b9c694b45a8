"""The answers being filled in: value, source and state of each field, by question number."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..view import IncidentView

#: What the export calls an unanswered value.
EMPTY: tuple[Any, ...] = (None, "", [], {})


@dataclass
class Sheet:
    """The template for one notice: its answers so far and the facts conditions read."""

    view: IncidentView
    duty: dict[str, Any] | None
    phase: str
    series: list[dict[str, Any]]
    now: datetime
    values: dict[int, Any] = field(default_factory=dict)
    sources: dict[int, str] = field(default_factory=dict)
    #: answered, but still to be completed: "to be determined" codes and partial answers
    pending: set[int] = field(default_factory=set)
    #: the controller is established in the EEA (None: not known to us)
    eea: bool | None = None
    #: the notice is sent, or still open, after its deadline
    late: bool = False
    #: GDPR one-stop shop: cross-border processing notified to the lead authority
    one_stop_shop: bool = False

    @property
    def for_controller(self) -> bool:
        """A processor's export for its controller (the ``controller`` notice)."""
        return self.duty is not None and self.duty["duty"] == "notify_controller"

    @property
    def regime(self) -> str:
        """The regime of the duty the notice is for (a voluntary notice: the GDPR's)."""
        return str((self.duty or {}).get("regime") or "gdpr")

    def put(self, number: int, value: Any, source: str = "facts", *, pending: bool = False) -> None:
        """Answer ``number`` (an empty value leaves it unanswered)."""
        if value in EMPTY:
            return
        self.values[number] = value
        self.sources[number] = source
        if pending:
            self.pending.add(number)

    def has(self, number: int, *codes: str) -> bool:
        """The answer to ``number`` is, or (a list) includes, one of ``codes``."""
        value = self.values.get(number)
        if isinstance(value, list):
            return any(code in value for code in codes)
        return value in codes
