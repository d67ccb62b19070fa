"""Settings of the worker processes started by the outbox crash test: the project's settings
with a short lease and a sweep every second, so that recovery after a SIGKILL takes seconds
instead of the production minute. Everything else (database, broker, SMTP) comes from the
environment exactly as in production."""

from datetime import timedelta

from innovaction.settings import *  # noqa: F403

OUTBOX_LEASE_SECONDS = 2
OUTBOX_RETRY_BASE_SECONDS = 0.5
OUTBOX_RETRY_MAX_SECONDS = 2
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "innovaction.outbox.sweep", "schedule": timedelta(seconds=1)},
}
