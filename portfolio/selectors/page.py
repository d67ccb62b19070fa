"""Reads of one project's page: the project with what its header shows, its lead times, its
children per tab and its history — each a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from innovaction.history import Entry, timeline
from portfolio.choices import ProposalStatus, RiskStatus
from portfolio.models import (
    CommissionLetter,
    Document,
    Milestone,
    PhaseTransition,
    ProgressNote,
    Project,
    Risk,
    TransitionProposal,
)
from portfolio.permissions import get_project_for_user
from portfolio.selectors.projects import Thresholds, with_follow_up
from portfolio.workflow import LeadTimes


def _count(model, condition: Q | None = None) -> Coalesce:
    counted = (
        model.objects.filter(condition or Q(), project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def project_for_page(user, pk: int, action: str, limits: Thresholds):
    """The project (404 for an outsider, 403 for a reader asking to write) with the counts its
    tabs show and the flags of its header."""
    queryset = (
        with_follow_up(Project.objects.all(), limits)
        .select_related("theme", "district", "lead", "commission_letter", "commission_letter__created_by")
        .prefetch_related("team")
        .annotate(
            milestones_count=_count(Milestone),
            notes_count=_count(ProgressNote),
            open_risks=_count(Risk, Q(status=RiskStatus.OPEN)),
            documents_count=_count(Document),
        )
    )
    return get_project_for_user(user, pk, action, queryset)


def pending_proposal(project: Project) -> TransitionProposal | None:
    return project.proposals.filter(status=ProposalStatus.PENDING).select_related("proposed_by").order_by("-pk").first()


def last_decided_proposal(project: Project) -> TransitionProposal | None:
    return (
        project.proposals.exclude(status=ProposalStatus.PENDING)
        .select_related("proposed_by", "decided_by")
        .order_by("-decided_at", "-pk")
        .first()
    )


@dataclass
class PhaseLog:
    rows: list
    times: LeadTimes


def phase_log(project: Project, limits: Thresholds) -> PhaseLog:
    rows = list(project.transitions.select_related("created_by").order_by("effective_date", "pk"))
    return PhaseLog(rows=rows, times=LeadTimes.from_transitions(rows, as_of=limits.today))


def milestones_of(project: Project) -> QuerySet:
    return project.milestones.order_by("planned_date", "pk")


def upcoming_milestones_of(project: Project, count: int = 3) -> list:
    return list(project.milestones.filter(actual_date__isnull=True).order_by("planned_date", "pk")[:count])


def notes_of(project: Project) -> QuerySet:
    return project.notes.select_related("author").order_by("-date", "-pk")


def risks_of(project: Project) -> QuerySet:
    return project.risks.select_related("owner")


def documents_of(project: Project) -> QuerySet:
    return project.documents.select_related("uploaded_by")


def risk_matrix(risks) -> list[dict]:
    """The 4×4 probability × impact grid of open risks, highest probability first."""
    grid = {(p, i): [] for p in range(1, 5) for i in range(1, 5)}
    for risk in risks:
        if risk.status == RiskStatus.OPEN:
            grid[(risk.probability, risk.impact)].append(risk)
    return [
        {
            "probability": p,
            "cells": [{"impact": i, "risks": grid[(p, i)], "level": _level(p * i)} for i in range(1, 5)],
        }
        for p in range(4, 0, -1)
    ]


def _level(score: int) -> str:
    return "rouge" if score >= 9 else "orange" if score >= 4 else "vert"


def project_history(project: Project, *, limit: int = 300) -> list[Entry]:
    """Who changed what and when, on the project and everything that belongs to it."""
    return timeline(
        Project.history.filter(id=project.pk),
        CommissionLetter.history.filter(id=project.commission_letter_id),
        PhaseTransition.history.filter(project_id=project.pk),
        TransitionProposal.history.filter(project_id=project.pk),
        Milestone.history.filter(project_id=project.pk),
        ProgressNote.history.filter(project_id=project.pk),
        Risk.history.filter(project_id=project.pk),
        Document.history.filter(project_id=project.pk),
        limit=limit,
    )
