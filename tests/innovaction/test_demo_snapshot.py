"""The demo the tests restore (tests/snapshot.py) is the demo `seed_demo` writes: seeding again
over it finds every row in place, and new rows take fresh ids. Emptying the database between
transactional tests leaves no row behind and the foreign keys checked again."""

import io

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction

from innovaction.models import User
from portfolio.models import Project
from tests import snapshot
from tests.portfolio.factories import ProjectFactory


@pytest.mark.django_db
def test_seeding_over_the_restored_demo_changes_nothing(demo_data):
    counts = snapshot.row_counts()
    assert counts["portfolio_project"] == 96 and counts["partners_partner"] >= 200
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot.row_counts() == counts

    # The sequences came back with the rows: what a test adds does not collide with the demo.
    project = ProjectFactory(lead=User.objects.get(email="cheffe.projet@demo.innovaction.fr"))
    assert project.pk > max(Project.objects.exclude(pk=project.pk).values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_demo_refuses_to_replace_rows_a_test_wrote_before_it(make_user, request):
    make_user()
    with pytest.raises(pytest.fail.Exception, match="La fixture `demo_data` remplace toute la base"):
        request.getfixturevalue("demo_data")


@pytest.mark.django_db
def test_emptying_leaves_no_row_and_foreign_keys_checked_again(demo_data):
    tables = sorted(snapshot.row_counts())
    # What Django's flush runs after a transactional test (tests/conftest.py).
    assert connection.ops.sql_flush(no_style(), tables) == [snapshot.emptying_sql(tables)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(snapshot.emptying_sql(tables))
    assert set(snapshot.row_counts().values()) == {0}

    project = ProjectFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE portfolio_project SET lead_id = 999999 WHERE id = %s", [project.pk])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
