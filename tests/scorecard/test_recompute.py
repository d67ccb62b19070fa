import io
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from scorecard import services
from scorecard.choices import Source, Status
from scorecard.models import Measurement
from scorecard.periods import Period
from tests.scorecard.datasets import APRIL, EMPTY, MARCH, D, make_project
from tests.scorecard.factories import IndicatorFactory, TargetFactory

MARCH_2025, APRIL_2025 = Period(2025, 3), Period(2025, 4)


def snapshot():
    """Every measurement row, everything about it that a recompute could change."""
    return sorted(
        Measurement.objects.values_list(
            "pk", "indicator__code", "period", "value", "status", "target", "revision", "is_current", "origin"
        )
    )


def current_values(period):
    return dict(
        Measurement.objects.filter(period=period.start, is_current=True).values_list("indicator__code", "value")
    )


def test_recompute_writes_one_current_row_per_indicator_with_its_status(city, indicators):
    outcome = services.recompute_period(period=MARCH_2025)
    assert (outcome.created, outcome.updated, outcome.locked) == (11, 0, False)
    assert current_values(MARCH_2025) == MARCH
    statuses = dict(Measurement.objects.filter(period=MARCH_2025.start).values_list("indicator__code", "status"))
    # Targets of TARGETS_2025, tolerance 10 %: leverage 2.50 vs 5 (orange from 4.5) → rouge;
    # co-financing 600 000 ≥ 500 000 → vert; 4 active files = target → vert; median 123 days vs
    # 120 (down, orange up to 132) → orange; alert 50 % vs 10 % → rouge; 3 members = 3 → vert.
    assert statuses == {
        "FIN-LEVIER": Status.ROUGE,
        "FIN-COFI": Status.VERT,
        "PROC-FILE-ACTIVE": Status.VERT,
        "PROC-DELAI-INSTRUCTION": Status.ORANGE,
        "PROC-ALERTE": Status.ROUGE,
        "USA-PARTENAIRES": Status.VERT,
        "FIN-PORTEFEUILLE": "",
        "PROC-JALONS": "",
        "PROC-LIVRES": "",
        "USA-NOUVEAUX": "",
        "USA-INTERACTIONS": "",
    }
    assert Measurement.objects.get(indicator__code="FIN-LEVIER", period=MARCH_2025.start).target == Decimal("5")


def test_recompute_twice_gives_identical_rows_and_no_new_history(city, indicators):
    services.recompute_period(period=MARCH_2025)
    services.recompute_period(period=APRIL_2025)
    before, history = snapshot(), Measurement.history.count()
    again = services.recompute_period(period=MARCH_2025)
    services.recompute_period(period=APRIL_2025)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 11)
    assert snapshot() == before
    assert Measurement.history.count() == history
    assert current_values(APRIL_2025) == APRIL


def test_a_changed_target_changes_the_colour_at_the_next_recompute(city, indicators):
    services.recompute_period(period=MARCH_2025)
    services.target_set(indicator=indicators["FIN-LEVIER"], year=2025, value=Decimal("2.5"))
    assert Measurement.objects.get(indicator__code="FIN-LEVIER", period=MARCH_2025.start).status == Status.ROUGE
    outcome = services.recompute_period(period=MARCH_2025)
    assert outcome.updated == 1
    row = Measurement.objects.get(indicator__code="FIN-LEVIER", period=MARCH_2025.start)
    assert (row.status, row.target, row.revision) == (Status.VERT, Decimal("2.5"), 1)


def test_data_that_changes_is_followed_until_the_month_is_locked(city, indicators, director):
    services.recompute_period(period=MARCH_2025)
    make_project(D(2025, 3, 20), total="10.00", city="0.00", code="P-NEW")  # a fifth active file
    assert services.recompute_period(period=MARCH_2025).updated >= 1
    assert current_values(MARCH_2025)["PROC-FILE-ACTIVE"] == 5

    services.period_lock(period=MARCH_2025, by=director)
    services.period_lock(period=MARCH_2025, by=director)  # idempotent
    frozen = snapshot()
    make_project(D(2025, 3, 21), total="10.00", city="0.00", code="P-LATE")
    assert services.recompute_period(period=MARCH_2025).locked
    assert snapshot() == frozen


def test_a_correction_of_a_locked_month_is_a_new_revision(city, indicators, director):
    services.recompute_period(period=MARCH_2025)
    services.period_lock(period=MARCH_2025, by=director)
    make_project(D(2025, 3, 20), total="10.00", city="0.00", code="P-OUBLI")
    revised = services.measurement_revise_computed(
        indicator=indicators["PROC-FILE-ACTIVE"], period=MARCH_2025, comment="Projet saisi en retard", by=director
    )
    rows = list(
        Measurement.objects.filter(indicator__code="PROC-FILE-ACTIVE", period=MARCH_2025.start).order_by("revision")
    )
    assert [(r.revision, r.value, r.is_current) for r in rows] == [(1, 4, False), (2, 5, True)]
    assert revised.comment == "Projet saisi en retard" and revised.recorded_by == director
    with pytest.raises(ValidationError) as error:
        services.measurement_revise_computed(
            indicator=indicators["PROC-FILE-ACTIVE"], period=MARCH_2025, comment="encore", by=director
        )
    assert "rien à corriger" in str(error.value)


