"""Textual's footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """A footer that keeps its keys while they stay the same: moving the focus between
    widgets with the same keys (a tab switch, a dialog closing) re-mounted every key
    (about 30 ms a time on a modest machine); now only a real change does."""

    _shown: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        shown = tuple(
            (binding.key, binding.description, enabled)
            for (_, binding, enabled, _) in screen.active_bindings.values()
            if binding.show
        )
        if shown == self._shown:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # drawn: the same keys again need nothing
