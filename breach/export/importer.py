"""``breach import``: a ``breach.export/1`` file into this database, whole or not at all.

1. The whole file is checked first (streamed, one incident in memory at a time): JSON
   syntax, the schema, and the consistency of each incident. The first problem refuses the
   file with its path (``incidents[3].facts.detected_at: ...``) before anything is written.
2. Then, in one transaction, each incident is
   - created with its ids, times, facts versions, latest decision, duties, notices and
     timeline as they were, plus one audit entry per facts version (``open`` / ``update``,
     ``"via": "import"``, the SHA-256 of those facts) so ``breach audit verify`` passes;
   - left alone when this database already has it with the same content, or a later
     state of it (an older file imported again);
   - brought up to date when this database has an older state of it and the file's
     continues that history (same creation, more versions, timeline and notices extended):
     the incremental case, ``breach export --since`` in one place, ``breach import``
     in another;
   - refused, with the whole file, when the two have diverged (changed in both places).
   Event and notice row ids are kept unless another incident uses them here; then that
   incident's rows get new ids (in the same order).

An incident keeps its id, so ids must be of the log's kind: a ``DEMO-`` incident is refused
by your incident log (its append-only audit would keep the demo for good), a ``BR-`` one by
the demo log (two copies of one real id would clash in tickets and calendars).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from pydantic import BaseModel, ValidationError

from ..errors import BadInput
from ..model import first_problem
from ..model.export import EXPORT_SCHEMA, ExportDocument, ExportIncident
from ..store import DEMO_ID_PREFIX, USER_ID_PREFIX, Store, canonical
from .reader import LIST_KEY, read_export
from .source import incident_data

INCIDENT_COLUMNS = (
    "title", "status", "organisation", "organisation_name", "role", "risk", "next_due",
    "next_duty", "version", "created_at", "updated_at",
)  # fmt: skip
NOTICE_SENT_FIELDS = ("status", "sent_at", "channel", "reference")
_ID = re.compile(r"^(BR|DEMO)-([0-9]{4})-([0-9]{4,})$")


class ImportRefused(BadInput):
    """The file cannot be imported; nothing was written."""


@dataclass
class ImportSummary:
    """What an import did, by incident id."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


# -- pass 1: check ------------------------------------------------------------------------


def check(
    fp: TextIO,
    source: str,
    columns: dict[str, set[str]],
    on_read: Callable[[int], None] = lambda n: None,
    profiles: frozenset[str] | None = None,
    id_prefix: str = USER_ID_PREFIX,
) -> int:
    """Check the whole file for a log whose ids begin with ``id_prefix``; returns the number
    of incidents or raises :class:`ImportRefused` (or a :class:`ReadError`) naming the first
    problem."""
    header: dict[str, Any] = {}
    first_at: dict[str, int] = {}
    count = 0
    for key, value in read_export(fp, source, on_read):
        if isinstance(key, str):
            header[key] = value
            continue
        problem = incident_problem(value, f"incidents[{key}]", columns, profiles, id_prefix)
        if problem:
            raise ImportRefused(f"{source}: {problem}")
        if value["id"] in first_at:
            raise ImportRefused(
                f"{source}: incidents[{key}].id: {value['id']} appears twice "
                f"(first at incidents[{first_at[value['id']]}])"
            )
        first_at[value["id"]] = key
        count += 1
    if LIST_KEY not in header:
        raise ImportRefused(f"{source}: incidents: is required but missing")
    try:
        document = ExportDocument.model_validate({**header, LIST_KEY: []})
    except ValidationError as err:
        raise ImportRefused(f"{source}: {describe(err, '')}") from None
    if document.model_extra:
        name = next(iter(document.model_extra))
        raise ImportRefused(f"{source}: {name}: {_UNKNOWN}")
    return count


_UNKNOWN = (
    f"is not a field of {EXPORT_SCHEMA} this version of breach can store "
    "(written by a newer breach? upgrade this one)"
)


def incident_problem(
    data: Any,
    prefix: str,
    columns: dict[str, set[str]],
    profiles: frozenset[str] | None = None,
    id_prefix: str = USER_ID_PREFIX,
) -> str | None:
    """The first problem of one exported incident, as ``path: what``; None when fine.

    Its facts are checked as ``breach new`` checks them, the organisation profile included
    (when ``profiles`` are given); its id must begin with ``id_prefix`` (the log's)."""
    if not isinstance(data, dict):
        return f"{prefix}: expected an incident object"
    try:
        incident = ExportIncident.model_validate(data)
    except ValidationError as err:
        return describe(err, prefix)
    return (
        _extra_problem(incident, prefix, columns)
        or _profile_problem(incident, prefix, profiles)
        or _consistency_problem(data, prefix)
        or _kind_problem(data["id"], prefix, id_prefix)
    )


