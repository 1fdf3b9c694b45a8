"""Parse HTML with the standard library and collect what the tests check."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"meta", "br", "hr", "img", "link", "input", "col", "area", "base", "wbr", "source"}
SVG_LEAVES = {"line", "circle", "rect", "polygon", "path"}


class Page(HTMLParser):
    """Tags, attributes and text of a page; raises on unbalanced tags."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.feed(text)
        self.close()
        assert not self.stack, f"unclosed tags: {self.stack}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def all_text(self) -> str:
        """Every text node, joined."""
        return "".join(self.text)


def assert_safe_page(text: str) -> Page:
    """A well-formed page with no script, no event handler, no external resource."""
    page = Page(text)
    assert "script" not in page.tags
    for tag, name, value in page.attributes:
        assert not name.startswith("on"), (tag, name)
        assert not value.strip().lower().startswith("javascript:"), (tag, name, value)
        if name in ("src", "href") and tag != "svg":
            assert not value.startswith(("http:", "https:", "//")), (tag, name, value)
    assert "link" not in page.tags and "iframe" not in page.tags
    return page
