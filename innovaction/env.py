"""Typed readers of environment variables.

Each helper refuses a value it cannot understand with ImproperlyConfigured naming the
variable, so a typo in a deployment fails at start-up instead of being silently ignored.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on", "oui", "vrai"}
FALSE_WORDS = {"0", "false", "no", "off", "non", "faux"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true/false, 1/0, yes/no).")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum {maximum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _raw(name)
    if value is None:
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}.")
    return value


def _host(parts) -> str:
    """The URL's host, or the socket folder it names (urlsplit lowercases `hostname`)."""
    host = parts.netloc.rpartition("@")[2]
    if host.upper().startswith("%2F"):
        return unquote(host.split(":", 1)[0])
    return parts.hostname or ""


def postgres_url(database: dict, name: str | None = None) -> str:
    """The DATABASE_URL of a PostgreSQL DATABASES entry (of another database on the same server
    with `name`): what a worker or command started in a child process is given."""
    credentials = quote(database["USER"], safe="") + (
        f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    )
    host = quote(database["HOST"], safe="") if database["HOST"].startswith("/") else database["HOST"]
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(name or database['NAME'], safe='')}"


def database_from_url(url: str, *, base_dir: Path) -> dict:
    """Django DATABASES entry from `postgres://user:pass@host:port/name` or `sqlite:///path`.
    A PostgreSQL host may be a Unix socket's folder, percent-encoded as libpq reads it:
    `postgres://user@%2Fvar%2Frun%2Fpostgresql/name`."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("DATABASE_URL names no database (postgres://…/NAME).")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": _host(parts),
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(options.pop("conn_max_age", 60)),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        # sqlite:///relative/path has path "/relative/path"; sqlite:////abs/path has "//abs/path".
        path = path[1:]
        if not path:
            raise ImproperlyConfigured("DATABASE_URL names no SQLite file (sqlite:///path).")
        file = Path(path) if Path(path).is_absolute() else base_dir / path
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(file)}
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported (postgres, sqlite).")
