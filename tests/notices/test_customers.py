"""Thousands of controller customers: imported from CSV, one letter each, deliveries
recorded from a mail tool's log, "N of M customers informed"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Runner, open_incident, processor_facts

NOW = "2026-06-10T16:00:00Z"
HEADER = "name,contact,notice_hours,subjects,language\n"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "b.db"
    open_incident(path, processor_facts())  # one customer: Acme Logistics B.V.
    return path


def _csv(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_merges_customers_and_makes_one_duty_each(
    db: Path, tmp_path: Path, cli: Runner
) -> None:
    rows = "".join(f"Customer {n} B.V.,dpo{n}@c{n}.example,24,{n},nl\n" for n in range(1, 6))
    path = _csv(
        tmp_path, "c.csv", HEADER + rows + "Acme Logistics B.V.,privacy@acme.example,12,300,en\n"
    )
    code, out, err = cli(
        "--db", str(db), "controllers", "import", "BR-2026-0001", path, "--now", NOW
    )
    assert code == 0, err
    assert "6 controller customer(s)" in out and "6 to inform, 0 informed" in out
    shown = json.loads(cli("--db", str(db), "show", "BR-2026-0001", "--json")[1])
    acme = next(c for c in shown["facts"]["controllers"] if c["name"] == "Acme Logistics B.V.")
    assert acme["notice_hours"] == 12 and acme["subjects"] == 300 and acme["language"] == "en"
    duties = [o for o in shown["obligations"] if o["duty"] == "notify_controller"]
    assert len(duties) == 6 and all(o["status"] == "required" for o in duties)
    replaced = _csv(tmp_path, "r.csv", HEADER + "Only One SA,a@b.example,,,fr\n")
    code, out, _ = cli("--db", str(db), "controllers", "import", "BR-2026-0001", replaced,
                       "--replace", "--now", NOW)  # fmt: skip
    assert code == 0 and "1 to inform" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("nom,contact\nA,b\n", "line 1: unknown column 'nom'"),
        ("contact\nb@c.example\n", "line 1: no 'name' column"),
        (HEADER + "A,a@b.example,24,many,nl\n", "line 2: subjects: 'many' is not a number"),
        (HEADER + "A,a@b.example,-3,1,nl\n", "line 2: notice_hours"),
        (HEADER + "A,a@b.example,24,1,nl\nB,b@b.example,24\n", "line 3: 3 values for 5 columns"),
        (
            HEADER + "A,a@b.example,24,1,nl\nA,x@b.example,24,1,nl\n",
            "line 3: 'A' is already on line 2",
        ),
        (HEADER + ",a@b.example,24,1,nl\n", "line 2: name"),
        (HEADER, "no controller rows"),
    ],
)
def test_a_bad_row_names_its_line_and_stores_nothing(
    db: Path, tmp_path: Path, cli: Runner, text: str, expected: str
) -> None:
    path = _csv(tmp_path, "bad.csv", text)
    code, out, err = cli("--db", str(db), "controllers", "import", "BR-2026-0001", path)
    assert code == 2 and expected in err and len(err.strip().splitlines()) == 1, err
    shown = json.loads(cli("--db", str(db), "show", "BR-2026-0001", "--json")[1])
    assert shown["facts_version"] == 1


def test_one_letter_per_customer_then_a_delivery_log(db: Path, tmp_path: Path, cli: Runner) -> None:
    rows = "".join(f"Klant {n} B.V.;dpo{n}@k{n}.example;48;{n * 10};nl\n" for n in range(1, 31))
    path = _csv(tmp_path, "c.csv", HEADER.replace(",", ";") + rows)
    assert cli("--db", str(db), "controllers", "import", "BR-2026-0001", path, "--now", NOW)[0] == 0
    folder = tmp_path / "out"
    code, out, err = cli("--db", str(db), "notice", "BR-2026-0001", "controller", "--all",
                         "--output-dir", str(folder), "--format", "md", "--now", NOW)  # fmt: skip
    assert code == 0, err
    files = sorted(folder.iterdir())
    assert len(files) == 31 and "31 controller notice(s) written" in out
    letter = (folder / "BR-2026-0001-gdpr.notify_controller.klant_7_b_v.md").read_text("utf-8")
    assert "Klant 7 B.V." in letter and "70" in letter and "[nog te bevestigen]" in letter
    assert (files[0].stat().st_mode & 0o777) == 0o600
    log = (
        "to,sent_at,status,message_id\n"
        + "".join(
            f"dpo{n}@k{n}.example,2026-06-10T17:{n:02d}:00+02:00,"
            f"{'bounced' if n == 3 else 'delivered'},<m{n}@mail>\n"
            for n in range(1, 31)
        )
        + "nobody@else.example,2026-06-10T17:00:00+02:00,delivered,<x@mail>\n"
    )
    code, out, err = cli("--db", str(db), "notice-sent", "BR-2026-0001", "--batch",
                         _csv(tmp_path, "log.csv", log), "--now", NOW)  # fmt: skip
    assert code == 0, err
    assert "29 delivery(ies) recorded" in out and "29 of 31 customers informed" in out
    assert "not delivered: line 4: dpo3@k3.example (bounced)" in err
    assert "no such customer: line 32: nobody@else.example" in err
    shown = json.loads(cli("--db", str(db), "show", "BR-2026-0001", "--json")[1])
    seven = next(o for o in shown["obligations"] if o["id"].endswith("klant_7_b_v"))
    assert seven["done_at"] == "2026-06-10T15:07:00Z" and seven["reference"] == "<m7@mail>"
    code, out, _ = cli("--db", str(db), "show", "BR-2026-0001", "--now", NOW)
    duties = out.split("Timeline")[0]
    assert "29 of 31 customers informed" in duties and "klant_12" not in duties  # folded
    assert cli("--db", str(db), "audit", "verify")[0] == 0
    code, out, _ = cli("--db", str(db), "notice", "BR-2026-0001", "controller", "--all",
                       "--output-dir", str(tmp_path / "again"), "--now", NOW)  # fmt: skip
    assert code == 0 and "2 controller notice(s) written" in out  # only those not yet informed


def test_all_needs_a_folder(db: Path, cli: Runner) -> None:
    code, _, err = cli("--db", str(db), "notice", "BR-2026-0001", "controller", "--all")
    assert code == 2 and "--output-dir" in err
