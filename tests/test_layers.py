"""The layers of ../shared/DESIGN.md, as the package is imported (import-linter checks the
source: see pyproject.toml)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import breach

PACKAGE = Path(breach.__file__).parent
CORE = sorted(
    module.name
    for module in pkgutil.walk_packages([str(PACKAGE)], prefix="breach.")
    if not module.name.startswith(("breach.ui", "breach.__main__"))
)


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_every_core_module_is_found() -> None:
    for expected in ("breach.cli.incidents", "breach.engine.assess", "breach.store.audit"):
        assert expected in CORE
    assert not [m for m in CORE if m.startswith("breach.ui")]


def test_core_and_cli_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "from breach.rules import load_rules\nload_rules()\n"
        "bad = [m for m in sys.modules\n"
        "       if m == 'textual' or m.startswith(('textual.', 'breach.ui'))]\n"
        "assert not bad, bad\n"
    )
    proc = _run(code)
    assert proc.returncode == 0, proc.stderr


def test_core_source_never_uses_eval_or_exec() -> None:
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        assert "eval(" not in text.replace("evaluate(", "") and "exec(" not in text, path


def test_the_cli_parser_loads_no_pydantic_rich_or_textual() -> None:
    """Every command starts by building the parser: only the commands that validate pay
    for pydantic, and only a terminal's progress bar for rich."""
    code = (
        "import sys\nfrom breach.cli import build_parser\nbuild_parser()\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('pydantic', 'rich', 'textual')]\n"
        "assert not heavy, heavy\n"
    )
    proc = _run(code)
    assert proc.returncode == 0, proc.stderr
