"""The outbox's services, one rule at a time, against a real SMTP server on loopback.

Tasks run in-process here (Celery's eager mode); the tests with a real worker on Redis and
worker processes killed mid-batch are in test_outbox_worker.py."""

import threading
import time
from datetime import timedelta
from uuid import uuid4

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from innovaction.celery import app as celery_app
from innovaction.outbox import conf
from innovaction.outbox.alerts import register_failure_alert, run_failure_alert
from innovaction.outbox.choices import AttemptOutcome, OutboxStatus
from innovaction.outbox.delivery import SKIPPED, outbox_deliver, outbox_sweep, recover_expired
from innovaction.outbox.models import OutboxAttempt, OutboxMessage, message_id_for
from innovaction.outbox.services import Attachment, outbox_enqueue, outbox_resend
from innovaction.roles import Role


def _enqueue(key="reminder:stale:project:45:2026-W47", **fields):
    values = {
        "to_email": "nadia@ville.test",
        "subject": "Projet sans nouvelles depuis 30 jours",
        "text_body": "Bonjour,\nle projet « Halles » n'a pas de point d'avancement depuis 30 jours.",
    }
    return outbox_enqueue(key=key, **values | fields)


@pytest.fixture
def alerts(monkeypatch):
    """Failure alerts of kinds "reminder" and "report" recorded instead of mailed."""
    calls = []
    monkeypatch.setattr("innovaction.outbox.alerts._ALERTS", {})
    register_failure_alert("reminder", calls.append)
    register_failure_alert("report", calls.append)
    return calls


def _hold(message, *, expires_in, attempts=1):
    """Put `message` in the state a worker leaves it in while sending."""
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, lease_token=uuid4(), lease_expires_at=now + expires_in, attempts=attempts
    )
    OutboxAttempt.objects.create(message=message, number=attempts, started_at=now, worker="celery@ancien")


# Enqueue -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_enqueue_is_idempotent_by_key(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = _enqueue()
        again = _enqueue(subject="Un autre objet", to_email="autre@ville.test")
    assert again.pk == first.pk
    assert again.subject == "Projet sans nouvelles depuis 30 jours" and again.to_email == "nadia@ville.test"
    assert OutboxMessage.objects.count() == 1
    assert len(callbacks) == 1  # one delivery task, for the first call only
    assert first.kind == "reminder" and first.status == OutboxStatus.QUEUED and first.attempts == 0


@pytest.mark.django_db(transaction=True)
def test_two_processes_enqueuing_the_same_key_at_once_get_one_row():
    inserted, other_done = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = _enqueue()
                inserted.set()
                time.sleep(0.3)  # the other process is now blocked on the unique index
        finally:
            connection.close()

    def second():
        inserted.wait()
        try:
            results["second"] = _enqueue(subject="Écrit en même temps")
            other_done.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert other_done.is_set()
    assert results["first"].pk == results["second"].pk
    assert OutboxMessage.objects.get().subject == "Projet sans nouvelles depuis 30 jours"


@pytest.mark.django_db
def test_enqueue_links_the_account_with_the_same_address(make_user):
    nadia = make_user(Role.LEAD, email="nadia@ville.test")
    make_user(Role.LEAD, email="parti@ville.test", is_active=False)
    assert _enqueue(key="a:1", to_email="Nadia@Ville.test").user == nadia
    assert _enqueue(key="a:2", to_email="parti@ville.test").user is None
    other = make_user(Role.LEAD)
    assert _enqueue(key="a:3", to_email="nadia@ville.test", user=other).user == other


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("rappel projet 45", "Clé invalide"),
        ("report:2026-10:recipient:12:resend:1", "outbox_resend"),
        ("x:" + "9" * 200, "Clé trop longue"),
    ],
)
def test_enqueue_refuses_bad_keys(key, message):
    with pytest.raises(ValidationError, match=message):
        _enqueue(key=key)
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_enqueue_refuses_an_attachment_that_is_not_stored(report_pdf):
    with pytest.raises(ValidationError, match="Pièce jointe introuvable"):
        _enqueue(attachments=[Attachment(storage_name="rapports/absent.pdf", filename="tdb.pdf")])
    assert not OutboxMessage.objects.exists()


def test_message_id_is_derived_from_the_key_only():
    key = "report:2026-10:recipient:12"
    assert message_id_for(key, "ville.fr") == message_id_for(key, "ville.fr")
    assert message_id_for(key, "ville.fr").startswith("<outbox.") and message_id_for(key, "ville.fr").endswith(
        "@ville.fr>"
    )
    assert message_id_for(key, "ville.fr") != message_id_for("report:2026-10:recipient:13", "ville.fr")


