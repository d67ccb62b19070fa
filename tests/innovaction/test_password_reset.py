import re
import time

import pytest
from django.urls import reverse

from innovaction.roles import Role

pytestmark = pytest.mark.services


def _wait_for(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_reset_mail_goes_through_worker_and_smtp_and_its_link_sets_a_new_password(
    client, make_user, celery_worker, smtp_server
):
    user = make_user(Role.LEAD, email="oubli@ville.test", first_name="Inès")

    response = client.post(reverse("password_reset"), {"email": "OUBLI@ville.test"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")

    assert _wait_for(lambda: smtp_server.messages), "no e-mail reached the SMTP server"
    time.sleep(0.5)
    assert len(smtp_server.messages) == 1
    delivered = smtp_server.messages[0]
    assert delivered["to"] == ["oubli@ville.test"]
    body = delivered["message"].get_body(preferencelist=("plain",)).get_content()
    assert "Bonjour Inès" in body
    link = re.search(r"http://testserver(/mot-de-passe/nouveau/\S+/)", body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert "Choisissez un nouveau mot de passe" in form_page.text
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Un-nouveau-depart-42", "new_password2": "Un-nouveau-depart-42"})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")

    user.refresh_from_db()
    assert user.check_password("Un-nouveau-depart-42")
    # The link works once only.
    assert "Lien expiré ou déjà utilisé" in client.get(link, follow=True).text


@pytest.mark.django_db
def test_unknown_address_gets_the_same_answer_and_no_mail(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("password_reset"), {"email": "personne@ville.test"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert callbacks == [] and mailoutbox == []
