"""Follow-up of a project: milestones, progress notes (which set its weather) and risks.

Each create/update/delete writes one history row for the record it changes; an update goes
through `claim_version`, so a stale form is refused with who changed the record and when.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innovaction.concurrency import claim_version
from innovaction.models import User
from portfolio.models import Milestone, ProgressNote, Project, Risk

MILESTONE_FIELDS = ("title", "planned_date", "actual_date")
NOTE_FIELDS = ("date", "text", "weather")
RISK_FIELDS = ("description", "probability", "impact", "mitigation", "owner", "status")


def _not_in_future(day: datetime.date | None, field: str, message: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: message})


def _apply(instance, changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(instance, name, value)


def _save(instance, by: User) -> None:
    instance.full_clean()
    instance._history_user = by
    instance.save()


def _delete(instance, by: User) -> None:
    instance._history_user = by
    instance.delete()


# Milestones -------------------------------------------------------------------------------------


def _check_milestone(milestone: Milestone) -> None:
    _not_in_future(
        milestone.actual_date,
        "actual_date",
        _("La date réelle ne peut pas être dans le futur : le jalon n'est pas atteint."),
    )


@transaction.atomic
def milestone_create(*, project: Project, by: User, data: dict[str, Any]) -> Milestone:
    milestone = Milestone(project=project)
    _apply(milestone, data, MILESTONE_FIELDS)
    _check_milestone(milestone)
    _save(milestone, by)
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, by: User, changes: dict[str, Any], expected_version: int | None
) -> Milestone:
    claim_version(milestone, expected_version)
    _apply(milestone, changes, MILESTONE_FIELDS)
    _check_milestone(milestone)
    _save(milestone, by)
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, by: User) -> None:
    _delete(milestone, by)


# Progress notes and the project's weather -------------------------------------------------------


def _sync_weather(project: Project, by: User) -> None:
    """The latest note (by date, then entry) sets the project's weather and last note date."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    latest = project.notes.order_by("-date", "-pk").first()
    weather, last = (latest.weather, latest.date) if latest else ("", None)
    if (project.weather, project.last_note_on) == (weather, last):
        return
    project.weather, project.last_note_on = weather, last
    project._history_user = by
    project.save(update_fields=["weather", "last_note_on", "updated_at"])


def _check_note(note: ProgressNote) -> None:
    _not_in_future(note.date, "date", _("Un point d'avancement ne peut pas être daté dans le futur."))
    letter_date = note.project.commission_letter.date
    if note.date and note.date < letter_date:
        raise ValidationError(
            {
                "date": _("Un point d'avancement ne peut pas précéder la lettre de commande (%(date)s).")
                % {"date": letter_date.strftime("%d/%m/%Y")}
            }
        )


@transaction.atomic
def progress_note_add(*, project: Project, by: User, data: dict[str, Any]) -> ProgressNote:
    note = ProgressNote(project=project, author=by)
    _apply(note, data, NOTE_FIELDS)
    _check_note(note)
    _save(note, by)
    _sync_weather(project, by)
    return note


@transaction.atomic
def progress_note_update(
    *, note: ProgressNote, by: User, changes: dict[str, Any], expected_version: int | None
) -> ProgressNote:
    claim_version(note, expected_version)
    _apply(note, changes, NOTE_FIELDS)
    _check_note(note)
    _save(note, by)
    _sync_weather(note.project, by)
    return note


@transaction.atomic
def progress_note_delete(*, note: ProgressNote, by: User) -> None:
    project = note.project
    _delete(note, by)
    _sync_weather(project, by)


# Risks ------------------------------------------------------------------------------------------


@transaction.atomic
def risk_create(*, project: Project, by: User, data: dict[str, Any]) -> Risk:
    risk = Risk(project=project)
    _apply(risk, data, RISK_FIELDS)
    _save(risk, by)
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, by: User, changes: dict[str, Any], expected_version: int | None) -> Risk:
    claim_version(risk, expected_version)
    _apply(risk, changes, RISK_FIELDS)
    _save(risk, by)
    return risk


@transaction.atomic
def risk_delete(*, risk: Risk, by: User) -> None:
    _delete(risk, by)
