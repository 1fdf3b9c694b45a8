"""The particulars: what the notices and the regulators' forms need beyond the decision.

All optional (CONTRACT.md, "Particulars"). They change no duty except where a rule says
so; every notice, the report and the EDPB-template export fill their fields from them
instead of leaving a marker. Null or empty means "not yet known".
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic import Strict as StrictType

from .countries import CountryCode

#: How we learnt of the breach.
DiscoveredBy = Literal[
    "internal_monitoring",
    "staff",
    "customer",
    "data_subject",
    "third_party",
    "attacker",
    "authority",
    "media",
    "other",
]
#: What kind of incident it was (several may apply).
IncidentKind = Literal[
    "ransomware",
    "malware",
    "phishing",
    "credential_stuffing",
    "hacking",
    "misconfiguration",
    "misdirected_communication",
    "lost_device",
    "stolen_device",
    "insider",
    "social_engineering",
    "physical_documents",
    "publication_error",
    "other",
]
#: Where it came from (with ``malicious``: deliberate or not).
Cause = Literal["internal", "external", "unknown"]

_Line = Annotated[str, StrictType(), StringConstraints(max_length=500)]
_Phone = Annotated[
    str,
    StrictType(),
    StringConstraints(max_length=40, pattern=r"^\+?[0-9][0-9 ()./-]{2,38}$"),
]
_Email = Annotated[
    str,
    StrictType(),
    StringConstraints(max_length=320, pattern=r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$"),
]
#: A language code: ``en``, ``nl``, ``fr``, ``de``, ``pt-br`` (lower-cased).
LanguageCode = Annotated[
    str,
    StrictType(),
    StringConstraints(to_lower=True, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$"),
]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Person(_Part):
    """A person who can be named in a notice: who sends it, or whom to ask."""

    name: _Line | None = None
    role: _Line | None = Field(default=None, description="job title or function")
    email: _Email | None = None
    phone: _Phone | None = Field(default=None, description="international format, +352 …")


class Dpo(_Part):
    """The organisation's data protection officer (GDPR Art. 37-39), if designated."""

    designated: Annotated[bool, StrictType()] = False
    name: _Line | None = None
    email: _Email | None = None
    phone: _Phone | None = None


class ProcessorInvolved(_Part):
    """A processor involved in the breach (EDPB template; 611/2013 Annex I: other providers)."""

    name: _Line = Field(min_length=1)
    country: CountryCode | None = Field(default=None, description="ISO 3166 alpha-2 code")


class PoliceReport(_Part):
    """A complaint to the police about the breach."""

    filed: Annotated[bool, StrictType()]
    reference: _Line | None = None
