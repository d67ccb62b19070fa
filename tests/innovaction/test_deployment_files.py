"""docker-compose.yml cannot run here (no Docker engine): check what can be checked of it."""

import re

import yaml
from django.conf import settings

SERVICES = {"db", "redis", "web", "worker", "beat", "mail"}


def _settings_variables() -> set[str]:
    source = (settings.BASE_DIR / "innovaction" / "settings.py").read_text()
    names = set(re.findall(r"env_\w+\(\s*\"([A-Z0-9_]+)\"", source))
    names |= set(re.findall(r"_required_in_production\(\s*\"([A-Z0-9_]+)\"", source))
    return names | {"DJANGO_SETTINGS_MODULE"}


def _compose():
    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())


def test_compose_declares_the_production_shape():
    compose = _compose()
    assert set(compose["services"]) == SERVICES
    assert compose["services"]["db"]["image"].startswith("postgres:16")
    for name in ("web", "worker", "beat"):
        assert compose["services"][name]["build"] or compose["services"][name]["image"]
    assert "gunicorn" in " ".join(compose["services"]["web"]["command"])
    assert {"pgdata", "media"} <= set(compose["volumes"])


def test_every_variable_compose_passes_is_read_by_the_settings():
    compose = _compose()
    known = _settings_variables()
    passed = set(compose["x-app-environment"])
    for service in compose["services"].values():
        environment = service.get("environment") or {}
        if service.get("image", "").startswith(("postgres", "redis", "axllent")):
            continue
        passed |= set(environment)
    unknown = passed - known
    assert not unknown, f"docker-compose passes variables the settings never read: {sorted(unknown)}"
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "SMTP_HOST"} <= passed


def test_env_example_lists_every_setting_variable():
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (settings.BASE_DIR / ".env.example").read_text(), re.M))
    missing = _settings_variables() - listed - {"DJANGO_SETTINGS_MODULE"}
    assert not missing, f".env.example does not document: {sorted(missing)}"
