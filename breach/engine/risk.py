"""The risk model: ENISA 2013 severity, then the EDPB factors it leaves out.

1. Resolve the facts cautiously: an unknown answer takes the worse branch and is listed
   in the warnings (``unknown`` recipients, ``permanent`` loss, malicious, many people).
2. ENISA severity ``SE = DPC x EI + CB`` with its breakdown (docs/risk-model.md).
3. If nothing effective happened (no confidentiality impact, no integrity loss, at most a
   short outage outside a vital context) the risk is ``unlikely``.
4. Otherwise the EDPB factors add their weights to SE; at or above ``high_threshold`` the
   risk is ``high``, below it ``risk``.
5. A responder's ``risk_override`` wins and is marked.

All weights, thresholds and conditions live in ``decision_rules/risk.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..model import Facts, RiskLevel, Severity, TraceStep
from ..rules import RiskModel

LARGE_UNKNOWN_COUNT = 10**9  # an unknown number of people is treated as "very many"


@dataclass
class RiskResult:
    """The outcome of the risk model, with everything needed to explain it."""

    level: RiskLevel
    source: Literal["engine", "override"]
    severity: Severity
    score: float
    #: the resolved, cautious view of the facts that the risk conditions read
    env: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    trace: list[TraceStep] = field(default_factory=list)
    because: str = ""


def is_unintelligible(facts: Facts) -> bool:
    """Data rendered unintelligible: encrypted or hashed, state of the art, key known safe."""
    return (
        facts.protection in ("encrypted", "hashed")
        and facts.protection_state_of_the_art
        and facts.key_compromised is False
    )


def risk_env(facts: Facts, model: RiskModel) -> tuple[dict[str, Any], list[str]]:
    """The resolved, cautious view of the facts that risk conditions read, plus warnings."""
    warnings: list[str] = []
    confidentiality: str = facts.confidentiality
    if confidentiality == "unknown":
        confidentiality = "unknown_recipients"
        warnings.append(
            "Who could see the data is unknown: assessed as disclosed to unknown recipients."
        )
    if facts.exfiltration != "none" and confidentiality == "none":
        confidentiality = "unknown_recipients"
        warnings.append(
            f"Exfiltration is {facts.exfiltration} but confidentiality says 'none': assessed as "
            "disclosed to unknown recipients until logs or forensics rule it out."
        )
    integrity: str = facts.integrity
    if integrity == "unknown":
        integrity = "unrecoverable"
        warnings.append("Whether data was altered is unknown: assessed as altered beyond repair.")
    availability: str = facts.availability
    if availability == "unknown":
        availability = "permanent"
        warnings.append("Whether data was lost is unknown: assessed as permanently lost.")
    malicious = facts.malicious
    if malicious is None:
        malicious = True
        warnings.append("Whether the breach was deliberate is unknown: assessed as malicious.")
    count = facts.subjects.count
    if count is None:
        count = LARGE_UNKNOWN_COUNT
        warnings.append("The number of people affected is unknown: assessed as very many.")
    if facts.protection in ("encrypted", "hashed") and facts.key_compromised is None:
        warnings.append(
            "Whether the key (or salt) was compromised is unknown: the data is not treated "
            "as unintelligible."
        )
    known_recipients = confidentiality == "known_recipients"
    if known_recipients and facts.recipient_deleted is None:
        warnings.append(
            "Whether the recipients deleted or returned the data is not confirmed: assessed as "
            "if they kept it; ask them to confirm in writing (EDPB Guidelines 01/2021 cases 13-16)."
        )
    unintelligible = is_unintelligible(facts)
    categories = list(facts.data_categories)
    if not categories:
        warnings.append("No data categories given: the data is assessed as sensitive.")
    hours = facts.unavailable_hours
    kinds = list(facts.subjects.kinds)
    env: dict[str, Any] = {
        "confidentiality": confidentiality,
        "integrity": integrity,
        "availability": availability,
        "exfiltration": facts.exfiltration,
        "malicious": malicious,
        "unintelligible": unintelligible,
        "trusted_recipient": confidentiality == "trusted_recipient",
        "recipient_deleted": known_recipients and facts.recipient_deleted is True,
        "recipient_kept": known_recipients and facts.recipient_deleted is not True,
        "no_confidentiality_impact": unintelligible
        or confidentiality in ("none", "trusted_recipient"),
        "unavailable_hours": hours,
        "outage_hours_known": hours is not None,
        "vital_context": "special_category" in categories
        or bool({"patients", "vulnerable"} & set(kinds)),
        "subjects_count": count,
        "categories": categories,
        "kinds": kinds,
        "fraud_data": bool({"national_id", "financial", "credentials"} & set(categories)),
        "uncertain_scope": not categories or facts.exfiltration in ("suspected", "unknown"),
    }
    env["short_outage"] = (
        availability == "temporary"
        and hours is not None
        and hours <= model.short_outage_hours
        and not env["vital_context"]
    )
    if availability == "temporary" and hours is None:
        warnings.append(
            "How long the data is unavailable is unknown: not treated as a short outage."
        )
    return env, warnings


def enisa_severity(facts: Facts, env: dict[str, Any], model: RiskModel) -> Severity:
    """ENISA 2013: ``SE = DPC x EI + CB``, with a line of breakdown per term."""
    enisa = model.enisa
    lines: list[str] = []
    if facts.data_categories:
        scored = [(enisa.categories[c].dpc, c) for c in facts.data_categories]
        dpc, top = max(scored)
        lines.append(f"DPC {dpc:g}: highest data category is {top} ({enisa.categories[top].enisa})")
    else:
        dpc = enisa.unknown_categories_dpc
        lines.append(f"DPC {dpc:g}: data categories unknown (cautious)")
    for kind in facts.subjects.kinds:
        adjustment = enisa.kinds.get(kind)
        if adjustment and dpc < 4:
            new = min(4.0, dpc + adjustment.dpc)
            lines.append(f"DPC {dpc:g} -> {new:g}: {adjustment.because}")
            dpc = new
    ei = enisa.ei[facts.identifiability]
    lines.append(f"EI {ei:g}: identifiability {facts.identifiability}")
    if env["unintelligible"] and ei > enisa.unintelligible_ei:
        ei = enisa.unintelligible_ei
        lines.append(f"EI -> {ei:g}: data unintelligible (state-of-the-art protection, key safe)")
    cb_c = 0.0 if env["unintelligible"] else enisa.cb_confidentiality[env["confidentiality"]]
    cb_i = enisa.cb_integrity[env["integrity"]]
    cb_a = enisa.cb_availability[env["availability"]]
    cb_m = enisa.cb_malicious if env["malicious"] else 0.0
    cb = cb_c + cb_i + cb_a + cb_m
    lines.append(
        f"CB {cb:g}: confidentiality {cb_c:g} ({env['confidentiality']}), integrity {cb_i:g} "
        f"({env['integrity']}), availability {cb_a:g} ({env['availability']}), "
        f"malicious {cb_m:g}"
    )
    score = round(dpc * ei + cb, 4)
    band = "low"
    for name, threshold in enisa.bands_ascending:
        if score >= threshold:
            band = name
    lines.append(f"SE = {dpc:g} x {ei:g} + {cb:g} = {score:g} ({band.replace('_', ' ')})")
    return Severity.model_validate(
        {"score": score, "band": band, "dpc": dpc, "ei": ei, "cb": cb, "breakdown": lines}
    )


def assess_risk(facts: Facts, model: RiskModel) -> RiskResult:
    """Run the whole risk model on ``facts``."""
    env, warnings = risk_env(facts, model)
    severity = enisa_severity(facts, env, model)
    env["dpc"] = severity.dpc
    enisa_step = TraceStep(
        rule="risk.enisa", result=severity.band, because="; ".join(severity.breakdown)
    )
    trace = [enisa_step]
    score = severity.score
    pushes: list[str] = []
    for factor in model.factors:
        if factor.when.evaluate(env):
            score += factor.weight
            pushes.append(f"{factor.because} ({factor.signed_weight})")
            because = f"{factor.because} ({factor.cites})" if factor.cites else factor.because
            trace.append(TraceStep(rule=factor.id, result=factor.signed_weight, because=because))
    score = round(score, 4)
    level: RiskLevel
    if model.unlikely_when.evaluate(env):
        level, because = "unlikely", model.unlikely_because
    elif model.high_floor_when.evaluate(env):
        level, because = "high", model.high_floor_because
    elif score >= model.high_threshold:
        level = "high"
        because = f"adjusted score {score:g} reaches {model.high_threshold:g}"
    else:
        level = "risk"
        because = f"adjusted score {score:g} is below {model.high_threshold:g}"
    if pushes and level != "unlikely":
        because += "; moved by: " + "; ".join(pushes)
    trace.append(TraceStep(rule="risk.level", result=level, because=because))
    source: Literal["engine", "override"] = "engine"
    if facts.risk_override is not None:
        override = facts.risk_override
        trace.append(
            TraceStep(
                rule="risk.override",
                result=override.level,
                because=f"responder's judgement replaces '{level}': {override.justification}",
            )
        )
        warnings.append(
            f"Risk set by the responder to '{override.level}' (engine: '{level}'): "
            f"{override.justification}"
        )
        level, source = override.level, "override"
        because = f"responder's override: {override.justification}"
    return RiskResult(
        level=level,
        source=source,
        severity=severity,
        score=score,
        env=env,
        warnings=warnings,
        trace=trace,
        because=because,
    )
