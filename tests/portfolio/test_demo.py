"""The demo portfolio: ~96 projects, ≈194 M€, instruction times falling after 2014, the demo
lead's file waiting in arbitrage; weather kept by the note services; a second run adds nothing."""

from decimal import Decimal

import pytest

from portfolio import demo as portfolio_demo
from portfolio.choices import Phase
from portfolio.models import ProgressNote, Project
from portfolio.workflow import LeadTimes, median


@pytest.mark.django_db
def test_the_demo_tells_the_story_and_is_idempotent(demo_data):
    projects = list(Project.objects.select_related("commission_letter").prefetch_related("transitions", "notes"))
    assert len(projects) == 96
    total = sum((p.total_cost for p in projects), Decimal(0))
    assert Decimal("185e6") < total < Decimal("205e6")

    before, after = [], []
    for project in projects:
        days = LeadTimes.from_transitions(project.transitions.all()).instruction_days
        if days is not None:
            (before if project.commission_letter.date.year < 2014 else after).append(days)
    assert median(before) > 400 and median(after) < 120  # 431 and ≈107 days
    assert median(before) / median(after) > 3.5

    journey = Project.objects.filter(
        lead__email="cheffe.projet@demo.innovaction.fr", phase=Phase.ARBITRAGE, confidential=False
    )
    assert journey.exists()

    # The note services kept each project's weather on its latest note.
    for project in projects:
        latest = max(project.notes.all(), key=lambda note: (note.date, note.pk), default=None)
        assert (project.weather, project.last_note_on) == ((latest.weather, latest.date) if latest else ("", None))
    assert ProgressNote.history.exclude(history_user=None).count() == ProgressNote.objects.count()

    counts = (Project.objects.count(), ProgressNote.objects.count(), Project.history.count())
    portfolio_demo.seed()
    assert (Project.objects.count(), ProgressNote.objects.count(), Project.history.count()) == counts
