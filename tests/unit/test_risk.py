import pytest

from breach.engine.risk import assess_risk

from ..conftest import make_facts


@pytest.mark.parametrize(
    ("overrides", "score", "band"),
    [
        # law/enisa.md section 6 worked checks
        (
            dict(
                data_categories=["contact"],
                confidentiality="known_recipients",
                malicious=False,
                exfiltration="none",
            ),
            1.25,
            "low",
        ),
        (
            dict(
                data_categories=["financial"],
                confidentiality="known_recipients",
                malicious=False,
                exfiltration="none",
            ),
            3.25,
            "high",
        ),
        (
            dict(
                data_categories=["special_category"],
                confidentiality="unknown_recipients",
                malicious=True,
            ),
            5.0,
            "very_high",
        ),
        (
            dict(
                data_categories=["special_category"],
                confidentiality="unknown_recipients",
                integrity="unrecoverable",
                availability="permanent",
                malicious=True,
            ),
            6.0,
            "very_high",
        ),
        (
            dict(
                data_categories=["contact"],
                protection="encrypted",
                protection_state_of_the_art=True,
                key_compromised=False,
                confidentiality="unknown_recipients",
                malicious=False,
                exfiltration="none",
            ),
            0.25,
            "low",
        ),
        (
            dict(
                data_categories=["special_category"],
                identifiability="significant",
                confidentiality="none",
                exfiltration="none",
                availability="temporary",
                unavailable_hours=24,
            ),
            3.75,
            "high",
        ),
    ],
)
def test_enisa_worked_checks(rules, overrides, score, band) -> None:
    result = assess_risk(make_facts(**overrides), rules.risk)
    assert result.severity.score == pytest.approx(score)
    assert result.severity.band == band
    assert result.severity.breakdown[-1].startswith("SE = ")


def test_unknown_answers_take_the_cautious_branch_and_warn(rules) -> None:
    known = assess_risk(make_facts(confidentiality="known_recipients", malicious=False), rules.risk)
    unknown = assess_risk(make_facts(confidentiality="unknown", malicious=None), rules.risk)
    assert unknown.score > known.score
    assert any("Who could see the data is unknown" in w for w in unknown.warnings)
    assert any("deliberate is unknown" in w for w in unknown.warnings)


def test_unintelligible_data_without_other_impact_is_unlikely(rules) -> None:
    facts = make_facts(
        protection="hashed",
        protection_state_of_the_art=True,
        key_compromised=False,
        data_categories=["credentials"],
    )
    assert assess_risk(facts, rules.risk).level == "unlikely"


def test_key_compromised_removes_the_protection(rules) -> None:
    facts = make_facts(
        protection="encrypted", protection_state_of_the_art=True, key_compromised=True
    )
    assert assess_risk(facts, rules.risk).level != "unlikely"


def test_trusted_recipient_is_unlikely_and_traced(rules) -> None:
    result = assess_risk(
        make_facts(confidentiality="trusted_recipient", exfiltration="none", malicious=False),
        rules.risk,
    )
    assert result.level == "unlikely"
    assert any(step.rule == "edpb.trusted_recipient" for step in result.trace)


def test_scale_pushes_the_risk_up(rules) -> None:
    small = assess_risk(
        make_facts(subjects={"count": 50, "kinds": ["customers"], "countries": ["LU"]}), rules.risk
    )
    large = assess_risk(
        make_facts(subjects={"count": 200000, "kinds": ["customers"], "countries": ["LU"]}),
        rules.risk,
    )
    assert large.score > small.score
    assert any(step.rule == "edpb.very_many_people" for step in large.trace)


def test_children_push_the_risk_up(rules) -> None:
    base = dict(confidentiality="known_recipients", malicious=False, exfiltration="none")
    adults = assess_risk(make_facts(**base), rules.risk)
    children = assess_risk(
        make_facts(**base, subjects={"count": 50, "kinds": ["children"], "countries": ["LU"]}),
        rules.risk,
    )
    assert children.score > adults.score


def test_special_category_exposure_is_high_even_with_low_identifiability(rules) -> None:
    facts = make_facts(
        data_categories=["special_category"],
        identifiability="negligible",
        confidentiality="known_recipients",
        malicious=False,
        exfiltration="none",
    )
    assert assess_risk(facts, rules.risk).level == "high"


def test_long_outage_without_backup_is_a_risk_not_unlikely(rules) -> None:
    facts = make_facts(confidentiality="none", exfiltration="none", availability="permanent")
    result = assess_risk(facts, rules.risk)
    assert result.level in ("risk", "high")
    assert any(step.rule == "edpb.long_outage" for step in result.trace)


def test_short_outage_of_vital_data_is_not_unlikely(rules) -> None:
    facts = make_facts(
        confidentiality="none",
        exfiltration="none",
        availability="temporary",
        unavailable_hours=3,
        subjects={"count": 100, "kinds": ["patients"], "countries": ["LU"]},
    )
    assert assess_risk(facts, rules.risk).level != "unlikely"


def test_override_wins_and_is_marked(rules) -> None:
    facts = make_facts(
        risk_override={"level": "unlikely", "justification": "Data was public already"}
    )
    result = assess_risk(facts, rules.risk)
    assert result.level == "unlikely" and result.source == "override"
    assert result.trace[-1].rule == "risk.override"
    assert any("Data was public already" in w for w in result.warnings)


def test_override_without_justification_is_refused() -> None:
    from breach.model import InputError

    with pytest.raises(InputError, match="justification"):
        make_facts(risk_override={"level": "unlikely", "justification": "  "})
