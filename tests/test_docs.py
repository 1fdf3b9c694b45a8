"""Docs are tested like code: commands documented, rule ids documented."""

from pathlib import Path

from breach.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def _subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)  # type: ignore[union-attr]


def test_every_command_has_help_and_is_documented() -> None:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    docs = (ROOT / "README.md").read_text() + (ROOT / "docs" / "user-guide.md").read_text()
    for name, sub in action.choices.items():  # type: ignore[union-attr]
        assert sub.description, name
        assert f"breach {name}" in docs, name


def test_every_rule_and_factor_id_is_in_the_rule_reference(rules) -> None:
    text = (ROOT / "docs" / "rules.md").read_text()
    ids = [r.id for g in rules.regimes.values() for r in g.rules] + [
        f.id for f in rules.risk.factors
    ]
    missing = [i for i in ids if f"`{i}`" not in text]
    assert not missing


def test_every_risk_factor_is_in_the_risk_model_doc(rules) -> None:
    text = (ROOT / "docs" / "risk-model.md").read_text()
    assert not [f.id for f in rules.risk.factors if f.id not in text]
