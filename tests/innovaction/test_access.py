import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from innovaction.roles import Role
from tests.innovaction.factories import TEST_PASSWORD
from tests.urls import iter_patterns

# Pages that answer without a login (SPEC §2); everything else redirects to the login page.
PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "set_language",
    "accessibility",
    "privacy",
    "open_data",
    "open_data_file",
}


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_on_every_page_but_the_public_ones(client):
    checked = 0
    for name, path in iter_patterns():
        if name in PUBLIC or path.startswith("/static/"):
            continue
        if path.startswith("/api/") and name != "api:token":
            # The API (DRF) answers a client without credentials itself, for token clients.
            assert client.get(path).status_code in (401, 403), (name, path)
            checked += 1
            continue
        response = client.get(path, follow=True)
        assert response.redirect_chain, (name, path, response.status_code)
        assert response.request["PATH_INFO"] == reverse("login"), (name, path, response.redirect_chain)
        checked += 1
    assert checked > 20


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["login", "password_reset", "healthz", "accessibility", "privacy"])
def test_public_pages_answer_without_login(client, name):
    assert client.get(reverse(name)).status_code == 200


def _login(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


@pytest.mark.django_db
def test_login_with_email_in_any_case_lands_on_home(client, make_user):
    make_user(Role.LEAD, email="nadia.benali@ville.test")
    response = _login(client, "Nadia.Benali@Ville.TEST", TEST_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_wrong_password_keeps_email_and_says_why(client, make_user):
    make_user(Role.LEAD, email="nadia@ville.test")
    response = _login(client, "nadia@ville.test", "wrong-password")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.text
    assert 'value="nadia@ville.test"' in response.text


@pytest.mark.django_db
def test_sixth_login_is_refused_after_five_failures_even_with_the_right_password(client, make_user):
    make_user(Role.LEAD, email="cible@ville.test")
    for _ in range(4):
        assert _login(client, "cible@ville.test", "devinette").status_code == 200
    assert _login(client, "cible@ville.test", "devinette").status_code == 429  # fifth failure locks
    response = _login(client, "cible@ville.test", TEST_PASSWORD)
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.text
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_a_success_before_the_limit_resets_the_failure_count(client, make_user):
    make_user(Role.LEAD, email="distrait@ville.test")
    for _ in range(4):
        _login(client, "distrait@ville.test", "oubli")
    assert _login(client, "distrait@ville.test", TEST_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        _login(client, "distrait@ville.test", "oubli")
    assert _login(client, "distrait@ville.test", TEST_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_idle_session_expires_but_activity_keeps_it_alive(client, make_user, settings):
    make_user(Role.LEAD, email="agent@ville.test")
    timeout = settings.SESSION_IDLE_TIMEOUT
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert _login(client, "agent@ville.test", TEST_PASSWORD).status_code == 302
        # Active every (timeout - 60 s): still signed in well past one timeout in total.
        for _ in range(3):
            traveller.shift(timeout - 60)
            assert client.get(reverse("home")).status_code == 200
        # Idle for longer than the timeout: back to the login page.
        traveller.shift(timeout + 60)
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_reading_pages_writes_the_session_at_most_once_a_minute(client, make_user, settings):
    make_user(Role.LEAD, email="lectrice@ville.test")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        _login(client, "lectrice@ville.test", TEST_PASSWORD)
        session = Session.objects.get()
        assert session.expire_date == start + dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)
        traveller.shift(30)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        assert not [q for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
        assert Session.objects.get().expire_date == session.expire_date
        traveller.shift(31)  # a minute since the last write: this request pushes the end back
        assert client.get(reverse("home")).status_code == 200
        assert Session.objects.get().expire_date == timezone.now() + dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)


@pytest.mark.django_db
def test_logout_needs_a_post_and_ends_the_session(client_for, lead):
    client = client_for(lead)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
@pytest.mark.ignore_template_errors  # Django's admin templates rely on missing variables
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ADMIN, 200),
        (Role.DIRECTOR, 403),
        (Role.LEAD, 403),
        (Role.CABINET, 403),
        (Role.ELECTED, 403),
    ],
)
def test_django_admin_is_for_the_admin_role_only(client_for, make_user, role, expected):
    client = client_for(make_user(role))
    for url in [reverse("admin:index"), reverse("admin:innovaction_user_changelist"), reverse("admin:login")]:
        response = client.get(url)
        final = response.status_code if response.status_code != 302 else client.get(response.url).status_code
        assert final == expected, (role, url)


@pytest.mark.django_db
def test_admin_login_page_sends_anonymous_users_to_the_throttled_login(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
