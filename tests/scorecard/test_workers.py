"""Recompute on real Celery workers: two worker processes on Redis, against the test
database, receiving the same months at once (SPEC §5.3: concurrently gives the same rows)."""

import os
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings
from django.db import connection

from innovaction import env
from innovaction.celery import app as celery_app
from scorecard.models import Measurement
from scorecard.tasks import recompute_period
from tests.scorecard.conftest import make_registry_indicators
from tests.scorecard.datasets import APRIL, MARCH, build_city

pytestmark = pytest.mark.services


def _database_url() -> str:
    return env.postgres_url(connection.settings_dict)


@pytest.fixture
def two_workers(redis_url, transactional_db):
    """Two `celery worker --pool=solo` processes consuming the default queue."""
    celery_app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url)
    redis.Redis.from_url(redis_url).delete("celery")
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": redis_url}
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "innovaction",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "-n",
                f"recompute{n}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for n in (1, 2)
    ]
    try:
        deadline = time.monotonic() + 60
        while len(celery_app.control.ping(timeout=1) or []) < 2:
            assert time.monotonic() < deadline, "les deux workers n'ont pas démarré"
            assert all(w.poll() is None for w in workers), [w.stderr.read().decode() for w in workers]
        yield workers
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            worker.stderr.close()


def _rows():
    return sorted(
        Measurement.objects.values_list("indicator__code", "period", "value", "status", "revision", "is_current")
    )


def test_two_workers_recomputing_the_same_months_at_once_write_the_same_rows(two_workers):
    build_city()
    make_registry_indicators()
    months = ["2025-03"] * 6 + ["2025-04"] * 6
    results = [r.get(timeout=120) for r in [recompute_period.delay(month) for month in months]]

    assert {r["worker"].split("@")[0] for r in results} == {"recompute1", "recompute2"}
    # Runs of one month by the two workers overlapped in time: one waited for the other's lock.
    overlapping = [
        (a, b)
        for a in results
        for b in results
        if a["worker"] != b["worker"]
        and a["period"] == b["period"]
        and a["started"] < b["finished"]
        and b["started"] < a["finished"]
    ]
    assert overlapping, "aucun recalcul simultané : le test ne prouverait rien"
    # Each month was created once (11 rows); every other run found them and changed nothing.
    assert sum(r["created"] for r in results) == 22
    assert sum(r["updated"] for r in results) == 0
    assert Measurement.objects.count() == 22
    first = _rows()
    current = {(code, period.month): value for code, period, value, *_ in first}
    assert {code: current[(code, 3)] for code in MARCH} == MARCH
    assert {code: current[(code, 4)] for code in APRIL} == APRIL

    # And once more, the same rows.
    for r in [recompute_period.delay(month) for month in months]:
        r.get(timeout=120)
    assert _rows() == first
