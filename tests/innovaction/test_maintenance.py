"""Backup → restore into a fresh database finds the same rows and files; retention purge."""

import datetime
import io
import os
import subprocess
import sys
from decimal import Decimal

import psycopg
import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from innovaction import env
from innovaction.maintenance import table_counts
from portfolio.choices import DocumentKind
from portfolio.models import Document, Project
from tests.portfolio.factories import ProjectFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _fresh_database(name: str) -> str:
    params = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=params["USER"],
        host=params["HOST"],
        port=params["PORT"] or 5432,
        password=params["PASSWORD"],
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return env.postgres_url(params, name)


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_the_same_rows_and_files(media, tmp_path, lead):
    assert connection.vendor == "postgresql", "the restore procedure is proven on PostgreSQL"
    project = ProjectFactory(title="Halle Saint-Nicolas", total_cost=Decimal("1234567.89"), lead=lead)
    document = Document(
        project=project,
        kind=DocumentKind.CONVENTION,
        title="Convention",
        original_name="c.pdf",
        mime_type="application/pdf",
        size=len(PDF),
        sha256="x",
        uploaded_by=lead,
    )
    document.file.save("documents/2026/11/abc.pdf", ContentFile(PDF))
    before = table_counts()

    call_command("backup", output=tmp_path / "backups", stdout=io.StringIO())
    archive = next((tmp_path / "backups").glob("innovaction-*.tar.gz"))

    target_url = _fresh_database("innovaction_restore_check")
    target_media = tmp_path / "restored-media"
    environment = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}} | {
        "DATABASE_URL": target_url,
        "MEDIA_ROOT": str(target_media),
        "DJANGO_SETTINGS_MODULE": "innovaction.settings",
    }
    refused = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "--yes" in refused.stderr
    done = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), "--yes"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Restauration vérifiée" in done.stdout

    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json; django.setup();"
            "from innovaction.maintenance import table_counts; from portfolio.models import Project;"
            "p = Project.objects.get(title='Halle Saint-Nicolas');"
            "print(json.dumps({'counts': table_counts(), 'cost': str(p.total_cost)}))",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    import json

    restored = json.loads(check.stdout)
    assert restored["counts"] == before
    assert restored["cost"] == "1234567.89"
    assert (target_media / document.file.name).read_bytes() == PDF


def test_a_damaged_archive_is_refused(tmp_path):
    bogus = tmp_path / "innovaction-x.tar.gz"
    bogus.write_bytes(b"not a tarball")
    with pytest.raises(CommandError, match="Archive illisible"):
        call_command("restore", str(bogus), "--yes")


@pytest.mark.django_db
def test_retention_purge_removes_only_history_older_than_the_setting(settings, lead):
    settings.HISTORY_RETENTION_MONTHS = 12
    with time_machine.travel(timezone.now() - datetime.timedelta(days=500), tick=False):
        old = ProjectFactory(title="Ancien titre", lead=lead)
    old.title = "Nouveau titre"
    old.save()
    old_history = old.history.filter(history_date__lt=timezone.now() - datetime.timedelta(days=400)).count()
    assert old_history >= 1
    call_command("purge_history", stdout=io.StringIO())
    remaining = list(old.history.values_list("title", flat=True))
    assert remaining == ["Nouveau titre"]
    assert Project.objects.get(pk=old.pk).title == "Nouveau titre"


def test_the_purge_runs_monthly_from_beat():
    from celery.schedules import crontab

    entry = settings.CELERY_BEAT_SCHEDULE["history-purge-monthly"]
    assert entry["task"] == "innovaction.tasks.purge_old_history"
    assert entry["schedule"] == crontab(hour=3, minute=15, day_of_month=1)
