"""Fixtures shared by the whole suite: users per role, real services (Redis, Celery worker,
SMTP on loopback) and a Chromium browser. A test that needs a service fails when it is
missing; nothing is skipped."""

import copy
import gc
import io
import itertools
import os
import socket
from contextlib import contextmanager
from email import message_from_bytes, policy

import psycopg
import pytest
import redis
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from pytest_django.live_server_helper import LiveServer

from innovaction.celery import app as celery_app
from innovaction.middleware import SlidingSessionMiddleware
from innovaction.roles import Role
from tests import parallel, snapshot, vacuum
from tests.innovaction.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# under an event loop unless told that this thread is not serving async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS_DIR = settings.BASE_DIR / "var" / "test-artifacts"
# Debian's headless build of Chromium (the same Blink as /usr/bin/chromium, without the desktop
# browser around it): a third less CPU for the same pages, which counts on a 2-core machine.
CHROMIUM = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config):
    """The test processes make millions of short-lived objects (requests, querysets, template
    contexts); collecting cycles every 100,000 allocations instead of every 700, and never
    scanning the modules loaded at start-up, takes ~5 % off their CPU time."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


# Tests that run long, or mostly wait on other processes (Chromium, Celery workers, a backup),
# longest first. pytest-xdist (`--dist worksteal`) gives each test process an equal run of
# consecutive tests and lets an idle one take the end of another's: each run starts with its
# turn of these, so that they overlap the short tests instead of ending the suite alone. The
# demo's own test comes first: it seeds the demo snapshot that the browser tests restore.
LONG_FIRST = (
    "tests/portfolio/test_demo.py",
    "tests/assurance/test_access_matrix.py",
    "tests/e2e/test_accessibility.py",
    "tests/e2e/",
    "tests/scorecard/test_report_delivery.py",
    "tests/innovaction/test_outbox_worker.py",
    "tests/scorecard/test_workers.py",
    "tests/innovaction/test_maintenance.py",
    "tests/assurance/test_fuzz_forms.py",
)


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        return next((i for i, prefix in enumerate(LONG_FIRST) if item.nodeid.startswith(prefix)), len(LONG_FIRST))

    processes = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    long = sorted((item for item in items if rank(item) < len(LONG_FIRST)), key=rank)
    rest = iter(item for item in items if rank(item) == len(LONG_FIRST))
    ordered, left = [], len(items)
    for process in range(processes):
        share = left // (processes - process)  # as worksteal divides the tests
        left -= share
        own = long[process::processes]
        ordered += own + list(itertools.islice(rest, max(share - len(own), 0)))
    ordered += list(rest)
    items[:] = ordered


def pytest_sessionstart(session):
    """Say at once, and clearly, when a configured service is not answering."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        try:
            psycopg.connect(
                dbname="postgres",
                user=database["USER"],
                password=database["PASSWORD"],
                host=database["HOST"],
                port=database["PORT"] or 5432,
                connect_timeout=3,
            ).close()
        except psycopg.OperationalError as error:
            raise pytest.UsageError(
                f"PostgreSQL ne répond pas sur {database['HOST']}:{database['PORT'] or 5432} ({error}). "
                "Démarrez-le : pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
            ) from error
    url = os.environ.get("REDIS_URL")
    if url:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            raise pytest.UsageError(
                f"Redis ne répond pas sur {url} ({error}). Démarrez-le : redis-server --daemonize yes"
            ) from error


# A fast hasher: what is tested is who may log in, not PBKDF2's cost.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Every test starts with Celery running tasks in-process and an empty cache; tests that
# need the real broker ask for `celery_worker`.
@pytest.fixture(autouse=True)
def _eager_celery_and_clean_cache(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()  # a new LocMemCache still shares the process-wide store of the previous test
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("Ce test a besoin de Redis : lancez-le avec REDIS_URL défini (make test le fait).")
    return url


@pytest.fixture
def celery_worker(redis_url, transactional_db):
    """A real Celery worker thread consuming from Redis, running the project's tasks."""
    celery_app.conf.update(
        task_always_eager=False, broker_url=redis_url, result_backend=redis_url, broker_connection_retry=True
    )
    redis.Redis.from_url(redis_url).delete("celery")  # nothing left over from an earlier run
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker


class _Inbox:
    """Collects the messages the loopback SMTP server accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "message": message})
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def loopback_smtp():
    """A real SMTP server on loopback: its inbox, and the MAILERS setting that points at it."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.controller = controller
    try:
        yield (
            inbox,
            {
                "default": {
                    "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                    "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
                }
            },
        )
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; the application's mailer points at it."""
    with loopback_smtp() as (inbox, mailers):
        settings.MAILERS = mailers
        yield inbox


# Databases ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings, tmp_path_factory
):
    """pytest-django's, except that the processes of one xdist run on PostgreSQL migrate one test
    database between them and copy it (tests/parallel.py) instead of migrating one each, that
    a transactional test's database is emptied with DELETE (tests/snapshot.py), and that the
    dead rows the tests leave are vacuumed between two tests (tests/vacuum.py)."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose

    def migrate() -> list:
        # No test uses serialized_rollback: nothing to serialize after migrating.
        return setup_databases(verbosity=verbosity, interactive=False, serialized_aliases=set())

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    template = None
    with django_db_blocker.unblock():
        if run and connection.vendor == "postgresql":
            marker = tmp_path_factory.getbasetemp().parent / f"database-{run}"
            config, template = parallel.clone_or_migrate(marker, migrate)
        else:
            config = migrate()
    postgresql = connection.vendor == "postgresql"
    put_truncate_back = snapshot.flush_by_delete() if postgresql else None
    between_tests = vacuum.BetweenTests(django_db_blocker) if postgresql else None
    if between_tests:
        request.config.pluginmanager.register(between_tests, "vacuum")
    yield
    if between_tests:
        between_tests.active = False  # the hook may still be called for the test that ends the session
        request.config.pluginmanager.unregister(between_tests)
    if put_truncate_back:
        put_truncate_back()
    with django_db_blocker.unblock():
        parallel.disconnect_others()
        teardown_databases(config, verbosity=verbosity)
        if template:
            parallel.drop_database(template)


# The demo ---------------------------------------------------------------------------------------


@contextmanager
def rolled_back(django_db_blocker, **changed_settings):
    """Writes to the test database outside any test, jobs run in-process, undone at the end: how
    the data a snapshot copies is made."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(PASSWORD_HASHERS=FAST_HASHERS, **changed_settings),
            transaction.atomic(),
        ):
            yield
            transaction.set_rollback(True)
    finally:
        celery_app.conf.task_always_eager = eager


