import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from innovaction import env

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k3y-" + "x7Qz9!pL2#" * 6,
    "ALLOWED_HOSTS": "innovaction.ville.example",
    "DATABASE_URL": "postgres://innovaction:motdepasse@db:5432/innovaction",
    "SMTP_HOST": "smtp.ville.example",
    "SITE_URL": "https://innovaction.ville.example",
}


def _run(args, extra_env):
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}}
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=base | extra_env, capture_output=True, text=True
    )


def test_production_settings_pass_the_deployment_checklist():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SMTP_HOST"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    environment = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _run(["manage.py", "check"], environment)
    assert result.returncode != 0
    assert f"DJANGO_ENV=production requires {missing}" in result.stderr


def test_production_refuses_sqlite_and_debug():
    result = _run(["manage.py", "check"], PRODUCTION_ENV | {"DATABASE_URL": "sqlite:///var/x.sqlite3"})
    assert "requires DATABASE_URL pointing to PostgreSQL" in result.stderr
    result = _run(["manage.py", "check"], PRODUCTION_ENV | {"DEBUG": "true"})
    assert "DEBUG must be false" in result.stderr


def test_a_bad_value_stops_the_start_with_the_variable_named():
    result = _run(["manage.py", "check"], {"SESSION_IDLE_TIMEOUT": "trois heures"})
    assert result.returncode != 0
    assert "SESSION_IDLE_TIMEOUT='trois heures' is not an integer" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("OUI", True), ("0", False), ("off", False), (None, True)]
)
def test_env_bool(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("FLAG", raising=False)
    else:
        monkeypatch.setenv("FLAG", raw)
    assert env.env_bool("FLAG", True) is expected


@pytest.mark.parametrize(
    ("helper", "raw"),
    [
        (lambda: env.env_bool("V", False), "peut-être"),
        (lambda: env.env_int("V", 1), "douze"),
        (lambda: env.env_int("V", 1, minimum=5), "3"),
        (lambda: env.env_choice("V", "a", ("a", "b")), "c"),
    ],
)
def test_helpers_refuse_bad_values(monkeypatch, helper, raw):
    monkeypatch.setenv("V", raw)
    with pytest.raises(ImproperlyConfigured, match="V="):
        helper()


def test_database_urls(tmp_path):
    pg = env.database_from_url("postgres://u:p%40ss@h:5433/base?sslmode=require", base_dir=tmp_path)
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == ("base", "u", "p@ss", "h", "5433")
    assert pg["OPTIONS"] == {"sslmode": "require"}
    socket = env.database_from_url("postgres://postgres@%2Fvar%2Frun%2FPostgreSQL/base", base_dir=tmp_path)
    assert (socket["HOST"], socket["PORT"], socket["NAME"]) == ("/var/run/PostgreSQL", "", "base")
    assert env.database_from_url("postgres://postgres@%2Frun%2Fpg:5433/base", base_dir=tmp_path)["PORT"] == "5433"
    # And back, for a worker started in a child process.
    for url in ("postgres://u:p%40ss@h:5433/base", "postgres://postgres@%2Fvar%2Frun%2FPostgreSQL/base"):
        assert env.postgres_url(env.database_from_url(url, base_dir=tmp_path)) == url
    assert env.postgres_url(pg, "autre").endswith("@h:5433/autre")
    assert env.database_from_url("sqlite:///var/db.sqlite3", base_dir=tmp_path)["NAME"] == str(
        tmp_path / "var/db.sqlite3"
    )
    assert env.database_from_url("sqlite:////tmp/a.db", base_dir=tmp_path)["NAME"] == "/tmp/a.db"
    with pytest.raises(ImproperlyConfigured):
        env.database_from_url("mysql://x/y", base_dir=tmp_path)


def test_embedded_default_runs_jobs_in_process_without_a_broker():
    code = "from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER, s.DATABASES['default']['ENGINE'])"
    result = _run(["-c", f"import django; django.setup(); {code}"], {"DJANGO_SETTINGS_MODULE": "innovaction.settings"})
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"], result.stderr
