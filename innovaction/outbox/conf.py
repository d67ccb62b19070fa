"""Tunables of the outbox, overridable in Django settings (read at each use, so tests and
deployments can change them without restarting anything but the process)."""

from datetime import timedelta

from django.conf import settings

DEFAULTS = {
    # Attempts before a message is marked failed and the alert is raised.
    "OUTBOX_MAX_ATTEMPTS": 6,
    # Delay before attempt n+1 = base × 2^(n-1), capped: 1, 2, 4, 8, 15 minutes by default.
    "OUTBOX_RETRY_BASE_SECONDS": 60,
    "OUTBOX_RETRY_MAX_SECONDS": 900,
    # A worker holds a message it is sending for this long and renews the hold every third
    # of it; a row whose hold has expired belongs to a dead worker and is taken back.
    "OUTBOX_LEASE_SECONDS": 90,
    # A queued message nobody claimed for this long has lost its task: the sweep queues another.
    "OUTBOX_STALE_AFTER_SECONDS": 600,
    # Rows the periodic sweep handles per run, so one run stays short.
    "OUTBOX_SWEEP_BATCH": 500,
}


def value(name: str):
    return getattr(settings, name, DEFAULTS[name])


def seconds(name: str) -> timedelta:
    return timedelta(seconds=value(name))


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next attempt, once `attempts` have failed.

    Never more than half the broker's visibility timeout: a retry that Redis holds longer than
    that would be handed to a second worker while the first still waits to run it.
    """
    delay = value("OUTBOX_RETRY_BASE_SECONDS") * 2 ** max(attempts - 1, 0)
    ceiling = min(value("OUTBOX_RETRY_MAX_SECONDS"), settings.BROKER_VISIBILITY_TIMEOUT / 2)
    return timedelta(seconds=min(delay, ceiling))
