"""The export package is core: it never imports Textual or the UI, and ``breach`` starts
without importing it."""

import subprocess
import sys

MODULES = [
    "breach.export",
    "breach.export.common",
    "breach.export.csvfmt",
    "breach.export.ics",
    "breach.export.importer",
    "breach.export.jsonfmt",
    "breach.export.progress",
    "breach.export.reader",
    "breach.export.schema",
    "breach.export.source",
    "breach.export.tickets",
    "breach.export.veris",
    "breach.cli_export",
]


def test_export_modules_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in MODULES)
        + "bad = [m for m in sys.modules if m == 'textual' or m.startswith(('textual.', "
        "'breach.ui'))]\nassert not bad, bad\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_the_cli_parser_does_not_load_the_export_package() -> None:
    code = (
        "import sys\nfrom breach.cli import build_parser\nbuild_parser()\n"
        "assert 'breach.export' not in sys.modules\n"
        "assert not [m for m in sys.modules if m.startswith('rich')]\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
