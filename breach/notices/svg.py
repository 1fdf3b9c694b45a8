"""The report's timeline picture: an inline SVG (no script, no external resources).

One lane per recipient, titled with its name, and one row per duty: a grey bar leads from
detection to the deadline (filled diamond) or target date (open diamond), squares mark
when it was done or a notice sent, a tinted bar the time past the due date; the status is
written at the right. Labels sit in their own column, one row each, wrapped to its width,
so thirty duties never overlap however close their dates are. Late and overdue rows are
red. Every text is XML-escaped here, so user-typed names cannot inject markup.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from markupsafe import Markup

from ..clock import zone

WIDTH = 760  # viewBox width: printed on A4 (178 mm), 10 units of text are about 7 pt
FONT = 10
CHAR = 5.8  # generous average width of a character at FONT (Helvetica, Arial)
LINE = 12.5  # line height
PAD = 3.5  # above and below each row's text
LABEL_W = 236  # the label column: x 0 to LABEL_W
INDENT = 12  # row labels under their lane's title
GAP = 14  # between the columns and the plot
TOP = 30  # room for the upper tick labels
#: Tick steps tried in turn: the first that leaves room for each label.
STEPS = [timedelta(hours=h) for h in (1, 2, 3, 6, 12, 24, 48, 96, 168, 336, 672)]
TICK_GAP = 10  # at least this much space between two tick labels
#: The first days (the 24- and 72-hour deadlines) get FOCUS_SHARE of the axis when the
#: incident runs on for weeks; EARLY: how far those first days may stretch.
FOCUS, EARLY, FOCUS_SHARE, BREAK = timedelta(days=4), timedelta(days=6), 0.55, 8.0
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
COLOURS = {
    "met": "#1e7b34",
    "late": "#c0262d",
    "overdue": "#c0262d",
    "after_target": "#a15c00",
    "target_passed": "#a15c00",
    "open": "#1f5fa8",
    "exempt": "#8a8a8a",
    "detection": "#1f5fa8",
    "awareness": "#0b3d75",
    "event": "#6b6b6b",
}


@dataclass(frozen=True)
class Row:
    """One duty (or one line of the incident's own lane) in the picture."""

    label: str
    state: str = "open"  # an outcome (met, late...), or detection, awareness, event
    status: str = ""  # written in the right-hand column
    late: bool = False  # drawn in red
    start: datetime | None = None  # where the bar leading to the due time begins
    due: datetime | None = None
    deadline: bool = True  # a deadline (filled diamond), else a target date (open)
    done: tuple[datetime, ...] = ()  # done, and each notice sent for it
    points: tuple[tuple[datetime, str], ...] = ()  # dots, with their tooltip


@dataclass(frozen=True)
class Lane:
    """A recipient (or the incident itself) and its rows."""

    label: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Picture:
    """The picture's own words, in the report's language."""

    title: str = "Incident timeline"
    report_date: str = "report date"
    months: tuple[str, ...] = MONTHS


def wrap(text: str, width: float, char: float = CHAR) -> list[str]:
    """``text`` in lines that fit ``width`` units (long words are broken)."""
    return textwrap.wrap(text, max(8, int(width / char))) or [""]


def _moments(lanes: list[Lane]) -> list[datetime]:
    found: list[datetime] = []
    for lane in lanes:
        for row in lane.rows:
            found.extend(m for m in (row.start, row.due) if m is not None)
            found.extend(row.done)
            found.extend(at for at, _ in row.points)
    return found


def _ticks(
    start: datetime, end: datetime, width: float, zone_name: str | None, room: float
) -> tuple[list[datetime], timedelta]:
    """Tick times on the local clock, as many as fit ``width`` with ``room`` for each."""
    span = end - start
    step = next((s for s in STEPS if span / s <= width / room), STEPS[-1])
    local_zone = zone(zone_name)
    local = start.astimezone(local_zone).replace(tzinfo=None, minute=0, second=0, microsecond=0)
    if step >= timedelta(days=1):
        local = local.replace(hour=0)
    else:
        local = local.replace(hour=local.hour - local.hour % int(step.total_seconds() // 3600))
    ticks: list[datetime] = []
    while len(ticks) < 60:
        moment = local.replace(tzinfo=local_zone)
        if moment > end:
            break
        if moment >= start:
            ticks.append(moment)
        local += step
    return ticks, step


def _tick_label(tick: datetime, step: timedelta, picture: Picture) -> str:
    day = f"{tick.day} {picture.months[tick.month - 1]}"
    if step >= timedelta(days=1) or (tick.hour == 0 and tick.minute == 0):
        return day
    return f"{tick:%H:%M}"


def _text(x: float, y: float, text: str, css: str, anchor: str = "start", fill: str = "") -> str:
    colour = f' fill="{fill}"' if fill else ""
    bold = ' font-weight="bold"' if css == "lane" else ""
    return (
        f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{colour}{bold}>'
        f"{escape(text)}</text>"
    )


def _diamond(x: float, y: float, colour: str, filled: bool) -> str:
    points = (
        f"{x:.1f},{y - 5.5:.1f} {x + 5.5:.1f},{y:.1f} {x:.1f},{y + 5.5:.1f} {x - 5.5:.1f},{y:.1f}"
    )
    fill = colour if filled else "#ffffff"
    return f'<polygon points="{points}" fill="{fill}" stroke="{colour}" stroke-width="1.5"/>'


@dataclass(frozen=True)
class Segment:
    """A stretch of the time axis drawn linearly between two x positions."""

    start: datetime
    end: datetime
    left: float
    right: float

    def x(self, moment: datetime) -> float:
        """The x position of ``moment``."""
        return self.left + (moment - self.start) / (self.end - self.start) * (
            self.right - self.left
        )


def segments(
    moments: list[datetime], start: datetime, end: datetime, left: float, right: float
) -> list[Segment]:
    """The time axis: one linear stretch, or, when the incident runs on for weeks after its
    first days (the 24- and 72-hour deadlines), two: the first days over FOCUS_SHARE of
    the width, then the rest, with a marked break between them."""
    early = [m for m in moments if m - start <= EARLY]
    split = start + max(FOCUS, max(early) - start + timedelta(hours=6))
    if end - start < FOCUS * 3.5 or end - split < timedelta(days=3):
        return [Segment(start, end, left, right)]
    middle = left + FOCUS_SHARE * (right - left)
    return [
        Segment(start, split, left, middle - BREAK / 2),
        Segment(split, end, middle + BREAK / 2, right),
    ]


def timeline_svg(
    lanes: list[Lane], now: datetime, zone_name: str | None, picture: Picture | None = None
) -> Markup:
    """The timeline as an ``<svg>`` element (safe to embed in the report's HTML)."""
    picture = picture or Picture()
    moments = _moments(lanes)
    if not moments:
        return Markup("")
    start, end = min(moments), max(moments)
    if start <= now <= end + timedelta(days=45):
        end = max(end, now)
    if end <= start:
        end = start + timedelta(hours=1)
    statuses = [r.status for lane in lanes for r in lane.rows if r.status]
    status_w = max([40.0, *(len(s) * CHAR + 12 for s in statuses)])
    x0, x1 = LABEL_W + GAP, WIDTH - status_w - GAP
    axis = segments(moments, start, end, x0 + 7, x1 - 7)  # marks keep clear of the edges

    def x_of(moment: datetime) -> float:
        return (axis[0] if moment <= axis[0].end else axis[-1]).x(moment)

    shades: list[str] = []
    body: list[str] = []
    y: float = TOP
    for index, lane in enumerate(lanes):
        lane_top = y
        lines = wrap(lane.label, LABEL_W - 8, CHAR * 1.08)
        body.extend(_text(6, y + PAD + LINE * (i + 0.75), t, "lane") for i, t in enumerate(lines))
        y += len(lines) * LINE + PAD * 2
        for row in lane.rows:
            row_lines = wrap(row.label, LABEL_W - 8 - INDENT)
            height = len(row_lines) * LINE + PAD * 2
            body.append(_row(row, row_lines, y, x_of, now, end, WIDTH - status_w + 6))
            y += height
        shade = "#f3f4f6" if index % 2 == 0 else "#ffffff"
        shades.append(
            f'<rect class="lane" x="0" y="{lane_top:.1f}" width="{WIDTH}" '
            f'height="{y - lane_top:.1f}" fill="{shade}"/>'
        )
    bottom = y
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {bottom + 40:.0f}" '
        f'width="100%" role="img" aria-label="{escape(picture.title)}" class="timeline" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="{FONT}" '
        f'preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(picture.title)}</title>",
        *shades,
        *_grid(axis, x_of, bottom, zone_name, picture),
        *body,
    ]
    for part in axis:
        out.append(
            f'<line x1="{part.left - 7 if part is axis[0] else part.left:.1f}" y1="{bottom:.1f}" '
            f'x2="{part.right + 7 if part is axis[-1] else part.right:.1f}" y2="{bottom:.1f}" '
            f'stroke="#333"/>'
        )
    if len(axis) > 1:  # the break: a gap through every row, slashes on the axis
        middle = (axis[0].right + axis[1].left) / 2
        out.append(
            f'<rect class="break" x="{middle - 2:.1f}" y="{TOP - 4}" width="4" '
            f'height="{bottom - TOP + 8:.1f}" fill="#ffffff"/>'
        )
        for dx in (-3.0, 3.0):
            out.append(
                f'<line x1="{middle + dx - 2.5:.1f}" y1="{bottom + 5:.1f}" '
                f'x2="{middle + dx + 2.5:.1f}" y2="{bottom - 5:.1f}" stroke="#333"/>'
            )
    if start <= now <= end:
        nx = x_of(now)
        anchor = "end" if nx > axis[-1].right - 40 else "middle"
        out.append(
            f'<line class="now" x1="{nx:.1f}" y1="{TOP - 4}" x2="{nx:.1f}" '
            f'y2="{bottom + 20:.1f}" stroke="#c0262d" stroke-dasharray="3,3"/>'
        )
        out.append(_text(nx, bottom + 31, picture.report_date, "now", anchor, "#c0262d"))
    out.append("</svg>")
    return Markup("\n".join(out))


def _grid(
    axis: list[Segment],
    x_of: Callable[[datetime], float],
    bottom: float,
    zone_name: str | None,
    picture: Picture,
) -> list[str]:
    """Tick lines through the rows, labelled above and below; no two labels closer than
    TICK_GAP."""
    out: list[str] = []
    room = (max(len(m) for m in picture.months) + 3) * CHAR + TICK_GAP  # "15 Sep." wide
    edge = -1e9  # right end of the last label placed
    for part in axis:
        ticks, step = _ticks(part.start, part.end, part.right - part.left, zone_name, room)
        for tick in ticks:
            tx = x_of(tick)
            label = _tick_label(tick.astimezone(zone(zone_name)), step, picture)
            half = len(label) * CHAR / 2
            if tx - half < edge + TICK_GAP:
                continue
            edge = tx + half
            out.append(
                f'<line x1="{tx:.1f}" y1="{TOP - 4}" x2="{tx:.1f}" y2="{bottom + 4:.1f}" '
                f'stroke="#d5d5d5" stroke-width="0.7"/>'
            )
            out.append(_text(tx, TOP - 8, label, "tick", "middle", "#444"))
            out.append(_text(tx, bottom + 15, label, "tick", "middle", "#444"))
    return out


def _row(
    row: Row,
    lines: list[str],
    top: float,
    x_of: Callable[[datetime], float],
    now: datetime,
    end: datetime,
    status_x: float,
) -> str:
    """One row: its label, bar, due mark, done marks, dots and status."""
    colour = COLOURS["late"] if row.late else COLOURS.get(row.state, "#333333")
    middle = top + PAD + LINE * 0.5
    css = f"row {row.state}" + (" late" if row.late else "")
    tip = f"{row.label}: {row.status}" if row.status else row.label
    out = [f'<g class="{escape(css)}"><title>{escape(tip)}</title>']
    for i, line in enumerate(lines):
        out.append(_text(6 + INDENT, top + PAD + LINE * (i + 0.75), line, "label", fill="#1a1a1a"))
    if row.start is not None and row.due is not None and row.due > row.start:
        left, right = x_of(row.start), x_of(row.due)
        out.append(
            f'<rect class="lead" x="{left:.1f}" y="{middle - 2.5:.1f}" '
            f'width="{right - left:.1f}" height="5" rx="2" fill="#cfd3d8"/>'
        )
    if row.due is not None:
        waiting = row.state in ("overdue", "target_passed")  # some of it still not done
        finish = min(now, end) if waiting else (row.done[0] if row.done else None)
        if finish is not None and finish > row.due:
            left, right = x_of(row.due), x_of(finish)
            out.append(
                f'<rect class="past-due" x="{left:.1f}" y="{middle - 2.5:.1f}" '
                f'width="{right - left:.1f}" height="5" fill="{colour}" fill-opacity="0.35"/>'
            )
        out.append(_diamond(x_of(row.due), middle, colour, row.deadline))
    for moment in row.done:
        x = x_of(moment)
        out.append(
            f'<rect class="done" x="{x - 4:.1f}" y="{middle - 4:.1f}" width="8" height="8" '
            f'fill="{colour}"/>'
        )
    for moment, text in row.points:
        dot = f'<circle cx="{x_of(moment):.1f}" cy="{middle:.1f}" r="3.5" fill="{colour}"'
        out.append(f"{dot}><title>{escape(text)}</title></circle>" if text else f"{dot}/>")
    if row.status:
        weight = ' font-weight="bold"' if row.late else ""
        out.append(
            f'<text class="status" x="{status_x:.1f}" y="{top + PAD + LINE * 0.75:.1f}" '
            f'fill="{colour}"{weight}>{escape(row.status)}</text>'
        )
    out.append("</g>")
    return "\n".join(out)
