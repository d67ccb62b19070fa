"""The monthly report: the demo month on paper, hostile text, archive, sending and locking,
the schedule, the pages and who may use them."""

import datetime
import hashlib
import http.server
import io
import re
import subprocess
import threading
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command

from innovaction.calendar import is_first_working_day
from innovaction.models import Organisation
from innovaction.outbox.models import OutboxMessage
from innovaction.pdf import StaticFilesFetcher
from innovaction.roles import Role
from scorecard.models import PeriodLock
from scorecard.periods import Period
from scorecard.reports.models import Report, ReportDelivery
from scorecard.reports.services import (
    delivery_resend,
    period_due_on,
    report_generate,
    report_render,
    report_send,
    report_send_scheduled,
    scheduled_send_at,
)
from tests.scorecard.report_helpers import PERIOD, compact, flat, pdftotext, recipients, small_city

STATIC_DIR = Path(django_settings.BASE_DIR) / "static"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# 1 and 5: the demo's last month, page by page, with the dashboard's headline values --------------


def _dashboard_headlines(client, period: Period) -> list[str]:
    html = client.get(f"/tableau-de-bord/?periode={period}").content.decode()
    tiles = re.findall(r'<span class="tile-value">(.*?)</span>', html)
    leverage = re.findall(r"1 € de la ville → (.*?) € de partenaires", html)
    return [flat(unescape(value)) for value in tiles + leverage]


@pytest.mark.django_db
def test_the_demo_month_renders_every_section_with_the_dashboard_figures(
    demo_data, client_for, tmp_path, artifacts_dir, media
):
    # Its rendering time is the benchmark's (bench/measures.py, `monthly_pdf`), not a test's.
    from innovaction.models import User

    period = Period.current().previous()
    headlines = _dashboard_headlines(client_for(User.objects.get(email="cabinet@demo.innovaction.fr")), period)
    assert len(headlines) == 5 and "—" not in headlines, headlines

    fetcher = StaticFilesFetcher()
    rendered = report_render(period=period, fetcher=fetcher)
    assert fetcher.refused == []

    pdf = rendered.pdf
    text = flat(pdftotext(pdf, tmp_path))
    for value in headlines:
        assert value in text, value
    pages = [flat(pdftotext(pdf, tmp_path, n)) for n in range(1, rendered.pages + 1)]
    assert "Tableau de bord mensuel" in pages[0] and period.label in pages[0]
    sections = [
        "Synthèse",
        "Finances",
        "Usagers & partenaires",
        "Processus internes",
        "Apprentissage, innovation & qualité de vie au travail",
        "Portefeuille de projets",
        "Cofinancements",
        "Annexe : projets actifs",
    ]
    header = Organisation.current().name  # the top of every page but the cover
    starts = [next(n for n, page in enumerate(pages) if page.startswith(f"{header} {section}")) for section in sections]
    assert starts == sorted(starts) and starts[0] == 1, starts  # each chapter opens a page, in order
    for number, page in enumerate(pages[1:], start=2):
        assert f"page {number} / {len(pages)}" in page
        assert f"Tableau de bord mensuel — {period.label}" in page

    (artifacts_dir / "rapport-demo.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(artifacts_dir / "rapport-demo.pdf"), str(artifacts_dir / "rapport-demo")],
        check=True,
    )


# 3: a hostile project title -------------------------------------------------------------------------


@pytest.fixture
def web_server():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.hits = hits
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.django_db
def test_a_hostile_project_title_is_printed_as_text_and_reads_no_file(tmp_path, web_server, client_for, media):
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text y="20">SECRET-7f3a</text></svg>')
    port = web_server.server_address[1]
    title = f'<img src="file:///etc/passwd"><img src="file://{secret}"><link rel=stylesheet href="http://127.0.0.1:{port}/x.css">'
    small_city(title=title)

    fetcher = StaticFilesFetcher()
    rendered = report_render(period=PERIOD, fetcher=fetcher)
    text = compact(pdftotext(rendered.pdf, tmp_path))

    assert compact(title) in text
    assert "root:" not in text and "SECRET-7f3a" not in text
    assert web_server.hits == []
    assert fetcher.refused == []  # escaped: the renderer was not even asked
    assert fetcher.served_paths and all(Path(p).is_relative_to(STATIC_DIR) for p in fetcher.served_paths)
    assert all("passwd" not in record.url and "secret" not in record.url for record in fetcher.requests)

    from tests.innovaction.factories import UserFactory

    page = client_for(UserFactory(roles=[Role.DIRECTOR])).get(f"/tableau-de-bord/rapports/{PERIOD}/lire/")
    assert page.status_code == 200
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in page.content.decode()


