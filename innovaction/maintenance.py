"""Backups, restores and the retention purge (SPEC §8 "a backup and a tested restore procedure").

A backup is one `.tar.gz` holding the database dump (pg_dump custom format, or a consistent
SQLite copy), the uploaded files, and a manifest with each table's row count and each file's
SHA-256, so a restore checks what it restored.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that could not be completed; the message says why, in French."""


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} est introuvable : installez le client PostgreSQL (apt-get install postgresql-client)."
        )
    return path


def _pg_env_and_args() -> tuple[dict, list[str]]:
    database = connection.settings_dict
    env = os.environ | {"PGPASSWORD": database.get("PASSWORD") or ""}
    args = ["--dbname", database["NAME"], "--username", database.get("USER") or "postgres"]
    if database.get("HOST"):
        args += ["--host", database["HOST"]]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    return env, args


def table_counts() -> dict[str, int]:
    """Row count of every table of every installed model (history tables included)."""
    counts = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in existing and table not in counts:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (table names come from the models)
                counts[table] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _dump_database(target: Path) -> None:
    if _engine() == "postgresql":
        env, args = _pg_env_and_args()
        result = subprocess.run(  # noqa: S603 (fixed program, arguments from settings)
            [_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_dump a échoué : {result.stderr.strip()}")
    else:
        source = sqlite3.connect(connection.settings_dict["NAME"])
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()


def backup_create(*, directory: Path) -> Path:
    """Write `innovaction-<timestamp>.tar.gz` into `directory` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = directory / f"innovaction-{stamp}.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database.dump"
        # The counts and the dump describe the same state: both inside one snapshot.
        with transaction.atomic():
            if _engine() == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            counts = table_counts()
        _dump_database(dump)
        files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": _engine(),
            "tables": counts,
            "database_sha256": _sha256(dump),
            "media": {str(p.relative_to(media_root)): _sha256(p) for p in files},
        }
        with tarfile.open(archive, "w:gz") as tar:
            payload = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(payload)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(payload))
            tar.add(dump, arcname="database.dump")
            for path in files:
                tar.add(path, arcname=f"media/{path.relative_to(media_root)}")
    return archive


def _safe_members(tar: tarfile.TarFile):
    for member in tar.getmembers():
        if member.issym() or member.islnk() or member.name.startswith("/") or ".." in Path(member.name).parts:
            raise BackupError(f"Archive refusée : chemin suspect « {member.name} ».")
        yield member


def backup_restore(*, archive: Path) -> dict:
    """Replace the database and the uploaded files with those of `archive`; returns the
    manifest after checking the restored row counts and file checksums against it."""
    if not archive.is_file():
        raise BackupError(f"Archive introuvable : {archive}")
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(root, members=list(_safe_members(tar)), filter="data")
        except (tarfile.TarError, OSError) as error:
            raise BackupError(f"Archive illisible : {error}") from error
        manifest = json.loads((root / "manifest.json").read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError("Format d'archive inconnu.")
        if manifest["engine"] != _engine():
            raise BackupError(
                f"Cette archive vient d'une base {manifest['engine']} ; la base configurée est {_engine()}."
            )
        dump = root / "database.dump"
        if _sha256(dump) != manifest["database_sha256"]:
            raise BackupError("L'empreinte de la sauvegarde de la base ne correspond pas : archive abîmée.")
        for name, digest in manifest["media"].items():
            if _sha256(root / "media" / name) != digest:
                raise BackupError(f"Fichier abîmé dans l'archive : {name}")

        connection.close()
        if _engine() == "postgresql":
            env, args = _pg_env_and_args()
            result = subprocess.run(  # noqa: S603 (fixed program, arguments from settings)
                [
                    _program("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    *args,
                    str(dump),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise BackupError(f"pg_restore a échoué : {result.stderr.strip()}")
        else:
            shutil.copyfile(dump, connection.settings_dict["NAME"])

        media_root = Path(settings.MEDIA_ROOT)
        if media_root.exists():
            shutil.rmtree(media_root)
        media_root.mkdir(parents=True)
        if (root / "media").exists():
            shutil.copytree(root / "media", media_root, dirs_exist_ok=True)

    restored = table_counts()
    wrong = {t: (n, restored.get(t)) for t, n in manifest["tables"].items() if restored.get(t) != n}
    if wrong:
        raise BackupError(f"Restauration incomplète, lignes attendues / trouvées : {wrong}")
    for name, digest in manifest["media"].items():
        if _sha256(media_root / name) != digest:
            raise BackupError(f"Fichier restauré différent : {name}")
    return manifest


def history_models():
    """The simple-history tables (their many-to-many history rows go with them by cascade)."""
    return [model for model in apps.get_models() if any(f.name == "history_date" for f in model._meta.fields)]


def history_purge(*, before: datetime.datetime) -> dict[str, int]:
    """Delete history rows and login-attempt logs older than `before` (GDPR retention).

    Returns the number of rows deleted per table. The records themselves are untouched: only
    the trail of their past versions goes."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    deleted = {}
    with transaction.atomic():
        for model in history_models():
            count, _ = model.objects.filter(history_date__lt=before).delete()
            deleted[model._meta.db_table] = count
        for model, field in (
            (AccessAttempt, "attempt_time"),
            (AccessLog, "attempt_time"),
            (AccessFailureLog, "attempt_time"),
        ):
            count, _ = model.objects.filter(**{f"{field}__lt": before}).delete()
            deleted[model._meta.db_table] = count
    return deleted


def retention_cutoff(months: int | None = None) -> datetime.datetime:
    """The moment before which history is purged: now minus HISTORY_RETENTION_MONTHS."""
    return timezone.now() - relativedelta(months=months or settings.HISTORY_RETENTION_MONTHS)
