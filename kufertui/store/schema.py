"""Workspace schema and its migrations. Each migration runs once, in order, in one transaction; then the
contacts table gets a column for every KUFER field of the catalogue it lacks (``add_field_columns``)."""

from __future__ import annotations

import sqlite3

from kufertui.core.contact import CONTACT_COLUMNS
from kufertui.core.fields import FIELDS_BY_ID

MIGRATIONS: tuple[str, ...] = (
    # 1: the initial workspace
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        email TEXT NOT NULL,
        email_lc TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT '',
        person_no TEXT, salutation TEXT, title TEXT, first_name TEXT, last_name TEXT,
        gender_raw TEXT, gender TEXT, organization TEXT, birthday TEXT,
        street TEXT, zip TEXT, city TEXT,
        is_dozent INTEGER NOT NULL DEFAULT 0,
        departments TEXT, extra_emails TEXT, flags TEXT,
        n_source TEXT,
        search TEXT NOT NULL DEFAULT '',
        import_id INTEGER,
        updated_at TEXT
    );
    CREATE INDEX contacts_status ON contacts (status, id);
    CREATE INDEX contacts_email ON contacts (email_lc);
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        source TEXT NOT NULL,
        format TEXT, encoding TEXT, mapping TEXT,
        rows_read INTEGER DEFAULT 0, inserted INTEGER DEFAULT 0, updated INTEGER DEFAULT 0,
        unchanged INTEGER DEFAULT 0, kept_n INTEGER DEFAULT 0, rejected INTEGER DEFAULT 0
    );
    CREATE TABLE import_errors (
        import_id INTEGER NOT NULL REFERENCES imports (id),
        line INTEGER, reason TEXT NOT NULL, detail TEXT
    );
    CREATE TABLE ledger (
        email_lc TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        person_no TEXT,
        origin TEXT NOT NULL,
        source TEXT,
        occurred_at TEXT,
        recorded_at TEXT NOT NULL,
        written_back_at TEXT,
        pushed_at TEXT,
        push_outcome TEXT,
        push_attempts INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        os_user TEXT,
        host TEXT,
        selection TEXT,
        fields TEXT,
        options TEXT,
        counts TEXT,
        report_line TEXT,
        error TEXT
    );
    CREATE TABLE run_contacts (
        run_id INTEGER NOT NULL REFERENCES runs (id),
        contact_key TEXT NOT NULL,
        email TEXT NOT NULL,
        status TEXT,
        batch_no INTEGER,
        outcome TEXT NOT NULL,
        code TEXT,
        detail TEXT,
        PRIMARY KEY (run_id, contact_key)
    );
    CREATE INDEX run_contacts_batch ON run_contacts (run_id, batch_no);
    CREATE TABLE batches (
        run_id INTEGER NOT NULL REFERENCES runs (id),
        batch_no INTEGER NOT NULL,
        state TEXT NOT NULL,
        size INTEGER NOT NULL,
        permission INTEGER NOT NULL,
        report TEXT,
        PRIMARY KEY (run_id, batch_no)
    );
    """,
    # 2: the Maileon contact id of a pulled unsubscribe, so that the same entry, once Maileon has anonymised
    # it (no e-mail left), is still recognised
    """
    ALTER TABLE ledger ADD COLUMN maileon_id INTEGER;
    CREATE INDEX ledger_maileon_id ON ledger (maileon_id);
    """,
    # 3: segments – saved selections kept exact in Maileon, each with its field and target group;
    # members per refresh run (a resumed refresh keeps its own, the last finished one counts joins/leaves)
    """
    CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        field TEXT NOT NULL UNIQUE COLLATE NOCASE,
        filter TEXT NOT NULL,
        contact_filter_id INTEGER,
        target_group_id INTEGER,
        created_at TEXT NOT NULL,
        refreshed_at TEXT,
        refreshed_run INTEGER
    );
    CREATE TABLE segment_members (
        segment_id INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
        run_id INTEGER NOT NULL,
        contact_key TEXT NOT NULL,
        PRIMARY KEY (segment_id, run_id, contact_key)
    );
    """,
    # 4: people who left KUFER (sync/leavers.py): a full export that misses a known person takes them out of the
    # selection from that moment (left_at), kept in the workspace for History and an explicit removal from
    # Maileon; a later full export that has them again clears it. Each import says whether it was full and
    # how many known persons it missed.
    """
    ALTER TABLE contacts ADD COLUMN left_at TEXT;
    CREATE INDEX contacts_left ON contacts (left_at) WHERE left_at IS NOT NULL;
    ALTER TABLE imports ADD COLUMN full_export INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE imports ADD COLUMN missing INTEGER NOT NULL DEFAULT 0;
    """,
    # 5: people, not addresses (sync/unsubscribes.py, sync/internals/moves.py). A Maileon unsubscribe whose KUFER number
    # we sent with that address opts the person out by number (by_number); an explicit re-consent lifts it
    # (lifted_at), nothing else. An objection recorded "not in Maileon" is checked again (recheck_at; rows
    # recorded before this version were checked by address only, so they are due at once). E-mail moves are
    # journaled with their batch, so a resumed run performs those left.
    """
    ALTER TABLE ledger ADD COLUMN by_number INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE ledger ADD COLUMN lifted_at TEXT;
    ALTER TABLE ledger ADD COLUMN lifted_note TEXT;
    ALTER TABLE ledger ADD COLUMN recheck_at TEXT;
    CREATE INDEX ledger_person_no ON ledger (person_no);
    UPDATE ledger SET recheck_at = '' WHERE push_outcome = 'not-in-maileon';
    CREATE TABLE moves (
        run_id INTEGER NOT NULL REFERENCES runs (id),
        contact_key TEXT NOT NULL,
        batch_no INTEGER NOT NULL,
        email TEXT NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (run_id, contact_key)
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


# the column a KUFER field of each kind (core/fields.py, KuferField.kind) gets; any other kind: TEXT
_KIND_COLUMNS = {"bool": "INTEGER NOT NULL DEFAULT 0"}


def field_columns() -> dict[str, str]:
    """The contacts columns the field catalogue asks for: Contact's attributes (core/contact.py, built from
    core/fields.py) as name → column type."""
    return {name: _KIND_COLUMNS.get(FIELDS_BY_ID[name].kind if name in FIELDS_BY_ID else "text", "TEXT")
            for name in CONTACT_COLUMNS}


def add_field_columns(conn: sqlite3.Connection) -> list[str]:
    """The migration the catalogue writes itself: a column for each field added to core/fields.py since the
    workspace was made (NULL, or the kind's default, for the contacts imported before). Returns the names added.
    Names come from the catalogue, never from a file."""
    wanted = field_columns()

    def missing() -> list[str]:
        present = {row[1] for row in conn.execute("PRAGMA table_info(contacts)")}
        return [name for name in wanted if name not in present]

    if not missing():  # every open asks; a field is added once
        return []
    conn.execute("BEGIN IMMEDIATE")  # another process may be adding them too: ask again under the lock
    try:
        added = missing()
        for name in added:
            conn.execute(f"ALTER TABLE contacts ADD COLUMN {name} {wanted[name]}")
        conn.execute("COMMIT")
    except sqlite3.Error:
        conn.execute("ROLLBACK")
        raise
    return added


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema to SCHEMA_VERSION and the contacts table to the field catalogue; returns the version
    found before."""
    found = current_version(conn)
    if found > SCHEMA_VERSION:
        raise RuntimeError(f"workspace schema {found} is newer than this kufertui ({SCHEMA_VERSION})")
    for number in range(found, SCHEMA_VERSION):
        try:
            conn.executescript(
                "BEGIN IMMEDIATE;" + MIGRATIONS[number] + f"; PRAGMA user_version = {number + 1}; COMMIT;"
            )
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    add_field_columns(conn)
    return found
