"""Reminders: the four kinds, one per object per week."""

import datetime

import pytest

from innovaction.outbox.models import OutboxMessage
from portfolio.choices import Phase
from scorecard.choices import Source
from scorecard.reminders import reminders_send
from tests.partners.factories import FundingLineFactory
from tests.portfolio.factories import MilestoneFactory
from tests.scorecard.datasets import make_project
from tests.scorecard.factories import IndicatorFactory

TODAY = datetime.date(2025, 4, 2)  # Wednesday, ISO week 2025-W14; March 2025 is not locked


@pytest.mark.django_db
def test_each_kind_is_reminded_once_a_week_to_the_person_who_answers_for_it(lead, director):
    indicator = IndicatorFactory(code="APP-QVT", source=Source.MANUAL, owner=director)
    project = make_project(
        datetime.date(2025, 1, 6), [(Phase.INSTRUCTION, datetime.date(2025, 1, 20))], total="1000.00", city="100.00"
    )
    project.lead = lead
    project.save(update_fields=["lead"])
    milestone = MilestoneFactory(project=project, planned_date=TODAY + datetime.timedelta(days=5), actual_date=None)
    line = FundingLineFactory(project=project, expires_on=TODAY + datetime.timedelta(days=20))
    MilestoneFactory(project=project, planned_date=TODAY + datetime.timedelta(days=12), actual_date=None)  # too far

    queued = reminders_send(today=TODAY)

    assert sorted(m.key for m in queued) == sorted(
        [
            f"reminder:manual:{indicator.pk}:2025-W14",
            f"reminder:stale:{project.pk}:2025-W14",
            f"reminder:funding:{line.pk}:2025-W14",
            f"reminder:milestone:{milestone.pk}:2025-W14",
        ]
    )
    by_kind = {m.key.split(":")[1]: m for m in queued}
    assert by_kind["manual"].user == director and "mars 2025" in by_kind["manual"].text_body
    assert by_kind["stale"].user == lead and by_kind["milestone"].user == lead
    assert "Mes notifications" in by_kind["funding"].text_body

    assert reminders_send(today=TODAY + datetime.timedelta(days=2)) == []  # same week
    assert len(reminders_send(today=TODAY + datetime.timedelta(days=7))) >= 2  # next week, again
    assert OutboxMessage.objects.filter(key__endswith="2025-W14").count() == 4