# Sending, archive, lock, resend -------------------------------------------------------------------


@pytest.mark.django_db
def test_sending_locks_the_month_archives_the_pdf_and_queues_one_mail_per_recipient(director, media):
    small_city()
    people = recipients(3)

    outcome = report_send(period=PERIOD, by=director)

    report = outcome.report
    assert PeriodLock.objects.filter(period=PERIOD.start).exists()
    with default_storage.open(report.file.name) as file:
        stored = file.read()
    assert hashlib.sha256(stored).hexdigest() == report.sha256 and stored.startswith(b"%PDF")
    assert report.sent_at and report.sent_by == director and report.pages >= 6
    messages = OutboxMessage.objects.order_by("to_email")
    assert [m.key for m in messages] == [f"report:2025-03:recipient:{p.pk}" for p in people]
    message = messages[0]
    assert message.subject == "Tableau de bord mensuel — mars 2025"
    assert "Bonjour Élu·e n° 1," in message.text_body and "Effet de levier :" in message.text_body
    assert [a.filename for a in message.attachments.all()] == ["tableau-de-bord-2025-03.pdf"]

    # Again (a retried task, a second click): nothing new, the PDF stays the one that left.
    again = report_send(period=PERIOD, by=director)
    assert (again.queued, again.already, again.generated) == (0, 3, False)
    assert OutboxMessage.objects.count() == 3 and Report.objects.get().sha256 == report.sha256
    with pytest.raises(ValidationError):
        report_generate(period=PERIOD, by=director)

    # A recipient added later gets it on the next send; nobody else gets a second copy.
    (late,) = recipients(1, start=4)
    assert report_send(period=PERIOD, by=director).queued == 1
    assert OutboxMessage.objects.filter(to_email=late.email).count() == 1 and OutboxMessage.objects.count() == 4

    delivery = ReportDelivery.objects.get(recipient=people[0])
    OutboxMessage.objects.filter(pk=delivery.message_id).update(
        status="sent", sent_at=datetime.datetime.now(datetime.UTC)
    )
    copy = delivery_resend(delivery=delivery, by=director)
    assert copy.resend_of_id == delivery.message_id and copy.requested_by == director
    assert copy.key == f"{delivery.message.key}:resend:1"


@pytest.mark.django_db
def test_the_running_month_cannot_be_issued_and_no_recipient_means_no_send(director, media):
    small_city()
    with pytest.raises(ValidationError, match="n'est pas terminé"):
        report_send(period=Period.current(), by=director)
    with pytest.raises(ValidationError, match="Aucun destinataire actif"):
        report_send(period=PERIOD, by=director)
    assert not PeriodLock.objects.exists() and not Report.objects.exists()


# 4: the schedule ---------------------------------------------------------------------------------


def _paris(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC).astimezone(datetime.timezone(datetime.timedelta(hours=1)))


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period(2026, 1), datetime.date(2026, 2, 2)),  # 1 February 2026 is a Sunday
        (Period(2026, 10), datetime.date(2026, 11, 2)),  # 1 November 2026: Sunday and All Saints'
        (Period(2026, 12), datetime.date(2027, 1, 4)),  # 1 January 2027 (Friday) is a holiday, then a weekend
        (Period(2025, 12), datetime.date(2026, 1, 2)),  # 1 January 2026 (Thursday) is a holiday
        (Period(2026, 4), datetime.date(2026, 5, 4)),  # 1 May 2026 (Friday) is a holiday
    ],
)
def test_the_report_is_sent_at_7_on_the_first_working_day_of_the_next_month(period, expected):
    when = scheduled_send_at(period)
    assert when.date() == expected and (when.hour, when.minute) == (7, 0)
    assert str(when.tzinfo) == "Europe/Paris"

    # What beat does: the crontab wakes the task at 07:00 on days 1 to 7; it acts once.
    schedule = django_settings.CELERY_BEAT_SCHEDULE["scorecard-monthly-report"]["schedule"]
    assert schedule.hour == {7} and schedule.minute == {0}
    first = expected.replace(day=1)
    woken = [first + datetime.timedelta(days=n) for n in range(31) if (n + 1) in schedule.day_of_month]
    assert [day for day in woken if period_due_on(day)] == [expected]
    assert period_due_on(expected) == period


