"""The report's timeline picture: an inline SVG (no script, no external resources).

Detection, awareness, each deadline, each send and the other timeline events on one time
axis; late sends and missed deadlines are drawn in red and named "late". Every label is
XML-escaped here, so user-typed names cannot inject markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from markupsafe import Markup

from ..clock import zone

WIDTH, LEFT, RIGHT, LANE, TOP, CHAR = 900, 24, 24, 17, 10, 6.1
COLOURS = {
    "detection": "#1f5fa8",
    "awareness": "#0b3d75",
    "deadline": "#555555",
    "target": "#8a8a8a",
    "sent": "#1e7b34",
    "event": "#9a9a9a",
    "late": "#c0262d",
}


@dataclass(frozen=True)
class Mark:
    """One point on the timeline."""

    at: datetime
    kind: str  # detection, awareness, deadline, target, sent, event
    label: str
    late: bool = False


def _text(mark: Mark) -> str:
    return mark.label + (" — late" if mark.late else "")


def _ticks(start: datetime, end: datetime, zone_name: str | None) -> list[datetime]:
    span = end - start
    step = (
        timedelta(hours=6)
        if span <= timedelta(days=3)
        else timedelta(days=1)
        if span <= timedelta(days=20)
        else timedelta(days=7)
    )
    local = start.astimezone(zone(zone_name))
    first = local.replace(minute=0, second=0, microsecond=0)
    if step >= timedelta(days=1):
        first = first.replace(hour=0)
    ticks, tick = [], first
    while tick <= end:
        if tick >= start:
            ticks.append(tick)
        tick = (tick + step).astimezone(zone(zone_name))
    return ticks[:40]


def _shape(kind: str, x: float, y: float, colour: str) -> str:
    if kind in ("deadline", "target"):
        fill = colour if kind == "deadline" else "#ffffff"
        points = f"{x:.1f},{y - 6} {x + 6:.1f},{y} {x:.1f},{y + 6} {x - 6:.1f},{y}"
        return f'<polygon points="{points}" fill="{fill}" stroke="{colour}" stroke-width="1.5"/>'
    if kind == "sent":
        return f'<rect x="{x - 5:.1f}" y="{y - 5}" width="10" height="10" fill="{colour}"/>'
    radius = 3.5 if kind == "event" else 5.5
    return f'<circle cx="{x:.1f}" cy="{y}" r="{radius}" fill="{colour}"/>'


def timeline_svg(marks: list[Mark], now: datetime, zone_name: str | None) -> Markup:
    """The timeline as an ``<svg>`` element (safe to embed in the report's HTML)."""
    if not marks:
        return Markup("")
    marks = sorted(marks, key=lambda m: (m.at, m.kind))
    start = marks[0].at
    end = max(max(m.at for m in marks), min(now, marks[-1].at + timedelta(days=45)))
    if end <= start:
        end = start + timedelta(hours=1)
    usable = WIDTH - LEFT - RIGHT

    def x_of(moment: datetime) -> float:
        return LEFT + (moment - start) / (end - start) * usable

    lanes: list[float] = []  # right edge of the last label in each lane
    placed: list[tuple[Mark, float, int, bool]] = []
    for mark in marks:
        x = x_of(mark.at)
        width = len(_text(mark)) * CHAR + 8
        right_aligned = x + width > WIDTH - 4
        left, right = (x - width, x) if right_aligned else (x, x + width)
        lane = next((i for i, edge in enumerate(lanes) if edge < left), len(lanes))
        if lane == len(lanes):
            lanes.append(right)
        else:
            lanes[lane] = right
        placed.append((mark, x, lane, right_aligned))
    axis = TOP + len(lanes) * LANE + 14
    height = axis + 42
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="Incident timeline" class="timeline" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="11">',
        f'<line x1="{LEFT}" y1="{axis}" x2="{WIDTH - RIGHT}" y2="{axis}" stroke="#333"/>',
    ]
    for tick in _ticks(start, end, zone_name):
        tx = x_of(tick)
        label = tick.strftime("%d %b") if tick.hour == 0 else tick.strftime("%d %b %H:%M")
        out.append(f'<line x1="{tx:.1f}" y1="{axis}" x2="{tx:.1f}" y2="{axis + 5}" stroke="#333"/>')
        out.append(
            f'<text x="{tx:.1f}" y="{axis + 17}" text-anchor="middle" fill="#444">'
            f"{escape(label)}</text>"
        )
    if start <= now <= end:
        nx = x_of(now)
        anchor = "end" if nx > WIDTH - 60 else "middle"
        out.append(
            f'<line x1="{nx:.1f}" y1="{TOP}" x2="{nx:.1f}" y2="{axis + 22}" stroke="#c0262d" '
            f'stroke-dasharray="3,3"/><text x="{nx:.1f}" y="{axis + 33}" text-anchor="{anchor}" '
            f'fill="#c0262d">report date</text>'
        )
    layer = {"event": 0, "target": 1, "deadline": 2, "detection": 3, "awareness": 3, "sent": 4}
    placed.sort(key=lambda p: (p[0].late, layer.get(p[0].kind, 0)))  # late ones on top
    for mark, x, lane, right_aligned in placed:
        colour = COLOURS["late"] if mark.late else COLOURS.get(mark.kind, "#333")
        y = TOP + lane * LANE + 11
        css = f"mark {mark.kind}" + (" late" if mark.late else "")
        text = _text(mark)
        anchor = "end" if right_aligned else "start"
        tx = x - 3 if right_aligned else x + 3
        out.append(f'<g class="{css}"><title>{escape(text)}</title>')
        out.append(
            f'<line x1="{x:.1f}" y1="{y + 3}" x2="{x:.1f}" y2="{axis}" stroke="{colour}" '
            f'stroke-width="0.8" stroke-opacity="0.6"/>'
        )
        out.append(_shape(mark.kind, x, axis, colour))
        out.append(
            f'<text x="{tx:.1f}" y="{y}" text-anchor="{anchor}" fill="{colour}">'
            f"{escape(text)}</text></g>"
        )
    out.append("</svg>")
    return Markup("\n".join(out))
