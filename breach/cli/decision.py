"""A Decision as plain text for the terminal: ``breach assess`` without ``--json``."""

from __future__ import annotations

import textwrap
from datetime import datetime

from ..clock import countdown, format_local, format_utc
from ..model import Decision, Obligation
from ..textsafe import terminal_safe


def obligation_lines(ob: Obligation, now: datetime, zone: str | None) -> list[str]:
    """The lines describing one obligation."""
    status = ob.status.replace("_", " ").upper()
    exemption = f" — exemption: {ob.exemption.replace('_', ' ')}" if ob.exemption else ""
    lines = [f"[{status}] {ob.duty.replace('_', ' ')} ({ob.regime}, {ob.basis}){exemption}"]
    lines.append(f"    id:        {ob.id}")
    if ob.recipient:
        lines.append(f"    to:        {terminal_safe(ob.recipient.name)}")
        if ob.recipient.contact:
            lines.append(f"    contact:   {terminal_safe(ob.recipient.contact)}")
    if ob.due_at:
        kind = "deadline" if ob.due_kind == "deadline" else "without undue delay; target"
        lines.append(f"    due:       {format_local(ob.due_at, zone)} ({kind})")
        lines.append(f"               {format_utc(ob.due_at)} UTC — {countdown(ob.due_at, now)}")
    wrapped = textwrap.wrap(terminal_safe(ob.reason), width=88)
    lines.append("    why:       " + ("\n               ".join(wrapped)))
    return lines


def not_required_lines(decision: Decision) -> list[str]:
    """One line per rule whose duties are not required, with its reason and recipients."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for ob in decision.obligations:
        if ob.status == "not_required":
            names = grouped.setdefault((ob.rule, ob.reason), [])
            if ob.recipient and ob.recipient.country and ob.recipient.country not in names:
                names.append(ob.recipient.country)
    lines = []
    for (rule, reason), countries in grouped.items():
        where = f" [{', '.join(countries)}]" if countries else ""
        lines.append(f"  - {rule}{where}: {terminal_safe(reason)}")
    return lines


def decision_report(decision: Decision, now: datetime, zone: str | None, title: str = "") -> str:
    """A readable report: duties (required first), warnings, severity breakdown."""
    out = []
    if title:
        out.append(terminal_safe(title))
    sev = decision.severity
    source = " (responder override)" if decision.risk_source == "override" else ""
    out.append(
        f"Risk: {decision.risk.upper()}{source} · ENISA severity {sev.score:g} "
        f"({sev.band.replace('_', ' ')}) · personal data breach: "
        f"{'yes' if decision.personal_data_breach else 'no'}"
    )
    out.append(
        f"Assessed at {format_local(decision.assessed_at, zone)} · rules {decision.rules_version}"
    )
    active = sorted(
        (o for o in decision.obligations if o.status != "not_required"),
        key=lambda o: (o.status != "required", o.due_at.timestamp() if o.due_at else float("inf")),
    )
    out.append("")
    out.append("Duties")
    if not active:
        out.append("  (none required)")
    for ob in active:
        out.extend(obligation_lines(ob, now, zone))
    skipped = not_required_lines(decision)
    if skipped:
        out.append("")
        out.append("Not required (and why)")
        out.extend(skipped)
    if decision.warnings:
        out.append("")
        out.append("Warnings")
        out.extend(f"  ! {terminal_safe(w)}" for w in decision.warnings)
    out.append("")
    out.append("Severity (ENISA 2013: SE = DPC x EI + CB)")
    out.extend(f"  {line}" for line in sev.breakdown)
    factors = [t for t in decision.trace if t.rule.startswith("edpb.")]
    if factors:
        out.append("What moves the risk (EDPB factors)")
        out.extend(f"  {t.result:>6}  {t.because}" for t in factors)
    level = next((t for t in decision.trace if t.rule in ("risk.override", "risk.level")), None)
    if level:
        out.append(f"Risk level: {level.result} — {terminal_safe(level.because)}")
    return "\n".join(out) + "\n"
