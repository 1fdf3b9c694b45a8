"""A line of text redrawn only when it reads differently."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def _looks(content: str | Text) -> tuple[object, ...]:
    """What decides how ``content`` is drawn (rich's Text equality ignores its style)."""
    if isinstance(content, str):
        return (str, content)
    return (Text, content.plain, str(content.style), tuple(content.spans), content.justify)


class SteadyStatic(Static):
    """A :class:`Static` whose :meth:`show` skips content drawn as what it shows: every
    update lays the screen out again in a frame of its own, and screens refill their
    lines on each change, mostly with the same words."""

    def __init__(self, content: str | Text = "", **kwargs: object) -> None:
        super().__init__(content, **kwargs)  # type: ignore[arg-type]
        self._shown = _looks(content)

    def show(self, content: str | Text) -> None:
        """Show ``content``, unless it is drawn as what is shown."""
        looks = _looks(content)
        if looks != self._shown:
            self._shown = looks
            self.update(content)
