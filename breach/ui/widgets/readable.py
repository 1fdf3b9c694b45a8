"""Checkboxes that read ``[x]`` / ``[ ]``: ticked and unticked differ without colour
(NO_COLOR, a monochrome terminal, a screenshot pasted into a ticket)."""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist


class ReadableCheckbox(Checkbox):
    """A checkbox drawn as ``[x]`` or ``[ ]``."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble(("[", style), ("x" if self.value else " ", style), ("]", style))


class ReadableSelectionList(SelectionList[str]):
    """A selection list whose boxes read ``[x]`` or ``[ ]``."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 4 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        _, scroll_y = self.scroll_offset
        try:
            selection = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:
            return strip
        mark = "x" if selection.value in self.selected else " "
        style = segments[1].style
        segments[:3] = [Segment("[", style), Segment(mark, style), Segment("]", style)]
        return Strip(segments, strip.cell_length)