@pytest.mark.django_db
def test_message_id_domain_comes_from_the_sender_address(settings):
    settings.DEFAULT_FROM_EMAIL = "Ville de Romans <innovaction@mairie-romans.fr>"
    message = _enqueue()
    assert message.message_id == message_id_for(message.key, "mairie-romans.fr")


# Delivery ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_delivery_sends_the_stored_message_once(smtp, report_pdf, django_capture_on_commit_callbacks):
    inbox = smtp()
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue(
            to_name="Nadia Benali",
            reply_to="direction@ville.test",
            html_body="<p>Bonjour,</p>",
            attachments=[Attachment(storage_name=report_pdf, filename="tdb-2026-10.pdf")],
        )
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.sent_at and message.attempts == 1
    (delivered,) = inbox.messages
    assert str(delivered["To"]) == "Nadia Benali <nadia@ville.test>"
    assert str(delivered["Reply-To"]) == "direction@ville.test"
    assert delivered["Message-ID"] == message.message_id
    assert [part.get_filename() for part in delivered.iter_attachments()] == ["tdb-2026-10.pdf"]

    # A redelivered or duplicated task finds the message sent and does nothing.
    assert outbox_deliver(message_id=message.pk).outcome == SKIPPED
    assert len(inbox.messages) == 1
    attempt = message.delivery_attempts.get()
    assert attempt.outcome == AttemptOutcome.SENT and attempt.finished_at >= attempt.started_at


@pytest.mark.django_db
def test_a_temporary_error_requeues_with_exponential_backoff(smtp, settings):
    inbox = smtp(refuse_data=2)
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    message = _enqueue()
    start = timezone.now()

    result = outbox_deliver(message_id=message.pk)
    assert result.outcome == OutboxStatus.QUEUED and result.retry_in == timedelta(seconds=60)
    message.refresh_from_db()
    assert message.status == OutboxStatus.QUEUED and message.attempts == 1 and "451" in message.last_error
    assert start + timedelta(seconds=60) <= message.next_attempt_at <= timezone.now() + timedelta(seconds=60)
    # Not before its time, whoever asks.
    assert outbox_deliver(message_id=message.pk).outcome == SKIPPED

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert outbox_deliver(message_id=message.pk).retry_in == timedelta(seconds=120)
    with time_machine.travel(timezone.now() + timedelta(seconds=182)):
        assert outbox_deliver(message_id=message.pk).outcome == OutboxStatus.SENT
    assert len(inbox.messages) == 1
    assert [a.outcome for a in message.delivery_attempts.all()] == [
        AttemptOutcome.RETRY,
        AttemptOutcome.RETRY,
        AttemptOutcome.SENT,
    ]


def test_backoff_doubles_up_to_its_cap_and_stays_under_the_broker_visibility_timeout(settings):
    assert [conf.retry_delay(n).total_seconds() for n in range(1, 7)] == [60, 120, 240, 480, 900, 900]
    settings.BROKER_VISIBILITY_TIMEOUT = 600
    assert conf.retry_delay(5).total_seconds() == 300


@pytest.mark.django_db
def test_a_permanent_refusal_fails_at_once_and_alerts(smtp, alerts):
    smtp(refuse_rcpt={"personne@ville.test"}, rcpt_reply="550 5.1.1 No such user")
    message = _enqueue(to_email="personne@ville.test")
    result = outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert result.outcome == OutboxStatus.FAILED and result.retry_in is None
    assert message.status == OutboxStatus.FAILED and message.attempts == 1 and "550" in message.last_error
    assert [m.pk for m in alerts] == [message.pk]
    assert message.alerted_at is not None


@pytest.mark.django_db
def test_a_missing_attachment_fails_without_retrying(smtp, report_pdf, alerts):
    inbox = smtp()
    message = _enqueue(attachments=[Attachment(storage_name=report_pdf, filename="tdb.pdf")])
    default_storage.delete(report_pdf)
    assert outbox_deliver(message_id=message.pk).outcome == OutboxStatus.FAILED
    message.refresh_from_db()
    assert "FileNotFoundError" in message.last_error and inbox.rcpts == []
    assert [m.pk for m in alerts] == [message.pk]


@pytest.mark.django_db
def test_the_last_attempt_fails_the_message_and_alerts_once(smtp, settings, alerts):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    smtp(refuse_rcpt={"nadia@ville.test"})
    message = _enqueue()
    assert outbox_deliver(message_id=message.pk).outcome == OutboxStatus.QUEUED
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert outbox_deliver(message_id=message.pk).outcome == OutboxStatus.FAILED
        assert outbox_deliver(message_id=message.pk).outcome == SKIPPED
        assert outbox_sweep().alerted == 0
    assert len(alerts) == 1


