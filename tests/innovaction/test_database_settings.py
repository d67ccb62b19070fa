"""PostgreSQL connections run without JIT: its compilation took ~3 s on the partner list at
10,000 projects (benchmark of issue 9), for queries that run in milliseconds without it."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_connections_have_jit_off():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
