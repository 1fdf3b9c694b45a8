"""Dates and numbers written the way each notice language writes them.

They are generated, never typed by a user, so they are returned as ``Markup``: printed as
they are, without Markdown escaping (a German date "14. September" stays readable). A
template must not start a line with one (Markdown would read ``14.`` as a list number).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from markupsafe import Markup

from ..clock import zone

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
}
DATE_PATTERNS = {
    "en": "{d} {month} {y}, {hm} {zone}",
    "nl": "{d} {month} {y}, {hm} {zone}",
    "fr": "{d} {month} {y} à {hm} {zone}",
    "de": "{d}. {month} {y}, {hm} {zone}",
}
THOUSANDS = {"en": ",", "nl": ".", "de": ".", "fr": " "}
DECIMAL = {"en": ".", "nl": ",", "de": ",", "fr": ","}


def instant(value: str | datetime | None) -> datetime | None:
    """A stored UTC text (``2026-09-14T12:00:00Z``) or datetime as an aware datetime."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Formatter:
    """Formats instants on one wall clock, and numbers, in one language."""

    language: str
    zone_name: str | None = None
    with_utc: bool = True  # letters to people show their own clock only

    def when(self, value: str | datetime | None) -> Markup:
        """``14 September 2026, 14:00 CEST (2026-09-14 12:00 UTC)``; "" for None."""
        moment = instant(value)
        if moment is None:
            return Markup("")
        local = moment.astimezone(zone(self.zone_name))
        utc = moment.astimezone(UTC)
        months = MONTHS.get(self.language)
        name = local.strftime("%Z") or "UTC"
        if months is None:
            text = f"{local:%Y-%m-%d %H:%M} {name}"
        else:
            text = DATE_PATTERNS[self.language].format(
                d="1er" if self.language == "fr" and local.day == 1 else local.day,
                month=months.split()[local.month - 1],
                y=local.year,
                hm=f"{local:%H:%M}",
                zone=name,
            )
        if self.with_utc and (local.utcoffset() or name != "UTC"):
            text += f" ({utc:%Y-%m-%d %H:%M} UTC)"
        return Markup(text)

    def date(self, value: str | datetime | None) -> Markup:
        """The local calendar date in words, ``14 September 2026``; "" for None."""
        moment = instant(value)
        if moment is None:
            return Markup("")
        local = moment.astimezone(zone(self.zone_name))
        months = MONTHS.get(self.language)
        if months is None:
            return Markup(f"{local:%Y-%m-%d}")
        day = "1er" if self.language == "fr" and local.day == 1 else str(local.day)
        month = months.split()[local.month - 1]
        pattern = "{d}. {m} {y}" if self.language == "de" else "{d} {m} {y}"
        return Markup(pattern.format(d=day, m=month, y=local.year))

    def day(self, value: str | datetime | None) -> Markup:
        """The local calendar date, ``2026-09-14``; "" for None."""
        moment = instant(value)
        local = "" if moment is None else f"{moment.astimezone(zone(self.zone_name)):%Y-%m-%d}"
        return Markup(local)

    def number(self, value: float | int | None) -> Markup:
        """``12,000`` (en), ``12.000`` (nl, de), ``12 000`` (fr); decimals kept."""
        if value is None:
            return Markup("")
        if float(value).is_integer():
            text = f"{int(value):,}"
        else:
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
        sep, dot = THOUSANDS.get(self.language, ","), DECIMAL.get(self.language, ".")
        return Markup(text.replace(",", "\0").replace(".", dot).replace("\0", sep))
