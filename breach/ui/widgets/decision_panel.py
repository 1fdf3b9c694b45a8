"""The live decision panel: every duty with status, recipient, local deadline, countdown and
reason; exemptions by name; the severity breakdown and what moves the risk; warnings."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...model import Decision, Obligation
from ...textsafe import terminal_safe
from ..formatting import countdown_text, local

#: A rule's recipients listed one by one up to this many (thousands of customers fold).
FOLD = 10


def panel_text(
    decision: Decision, now: datetime, zone_name: str | None, done: frozenset[str] = frozenset()
) -> Text:
    """The whole panel as one Rich Text (user-typed text is never parsed as markup);
    the duties in ``done`` are shown done, after those still to do."""
    out = Text()
    source = " (your override)" if decision.risk_source == "override" else ""
    risk_style = {"high": "bold red", "risk": "bold dark_orange", "unlikely": "bold green"}
    out.append("Risk ", style="bold")
    out.append(decision.risk.upper() + source, style=risk_style[decision.risk])
    sev = decision.severity
    out.append(f"  ENISA {sev.score:g} ({sev.band.replace('_', ' ')})\n\n")
    active = [o for o in decision.obligations if o.status != "not_required"]
    active.sort(
        key=lambda o: (o.status != "required", o.due_at or datetime.max.replace(tzinfo=now.tzinfo))
    )
    if not active:
        out.append("No duty to notify anyone.\n", style="bold green")
    required = [o for o in active if o.status == "required" and o.id not in done]
    finished = sum(1 for o in active if o.status == "required" and o.id in done)
    if finished:
        out.append(f"✓ {finished:,} done\n", style="green")
    if required:
        out.append(f"{len(required):,} duties to do, soonest first\n", style="bold")
        customers = [o for o in required if o.duty == "notify_controller"]
        if len(customers) > FOLD:
            first = min(customers, key=lambda o: o.due_at or now)
            out.append("  ")
            out.append(countdown_text(first.due_at, now))
            out.append(f"  inform controller → {len(customers):,} controller customers\n")
            required = [o for o in required if o.duty != "notify_controller"]
        for ob in required:
            out.append("  ")
            out.append(countdown_text(ob.due_at, now))
            who = ob.recipient.name if ob.recipient else ""
            country = f" ({ob.recipient.country})" if ob.recipient and ob.recipient.country else ""
            out.append(f"  {ob.duty.replace('_', ' ')} → {who}{country}\n")
        out.append("\n")
    groups: dict[tuple[str, str, str], list[Obligation]] = {}
    for ob in active:
        if ob.id in done:
            continue
        key = (ob.rule, ob.status, ob.due_at.isoformat() if ob.due_at else "")
        groups.setdefault(key, []).append(ob)
    for group in groups.values():
        _duty(out, group, now, zone_name)
    if decision.decisive:
        out.append("Find out first (F3 jumps to the question)\n", style="bold magenta")
        for number, item in enumerate(decision.decisive[:5], start=1):
            out.append(f"  {number}. {item.question}\n", style="bold")
            for outcome in item.outcomes:
                if outcome.adds or outcome.removes:
                    out.append(f"     {outcome.says}\n", style="magenta")
        if decision.bounds and decision.bounds.least != decision.bounds.most:
            out.append(f"  While open: {decision.bounds.says}\n", style="dim")
        out.append("\n")
    skipped = sum(1 for ob in decision.obligations if ob.status == "not_required")
    if skipped:
        # each with its reason on the Duties tab: here they would bury the ones that matter
        out.append(f"{skipped:,} duties not required (the Duties tab says why)\n", style="dim")
    if decision.warnings:
        out.append("\nWarnings\n", style="bold yellow")
        for warning in decision.warnings:
            out.append(f"  ! {warning}\n", style="yellow")
    out.append("\nSeverity (ENISA 2013)\n", style="bold")
    for line in sev.breakdown:
        out.append(f"  {line}\n")
    factors = [t for t in decision.trace if t.rule.startswith("edpb.")]
    for step in factors:
        arrow = "↑" if not step.result.startswith("-") else "↓"
        out.append(f"  {arrow} {step.result:>5} {step.because}\n")
    out.plain = terminal_safe(out.plain)  # one character for one: the styles stay put
    return out


def _duty(out: Text, group: list[Obligation], now: datetime, zone_name: str | None) -> None:
    """One block per rule and deadline: its recipients, the clock, and the reason once."""
    ob = group[0]
    label = ob.duty.replace("_", " ")
    if ob.status == "required":
        out.append("● ", style="bold red")
        out.append(f"{label}", style="bold")
    else:
        out.append("○ ", style="green")
        out.append(f"{label} — exempt ({(ob.exemption or '').replace('_', ' ')})", style="bold")
    out.append(f"  {ob.regime} · {ob.basis}\n", style="dim")
    for member in group[:FOLD]:
        if member.recipient:
            country = f" ({member.recipient.country})" if member.recipient.country else ""
            out.append(f"  to {member.recipient.name}{country}\n")
    if len(group) > FOLD:
        out.append(f"  … and {len(group) - FOLD:,} more\n")
    if ob.due_at:
        kind = "" if ob.due_kind == "deadline" else " (target)"
        out.append(f"  due {local(ob.due_at, zone_name)}{kind} · ")
        out.append(countdown_text(ob.due_at, now))
        out.append("\n")
    out.append(f"  {ob.reason}\n\n", style="italic dim")


class DecisionPanel(VerticalScroll):
    """Shows a Decision, or what the draft still lacks before it can be assessed."""

    DEFAULT_CSS = """
    DecisionPanel { border: round $accent; padding: 0 1; }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="decision-body")

    def show(
        self,
        decision: Decision | None,
        now: datetime,
        zone_name: str | None,
        missing: str = "",
        done: frozenset[str] = frozenset(),
    ) -> None:
        """Render ``decision`` (or the missing answer) in place, without flicker."""
        body = self.query_one("#decision-body", Static)
        if decision is None:
            text = Text(
                "The decision appears as soon as the facts can be assessed.\n\n", style="bold"
            )
            text.append(f"Still needed: {missing}", style="yellow")
            body.update(text)
            return
        body.update(panel_text(decision, now, zone_name, done))