def test_an_empty_month_is_recomputed_like_any_other(indicators):
    services.recompute_period(period=Period(2010, 1))
    assert current_values(Period(2010, 1)) == EMPTY


def test_inactive_indicators_are_not_computed_and_manual_values_get_their_status(city, indicators, director):
    indicators["USA-INTERACTIONS"].is_active = False
    indicators["USA-INTERACTIONS"].save()
    qvt = IndicatorFactory(code="APP-QVT", source=Source.MANUAL, unit="score", max_value=10)
    services.measurement_record(indicator=qvt, period=MARCH_2025, value=Decimal("6.5"), by=director)
    assert Measurement.objects.get(indicator=qvt).status == ""
    TargetFactory(indicator=qvt, year=2025, value=Decimal("7"))
    services.recompute_period(period=MARCH_2025)
    manual = Measurement.objects.get(indicator=qvt)
    assert (manual.value, manual.status, manual.origin) == (Decimal("6.5"), Status.ORANGE, Source.MANUAL)
    assert "USA-INTERACTIONS" not in current_values(MARCH_2025)


@pytest.mark.django_db(transaction=True)
def test_two_recomputes_of_the_same_month_at_the_same_moment_write_the_same_rows():
    from tests.scorecard.conftest import make_registry_indicators
    from tests.scorecard.datasets import build_city

    build_city()
    make_registry_indicators()
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            services.recompute_period(period=MARCH_2025)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Measurement.objects.count() == 11
    assert current_values(MARCH_2025) == MARCH
    assert Measurement.history.count() == 11  # written once, by whichever came first


def test_nightly_run_recomputes_the_current_month_and_the_previous_one(indicators, director):
    with time_machine.travel("2025-05-01 02:30 +02:00", tick=False):
        outcomes = services.recompute_nightly()
    assert [str(o.period) for o in outcomes] == ["2025-04", "2025-05"]
    assert set(Measurement.objects.values_list("period", flat=True)) == {D(2025, 4, 1), D(2025, 5, 1)}
    services.period_lock(period=APRIL_2025, by=director)
    with time_machine.travel("2025-05-02 02:30 +02:00", tick=False):
        outcomes = services.recompute_nightly()
    assert [o.locked for o in outcomes] == [True, False]


def test_the_nightly_run_is_in_beats_schedule_at_half_past_two_paris_time():
    from celery.schedules import crontab
    from django.conf import settings

    from innovaction.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["scorecard-recompute-nightly"]
    assert entry["task"] == "scorecard.tasks.recompute_nightly"
    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(hour=2, minute=30)
    assert app.conf.beat_schedule["scorecard-recompute-nightly"]["task"] == entry["task"]
    assert app.conf.timezone == "Europe/Paris"
    # Due every night: from 23:00 the next run is at 02:30, three and a half hours later.
    schedule = entry["schedule"]
    schedule.app = app
    with time_machine.travel("2025-06-10 23:00 +02:00", tick=False):
        from django.utils import timezone

        last_run = timezone.localtime().replace(day=10, hour=2, minute=30)
        assert round(schedule.remaining_estimate(last_run).total_seconds()) == 3.5 * 3600


def test_the_command_recomputes_a_month_or_each_month_since(city, indicators):
    out = io.StringIO()
    call_command("recompute_kpis", "--period", "2025-03", stdout=out)
    assert "2025-03 : 11 créées, 0 mises à jour, 0 inchangées" in out.getvalue()
    with time_machine.travel("2025-04-15 12:00 +02:00", tick=False):
        out = io.StringIO()
        call_command("recompute_kpis", "--since", "2025-03", stdout=out)
    assert "2025-03 : 0 créées, 0 mises à jour, 11 inchangées" in out.getvalue()
    assert "2025-04 : 11 créées" in out.getvalue()
    assert current_values(APRIL_2025) == APRIL


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2025-13"], "n'est pas un mois valide"),
        (["--period", "mars"], "n'est pas un mois valide"),
        (["--period", "2999-01"], "pas encore commencé"),
    ],
)
def test_the_command_refuses_bad_months_clearly(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("recompute_kpis", *args, stdout=io.StringIO())


def test_a_job_from_the_pages_runs_in_process_without_a_broker(
    city, indicators, director, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel("2025-04-15 12:00 +02:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = services.recompute_job_create(first=MARCH_2025, last=APRIL_2025, by=director)
    job.refresh_from_db()
    assert (job.state, job.periods_done, job.periods_total, job.percent) == ("done", 2, 2, 100)
    assert current_values(MARCH_2025) == MARCH and current_values(APRIL_2025) == APRIL
    assert services.recompute_job_run(job_id=job.pk) is None  # a redelivered task does nothing


def test_recompute_runs_the_same_queries_whatever_the_data_size(indicators, django_assert_num_queries):
    from tests.scorecard.datasets import grow

    grow(2, "S")
    services.recompute_period(period=MARCH_2025)  # rows created; later runs update them
    grow(1, "T")
    # Lock, computation row, indicators, 13 indicator queries, targets, current rows, bulk
    # update and its history rows, the computation date saved, plus the savepoints.
    with django_assert_num_queries(24):
        assert services.recompute_period(period=MARCH_2025).updated > 0
    grow(30, "L")
    with django_assert_num_queries(24):
        assert services.recompute_period(period=MARCH_2025).updated > 0
