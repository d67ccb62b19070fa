"""Security from the outside: CSRF on every POST of every URL pattern, no view exempt from it
(in the code or at run time), secure cookies in production, uploads checked by content on
every upload form."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authentication import SessionAuthentication
from rest_framework.views import APIView

from tests.assurance.conftest import table_rows
from tests.assurance.urlmap import all_patterns, build_path, values_for
from tests.innovaction.test_settings import PRODUCTION_ENV
from tests.portfolio.conftest import close_response

PROJECT_DIRS = ["innovaction", "portfolio", "partners", "scorecard"]


@pytest.mark.django_db
@pytest.mark.ignore_template_errors  # the admin's pages are among them
@pytest.mark.parametrize("who", ["anonymous", "director", "admin"])
def test_every_post_without_a_csrf_token_is_refused_and_writes_nothing(who, people, city, capsys):
    refused = 0
    accepted = []
    client = Client(enforce_csrf_checks=True)
    if people[who] is not None:
        client.force_login(people[who])
    before = table_rows()  # every POST below is rolled back: the same starting point for each
    for pattern in all_patterns():
        path = build_path(pattern, *values_for(pattern, city, "open", people))
        with transaction.atomic():
            response = client.post(path, {"name": "X", "confirm": "on", "amount": "10"})
            close_response(response)
            after = table_rows()
            transaction.set_rollback(True)
        # The read-only API answers a request without credentials 401 (nothing to forge).
        no_credentials = who == "anonymous" and pattern.key.startswith("api:") and response.status_code == 401
        if (response.status_code == 403 or no_credentials) and before == after:
            refused += 1
        else:
            accepted.append((pattern.key, response.status_code))
    with capsys.disabled():
        print(f"\nCSRF ({who}) : {refused} POST sans jeton refusés sur {len(all_patterns())} motifs d'URL.")
    assert accepted == []


def _views(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry)
        elif isinstance(entry, URLPattern):
            yield entry


def test_no_view_is_exempt_from_csrf_at_run_time():
    """DRF marks its views exempt because it checks CSRF itself, for session-authenticated
    requests (SessionAuthentication.enforce_csrf); every other view goes through the
    middleware. The previous test shows that check at work on the API's URLs."""
    exempt = []
    for entry in _views():
        if not getattr(entry.callback, "csrf_exempt", False):
            continue
        view_class = getattr(entry.callback, "cls", None)
        if view_class is not None and issubclass(view_class, APIView):
            classes = view_class().get_authenticators()
            if all(
                not isinstance(a, SessionAuthentication) or type(a).enforce_csrf is SessionAuthentication.enforce_csrf
                for a in classes
            ):
                continue
        exempt.append(str(entry.pattern))
    assert exempt == []


def test_no_csrf_exempt_in_the_code():
    offenders = []
    for folder in PROJECT_DIRS:
        for source in (Path(settings.BASE_DIR) / folder).rglob("*.py"):
            if "csrf_exempt" in source.read_text(encoding="utf-8"):
                offenders.append(str(source.relative_to(settings.BASE_DIR)))
    assert offenders == []


def test_production_cookies_are_secure_httponly_and_same_site():
    base = {k: v for k, v in __import__("os").environ.items() if k in {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}}
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "DEBUG",
    ]
    script = (
        "import django, json; django.setup(); from django.conf import settings;"
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=base | PRODUCTION_ENV | {"DJANGO_SETTINGS_MODULE": "innovaction.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["LANGUAGE_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["SECURE_SSL_REDIRECT"] is True and values["SECURE_HSTS_SECONDS"] > 0
    assert values["DEBUG"] is False


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTML = b"<html><script>alert(document.cookie)</script></html>"

# Every form that takes a file, with the fields that make the rest of it valid.
UPLOADS = [
    ("portfolio:document_upload", "file", {"kind": "autre", "title": "Plan"}),
    ("portfolio:letter_edit", "signed_pdf", {}),
    ("partners:line_create", "convention", {"partner": "Région Auvergne-Rhône-Alpes", "amount": "1000"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "field", "data"), UPLOADS, ids=[u[0] for u in UPLOADS])
@pytest.mark.parametrize("content", [EXE, HTML], ids=["exe", "html"])
def test_a_disguised_file_is_refused_by_its_content_on_every_upload_form(
    people, city, settings, name, field, data, content
):
    pattern = next(p for p in all_patterns() if p.key == name)
    path = build_path(pattern, *values_for(pattern, city, "open", people))
    client = Client()
    client.force_login(people["director"])
    media = Path(settings.MEDIA_ROOT)
    files_before = sorted(media.rglob("*"))
    rows_before = table_rows()
    response = client.post(path, {**data, field: SimpleUploadedFile("convention.pdf", content, "application/pdf")})
    assert response.status_code == 200, response.status_code  # the form again, with its error
    assert sorted(media.rglob("*")) == files_before
    assert table_rows() == rows_before
