"""A Decision as plain text for the terminal: ``breach assess`` without ``--json``."""

from __future__ import annotations

import textwrap
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..clock import countdown, format_local, format_utc
from ..textsafe import one_line, terminal_safe

if TYPE_CHECKING:  # the commands that only read the log print without loading pydantic
    from ..model import Decision, Obligation


def obligation_lines(ob: Obligation, now: datetime, zone: str | None) -> list[str]:
    """The lines describing one obligation."""
    status = ob.status.replace("_", " ").upper()
    exemption = f" — exemption: {ob.exemption.replace('_', ' ')}" if ob.exemption else ""
    lines = [f"[{status}] {ob.duty.replace('_', ' ')} ({ob.regime}, {ob.basis}){exemption}"]
    lines.append(f"    id:        {ob.id}")
    if ob.recipient:
        lines.append(f"    to:        {one_line(ob.recipient.name)}")
        if ob.recipient.contact:
            lines.append(f"    contact:   {one_line(ob.recipient.contact)}")
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
        lines.append(f"  - {rule}{where}: {one_line(reason)}")
    return lines


def decisive_lines(decision: dict[str, Any], limit: int = 5) -> list[str]:
    """ "Find out first": the unknowns whose answers change the duties, and the range they
    leave open (a stored Decision's data or a fresh one's)."""
    items = decision.get("decisive") or []
    if not items:
        return []
    out = ["", "Find out first (the unknowns that change the duties)"]
    for number, item in enumerate(items[:limit], start=1):
        out.append(f"  {number}. {one_line(item['question'])}")
        for outcome in item["outcomes"]:
            if outcome["adds"] or outcome["removes"]:
                wrapped = textwrap.wrap(terminal_safe(outcome["says"]), width=84)
                out.append("       " + "\n         ".join(wrapped))
    if len(items) > limit:
        out.append(f"  … and {len(items) - limit} more (breach assess --json: decisive)")
    bounds = decision.get("bounds") or {}
    if bounds.get("least") != bounds.get("most") and bounds.get("says"):
        wrapped = textwrap.wrap(terminal_safe(bounds["says"]), width=84)
        out.append("  While they are open, " + "\n    ".join(wrapped))
    return out


def decision_report(decision: Decision, now: datetime, zone: str | None, title: str = "") -> str:
    """A readable report: duties (required first), warnings, severity breakdown."""
    out = []
    if title:
        out.append(one_line(title))
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
    out.extend(decisive_lines(decision.model_dump(mode="json")))
    skipped = not_required_lines(decision)
    if skipped:
        out.append("")
        out.append("Not required (and why)")
        out.extend(skipped)
    if decision.warnings:
        out.append("")
        out.append("Warnings")
        out.extend(f"  ! {one_line(w)}" for w in decision.warnings)
    out.append("")
    out.append("Severity (ENISA 2013: SE = DPC x EI + CB)")
    out.extend(f"  {line}" for line in sev.breakdown)
    factors = [t for t in decision.trace if t.rule.startswith("edpb.")]
    if factors:
        out.append("What moves the risk (EDPB factors)")
        out.extend(f"  {t.result:>6}  {t.because}" for t in factors)
    level = next((t for t in decision.trace if t.rule in ("risk.override", "risk.level")), None)
    if level:
        out.append(f"Risk level: {level.result} — {one_line(level.because)}")
    return "\n".join(out) + "\n"
