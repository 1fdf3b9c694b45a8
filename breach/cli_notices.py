"""Notice and report commands of the ``breach`` CLI (``notice``, ``report``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_notice_commands(sub: Any, time_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register the notice and report subcommands."""
