"""The outbox against the real services: Celery workers on Redis (a thread, or real processes
for the crash test) and SMTP servers on loopback whose behaviour each test chooses."""

import os
import signal
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection

from innovaction import env
from innovaction.celery import app as celery_app
from innovaction.outbox.choices import AttemptOutcome, OutboxStatus
from innovaction.outbox.models import OutboxAttempt, OutboxMessage
from innovaction.outbox.services import Attachment, outbox_enqueue
from innovaction.roles import Role

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout=20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def _enqueue_report(user, pdf):
    return outbox_enqueue(
        key=f"report:2026-10:recipient:{user.pk}",
        to_email=user.email,
        to_name=user.get_full_name(),
        subject="Tableau de bord d'octobre 2026",
        text_body=f"Bonjour {user.first_name},\nLe tableau de bord d'octobre 2026 est joint.",
        html_body=f"<p>Bonjour {user.first_name},</p><p>Le tableau de bord d'octobre 2026 est joint.</p>",
        attachments=[Attachment(storage_name=pdf, filename="tableau-de-bord-2026-10.pdf")],
    )


def _all_sent(count: int) -> bool:
    return OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == count


def test_five_recipients_receive_exactly_one_copy_each(smtp, celery_worker, make_user, report_pdf):
    inbox = smtp()
    recipients = [make_user(Role.ELECTED, email=f"elu{n}@ville.test", first_name=f"Élu{n}") for n in range(5)]

    # The sending job runs twice (a retried beat task, a double click): the keys stop the second.
    for _run in range(2):
        for user in recipients:
            _enqueue_report(user, report_pdf)
    assert OutboxMessage.objects.count() == 5

    assert wait_for(lambda: _all_sent(5)), list(OutboxMessage.objects.values_list("status", "last_error"))
    time.sleep(0.5)  # room for a second copy to arrive, if one were on its way
    assert inbox.received_by() == {user.email: 1 for user in recipients}

    rows = {row.to_email: row for row in OutboxMessage.objects.all()}
    for delivered in inbox.messages:
        row = rows[delivered["To"].addresses[0].addr_spec]
        assert delivered["Message-ID"] == row.message_id
        assert delivered["Subject"] == "Tableau de bord d'octobre 2026"
        assert delivered["Auto-Submitted"] == "auto-generated"
        assert f"Bonjour {row.user.first_name}," in delivered.get_body(("plain",)).get_content()
        assert "<p>Le tableau de bord" in delivered.get_body(("html",)).get_content()
        (attachment,) = list(delivered.iter_attachments())
        assert attachment.get_filename() == "tableau-de-bord-2026-10.pdf"
        assert attachment.get_content() == b"%PDF-1.7\n% tableau de bord d'octobre\n%%EOF\n"
        assert [(a.number, a.outcome) for a in row.delivery_attempts.all()] == [(1, AttemptOutcome.SENT)]


def test_server_down_for_the_first_attempts_then_back_delivers_one_copy_each(
    smtp, celery_worker, make_user, report_pdf, fast_retries
):
    inbox = smtp()
    port = inbox.controller.port
    inbox.controller.stop()
    recipients = [make_user(Role.ELECTED, email=f"elu{n}@ville.test") for n in range(5)]
    for user in recipients:
        _enqueue_report(user, report_pdf)

    def each_failed_once():
        return OutboxAttempt.objects.filter(outcome=AttemptOutcome.RETRY).values("message").distinct().count() == 5

    assert wait_for(each_failed_once, timeout=10)
    assert inbox.messages == []
    smtp(inbox, port=port)  # the server comes back on the same address

    assert wait_for(lambda: _all_sent(5)), list(OutboxMessage.objects.values_list("status", "attempts", "last_error"))
    time.sleep(0.5)
    assert inbox.received_by() == {user.email: 1 for user in recipients}
    for row in OutboxMessage.objects.all():
        outcomes = [a.outcome for a in row.delivery_attempts.all()]
        assert outcomes[0] == AttemptOutcome.RETRY and outcomes[-1] == AttemptOutcome.SENT
        assert set(outcomes[1:-1]) <= {AttemptOutcome.RETRY}
        assert "Connection refused" in row.delivery_attempts.first().error
        assert row.attempts == len(outcomes) and row.last_error == ""


def test_temporary_refusals_are_retried_and_still_one_copy_each(
    smtp, celery_worker, make_user, report_pdf, fast_retries
):
    inbox = smtp(refuse_data=5)  # "451 try again later" to the first five messages
    recipients = [make_user(Role.ELECTED, email=f"elu{n}@ville.test") for n in range(5)]
    for user in recipients:
        _enqueue_report(user, report_pdf)

    assert wait_for(lambda: _all_sent(5)), list(OutboxMessage.objects.values_list("status", "attempts", "last_error"))
    time.sleep(0.5)
    assert inbox.received_by() == {user.email: 1 for user in recipients}
    refused = OutboxAttempt.objects.filter(outcome=AttemptOutcome.RETRY)
    assert refused.count() == 5
    assert all("451" in attempt.error for attempt in refused)