@pytest.mark.django_db
def test_in_process_jobs_do_not_loop_when_the_server_is_down(smtp, django_capture_on_commit_callbacks):
    inbox = smtp()
    inbox.controller.stop()
    assert celery_app.conf.task_always_eager
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    message.refresh_from_db()
    # The eager retry ran at once, found the message not yet due, and stopped there.
    assert message.status == OutboxStatus.QUEUED and message.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_database_hiccup_right_after_the_smtp_acceptance_still_records_the_message_sent(smtp, monkeypatch):
    """Left "sending", the row would be sent a second time on recovery: the mark is retried."""
    monkeypatch.setattr("innovaction.outbox.services._dispatch", lambda message_id: None)
    inbox = smtp()
    message = _enqueue()
    failures = []

    def lose_the_first_sent_mark(execute, sql, params, many, context):
        if sql.startswith('UPDATE "innovaction_outboxmessage"') and "sent" in (params or ()) and not failures:
            failures.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(lose_the_first_sent_mark):
        assert outbox_deliver(message_id=message.pk).outcome == OutboxStatus.SENT
    assert len(failures) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and len(inbox.messages) == 1
    assert [a.outcome for a in message.delivery_attempts.all()] == [AttemptOutcome.SENT]


# Dead workers and the sweep ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_row_left_sending_by_a_dead_worker_is_taken_back_once_its_lease_expired(smtp):
    inbox = smtp()
    message = _enqueue()
    _hold(message, expires_in=timedelta(seconds=-1))

    assert outbox_deliver(message_id=message.pk).outcome == OutboxStatus.SENT  # the redelivered task
    assert len(inbox.messages) == 1
    attempts = list(message.delivery_attempts.all())
    assert [(a.number, a.outcome) for a in attempts] == [(1, AttemptOutcome.INTERRUPTED), (2, AttemptOutcome.SENT)]
    assert "bail expiré" in attempts[0].error


@pytest.mark.django_db
def test_a_row_held_by_a_live_worker_is_left_alone(smtp, django_capture_on_commit_callbacks):
    inbox = smtp()
    message = _enqueue()
    _hold(message, expires_in=timedelta(seconds=60))
    assert outbox_deliver(message_id=message.pk).outcome == SKIPPED
    with django_capture_on_commit_callbacks(execute=True):
        report = outbox_sweep()
    assert report.recovered == 0 and inbox.rcpts == []
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING


@pytest.mark.django_db
def test_the_sweep_requeues_expired_rows_and_their_task_sends_them(smtp, django_capture_on_commit_callbacks):
    inbox = smtp()
    message = _enqueue()
    _hold(message, expires_in=timedelta(seconds=-1))
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep().recovered == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and len(inbox.messages) == 1


@pytest.mark.django_db
def test_a_dead_worker_on_the_last_attempt_fails_the_message(settings, alerts):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = _enqueue()
    _hold(message, expires_in=timedelta(seconds=-1), attempts=3)
    assert recover_expired(message.pk) == OutboxStatus.FAILED
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.alerted_at is not None
    assert [m.pk for m in alerts] == [message.pk]


@pytest.mark.django_db
def test_the_sweep_queues_a_new_task_for_rows_whose_task_was_lost(smtp, django_capture_on_commit_callbacks):
    inbox = smtp()
    message = _enqueue()  # its task is never run: lost with a broker outage
    recent = _enqueue(key="reminder:milestone:12:2026-W47")
    later = timezone.now() + conf.seconds("OUTBOX_STALE_AFTER_SECONDS") + timedelta(seconds=1)
    OutboxMessage.objects.filter(pk=recent.pk).update(next_attempt_at=later, dispatched_at=later)
    with time_machine.travel(later + timedelta(seconds=1)), django_capture_on_commit_callbacks(execute=True):
        report = outbox_sweep()
    assert report.redispatched == 1
    message.refresh_from_db()
    recent.refresh_from_db()
    assert message.status == OutboxStatus.SENT and recent.status == OutboxStatus.QUEUED
    assert len(inbox.messages) == 1


