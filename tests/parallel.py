"""The suite runs in several processes (pytest-xdist). Each one gets its own test database
(`test_<name>_gw0`, `_gw1`…) and, from this plugin, its own Redis database, so that one
process's Celery queue, results and locks never meet another's.

This module is loaded with `-p tests.parallel` (pyproject's addopts), before Django reads its
settings: the application, its Celery app and the worker processes the tests start all see
the same `REDIS_URL`, exactly as in production. `clone_or_migrate` lets the processes of a run
migrate one test database between them and copy it, instead of migrating one each.
"""

import fcntl
import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def redis_url_for_process(url: str, worker: str | None) -> str:
    """`redis://host:6379/1` for `gw0`, `/2` for `gw1`… the URL unchanged outside xdist."""
    if not worker:
        return url
    parts = urlsplit(url)
    first = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{first + int(worker.removeprefix('gw'))}"))


if os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = redis_url_for_process(os.environ["REDIS_URL"], os.environ.get("PYTEST_XDIST_WORKER"))


def clone_or_migrate(marker: Path, migrate: Callable[[], list]) -> tuple[list, str | None]:
    """This process's test database (PostgreSQL): the first process of the run migrates its own
    and keeps a copy of it as a template; the others create theirs from that template in a
    fraction of a second. Returns what `teardown_databases` needs, and the template that the
    process which made it drops when it is done (`drop_database`)."""
    from django.conf import settings
    from django.db import connection

    quote = connection.ops.quote_name
    with open(marker.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            config = migrate()
            template = f"{connection.settings_dict['NAME']}_template"
            connection.close()  # PostgreSQL copies a database nobody is connected to
            drop_database(template)
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(connection.settings_dict['NAME'])}")
            marker.write_text(template)
            return config, template
        template = marker.read_text()
    old_name = connection.settings_dict["NAME"]
    name = connection.creation._get_test_db_name()
    drop_database(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
    settings.DATABASES[connection.alias]["NAME"] = connection.settings_dict["NAME"] = name
    connection.close()
    return [(connection, old_name, True)], None


def drop_database(name: str) -> None:
    from django.db import connection

    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def disconnect_others() -> None:
    """End the other sessions on this process's test database, so that it can be dropped: a
    Celery worker thread or the live server's thread may keep theirs until garbage collection."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