def _profile_problem(
    incident: ExportIncident, prefix: str, profiles: frozenset[str] | None
) -> str | None:
    """An organisation named by a profile this rule set does not have."""
    if profiles is None:
        return None
    named = [("facts", incident.facts)] + [
        (f"facts_history[{i}].facts", v.facts) for i, v in enumerate(incident.facts_history)
    ]
    for where, facts in named:
        org = facts.organisation if facts is not None else None
        if isinstance(org, str) and org not in profiles:
            known = ", ".join(sorted(profiles))
            return f"{prefix}.{where}.organisation: {org[:40]!r} is not a known profile ({known})"
    return None


def describe(err: ValidationError, prefix: str) -> str:
    """The first validation error as ``path: what`` in plain words."""
    problem = first_problem(err)
    if problem.kind == "string_pattern_mismatch":
        form = (
            "BR-YYYY-NNNN or DEMO-YYYY-NNNN"
            if problem.path.endswith("id")
            else "UTC time YYYY-MM-DDTHH:MM:SSZ"
        )
        problem = problem._replace(what=f"{problem.what} ({form})")
    return problem.line(prefix)


def _extra_problem(
    incident: ExportIncident, prefix: str, columns: dict[str, set[str]]
) -> str | None:
    """A field this database cannot keep (from a newer breach); nothing may be dropped."""
    groups: list[tuple[str, list[BaseModel], set[str]]] = [
        ("facts_history", list(incident.facts_history), set()),
        ("obligations", list(incident.obligations), columns.get("duties", set())),
        ("notices", list(incident.notices), columns.get("notices", set())),
        ("events", list(incident.events), columns.get("events", set())),
    ]
    for name in incident.model_extra or {}:
        return f"{prefix}.{name}: {_UNKNOWN}"
    for group, items, allowed in groups:
        for index, item in enumerate(items):
            for name in item.model_extra or {}:
                if name not in allowed:
                    return f"{prefix}.{group}[{index}].{name}: {_UNKNOWN}"
    return None


def _consistency_problem(data: dict[str, Any], prefix: str) -> str | None:
    """What the schema cannot say: canonical ids, a complete facts history, unique ids."""
    match = _ID.match(data["id"])
    if match is None or data["id"] != f"{match[1]}-{match[2]}-{int(match[3]):04d}":
        return (
            f"{prefix}.id: {data['id']!r} is not a canonical id (BR-YYYY-NNNN, or "
            "DEMO-YYYY-NNNN in the demo log)"
        )
    history = data["facts_history"]
    versions = [entry["version"] for entry in history]
    if versions != list(range(1, len(history) + 1)):
        return f"{prefix}.facts_history: versions must be 1, 2, 3… in order (got {versions})"
    if data["facts_version"] != versions[-1]:
        return f"{prefix}.facts_version: must be the last version of facts_history ({versions[-1]})"
    for index, entry in enumerate(history[:-1]):
        if entry.get("facts") is None:
            return f"{prefix}.facts_history[{index}].facts: required for a superseded version"
    if history[-1].get("facts") not in (None, data["facts"]):
        return f"{prefix}.facts_history[{len(history) - 1}].facts: differs from the current facts"
    for group, key in (("obligations", "id"), ("notices", "id"), ("events", "id")):
        seen: set[Any] = set()
        for index, item in enumerate(data[group]):
            if item[key] in seen:
                return f"{prefix}.{group}[{index}].{key}: {item[key]!r} appears twice"
            seen.add(item[key])
    return None


def _kind_problem(incident_id: str, prefix: str, id_prefix: str) -> str | None:
    """A demo incident for your log, or one of yours for the demo log."""
    if incident_id.startswith(f"{id_prefix}-"):
        return None
    if id_prefix == DEMO_ID_PREFIX:
        return (
            f"{prefix}.id: {incident_id} is not a demo incident; the demo log takes only "
            "DEMO- incidents (import it into your own incident log)"
        )
    return (
        f"{prefix}.id: {incident_id} is a demo incident; your incident log takes no demo "
        "incidents (import it into the demo log: --db <data home>/demo/demo.db)"
    )


# -- pass 2: write ------------------------------------------------------------------------


def apply(
    store: Store,
    fp: TextIO,
    source: str,
    at: str,
    actor: str,
    advance: Callable[[int], None] = lambda n: None,
) -> ImportSummary:
    """Write every incident of a checked file (inside the caller's transaction)."""
    summary = ImportSummary()
    duty_columns = [c for c in store.table_columns("duties") if c != "incident_id"]
    for key, value in read_export(fp, source):
        if isinstance(key, str):
            continue
        outcome = _import_one(store, key, value, source, at, actor, duty_columns)
        getattr(summary, outcome).append(value["id"])
        advance(1)
    return summary


