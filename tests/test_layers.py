"""The core never imports Textual (layers: see ../shared/DESIGN.md)."""

import subprocess
import sys

CORE = [
    "breach.model",
    "breach.conditions",
    "breach.clock",
    "breach.rules",
    "breach.risk",
    "breach.engine",
    "breach.inputs",
    "breach.render",
    "breach.cli",
    "breach.cli_incidents",
    "breach.routing",
    "breach.store",
    "breach.service",
    "breach.views",
    "breach.rulecache",
    "breach.errors",
    "breach.textsafe",
]


def test_core_and_cli_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + (
            "from breach.rules import load_rules\nload_rules()\n"
            "bad = [m for m in sys.modules\n"
            "       if m == 'textual' or m.startswith(('textual.', 'breach.ui'))]\n"
            "assert not bad, bad\n"
        )
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_core_source_never_uses_eval_or_exec() -> None:
    from pathlib import Path

    import breach

    for path in Path(breach.__file__).parent.rglob("*.py"):
        text = path.read_text()
        assert "eval(" not in text.replace("evaluate(", "") and "exec(" not in text, path
