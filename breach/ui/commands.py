"""Command-palette provider: go to any incident by id, title or organisation."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from ..textsafe import one_line

if TYPE_CHECKING:
    from .app import BreachApp


class IncidentCommands(Provider):
    """ "Go to incident …" for every incident matching the query (never the whole table)."""

    @property
    def breach(self) -> BreachApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    async def discover(self) -> Hits:
        for row in self.breach.incident_log.page(False, "", 10):
            yield DiscoveryHit(
                Content(one_line(f"Go to {row['id']}: {row['title']}")),
                partial(self.breach.open_incident, row["id"]),
                help="Open this incident",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        words = query.strip()
        for row in self.breach.incident_log.page(True, words if len(words) > 2 else "", 50):
            label = one_line(f"Go to {row['id']}: {row['title']} ({row['organisation_name']})")
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, label),
                    partial(self.breach.open_incident, row["id"]),
                    help="Open this incident",
                )


def _highlight(matcher: Matcher, label: str) -> Content:
    """The label with the matched letters styled, read as plain text: a title's
    brackets are shown, never taken as markup (``Matcher.highlight`` parses markup)."""
    content = Content(label)
    _, offsets = matcher.fuzzy_search.match(matcher.query, label)
    for offset in offsets:
        if not label[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