@pytest.mark.django_db
def test_an_alert_that_raises_is_raised_again_by_the_sweep(smtp, settings, monkeypatch, caplog):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    smtp(refuse_rcpt={"nadia@ville.test"})
    calls = []

    def flaky(message):
        calls.append(message.pk)
        if len(calls) == 1:
            raise ConnectionError("annuaire indisponible")

    monkeypatch.setattr("innovaction.outbox.alerts._ALERTS", {"reminder": flaky})
    message = _enqueue()
    assert outbox_deliver(message_id=message.pk).outcome == OutboxStatus.FAILED
    message.refresh_from_db()
    assert message.alerted_at is None and "annuaire indisponible" in caplog.text
    assert outbox_sweep().alerted == 1
    assert outbox_sweep().alerted == 0
    assert calls == [message.pk, message.pk]


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_a_slow_send_from_being_taken_back(smtp, settings, monkeypatch):
    """A live worker holds its message however slow the server: its lease is renewed."""
    settings.OUTBOX_LEASE_SECONDS = 0.6
    # No task queued on commit: the thread below plays the worker.
    monkeypatch.setattr("innovaction.outbox.services._dispatch", lambda message_id: None)
    inbox = smtp(rcpt_delay=1.5)
    message = _enqueue()

    def worker():
        try:
            outbox_deliver(message_id=message.pk)
        finally:
            connection.close()

    sender = threading.Thread(target=worker)
    sender.start()
    assert _wait(lambda: inbox.rcpts)
    first_lease = OutboxMessage.objects.get(pk=message.pk).lease_expires_at
    while sender.is_alive():  # another worker and the sweep try their luck meanwhile
        assert outbox_deliver(message_id=message.pk).outcome == SKIPPED
        assert outbox_sweep().recovered == 0
        time.sleep(0.1)
    sender.join()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and len(inbox.messages) == 1
    assert [a.outcome for a in message.delivery_attempts.all()] == [AttemptOutcome.SENT]
    assert first_lease < message.sent_at  # the first lease ran out during the send: renewed


def _wait(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.02)
    return predicate()


# Resend and alerts ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_resend_creates_a_new_message_linked_to_the_original(
    smtp, director, report_pdf, django_capture_on_commit_callbacks
):
    inbox = smtp()
    with django_capture_on_commit_callbacks(execute=True):
        original = _enqueue(
            key="report:2026-10:recipient:12",
            attachments=[Attachment(storage_name=report_pdf, filename="tdb.pdf")],
        )
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox_resend(message=original, by=director)
    with django_capture_on_commit_callbacks(execute=True):
        second = outbox_resend(message=first, by=director)
    assert (first.key, second.key) == ("report:2026-10:recipient:12:resend:1", "report:2026-10:recipient:12:resend:2")
    for copy in (first, second):
        copy.refresh_from_db()
        assert copy.resend_of == original and copy.requested_by == director and copy.status == OutboxStatus.SENT
        assert copy.original_key == original.key and copy.kind == "report"
        assert [a.storage_name for a in copy.attachments.all()] == [report_pdf]
    original.refresh_from_db()
    assert original.status == OutboxStatus.SENT and original.attempts == 1  # untouched
    assert len({m["Message-ID"] for m in inbox.messages}) == 3 and len(inbox.messages) == 3


@pytest.mark.django_db
def test_a_message_not_yet_sent_cannot_be_resent(director):
    message = _enqueue()
    with pytest.raises(ValidationError, match="pas encore parti"):
        outbox_resend(message=message, by=director)
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_the_default_alert_mails_each_director_once(make_user, django_capture_on_commit_callbacks):
    claire = make_user(Role.DIRECTOR, email="claire@ville.test")
    paul = make_user(Role.DIRECTOR, Role.LEAD, email="paul@ville.test")
    make_user(Role.DIRECTOR, email="ancienne@ville.test", is_active=False)
    make_user(Role.CABINET, email="cabinet@ville.test")
    message = _enqueue(key="report:2026-10:recipient:7", to_email="elu@ville.test", subject="Tableau de bord")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.FAILED, failed_at=timezone.now(), last_error="SMTPRecipientsRefused: 451"
    )
    with django_capture_on_commit_callbacks():
        assert run_failure_alert(message.pk) is True
        assert run_failure_alert(message.pk) is False  # raised once only
    alerts = OutboxMessage.objects.filter(kind="alert").order_by("to_email")
    assert [(a.to_email, a.user) for a in alerts] == [("claire@ville.test", claire), ("paul@ville.test", paul)]
    alert = alerts[0]
    assert alert.key == f"alert:failed:{message.pk}:user:{claire.pk}"
    assert alert.subject == "Échec d'envoi d'un e-mail à elu@ville.test"
    assert "« Tableau de bord » à elu@ville.test" in alert.text_body
    assert "SMTPRecipientsRefused: 451" in alert.text_body

    # An alert that cannot be delivered either raises no alert about itself.
    OutboxMessage.objects.filter(pk=alert.pk).update(status=OutboxStatus.FAILED, failed_at=timezone.now())
    assert run_failure_alert(alert.pk) is True
    assert OutboxMessage.objects.filter(kind="alert").count() == 2


def test_the_sweep_is_scheduled_every_minute_and_registered(settings):
    celery_app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]
    assert entry["task"] in celery_app.tasks and "innovaction.outbox.deliver" in celery_app.tasks
    assert entry["schedule"] == timedelta(minutes=1)
