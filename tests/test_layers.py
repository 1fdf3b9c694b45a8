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
    "breach.contract",
    "breach.vocabulary",
    "breach.memo",
    "breach.plan",
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


def test_assess_with_warm_caches_never_imports_pydantic() -> None:
    """The first `breach assess` caches rules and validators; the next needs no pydantic."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "mixvoip-cdr-exfiltration.json"
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['breach', 'assess', {str(example)!r}, '--json', '--now', "
        "'2026-12-01T00:00:00Z']\n"
        "try:\n"
        "    runpy.run_module('breach', run_name='__main__')\n"
        "except SystemExit as end:\n"
        "    assert end.code == 0, end.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'), file=sys.stderr)\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        for _ in range(2)
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert "pydantic.main" in runs[0].stderr  # cold: the models validate, and are cached
    assert runs[1].stderr.strip() == "[]"
    assert runs[1].stdout == runs[0].stdout
