"""Autovacuum for the test database, done by the test process itself between two tests.

Every test's writes are rolled back, and a transactional test's rows are deleted
(tests/snapshot.py): each leaves dead rows behind, which later queries read past until a
VACUUM removes them. PostgreSQL servers set up for test runs often have autovacuum off, as the
machines this suite is measured on do; the dead rows then pile up all through the run, and
the server works 70 % more. Between two tests, the process vacuums the tables of its
database whose dead rows have passed autovacuum's threshold.
"""

import pytest
from django.db import connection


def vacuum_overdue_tables() -> list[str]:
    """VACUUM the tables of the current database that are due; returns their names."""
    with connection.cursor() as cursor:
        # Autovacuum's own rule, with its default base of 50 rows but a twentieth of the live rows
        # instead of a fifth: the test tables are small, and vacuuming one takes a millisecond.
        cursor.execute(
            "SELECT relid::regclass::text FROM pg_stat_user_tables WHERE n_dead_tup > 50 + 0.05 * n_live_tup"
        )
        tables = [table for (table,) in cursor.fetchall()]
        if tables:
            cursor.execute(f"VACUUM {', '.join(tables)}")
    return tables


class BetweenTests:
    """A pytest plugin, registered while this process's test database exists."""

    def __init__(self, django_db_blocker):
        self.blocker = django_db_blocker
        self.active = True

    @pytest.hookimpl(trylast=True)  # after the test's fixtures, its transaction included, are gone
    def pytest_runtest_teardown(self, item, nextitem):
        if self.active and not connection.in_atomic_block:
            with self.blocker.unblock():
                vacuum_overdue_tables()
