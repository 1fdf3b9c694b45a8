"""The incident log's tables, as ordered migrations (``sqlite_utils.Migrations``).

The migrations table is the one record of what was applied: a database on which a
migration this code does not know was applied was written by a newer breach, and is
refused untouched. To change the schema, add a function to :data:`MIGRATIONS`; never edit
one that has shipped.
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database, Migrations

from .base import NewerDatabase


def m001_initial(db: Database) -> None:
    """Incidents, facts versions, assessments, duties, notices, events, audit, meta."""
    db.executescript(
        """
        CREATE TABLE incidents (
            id TEXT PRIMARY KEY,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            title TEXT NOT NULL,
            organisation TEXT NOT NULL,
            organisation_name TEXT NOT NULL,
            role TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
            risk TEXT,
            regimes TEXT NOT NULL DEFAULT '[]',
            next_due TEXT,
            next_duty TEXT,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (year, seq)
        );
        CREATE INDEX incidents_by_deadline
            ON incidents (status, coalesce(next_due, '9999'), created_at);
        CREATE TABLE facts_versions (
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            version INTEGER NOT NULL,
            facts TEXT NOT NULL,
            changed TEXT NOT NULL,
            actor TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (incident_id, version)
        );
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            facts_version INTEGER NOT NULL,
            rules_version TEXT NOT NULL,
            assessed_at TEXT NOT NULL,
            decision TEXT NOT NULL
        );
        CREATE INDEX assessments_incident ON assessments (incident_id, id);
        CREATE TABLE duties (
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            id TEXT NOT NULL,
            regime TEXT NOT NULL,
            duty TEXT NOT NULL,
            status TEXT NOT NULL,
            due_at TEXT,
            due_kind TEXT,
            recipient TEXT,
            basis TEXT NOT NULL,
            exemption TEXT,
            reason TEXT NOT NULL,
            rule TEXT NOT NULL,
            rule_version TEXT NOT NULL DEFAULT '',
            done_at TEXT,
            reference TEXT,
            channel TEXT,
            late_reason TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (incident_id, id)
        );
        CREATE TABLE notices (
            id INTEGER PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            kind TEXT NOT NULL,
            language TEXT NOT NULL,
            format TEXT NOT NULL,
            text TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX notices_incident ON notices (incident_id, id);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}',
            actor TEXT NOT NULL
        );
        CREATE INDEX events_incident ON events (incident_id, id);
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            incident_id TEXT,
            payload TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE drafts (
            id INTEGER PRIMARY KEY,
            data TEXT NOT NULL,
            step INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
    )


def m002_notices(db: Database) -> None:
    """Notice versions: status (draft/sent), recipient duty, phase, edits, send details."""
    columns = (
        "status TEXT NOT NULL DEFAULT 'draft'",
        "obligation TEXT",
        "recipient TEXT",
        "phase TEXT NOT NULL DEFAULT 'initial'",
        "edited INTEGER NOT NULL DEFAULT 0",
        "generated TEXT",
        "facts_version INTEGER",
        "unknowns TEXT NOT NULL DEFAULT '[]'",
        "channel TEXT",
        "reference TEXT",
        "actor TEXT",
    )
    for column in columns:  # one statement each: executescript would commit early
        db.execute(f"ALTER TABLE notices ADD COLUMN {column}")
    db.execute("CREATE INDEX notices_series ON notices (incident_id, kind, obligation, id)")
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER notices_sent_frozen_{verb.lower()} BEFORE {verb} ON notices "
            "WHEN OLD.status = 'sent' "
            "BEGIN SELECT RAISE(ABORT, 'a sent notice is kept as sent'); END"
        )


def m003_vouched_rows(db: Database) -> None:
    """Audit entries vouch for every row they wrote (``rows``, optionally ``keyed``); the
    rows of a log that existed before are vouched for by one entry per incident."""
    from datetime import UTC, datetime

    from .audit import append_entry, row_hash, rows_of

    db.execute("ALTER TABLE audit ADD COLUMN rows TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE audit ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX audit_incident ON audit (incident_id, seq)")
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    why = {"why": "the rows as they stood when breach began vouching for every row"}
    for (incident_id,) in db.execute("SELECT id FROM incidents ORDER BY id").fetchall():
        rows = [[t, list(k), row_hash(r)] for t, k, r in rows_of(db, incident_id)]
        append_entry(db, at, "breach", "rows_vouched", incident_id, why, rows, None)