@pytest.mark.django_db
def test_the_scheduled_run_sends_the_previous_month_on_its_day_only(media):
    small_city()
    people = recipients(2)
    assert report_send_scheduled(today=datetime.date(2025, 4, 1)) is not None  # Tuesday 1 April 2025
    assert {m.key for m in OutboxMessage.objects.all()} == {f"report:2025-03:recipient:{p.pk}" for p in people}
    assert Report.objects.get().generated_by is None
    assert report_send_scheduled(today=datetime.date(2025, 4, 2)) is None
    assert is_first_working_day(datetime.date(2025, 4, 1))


# The command --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_send_scorecard_dry_run_sends_and_locks_nothing_then_the_real_run_does(media, tmp_path):
    small_city()
    recipients(2)
    out = io.StringIO()
    call_command("send_scorecard", "--period", "2025-03", "--dry-run", "--output", str(tmp_path / "r.pdf"), stdout=out)
    assert "Essai à blanc" in out.getvalue() and "elu1@ville.test" in out.getvalue()
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert not PeriodLock.objects.exists() and not OutboxMessage.objects.exists() and not Report.objects.exists()

    call_command("send_scorecard", "--period", "2025-03", stdout=out)
    assert "2 e-mail(s) mis en file" in out.getvalue()
    assert PeriodLock.objects.count() == 1 and OutboxMessage.objects.count() == 2


# Pages and who may use them ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_archive_is_read_by_director_cabinet_and_elected_and_managed_by_the_director(
    client_for, director, cabinet, elected, lead, media
):
    small_city()
    recipients(1)
    report_generate(period=PERIOD, by=director)
    url = f"/tableau-de-bord/rapports/{PERIOD}/"

    # A draft: the director's only.
    draft = client_for(director).get(url + "pdf/")
    assert draft.status_code == 200 and b"".join(draft.streaming_content).startswith(b"%PDF")
    assert client_for(elected).get(url + "pdf/").status_code == 404
    report_send(period=PERIOD, by=director)

    for reader in (director, cabinet, elected):
        client = client_for(reader)
        assert "mars 2025" in client.get("/tableau-de-bord/rapports/").content.decode().lower()
        download = client.get(url + "pdf/")
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
        assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == Report.objects.get().sha256
        assert client.get(url + "lire/").status_code == 200
        assert client.get(url).status_code == 200
    assert client_for(lead).get("/tableau-de-bord/rapports/").status_code == 403
    for writer_page in ("/tableau-de-bord/rapports/destinataires/", url + "envoyer/"):
        assert client_for(cabinet).get(writer_page).status_code == 403
        assert client_for(elected).get(writer_page).status_code == 403
    assert client_for(elected).post(url + "generer/").status_code == 403

    page = client_for(director).get(url).content.decode()
    assert "Journal des envois" in page and "elu1@ville.test" in page
    assert "Journal des envois" not in client_for(cabinet).get(url).content.decode()


@pytest.mark.django_db
def test_the_director_manages_recipients_with_french_errors(client_for, director):
    client = client_for(director)
    response = client.post(
        "/tableau-de-bord/rapports/destinataires/nouveau/",
        {"name": "Marie Curie", "email": "marie@ville.test", "role": "elected", "is_active": "on"},
    )
    assert response.status_code == 302
    again = client.post(
        "/tableau-de-bord/rapports/destinataires/nouveau/",
        {"name": "Autre", "email": "MARIE@ville.test", "role": "elected", "is_active": "on"},
    )
    assert again.status_code == 200 and "Cette adresse reçoit déjà le rapport." in again.content.decode()
    assert 'value="Autre"' in again.content.decode()  # the input is kept
