"""Reads of the portfolio. Views and other apps go through these, never build querysets."""

import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from portfolio.choices import ACTIVE_PHASES, Phase
from portfolio.models import PhaseTransition


def with_phase_on(projects: QuerySet, day: datetime.date) -> QuerySet:
    """Annotate `phase_on`: each project's phase at the end of `day`, from the transition log
    (None for a project whose commission letter is later)."""
    latest = (
        PhaseTransition.objects.filter(project=OuterRef("pk"), effective_date__lte=day)
        .order_by("-effective_date", "-pk")
        .values("to_phase")[:1]
    )
    return projects.annotate(phase_on=Subquery(latest))


def existing_on(projects: QuerySet, day: datetime.date) -> QuerySet:
    """Projects that exist at the end of `day`: a project exists from its commission letter."""
    return projects.filter(commission_letter__date__lte=day)


def active_on(projects: QuerySet, day: datetime.date) -> QuerySet:
    """Projects active at the end of `day` (SPEC §5.2): commande … realisation per the log."""
    return with_phase_on(existing_on(projects, day), day).filter(phase_on__in=ACTIVE_PHASES)


def not_abandoned_on(projects: QuerySet, day: datetime.date) -> QuerySet:
    return with_phase_on(existing_on(projects, day), day).exclude(phase_on=Phase.ABANDONNE)