#: A random version-4 UUID, in SQL (the version nibble 4, the variant 8, 9, a or b).
_UUID4 = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) "
    "|| substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
)


def m004_identities(db: Database) -> None:
    """Identities other systems need: this log's installation id, a random UUID per
    incident (VERIS), and what was pushed where (remote keys and cursors)."""
    db.execute(f"INSERT OR IGNORE INTO meta (key, value) VALUES ('installation', {_UUID4})")
    db.execute(
        "CREATE TABLE incident_uuids (incident_id TEXT PRIMARY KEY REFERENCES incidents(id), "
        "uuid TEXT NOT NULL UNIQUE)"
    )
    db.execute(f"INSERT INTO incident_uuids SELECT id, {_UUID4} FROM incidents")
    db.execute(
        "CREATE TRIGGER incidents_uuid AFTER INSERT ON incidents BEGIN "
        f"INSERT OR IGNORE INTO incident_uuids VALUES (NEW.id, {_UUID4}); END"
    )
    db.execute(
        """CREATE TABLE remote_records (
            target TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            remote_id TEXT NOT NULL,
            remote_key TEXT,
            version INTEGER NOT NULL,
            pushed_at TEXT NOT NULL,
            PRIMARY KEY (target, endpoint, incident_id)
        )"""
    )
    db.execute(
        "CREATE TABLE push_cursors (target TEXT NOT NULL, endpoint TEXT NOT NULL, "
        "cursor TEXT NOT NULL, PRIMARY KEY (target, endpoint))"
    )


def m005_assignees(db: Database) -> None:
    """Who is on each incident and duty (``assignees``: ``{"incident": person, "duties":
    {duty id: person}}``); the chain vouches for the incident rows as they now stand."""
    from datetime import UTC, datetime

    from .audit import append_entry, row_hash

    db.execute("ALTER TABLE incidents ADD COLUMN assignees TEXT NOT NULL DEFAULT '{}'")
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    why = {"why": "the incident rows gained who is assigned (nobody yet)"}
    for row in db.query("SELECT * FROM incidents ORDER BY id"):
        rows = [["incidents", [row["id"]], row_hash(row)]]
        append_entry(db, at, "breach", "rows_vouched", row["id"], why, rows, None)


def m006_filters_in_the_deadline_index(db: Database) -> None:
    """The deadline index also holds the organisation and the regimes: a dashboard
    filtered on a rare one reads the index in deadline order without fetching each row
    (on 100,000 incidents, 110 ms became 7)."""
    db.execute("DROP INDEX incidents_by_deadline")
    db.execute(
        "CREATE INDEX incidents_by_deadline ON incidents "
        "(status, coalesce(next_due, '9999'), created_at, organisation, regimes)"
    )


#: Every migration, oldest first.
MIGRATIONS = (
    m001_initial,
    m002_notices,
    m003_vouched_rows,
    m004_identities,
    m005_assignees,
    m006_filters_in_the_deadline_index,
)

migrations = Migrations("breach")
for _migration in MIGRATIONS:
    migrations()(_migration)


def unknown_migrations(db: Database) -> list[str]:
    """Migrations applied to ``db`` that this code does not know (a newer breach's)."""
    known = {migration.__name__ for migration in MIGRATIONS}
    return [m.name for m in migrations.applied(db) if m.name not in known]


def refuse_newer(db: Database, path: Path | None) -> None:
    """Refuse (before anything is written) a database a newer breach has migrated."""
    newer = unknown_migrations(db)
    if newer:
        raise NewerDatabase(
            f"{path}: written by a newer version of breach (migration {newer[0]} is not "
            "known here); upgrade breach — the file was not changed"
        )


#: The tables every breach log has: with the migrations table, how a log is recognised.
BREACH_TABLES = frozenset(
    {"meta", "incidents", "facts_versions", "assessments", "duties", "events", "audit"}
)


def pending_migrations(db: Database) -> list[str]:
    """The names of the migrations ``db`` lacks (read only)."""
    return [migration.name for migration in migrations.pending(db)]


def migrate(db: Database) -> None:
    """Apply the migrations ``db`` lacks."""
    if migrations.pending(db):
        migrations.apply(db)
