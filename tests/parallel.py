"""The suite runs in several processes (pytest-xdist). Each one already gets its own test
database from pytest-django (`test_<name>_gw0`, `_gw1`…); this plugin gives each its own Redis
database as well, so that one process's Celery queue, results and locks never meet another's.

It is loaded with `-p tests.parallel` (pyproject's addopts), before Django reads its settings:
the application, its Celery app and the worker processes the tests start all see the same
`REDIS_URL`, exactly as in production.
"""

import os
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
