"""The incidents an export reads: selected by id and/or ``updated_at``, read page by page.

Each incident comes out as one compact JSON text in the ``breach.export/1`` incident
shape, assembled from fragments SQLite builds (:meth:`Store.export_page`), so memory holds
a few pages at a time however large the database is. A large export reads pages on
worker threads, each with its own connection (SQLite runs without the GIL), and checks
that every connection sees the same state of the file before anything is written.
"""

from __future__ import annotations

import json
import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from typing import Any, TypeVar

from ..store import NotFound, Store, StoreError

PAGE_SIZE = 500
RETRIES = 3
T = TypeVar("T")


@dataclass(frozen=True)
class Selection:
    """Which incidents: ``ids`` (all when empty), updated at or after ``since`` (UTC text)."""

    ids: tuple[str, ...] = ()
    since: str | None = None


def check_ids(store: Store, selection: Selection) -> None:
    """Refuse unknown ids before anything is written (:class:`NotFound` names the first)."""
    wanted = list(dict.fromkeys(selection.ids))
    found = store.existing_ids(wanted)
    for incident_id in wanted:
        if incident_id not in found:
            raise NotFound(f"no incident {incident_id!r} (see `breach list --all`)")


def count(store: Store, selection: Selection) -> int:
    """How many incidents the selection holds (for progress)."""
    if selection.ids:
        return len(_chosen(store, selection))
    return store.count_updated_since(selection.since)


def _chosen(store: Store, selection: Selection) -> list[str]:
    return [
        incident_id
        for incident_id in dict.fromkeys(selection.ids)
        if selection.since is None or store.incident(incident_id)["updated_at"] >= selection.since
    ]


def pages(store: Store, selection: Selection, size: int = PAGE_SIZE) -> Iterator[list[str]]:
    """The selected ids, a page at a time (given order for explicit ids, else by number)."""
    if not selection.ids:
        yield from store.incident_id_pages(selection.since, size)
        return
    chosen = _chosen(store, selection)
    for start in range(0, len(chosen), size):
        yield chosen[start : start + size]


def read_pages(
    store: Store,
    selection: Selection,
    build: Callable[[list[str], dict[str, dict[str, Any]]], T],
    workers: int | None = None,
) -> Generator[T, None, None]:
    """``build(ids, page)`` of each page of the selection, in order, all from one snapshot.

    A large export builds pages on worker threads (``build`` must be thread-safe)."""
    threads = _workers(store, selection, workers)
    for _ in range(RETRIES if threads > 1 else 0):
        with store.read_snapshot():
            try:
                yield from _parallel(store, selection, build, threads)
                return
            except _Moved:
                continue  # a change landed between two connections' snapshots: again
    with store.read_snapshot():
        for ids in pages(store, selection):
            yield build(ids, store.export_page(ids))


def texts_of(ids: list[str], page: dict[str, dict[str, Any]]) -> list[str]:
    """The JSON texts of a page's incidents, in order."""
    return [b"".join(assemble(incident_id, page)).decode("utf-8") for incident_id in ids]


def incident_texts(
    store: Store, selection: Selection, workers: int | None = None
) -> Generator[str, None, None]:
    """Each selected incident as compact JSON text (export shape), all from one snapshot."""
    with closing(read_pages(store, selection, texts_of, workers)) as batches:
        for texts in batches:
            yield from texts


def incidents(store: Store, selection: Selection) -> Generator[dict[str, Any], None, None]:
    """Each selected incident as data (the export shape)."""
    with closing(incident_texts(store, selection)) as texts:
        for text in texts:
            yield json.loads(text)


def incident_data(store: Store, incident_id: str) -> dict[str, Any]:
    """One incident in the export shape, read on ``store``'s own connection (so inside a
    write transaction it sees the uncommitted state)."""
    page = store.export_page([incident_id])
    if incident_id not in page["head"]:
        raise NotFound(f"no incident {incident_id!r} (see `breach list --all`)")
    data: dict[str, Any] = json.loads(b"".join(assemble(incident_id, page)))
    return data


def assemble(incident_id: str, page: dict[str, dict[str, Any]]) -> list[bytes]:
    """One incident's JSON, as pieces to write one after the other, from its page.

    Key order: the incident row, ``facts_version``, ``facts``, ``facts_history`` (a
    superseded version carries its ``facts``; the current one's are ``facts``),
    ``decision``, ``obligations``, ``notices``, ``events``.
    """
    head: bytes = page["head"][incident_id]
    versions: list[tuple[int, bytes, bytes]] = page["versions"].get(incident_id) or []
    if not versions:
        raise StoreError(f"incident {incident_id!r} has no facts (damaged database?)")
    current, facts, _ = versions[-1]
    history = b",".join(
        entry if version == current else b'%s,"facts":%s}' % (entry[:-1], text)
        for version, text, entry in versions
    )
    return [
        head[:-1],
        b',"facts_version":%d,"facts":' % current,
        facts,
        b',"facts_history":[',
        history,
        b'],"decision":',
        page["decision"].get(incident_id) or b"null",
        b',"obligations":',
        page["obligations"].get(incident_id) or b"[]",
        b',"notices":',
        page["notices"].get(incident_id) or b"[]",
        b',"events":',
        page["events"].get(incident_id) or b"[]",
        b"}",
    ]


# -- reading on worker threads -------------------------------------------------------------


def _workers(store: Store, selection: Selection, wanted: int | None) -> int:
    """Worker threads for this export: 1 (read here) unless it is large and on a file."""
    if wanted is None:
        wanted = min(2, os.cpu_count() or 1)
    if (
        wanted < 2
        or store.path is None
        or selection.ids
        or store.db.conn.in_transaction
        or store.count_updated_since(selection.since) <= PAGE_SIZE
    ):
        return 1
    return wanted


class _Moved(Exception):
    """The file changed between the snapshots of two connections."""


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class _Worker(threading.Thread):
    """Reads pages on its own connection and snapshot; results come back in job order."""

    def __init__(self, path: Path, build: Callable[[list[str], dict[str, Any]], Any]) -> None:
        super().__init__(daemon=True, name="breach-export-reader")
        self.path, self.build = path, build
        self.jobs: queue.SimpleQueue[list[str] | None] = queue.SimpleQueue()
        self.results: queue.SimpleQueue[object] = queue.SimpleQueue()

    def run(self) -> None:
        try:
            with Store.open(self.path) as store, store.read_snapshot():
                self.results.put(store.state_token())
                while (ids := self.jobs.get()) is not None:
                    self.results.put(self.build(ids, store.export_page(ids)))
        except BaseException as err:  # handed to the reading thread, which raises it
            self.results.put(_Failed(err))

    def result(self) -> Any:
        item = self.results.get()
        if isinstance(item, _Failed):
            raise item.error
        return item


def _parallel(
    store: Store,
    selection: Selection,
    build: Callable[[list[str], dict[str, Any]], T],
    threads: int,
) -> Iterator[T]:
    """Pages listed here, built by ``threads`` workers, yielded in order."""
    assert store.path is not None
    token = store.state_token()
    workers = [_Worker(store.path, build) for _ in range(threads)]
    for worker in workers:
        worker.start()
    try:
        if any(worker.result() != token for worker in workers):
            raise _Moved
        pending: deque[_Worker] = deque()
        turn = cycle(workers)
        for ids in pages(store, selection):
            worker = next(turn)
            worker.jobs.put(ids)
            pending.append(worker)
            while len(pending) > 2 * threads:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for worker in workers:
            worker.jobs.put(None)
        for worker in workers:
            worker.join()
