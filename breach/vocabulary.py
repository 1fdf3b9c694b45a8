"""The contract's vocabulary, importable without pydantic.

The ``Literal`` types of ``breach.facts/1`` and ``breach.decision/1`` and the checks of their
fields live here so that the rule files' dataclasses (:mod:`breach.rules`) and the cached
validators (:mod:`breach.contract`) can use them without loading pydantic: a command that
only assesses starts in a fraction of the time. :mod:`breach.model` builds the pydantic
models from them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal, Protocol

Role = Literal["controller", "processor", "joint_controller"]
RiskLevel = Literal["unlikely", "risk", "high"]
Confidentiality = Literal[
    "none", "trusted_recipient", "known_recipients", "unknown_recipients", "unknown"
]
Integrity = Literal["none", "recoverable", "unrecoverable", "unknown"]
Availability = Literal["none", "temporary", "permanent", "unknown"]
Exfiltration = Literal["none", "suspected", "confirmed", "unknown"]
Identifiability = Literal["negligible", "limited", "significant", "maximum"]
Protection = Literal["none", "encrypted", "hashed", "pseudonymised"]
Nis2Status = Literal["essential", "important", "none"]
DataCategory = Literal[
    "identity",
    "contact",
    "account",
    "credentials",
    "national_id",
    "financial",
    "orders",
    "location",
    "traffic_data",
    "communications_content",
    "behavioural",
    "employment",
    "special_category",
    "criminal",
    "other",
]
SubjectKind = Literal[
    "customers",
    "employees",
    "applicants",
    "patients",
    "children",
    "vulnerable",
    "public_figures",
    "other",
]
Duty = Literal[
    "document",
    "notify_authority",
    "follow_up",
    "notify_data_subjects",
    "notify_controller",
    "public_communication",
    "early_warning",
    "incident_notification",
    "final_report",
]
DutyStatus = Literal["required", "not_required", "exempt"]
DueKind = Literal["deadline", "without_undue_delay"]
Exemption = Literal["encryption", "mitigated", "disproportionate_effort"]


def country_code(value: str) -> str:
    """An ISO 3166 alpha-2 code in upper case; anything else is refused."""
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-2 country code")
    return code


def justified(value: str) -> str:
    """A risk override's justification: refused when blank."""
    if not value.strip():
        raise ValueError("a risk override needs a justification")
    return value


def utc_z(value: datetime) -> str:
    """Render an aware datetime as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Timed(Protocol):
    detected_at: datetime
    aware_at: datetime | None


def aware_not_before_detection(facts: Any) -> Any:
    """Facts whose ``aware_at`` precedes ``detected_at`` are refused."""
    timed: _Timed = facts
    if timed.aware_at is not None and timed.aware_at < timed.detected_at:
        raise ValueError("aware_at is before detected_at: awareness follows detection")
    return facts


def awareness(facts: _Timed) -> datetime:
    """The instant the GDPR clock starts: ``aware_at``, else ``detected_at``."""
    return facts.aware_at or facts.detected_at