def _import_one(
    store: Store,
    index: int,
    data: dict[str, Any],
    source: str,
    at: str,
    actor: str,
    duty_columns: list[str],
) -> str:
    incident_id = data["id"]
    if not store.existing_ids([incident_id]):
        _create(store, data, at, actor, duty_columns)
        _vouch(store, data, at, actor)
        return "created"
    current = incident_data(store, incident_id)
    if _without_row_ids(current) == _without_row_ids(data):
        return "unchanged"
    if _continuation_problem(data, current) is None:
        return "unchanged"  # this database already holds a later state of it
    problem = _continuation_problem(current, data)
    if problem:
        raise ImportRefused(
            f"{source}: incidents[{index}]: {incident_id} is already in this database and "
            f"{problem}; nothing was imported (export it from here and compare)"
        )
    _fast_forward(store, current, data, at, actor, duty_columns)
    _vouch(store, data, at, actor)
    return "updated"


def _vouch(store: Store, data: dict[str, Any], at: str, actor: str) -> None:
    """One audit entry for what the import wrote beyond the facts versions (decision,
    duties, notices, events): the chain then vouches for every imported row."""
    store.append_audit(
        at,
        actor,
        "import",
        data["id"],
        {"via": "import", "version": data["version"], "updated_at": data["updated_at"]},
    )


def _create(
    store: Store, data: dict[str, Any], at: str, actor: str, duty_columns: list[str]
) -> None:
    incident_id = data["id"]
    match = _ID.match(incident_id)
    assert match is not None  # checked in pass 1
    store.insert_incident(
        {
            "id": incident_id,
            "year": int(match[2]),
            "seq": int(match[3]),
            **_row(data),
        }
    )
    if data.get("uuid"):
        store.set_incident_uuid(incident_id, data["uuid"])
    _add_versions(store, data, data["facts_history"], at, actor)
    if data["decision"]:
        store.add_assessment(incident_id, data["facts_version"], data["decision"])
    store.put_duties(incident_id, _duties(data, duty_columns))
    _add_rows(store, "notices", incident_id, data["notices"])
    _add_rows(store, "events", incident_id, data["events"])


def _row(data: dict[str, Any]) -> dict[str, Any]:
    return {
        **{column: data[column] for column in INCIDENT_COLUMNS},
        "regimes": json.dumps(data["regimes"]),
        "assignees": canonical(data.get("assignees") or {}),
    }


def _add_versions(
    store: Store, data: dict[str, Any], entries: list[dict[str, Any]], at: str, actor: str
) -> None:
    """Store facts versions with an audit entry each (the hash ``audit verify`` checks)."""
    for entry in entries:
        version = entry["version"]
        facts = data["facts"] if version == data["facts_version"] else entry["facts"]
        digest = store.add_facts_version(
            data["id"], version, facts, entry["changed"], entry["actor"], entry["created_at"]
        )
        store.append_audit(
            at,
            actor,
            "open" if version == 1 else "update",
            data["id"],
            {"facts_version": version, "facts_sha256": digest, "via": "import"},
        )


def _duties(data: dict[str, Any], columns: list[str]) -> list[dict[str, Any]]:
    defaults = {"rule_version": "", "channel": None, "late_reason": None}
    return [
        {column: duty.get(column, defaults.get(column)) for column in columns}
        for duty in data["obligations"]
    ]


def _add_rows(store: Store, table: str, incident_id: str, items: list[dict[str, Any]]) -> None:
    """Insert notices or events, keeping their row ids when no other incident has them."""
    if not items:
        return
    keep = not store.row_ids_taken(table, [item["id"] for item in items])
    convert = _notice_row if table == "notices" else _event_row
    store.insert_rows(table, incident_id, [convert(item, keep) for item in items])


def _notice_row(notice: dict[str, Any], keep_id: bool) -> dict[str, Any]:
    row = {k: v for k, v in notice.items() if keep_id or k != "id"}
    if isinstance(row.get("unknowns"), list):
        row["unknowns"] = json.dumps(row["unknowns"])
    if isinstance(row.get("edited"), bool):
        row["edited"] = int(row["edited"])
    return row


def _event_row(event: dict[str, Any], keep_id: bool) -> dict[str, Any]:
    row = {k: v for k, v in event.items() if keep_id or k != "id"}
    row["data"] = canonical(event["data"])
    return row


