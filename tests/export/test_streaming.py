"""Streaming: the reader across chunk boundaries, the parallel page reader, progress."""

from __future__ import annotations

import io
import json
from itertools import count

import pytest

from breach.export import reader, source
from breach.export.source import Selection, incident_texts
from breach.progress import progress, wanted
from breach.store import Store

from .conftest import NOW, export_file, run


class Terminal(io.StringIO):
    """A stand-in for a terminal on standard error."""

    def isatty(self) -> bool:
        return True


def test_reader_handles_any_layout_and_tiny_chunks(capsys, tmp_path, source_db, monkeypatch):
    exported = tmp_path / "e.json"
    data = export_file(capsys, source_db, exported)
    monkeypatch.setattr(reader, "CHUNK", 7)
    pretty = json.dumps(data, indent=3, ensure_ascii=True)
    items = list(reader.read_export(io.StringIO(pretty), "p.json"))
    assert [k for k, _ in items] == ["schema", "exported_at", "audit_head", "incidents", 0, 1, 2, 3]
    assert [v for k, v in items if isinstance(k, int)] == data["incidents"]
    (tmp_path / "p.json").write_text(pretty)
    code, out, err = run(capsys, "--db", str(tmp_path / "t.db"), "import", str(tmp_path / "p.json"))
    assert code == 0 and "4 new" in out, err


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"schema": 1,\n "incidents": [ {"a": tru} ]}', "2:23"),
        ('{"incidents": []} trailing', "1:19"),
        ('["not an object"]', "1:1"),
    ],
)
def test_reader_errors_name_line_and_column(text: str, where: str, monkeypatch) -> None:
    monkeypatch.setattr(reader, "CHUNK", 5)
    with pytest.raises(reader.ReadError, match=f"^f.json:{where}: invalid JSON"):
        list(reader.read_export(io.StringIO(text), "f.json"))


def _texts(db, workers: int) -> list[str]:
    with Store.open(db) as store:
        return list(incident_texts(store, Selection(), workers=workers))


def test_parallel_pages_give_the_same_export(source_db, monkeypatch) -> None:
    monkeypatch.setattr(source, "PAGE_SIZE", 1)
    assert source._workers(Store.open(source_db), Selection(), 2) == 2
    assert _texts(source_db, 2) == _texts(source_db, 1)


def test_a_change_between_snapshots_is_read_again(source_db, monkeypatch) -> None:
    monkeypatch.setattr(source, "PAGE_SIZE", 1)
    expected = _texts(source_db, 1)
    ticks = count()
    real = Store.state_token

    def moving(store: Store) -> str:  # the first two rounds see the file change
        n = next(ticks)
        return f"moved-{n}" if n < 6 else real(store)

    monkeypatch.setattr(Store, "state_token", moving)
    assert _texts(source_db, 2) == expected
    assert next(ticks) > 6


def test_no_progress_when_stderr_is_not_a_terminal(capsys, tmp_path, source_db) -> None:
    code, _, err = run(
        capsys, "--db", str(source_db), "export", "-o", str(tmp_path / "o.json"), "--now", NOW
    )
    assert code == 0 and err == ""
    assert not wanted(io.StringIO()) and wanted(Terminal())
    assert not wanted(Terminal(), output_is_terminal=True)


def test_progress_on_a_terminal(capsys, tmp_path, source_db, monkeypatch) -> None:
    screen = Terminal()
    with progress("exporting json", 3, screen, show=True) as step:
        step(3)
    assert "exporting json" in screen.getvalue()
    monkeypatch.setattr("sys.stderr", Terminal())
    import sys

    code, _, _ = run(capsys, "--db", str(source_db), "export", "-o", str(tmp_path / "o.json"))
    assert code == 0 and "exporting json" in sys.stderr.getvalue()
    exported = tmp_path / "o.json"
    code, _, _ = run(capsys, "--db", str(tmp_path / "t.db"), "import", str(exported))
    assert code == 0 and "importing" in sys.stderr.getvalue()
