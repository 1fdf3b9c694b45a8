"""Write the bad-input corpus in ``corpus/`` (kept in git; run by hand to extend it).

    python tests/input/make_corpus.py

Each file is a facts document (``facts-*``) or a change (``changes-*``) that breach must
refuse with exit 2 and one line; ``corpus/expected.json`` names what that line must
mention. The test never runs this script.
"""

import copy
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "input" / "corpus"
BASE = json.loads((ROOT / "examples" / "mixvoip-cdr-exfiltration.json").read_text())
expected = {}


def put(name, content, error):
    path = OUT / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    expected[name] = error


def facts(name, error, **changes):
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if "__" in key:
            outer, inner = key.split("__")
            data[outer] = {**data.get(outer, {}), inner: value}
        else:
            data[key] = value
    put(f"facts-{name}.json", json.dumps(data, indent=2, ensure_ascii=False), error)


facts("detected-at-number", "detected_at", detected_at=12345)
facts("detected-at-words", "detected_at", detected_at="yesterday morning")
facts("detected-at-no-offset", "detected_at", detected_at="2026-03-02T09:00:00")
facts("detected-at-impossible-date", "detected_at", detected_at="2026-02-30T10:00:00Z")
facts("detected-at-bool", "detected_at", detected_at=True)
facts("aware-before-detected", "aware_at", aware_at="2020-01-01T00:00:00Z")
facts("personal-data-yes", "personal_data", personal_data="yes")
facts("personal-data-one", "personal_data", personal_data=1)
facts("malicious-string-false", "malicious", malicious="false")
facts("recipient-deleted-no", "recipient_deleted", recipient_deleted="no")
facts("key-compromised-unknown-word", "key_compromised", key_compromised="unknown")
facts("count-true", "subjects.count", subjects__count=True)
facts("count-huge", "subjects.count", subjects__count=10**30)
facts("count-negative", "subjects.count", subjects__count=-5)
facts("count-fraction", "subjects.count", subjects__count=1.5)
facts("count-text", "subjects.count", subjects__count="about 100")
facts("country-xx", "subjects.countries[0]", subjects__countries=["XX"])
facts("country-name", "subjects.countries[0]", subjects__countries=["Luxembourg"])
facts("country-number", "subjects.countries[0]", subjects__countries=[352])
facts("country-empty", "subjects.countries[0]", subjects__countries=[""])
facts("kinds-unknown", "subjects.kinds[0]", subjects__kinds=["robots"])
facts("unknown-field", "titel", titel="typo")
facts("role-owner", "role", role="owner")
facts("confidentiality-leaked", "confidentiality", confidentiality="leaked")
facts("profile-unknown", "organisation", organisation="acme-telecom")
facts(
    "organisation-inline-no-name",
    "organisation.name",
    organisation={"id": "x", "establishments": [{"country": "LU"}]},
)
facts(
    "establishment-country-xx",
    "organisation.establishments[0].country",
    organisation={"id": "x", "name": "X", "establishments": [{"country": "XX"}]},
)
facts(
    "organisation-ecs-yes",
    "organisation.ecs_provider",
    organisation={"id": "x", "name": "X", "ecs_provider": "yes"},
)
facts("title-too-long", "title", title="A" * 600)
facts("summary-too-long", "summary", summary="word " * 5000)
facts("category-unknown", "data_categories[0]", data_categories=["passwords"])
facts(
    "controller-hours-zero",
    "controllers[0].notice_hours",
    controllers=[{"name": "Customer", "notice_hours": 0}],
)
facts("controller-name-empty", "controllers[0].name", controllers=[{"name": ""}])
facts(
    "controller-hours-text",
    "controllers[0].notice_hours",
    controllers=[{"name": "Customer", "notice_hours": "24"}],
)
facts(
    "override-no-justification",
    "risk_override.justification",
    risk_override={"level": "unlikely", "justification": "  "},
)
facts(
    "override-level-severe",
    "risk_override.level",
    risk_override={"level": "severe", "justification": "because"},
)
facts("ecs-position-reseller", "ecs_position", ecs_position="reseller")
facts("unavailable-hours-negative", "unavailable_hours", unavailable_hours=-1)
facts("unavailable-hours-centuries", "unavailable_hours", unavailable_hours=10**7)
facts("schema-v2", "schema", schema="breach.facts/2")
facts("subjects-list", "subjects", subjects=[50])
facts("title-number", "title", title=42)

good = json.dumps(BASE, indent=2)
assert '"count": 12000' in good
put("facts-infinity.json", good.replace('"count": 12000', '"count": Infinity'), "Infinity")
put("facts-nan.json", good.replace('"count": 12000', '"count": NaN'), "NaN")
put("facts-overflowing-float.json", good.replace('"count": 12000', '"count": 1e400'), "too large")
put("facts-5000-digits.json", good.replace('"count": 12000', '"count": ' + "9" * 5000), "digits")
put(
    "facts-nested-deep.json",
    good[:-2] + ',\n  "extra": ' + "[" * 5000 + "]" * 5000 + "\n}",
    "nested",
)
put("facts-nested-40.json", good[:-2] + ',\n  "extra": ' + "[" * 40 + "]" * 40 + "\n}", "nested")
put("facts-top-level-list.json", "[" + good + "]", "JSON object")
put("facts-empty.json", "", "invalid JSON")
put("facts-only-spaces.json", "   \n\t\n", "invalid JSON")
put("facts-truncated.json", good[: len(good) // 2], "invalid JSON")
put("facts-trailing-comma.json", good[:-2] + ",\n}", "invalid JSON")
put("facts-single-quotes.json", good.replace('"title"', "'title'"), "invalid JSON")
put("facts-latin1.bin", good.replace("CDR", "CDR café").encode("latin-1"), "not UTF-8")
put("facts-utf16.bin", good.encode("utf-16"), "not UTF-8")
put("facts-nul-bytes.bin", good.encode()[:40] + b"\x00\x00" + good.encode()[40:], "NUL")

CHANGES = [
    ("count-text", {"subjects": {"count": "many"}}, "subjects.count"),
    ("count-true", {"subjects": {"count": True}}, "subjects.count"),
    ("detected-at-zero", {"detected_at": 0}, "detected_at"),
    ("unknown-field", {"titel": "x"}, "titel"),
    ("country-zz", {"subjects": {"countries": ["ZZ"]}}, "subjects.countries[0]"),
    ("profile-unknown", {"organisation": "nope"}, "organisation"),
    ("role-null", {"role": None}, "role"),
    ("personal-data-yes", {"personal_data": "yes"}, "personal_data"),
    ("exfiltration-maybe", {"exfiltration": "maybe"}, "exfiltration"),
    ("aware-before-detected", {"aware_at": "2000-01-01T00:00:00Z"}, "aware_at"),
]
for name, data, error in CHANGES:
    put(f"changes-{name}.json", json.dumps(data), error)
put("changes-list.json", "[1, 2]", "JSON object")
put("changes-infinity.json", '{"unavailable_hours": Infinity}', "Infinity")
put("changes-nested.json", '{"x": ' + '{"a": ' * 3000 + "1" + "}" * 3000 + "}", "nested")
put("changes-latin1.bin", '{"title": "Caf\xe9"}'.encode("latin-1"), "not UTF-8")
put("changes-digits.json", '{"subjects": {"count": ' + "1" * 5000 + "}}", "digits")
(OUT / "expected.json").write_text(json.dumps(dict(sorted(expected.items())), indent=1))
