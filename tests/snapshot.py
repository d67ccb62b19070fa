"""A copy of every row of the test database, taken once and put back in a second; and the
quick way to empty the test database.

The demo is seeded through the application's own services (transitions, notes, recomputes…),
which takes ~20 s. It is seeded once per run, in one of its processes, and the tests that
start from it restore a copy of what that seeding wrote (PostgreSQL `COPY … (FORMAT BINARY)`,
sequences included). tests/innovaction/test_demo_snapshot.py checks that seeding again over
the copy finds every row in place.
"""

import fcntl
import functools
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

# Migrations' own bookkeeping: never copied, never truncated.
KEPT = {"django_migrations"}


@dataclass(frozen=True)
class Snapshot:
    rows: dict[str, bytes]  # table → its rows in COPY's binary format
    sequences: dict[str, int | None]  # sequence → last value (None: never used)
    files: dict[str, bytes] = field(default_factory=dict)  # uploaded file → its bytes


def _tables() -> list[str]:
    return list(_tables_of(connection.settings_dict["NAME"]))


@functools.cache
def _tables_of(database: str) -> tuple[str, ...]:
    """The tables of the test database (no test adds one): read once per process."""
    return tuple(sorted(set(connection.introspection.table_names()) - KEPT))


def _sequences() -> dict[str, int | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
        return dict(cursor.fetchall())


def row_counts(tables: list[str] | None = None) -> dict[str, int]:
    tables = tables or _tables()
    quote = connection.ops.quote_name
    # Table names come from the database's own catalogue.
    query = " UNION ALL ".join(f"SELECT '{name}', COUNT(*) FROM {quote(name)}" for name in tables)  # noqa: S608
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(query)
            return dict(cursor.fetchall())
    # Asked before and after every fuzzed submission: planned once per connection, not each time.
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(query, prepare=True)
        return dict(cursor.fetchall())


def take(media_root: Path | None = None) -> Snapshot:
    """The rows of every table, and the files under `media_root` that they name."""
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table, count in row_counts().items():
            if count:
                with cursor.copy(f"COPY {quote(table)} TO STDOUT (FORMAT BINARY)") as copy:
                    rows[table] = b"".join(bytes(block) for block in copy)
    files = {}
    if media_root is not None:
        files = {
            str(path.relative_to(media_root)): path.read_bytes() for path in media_root.rglob("*") if path.is_file()
        }
    return Snapshot(rows=rows, sequences=_sequences(), files=files)


# Foreign-key triggers off, then on again: every table is emptied or copied whole, so nothing
# is left to check. `session_replication_role` needs a superuser, which the local test server's
# `postgres` role is; with another role the database is emptied by TRUNCATE, as Django does.
TRIGGERS_OFF = "SET LOCAL session_replication_role = replica"
TRIGGERS_ON = "SET LOCAL session_replication_role = DEFAULT"


@functools.cache
def _superuser(database: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return cursor.fetchone()[0]


def _triggers_can_be_turned_off() -> bool:
    return _superuser(connection.settings_dict["NAME"])


def emptying_sql(tables: list[str]) -> str:
    """One string of statements deleting every row of `tables`, inside a transaction.

    `TRUNCATE` of the ~80 tables gives each table, index and TOAST table a new file: ~0.25 s of
    the server's time whatever the rows, and the suite empties its database after each of its
    ~50 transactional tests. `DELETE` of the few thousand rows, foreign-key triggers off,
    costs a tenth of that."""
    quote = connection.ops.quote_name
    if not _triggers_can_be_turned_off():
        return f"TRUNCATE {', '.join(quote(table) for table in tables)}"
    # Table names come from the database's own catalogue.
    deletes = [f"DELETE FROM {quote(table)}" for table in tables]  # noqa: S608
    return "; ".join([TRIGGERS_OFF, *deletes, TRIGGERS_ON])


def flush_by_delete() -> Callable[[], None]:
    """Make Django's flush (run after each transactional test) delete rows instead of
    truncating tables; returns what puts TRUNCATE back."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [emptying_sql(tables)]

    DatabaseOperations.sql_flush = sql_flush
    return lambda: setattr(DatabaseOperations, "sql_flush", truncate)


def restore(snapshot: Snapshot, media_root: Path | None = None) -> None:
    """Make the database hold exactly the snapshot's rows, whatever it held before, and put its
    files back under `media_root`."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(emptying_sql(_tables()))
        triggers_off = _triggers_can_be_turned_off()  # the rows come from a consistent database
        if triggers_off:
            cursor.execute(TRIGGERS_OFF)
        for table, data in snapshot.rows.items():
            with cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(data)
        if triggers_off:
            cursor.execute(TRIGGERS_ON)
        for sequence, value in snapshot.sequences.items():
            if value is None:
                cursor.execute("SELECT setval(%s, 1, false)", [sequence])
            else:
                cursor.execute("SELECT setval(%s, %s, true)", [sequence, value])
    ContentType.objects.clear_cache()  # content types come back with the snapshot's ids
    for name, content in snapshot.files.items():
        path = Path(media_root, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def shared(path: Path, make: Callable[[], Snapshot]) -> Snapshot:
    """The snapshot stored at `path`, made by the first process of the run that asks for it;
    the others wait for it instead of making their own."""
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            # Written by another process of this very run (the file name carries its id).
            return pickle.loads(path.read_bytes())  # noqa: S301
        taken = make()
        path.write_bytes(pickle.dumps(taken))
        return taken
