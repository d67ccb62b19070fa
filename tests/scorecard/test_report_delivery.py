"""The monthly report delivered by real workers on Redis to a real SMTP server on loopback:
exactly one copy per recipient, through an outage and through a worker killed mid-send."""

import hashlib
import signal
import time

import pytest
from django.core.files.storage import default_storage

from innovaction.outbox.choices import AttemptOutcome, OutboxStatus
from innovaction.outbox.models import OutboxMessage
from scorecard.reports.services import report_send
from tests.innovaction.conftest import fast_retries, smtp  # noqa: F401 (fixtures)
from tests.innovaction.test_outbox_worker import (  # noqa: F401 (clean_broker is a fixture)
    _start_worker,
    _stop,
    _worker_environment,
    clean_broker,
    wait_for,
)
from tests.scorecard.report_helpers import PERIOD, recipients, small_city

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _all_sent(count: int) -> bool:
    return OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == count


def _pdf_of(report) -> bytes:
    with default_storage.open(report.file.name) as file:
        return file.read()


def test_five_recipients_receive_the_report_exactly_once_even_if_sent_twice(smtp, celery_worker, media):  # noqa: F811
    inbox = smtp()
    small_city()
    people = recipients(5)

    report = report_send(period=PERIOD, by=None).report
    report_send(period=PERIOD, by=None)  # a retried beat task: the keys stop it

    assert wait_for(lambda: _all_sent(5)), list(OutboxMessage.objects.values_list("status", "last_error"))
    time.sleep(0.5)
    assert inbox.received_by() == {p.email: 1 for p in people}
    for delivered in inbox.messages:
        assert delivered["Subject"] == "Tableau de bord mensuel — mars 2025"
        (attachment,) = list(delivered.iter_attachments())
        assert attachment.get_filename() == "tableau-de-bord-2025-03.pdf"
        assert (
            hashlib.sha256(attachment.get_content()).hexdigest()
            == report.sha256
            == hashlib.sha256(_pdf_of(report)).hexdigest()
        )
        assert "Effet de levier" in delivered.get_body(("plain",)).get_content()
        assert "<h2" in delivered.get_body(("html",)).get_content()


def test_smtp_down_for_the_first_attempts_then_back_still_one_copy_each(smtp, celery_worker, media, fast_retries):  # noqa: F811
    inbox = smtp()
    port = inbox.controller.port
    inbox.controller.stop()
    small_city()
    people = recipients(5)
    report_send(period=PERIOD, by=None)

    def each_failed_once():
        return OutboxMessage.objects.filter(delivery_attempts__outcome=AttemptOutcome.RETRY).distinct().count() == 5

    assert wait_for(each_failed_once, timeout=15)
    smtp(inbox, port=port)
    assert wait_for(lambda: _all_sent(5), timeout=20)
    time.sleep(0.5)
    assert inbox.received_by() == {p.email: 1 for p in people}
    for message in OutboxMessage.objects.all():
        outcomes = [a.outcome for a in message.delivery_attempts.all()]
        assert outcomes[0] == AttemptOutcome.RETRY and outcomes[-1] == AttemptOutcome.SENT


def test_a_worker_killed_mid_send_then_restarted_sends_no_duplicate_and_misses_no_one(
    smtp,  # noqa: F811
    clean_broker,  # noqa: F811
    redis_url,
    media,
    tmp_path,
    settings,
):
    inbox = smtp(rcpt_delay=0.4)
    small_city()
    people = recipients(5)
    environment = _worker_environment(inbox.controller.port, redis_url) | {"MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    processes = [_start_worker("premier", environment, tmp_path)]
    try:
        report_send(period=PERIOD, by=None)
        assert wait_for(lambda: len(inbox.rcpts) == 3, timeout=40), (tmp_path / "premier.log").read_text()
        processes[0].send_signal(signal.SIGKILL)
        processes[0].wait()
        assert len(inbox.messages) == 2
        assert OutboxMessage.objects.filter(status=OutboxStatus.SENDING).count() == 1

        processes.append(_start_worker("second", environment, tmp_path, beat_schedule=tmp_path / "beat"))
        assert wait_for(lambda: _all_sent(5), timeout=40), (tmp_path / "second.log").read_text()
        time.sleep(1)
    finally:
        for process in processes:
            _stop(process)
    assert inbox.received_by() == {p.email: 1 for p in people}
    interrupted = [
        m
        for m in OutboxMessage.objects.all()
        if AttemptOutcome.INTERRUPTED in {a.outcome for a in m.delivery_attempts.all()}
    ]
    assert len(interrupted) == 1
