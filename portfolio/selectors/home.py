"""What the home pages show of the portfolio: a lead's projects needing attention, the
director's decisions to take, late files and recent moves. A fixed number of queries each."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from portfolio.choices import ProposalStatus, Weather
from portfolio.models import Milestone, PhaseTransition, Project, TransitionProposal
from portfolio.selectors.projects import (
    Thresholds,
    attention_q,
    late_q,
    stale_q,
    visible_projects,
    with_follow_up,
)
from portfolio.workflow import OPEN_PHASES

SHOWN = 8


def projects_of(user) -> QuerySet:
    """The projects a user leads or works on."""
    team = Project.team.through.objects.filter(project_id=OuterRef("pk"), user_id=user.pk)
    return visible_projects(user).filter(Q(lead_id=user.pk) | Q(Exists(team)))


def lead_home(user, limits: Thresholds) -> dict:
    mine = with_follow_up(projects_of(user).filter(phase__in=OPEN_PHASES), limits)
    needs_attention = mine.filter(attention_q(limits)).order_by("weather_rank", "phase_since", "pk")
    horizon = limits.today + datetime.timedelta(days=30)
    upcoming = (
        Milestone.objects.filter(
            project__in=mine.values("pk"), actual_date__isnull=True, planned_date__range=(limits.today, horizon)
        )
        .select_related("project")
        .order_by("planned_date", "pk")
    )
    return {
        "open_count": mine.count(),
        "attention": list(needs_attention[:SHOWN]),
        "attention_count": needs_attention.count(),
        "upcoming": list(upcoming[:SHOWN]),
        "upcoming_count": upcoming.count(),
        "pending": list(
            TransitionProposal.objects.filter(project__in=mine.values("pk"), status=ProposalStatus.PENDING)
            .select_related("project")
            .order_by("proposed_at")
        ),
        "horizon": horizon,
    }


def director_home(user, limits: Thresholds) -> dict:
    visible = visible_projects(user)
    pending = (
        TransitionProposal.objects.filter(project__in=visible.values("pk"), status=ProposalStatus.PENDING)
        .select_related("project", "proposed_by")
        .order_by("proposed_at", "pk")
    )
    late = with_follow_up(visible.filter(late_q(limits)), limits).order_by("phase_since", "pk")
    since = limits.today - datetime.timedelta(days=30)
    moves = (
        PhaseTransition.objects.filter(project__in=visible.values("pk"), effective_date__gte=since)
        .exclude(from_phase="")
        .select_related("project", "created_by")
        .order_by("-effective_date", "-pk")
    )
    return {
        "pending": list(pending[:SHOWN]),
        "pending_count": pending.count(),
        "late": list(late[:SHOWN]),
        "late_count": late.count(),
        "moves": list(moves[:SHOWN]),
        "moves_count": moves.count(),
        "since": since,
        "stormy_count": visible.filter(phase__in=OPEN_PHASES, weather=Weather.ORAGE).count(),
        "stale_count": visible.filter(stale_q(limits)).count(),
    }