def _without_row_ids(data: dict[str, Any]) -> dict[str, Any]:
    """The incident without event and notice row ids (another database may renumber them)
    and without its UUID (two copies that began before UUIDs each drew their own)."""
    return {
        **{k: v for k, v in data.items() if k != "uuid"},
        "events": [_no_id(e) for e in data["events"]],
        "notices": [_no_id(n) for n in data["notices"]],
    }


def _no_id(item: dict[str, Any], also: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "id" and k not in also}


def _continuation_problem(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """Why ``new`` is not ``old`` carried further (None when it is)."""
    if new["created_at"] != old["created_at"]:
        return "was created at another time (a different incident with the same id?)"
    if new["version"] <= old["version"]:
        return (
            f"was changed both here and where the file comes from (version {old['version']} "
            f"here, {new['version']} in the file)"
        )
    old_history, new_history = old["facts_history"], new["facts_history"]
    if len(new_history) < len(old_history):
        return "has facts versions the file lacks"
    for position, (was, now) in enumerate(zip(old_history, new_history, strict=False)):
        was_facts = old["facts"] if position == len(old_history) - 1 else was.get("facts")
        now_facts = new["facts"] if position == len(new_history) - 1 else now.get("facts")
        if _no_id(was, ("facts",)) != _no_id(now, ("facts",)) or was_facts != now_facts:
            return f"facts version {was['version']} differs from the file's"
    old_events = [_no_id(e) for e in old["events"]]
    if [_no_id(e) for e in new["events"][: len(old_events)]] != old_events:
        return "its timeline differs from the file's"
    if len(new["notices"]) < len(old["notices"]):
        return "has notices the file lacks"
    for was, now in zip(old["notices"], new["notices"], strict=False):
        frozen = () if was.get("status") == "sent" else NOTICE_SENT_FIELDS
        if _no_id(was, frozen) != _no_id(now, frozen):
            return f"notice {was['id']} differs from the file's"
    missing = {d["id"] for d in old["obligations"]} - {d["id"] for d in new["obligations"]}
    if missing:
        return f"has duties the file lacks ({', '.join(sorted(missing))})"
    return None


def _fast_forward(
    store: Store,
    old: dict[str, Any],
    new: dict[str, Any],
    at: str,
    actor: str,
    duty_columns: list[str],
) -> None:
    """Bring ``old`` (stored) up to ``new`` (the file), which continues its history."""
    incident_id = new["id"]
    store.replace_incident_row(incident_id, _row(new))
    added = new["facts_history"][len(old["facts_history"]) :]
    _add_versions(store, new, added, at, actor)
    if new["decision"] and new["decision"] != old["decision"]:
        store.add_assessment(incident_id, new["facts_version"], new["decision"])
    store.put_duties(incident_id, _duties(new, duty_columns))
    for was, now in zip(old["notices"], new["notices"], strict=False):
        changed = {k: now.get(k) for k in NOTICE_SENT_FIELDS if now.get(k) != was.get(k)}
        if changed:
            store.update_notice(was["id"], changed)
    _add_rows(store, "notices", incident_id, new["notices"][len(old["notices"]) :])
    _add_rows(store, "events", incident_id, new["events"][len(old["events"]) :])


# -- the whole file ------------------------------------------------------------------------


def import_file(
    store: Store,
    path: str,
    source: str,
    at: str,
    actor: str,
    show_progress: bool = False,
    stream: TextIO | None = None,
    profiles: frozenset[str] | None = None,
) -> ImportSummary:
    """Check ``path`` whole, then import it in one transaction (see the module docstring)."""
    import os

    from ..progress import progress

    columns = {table: set(store.table_columns(table)) for table in ("duties", "notices", "events")}
    try:
        before = os.stat(path)
        with (
            open(path, encoding="utf-8-sig") as fp,
            progress(f"checking {source}", before.st_size, stream, show_progress, True) as step,
        ):
            total = check(fp, source, columns, step, profiles, store.id_prefix())
        with store.transaction():
            with (
                open(path, encoding="utf-8-sig") as fp,
                progress("importing", total, stream, show_progress) as step,
            ):
                summary = apply(store, fp, source, at, actor, step)
            after = os.stat(path)
            if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
                raise ImportRefused(
                    f"{source}: the file changed while it was imported; nothing was imported"
                )
    except FileNotFoundError:
        raise ImportRefused(f"{source}: no such file") from None
    except UnicodeDecodeError as err:
        raise ImportRefused(f"{source}: not UTF-8 text ({err.reason})") from None
    except IsADirectoryError:
        raise ImportRefused(f"{source}: is a directory") from None
    return summary
