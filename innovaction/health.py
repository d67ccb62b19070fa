"""State of the services the application depends on, for /healthz."""

import redis
from django.conf import settings
from django.db import DatabaseError, connection


def check_database() -> str | None:
    """None when the database answers, else a short reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return type(error).__name__
    return None


def check_redis() -> str | None:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except (redis.RedisError, OSError) as error:
        return type(error).__name__
    return None


def service_states() -> dict[str, str]:
    """{service: "ok" | "indisponible (...)"}; Redis only when configured."""
    checks = {"database": check_database}
    if settings.REDIS_URL:
        checks["redis"] = check_redis
    states = {}
    for name, check in checks.items():
        problem = check()
        states[name] = "ok" if problem is None else f"down ({problem})"
    return states
