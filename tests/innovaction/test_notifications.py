"""'Mes notifications': each user sees the e-mails the outbox sent to them, and only those;
and the delivery log in the Django admin."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from innovaction.outbox.choices import OutboxStatus
from innovaction.outbox.models import OutboxMessage
from innovaction.outbox.services import Attachment, outbox_enqueue

LIST = reverse("outbox:notifications")


def _message(user, n, **fields):
    values = {
        "to_email": user.email,
        "user": user,
        "subject": f"Rappel n° {n}",
        "text_body": f"Bonjour,\nrappel n° {n}.\nDétails : https://innovaction.example.fr/projets/{n}/",
    }
    return outbox_enqueue(key=f"reminder:test:{user.pk}:{n}", **values | fields)


@pytest.mark.django_db
def test_the_list_shows_my_messages_newest_first_and_nobody_elses(client_for, elected, lead):
    for n in range(3):
        message = _message(elected, n)
        OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(days=3 - n))
    _message(lead, 99, subject="Le rappel de quelqu'un d'autre")

    page = client_for(elected).get(LIST)
    assert page.status_code == 200
    text = page.text
    assert "<h1>Mes notifications</h1>" in text
    assert text.index("Rappel n° 2") < text.index("Rappel n° 1") < text.index("Rappel n° 0")
    assert "quelqu&#x27;un d&#x27;autre" not in text and "Rappel n° 99" not in text
    assert text.count("En attente d&#x27;envoi") == 3  # tasks never ran: still queued
    assert '<th scope="col">Statut</th>' in text


@pytest.mark.django_db
@pytest.mark.usefixtures("without_session_refresh")
def test_the_list_is_paginated_with_a_constant_number_of_queries(client_for, elected):
    client = client_for(elected)
    for n in range(3):
        _message(elected, n)
    client.get(LIST)  # warm: the organisation row and its cache exist from the first page on
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(3, 30):
        _message(elected, n)
    with CaptureQueriesContext(connection) as many:
        first = client.get(LIST)
    assert len(many) == len(few)
    assert first.text.count("Rappel n° ") == 25 and "1–25 sur 30" in first.text
    second = client.get(LIST, {"page": 2})
    assert second.text.count("Rappel n° ") == 5 and "Rappel n° 0<" in second.text


@pytest.mark.django_db
def test_an_empty_list_says_so(client_for, cabinet):
    assert "Innov'action ne vous a encore envoyé aucun e-mail." in client_for(cabinet).get(LIST).text


@pytest.mark.django_db
def test_the_detail_shows_the_text_escaped_and_404s_for_others(client_for, elected, lead):
    message = _message(elected, 1, text_body="Bonjour,\n<script>alert(1)</script>\nhttps://innovaction.example.fr/")
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT, sent_at=timezone.now(), attempts=1)
    url = reverse("outbox:notification", args=[message.pk])

    page = client_for(elected).get(url)
    assert page.status_code == 200
    assert "<h1>Rappel n° 1</h1>" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert" not in page.text
    assert '<a href="https://innovaction.example.fr/" rel="nofollow">' in page.text
    assert "Envoyé le" in page.text

    assert client_for(lead).get(url).status_code == 404
    assert client_for(lead).get(reverse("outbox:notification", args=[message.pk + 1000])).status_code == 404


@pytest.mark.django_db
def test_a_failed_or_retried_message_says_what_happened(client_for, elected):
    failed = _message(elected, 1)
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxStatus.FAILED, attempts=6)
    retried = _message(elected, 2)
    OutboxMessage.objects.filter(pk=retried.pk).update(attempts=1)
    client = client_for(elected)
    assert (
        "n'a pas pu vous être remis après 6 tentatives"
        in client.get(reverse("outbox:notification", args=[failed.pk])).text
    )
    assert "nouvel essai à partir du" in client.get(reverse("outbox:notification", args=[retried.pk])).text


@pytest.mark.django_db
def test_attachments_download_for_the_recipient_only(client_for, elected, lead, report_pdf):
    message = _message(elected, 1, attachments=[Attachment(storage_name=report_pdf, filename="tdb-2026-10.pdf")])
    attachment = message.attachments.get()
    url = reverse("outbox:notification_attachment", args=[message.pk, attachment.pk])
    detail = client_for(elected).get(reverse("outbox:notification", args=[message.pk]))
    assert f'href="{url}"' in detail.text

    response = client_for(elected).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tdb-2026-10.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.7")
    assert client_for(lead).get(url).status_code == 404

    default_storage.delete(report_pdf)
    assert client_for(elected).get(url).status_code == 404


@pytest.mark.django_db
def test_the_user_menu_links_to_my_notifications(client_for, lead):
    home = client_for(lead).get(reverse("home"))
    assert f'<a href="{LIST}">Mes notifications</a>' in home.text
    assert f'<a href="{LIST}" aria-current="page">Mes notifications</a>' in client_for(lead).get(LIST).text


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# Admin ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_shows_the_delivery_log_read_only(client_for, admin_user, elected):
    message = _message(elected, 1)
    client = client_for(admin_user)
    changelist = client.get(reverse("admin:innovaction_outboxmessage_changelist"))
    assert changelist.status_code == 200 and "Rappel n° 1" in changelist.text
    change_url = reverse("admin:innovaction_outboxmessage_change", args=[message.pk])
    assert client.get(change_url).status_code == 200
    assert client.post(change_url, {"subject": "modifié"}).status_code == 403
    assert client.get(reverse("admin:innovaction_outboxmessage_add")).status_code == 403
    assert client.get(reverse("admin:innovaction_outboxattempt_changelist")).status_code == 200
    message.refresh_from_db()
    assert message.subject == "Rappel n° 1"


@pytest.mark.django_db
def test_the_director_has_no_access_to_the_admin_log(client_for, director):
    assert client_for(director).get(reverse("admin:innovaction_outboxmessage_changelist")).status_code == 403


@pytest.mark.django_db
def test_the_admin_resends_after_confirmation_and_is_recorded(
    client_for, admin_user, elected, django_capture_on_commit_callbacks
):
    sent = _message(elected, 1)
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxStatus.SENT, sent_at=timezone.now(), attempts=1)
    queued = _message(elected, 2)
    client = client_for(admin_user)
    url = reverse("admin:innovaction_outboxmessage_changelist")
    selection = {"action": "resend_selected", "_selected_action": [sent.pk, queued.pk]}

    confirmation = client.post(url, selection)
    assert confirmation.status_code == 200
    assert "Rappel n° 1" in confirmation.text and "1 e-mail sélectionné n'est pas encore parti" in confirmation.text
    assert OutboxMessage.objects.count() == 2  # nothing sent before confirming

    with django_capture_on_commit_callbacks() as callbacks:
        done = client.post(url, selection | {"post": "yes"}, follow=True)
    assert "1 e-mail renvoyé." in done.text
    copy = OutboxMessage.objects.get(resend_of=sent)
    assert copy.key == f"{sent.key}:resend:1" and copy.requested_by == admin_user
    assert len(callbacks) == 1 and OutboxMessage.objects.count() == 3