def test_after_the_last_attempt_the_message_fails_and_the_director_is_alerted(
    smtp, celery_worker, make_user, report_pdf, fast_retries, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    director = make_user(Role.DIRECTOR, email="direction@ville.test")
    make_user(Role.LEAD, email="cheffe@ville.test")  # not a director: not alerted
    inbox = smtp(refuse_rcpt={"injoignable@ville.test"})
    message = outbox_enqueue(
        key="report:2026-10:recipient:99",
        to_email="injoignable@ville.test",
        subject="Tableau de bord d'octobre 2026",
        text_body="…",
        attachments=[Attachment(storage_name=report_pdf, filename="tdb.pdf")],
    )

    assert wait_for(lambda: inbox.received_by()["direction@ville.test"] == 1)
    time.sleep(0.5)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.failed_at and message.alerted_at
    assert [a.outcome for a in message.delivery_attempts.all()] == [
        AttemptOutcome.RETRY,
        AttemptOutcome.RETRY,
        AttemptOutcome.FAILED,
    ]
    assert "451" in message.last_error
    assert inbox.received_by() == {director.email: 1}
    alert = inbox.messages[0]
    body = alert.get_body(("plain",)).get_content()
    assert alert["Subject"] == "Échec d'envoi d'un e-mail à injoignable@ville.test"
    assert "« Tableau de bord d'octobre 2026 »" in body and "report:2026-10:recipient:99" in body
    assert body.count("Erreur temporaire, nouvel essai prévu") == 2 and "Erreur définitive" in body


# The crash test: real worker processes, one of them killed with SIGKILL mid-batch ----------


def _worker_environment(smtp_port: int, redis_url: str) -> dict:
    database = connection.settings_dict  # the test database pytest-django created
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.innovaction.outbox_worker_settings",
        "DATABASE_URL": env.postgres_url(database),
        "REDIS_URL": redis_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_TIMEOUT": "5",
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
    }


def _start_worker(name: str, environment: dict, log_dir, *, beat_schedule=None) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "innovaction", "worker", "--pool=solo", "--loglevel=INFO"]
    command += ["-n", f"{name}@%h", "--without-gossip", "--without-mingle"]
    if beat_schedule:
        command += ["--beat", "--schedule", str(beat_schedule)]
    log = open(log_dir / f"{name}.log", "w")  # noqa: SIM115 — closed by _stop, once the process is gone
    process = subprocess.Popen(command, cwd=django_settings.BASE_DIR, env=environment, stdout=log, stderr=log)
    process.log_file = log
    return process


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log_file.close()


@pytest.fixture
def clean_broker(redis_url):
    def clean():
        redis.Redis.from_url(redis_url).delete("celery", "unacked", "unacked_index", "unacked_mutex")

    clean()
    previous = celery_app.conf.task_always_eager
    celery_app.conf.update(task_always_eager=False, broker_url=redis_url)
    yield
    celery_app.conf.task_always_eager = previous
    clean()


def test_a_worker_killed_mid_batch_then_replaced_sends_no_duplicate_and_misses_no_one(
    smtp, clean_broker, redis_url, make_user, report_pdf, tmp_path
):
    inbox = smtp(rcpt_delay=0.4)  # a slow server: each conversation takes ~0.4 s
    environment = _worker_environment(inbox.controller.port, redis_url)
    recipients = [make_user(Role.ELECTED, email=f"elu{n}@ville.test") for n in range(6)]
    processes = [_start_worker("premier", environment, tmp_path)]
    try:
        for user in recipients:
            _enqueue_report(user, report_pdf)

        # Two messages delivered, the third in the middle of its SMTP conversation: kill.
        assert wait_for(lambda: len(inbox.rcpts) == 3, timeout=30), (tmp_path / "premier.log").read_text()
        processes[0].send_signal(signal.SIGKILL)
        processes[0].wait()
        assert len(inbox.messages) == 2
        interrupted = OutboxMessage.objects.get(status=OutboxStatus.SENDING)
        assert interrupted.to_email == inbox.rcpts[2]
        assert OutboxMessage.objects.filter(status=OutboxStatus.QUEUED).count() == 3

        processes.append(_start_worker("second", environment, tmp_path, beat_schedule=tmp_path / "beat"))
        assert wait_for(lambda: _all_sent(6), timeout=30), (tmp_path / "second.log").read_text()
        time.sleep(1)  # room for a duplicate, if one were on its way
    finally:
        for process in processes:
            _stop(process)

    assert inbox.received_by() == {user.email: 1 for user in recipients}
    assert [a.outcome for a in interrupted.delivery_attempts.all()] == [AttemptOutcome.INTERRUPTED, AttemptOutcome.SENT]
    workers = [a.worker for a in interrupted.delivery_attempts.all()]
    assert workers[0].startswith("premier@") and workers[1].startswith("second@")
    for row in OutboxMessage.objects.exclude(pk=interrupted.pk):
        assert [a.outcome for a in row.delivery_attempts.all()] == [AttemptOutcome.SENT]
