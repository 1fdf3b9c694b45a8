"""Export and import commands of the ``breach`` CLI (``export``, ``import``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_export_commands(sub: Any, time_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register the export and import subcommands."""