def made_once(django_db_blocker, make, media_root=None):
    """`make()`'s objects, made in a transaction rolled back, with a snapshot of what it wrote (rows,
    and files under `media_root`): for a session fixture whose tests then start from `restored`
    instead of making the objects again. None on SQLite (no snapshot)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with rolled_back(django_db_blocker, **({"MEDIA_ROOT": media_root} if media_root else {})):
        made = make()
        return snapshot.take(media_root=media_root), made


def restore_first(taken: snapshot.Snapshot, media_root=None, *, fixture: str) -> None:
    """Restore a snapshot at the start of a test. It replaces the whole database: rows another
    fixture wrote before would vanish without a word, so that is refused, naming `fixture`."""
    from innovaction.models import User

    if User.objects.exists():
        pytest.fail(f"La fixture `{fixture}` remplace toute la base : demandez-la avant celles qui écrivent.")
    snapshot.restore(taken, media_root=media_root)


def restored(once, make, media_root=None, *, fixture: str):
    """A test's own copy of `made_once`'s objects, their snapshot restored (`restore_first`, files
    under `media_root` put back); `make()` itself where there is no snapshot."""
    if once is None:
        return make()
    taken, made = once
    restore_first(taken, media_root, fixture=fixture)
    return copy.deepcopy(made)  # a test may change its objects; the next starts afresh


def once_per_run(name: str, make, tmp_path_factory) -> snapshot.Snapshot:
    """`make()`'s snapshot, made by the first process of the run that asks for it."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")  # the processes of one xdist run share it
    if not run:
        return make()
    return snapshot.shared(tmp_path_factory.getbasetemp().parent / f"{name}-{run}.pickle", make)


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """What one real `seed_demo` writes, seeded once per run (in a transaction rolled back);
    None on SQLite, where each test seeds the demo itself."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None

    def seed() -> snapshot.Snapshot:
        with rolled_back(django_db_blocker):
            call_command("seed_demo", stdout=io.StringIO())
            return snapshot.take()

    return once_per_run("demo", seed, tmp_path_factory)


@pytest.fixture
def demo_data(db, _demo_snapshot):
    """The demo data, as `make run` shows it, restored in about a second (tests/snapshot.py).
    It replaces whatever the database held: ask for it before any fixture that writes."""
    if _demo_snapshot is None:
        call_command("seed_demo", stdout=io.StringIO())
    else:
        restore_first(_demo_snapshot, fixture="demo_data")


# Users ---------------------------------------------------------------------------------------


@pytest.fixture
def make_user(db):
    def make(*roles: Role, **fields):
        return UserFactory(roles=list(roles), **fields)

    return make


# The people of the tests, one per role and a second lead: their role and first name.
PEOPLE = {
    "lead": (Role.LEAD, "Nadia"),
    "other_lead": (Role.LEAD, "Olivier"),
    "cabinet": (Role.CABINET, "Julien"),
    "elected": (Role.ELECTED, "Marie"),
    "director": (Role.DIRECTOR, "Claire"),
    "admin": (Role.ADMIN, "Alex"),
}


def make_person(key: str):
    role, first_name = PEOPLE[key]
    return UserFactory(roles=[role], first_name=first_name)


@pytest.fixture
def admin_user(db):
    return make_person("admin")


@pytest.fixture
def director(db):
    return make_person("director")


@pytest.fixture
def lead(db):
    return make_person("lead")


@pytest.fixture
def other_lead(db):
    return make_person("other_lead")


@pytest.fixture
def cabinet(db):
    return make_person("cabinet")


@pytest.fixture
def elected(db):
    return make_person("elected")


@pytest.fixture
def client_for(db):
    """`client_for(user)` → a test client logged in as `user` (fresh session each call)."""

    def login(user):
        c = Client()
        c.force_login(user)
        return c

    return login


@pytest.fixture
def without_session_refresh(monkeypatch):
    """For counting a page's queries: the session's once-a-minute refresh (three queries, see
    SlidingSessionMiddleware) is left out, so that a test which crosses a minute counts the
    same. Its own cost is checked in tests/innovaction/test_access.py."""
    monkeypatch.setattr(SlidingSessionMiddleware, "EVERY", float("inf"))


# Browser ---------------------------------------------------------------------------------------


class _CachedStaticFiles(StaticFilesHandler):
    """Static files with a lifetime, as WhiteNoise serves them in production: the browser keeps
    the stylesheets, scripts and fonts instead of asking for them again on every page."""

    def serve(self, request):
        response = super().serve(request)
        response.headers["Cache-Control"] = "max-age=3600"
        return response


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, with cacheable static files."""
    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(address, start=False)
    server.thread.static_handler = _CachedStaticFiles
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def artifacts_dir():
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR
