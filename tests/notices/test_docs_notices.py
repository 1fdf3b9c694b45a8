"""docs/notices.md shows one example of each kind: the current golden files."""

from __future__ import annotations

import pytest

from .conftest import GOLDEN, ROOT

EXAMPLES = [
    "authority.en.complete.md",
    "data_subjects.en.complete.md",
    "controller.en.complete.md",
    "public.en.complete.md",
    "register.en.complete.md",
    "report.en.md",
]


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_documented_example_is_the_current_output(name: str) -> None:
    docs = (ROOT / "docs" / "notices.md").read_text(encoding="utf-8")
    assert (GOLDEN / name).read_text(encoding="utf-8").rstrip() in docs, (
        f"docs/notices.md is out of date for {name}: paste tests/notices/golden/{name}"
    )


def test_the_commands_are_in_the_user_guide() -> None:
    guide = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    for command in ("breach notice ID KIND", "breach notice-sent", "breach report ID"):
        assert command in guide
