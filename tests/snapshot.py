"""A copy of every row of the test database, taken once and put back in a second.

The demo is seeded through the application's own services (transitions, notes, recomputes…),
which takes ~20 s. It is seeded once per run, in one of its processes, and the tests that
start from it restore a copy of what that seeding wrote (PostgreSQL `COPY … (FORMAT BINARY)`,
sequences included). tests/innovaction/test_demo_snapshot.py checks that seeding again over
the copy finds every row in place.
"""

import fcntl
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

# Migrations' own bookkeeping: never copied, never truncated.
KEPT = {"django_migrations"}


@dataclass(frozen=True)
class Snapshot:
    rows: dict[str, bytes]  # table → its rows in COPY's binary format
    sequences: dict[str, int | None]  # sequence → last value (None: never used)


def _tables() -> list[str]:
    return sorted(set(connection.introspection.table_names()) - KEPT)


def _sequences() -> dict[str, int | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
        return dict(cursor.fetchall())


def row_counts(tables: list[str] | None = None) -> dict[str, int]:
    tables = tables or _tables()
    quote = connection.ops.quote_name
    # Table names come from the database's own catalogue.
    query = " UNION ALL ".join(f"SELECT '{name}', COUNT(*) FROM {quote(name)}" for name in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query)
        return dict(cursor.fetchall())


def take() -> Snapshot:
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table, count in row_counts().items():
            if count:
                with cursor.copy(f"COPY {quote(table)} TO STDOUT (FORMAT BINARY)") as copy:
                    rows[table] = b"".join(bytes(block) for block in copy)
    return Snapshot(rows=rows, sequences=_sequences())


def restore(snapshot: Snapshot) -> None:
    """Make the database hold exactly the snapshot's rows, whatever it held before."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in _tables())}")
        for table, data in snapshot.rows.items():
            with cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(data)
        for sequence, value in snapshot.sequences.items():
            if value is None:
                cursor.execute("SELECT setval(%s, 1, false)", [sequence])
            else:
                cursor.execute("SELECT setval(%s, %s, true)", [sequence, value])
    ContentType.objects.clear_cache()  # content types come back with the snapshot's ids


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
