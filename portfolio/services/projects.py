"""Projects and their commission letters: registration by the director, edits, the lead's
notification e-mail."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from innovaction.concurrency import claim_version
from innovaction.models import Organisation, User
from innovaction.uploads import PDF_ONLY
from portfolio import workflow
from portfolio.choices import Phase
from portfolio.models import CommissionLetter, Project
from portfolio.selectors.projects import next_free_code
from portfolio.services.files import delete_after_commit, stored_upload

LETTER_FIELDS = ("date", "issuer", "issuer_name", "object", "expected_results", "deadline", "budget_envelope")
# What the letter's edit form may change: its date opened the transition log and stays.
LETTER_EDITABLE = tuple(name for name in LETTER_FIELDS if name != "date")
PROJECT_FIELDS = (
    "code",
    "title",
    "description",
    "theme",
    "district",
    "lead",
    "sponsor",
    "confidential",
    "expected_effects",
    "total_cost",
    "city_contribution",
    "evaluation",
)


def _check_budget(project: Project) -> None:
    if (project.city_contribution or Decimal(0)) > (project.total_cost or Decimal(0)):
        raise ValidationError({"city_contribution": _("La part ville ne peut pas dépasser le coût total du projet.")})


def _save_project(
    project: Project, *, team: Iterable[User] | None, created: bool, by: User, fields: Iterable[str] | None = None
) -> None:
    """Save the project and its team as one change: one history row, team included."""
    project._history_user = by
    project.skip_history_when_saving = True
    try:
        project.save(update_fields=None if fields is None else [*fields, "version", "updated_at"])
        if team is not None:
            project.team.set(team)
    finally:
        del project.skip_history_when_saving
    Project.history_records.create_historical_record(project, "+" if created else "~")


def _notify_lead_on_commit(project: Project) -> None:
    from portfolio.tasks import notify_project_lead

    transaction.on_commit(partial(notify_project_lead.delay, project.pk, project.lead_id))


@transaction.atomic
def project_register(
    *,
    by: User,
    letter: dict[str, Any],
    project: dict[str, Any],
    team: Iterable[User] = (),
    signed_pdf,
) -> Project:
    """Register a commission letter with its signed PDF and open the project it orders.

    `letter` holds LETTER_FIELDS, `project` PROJECT_FIELDS (an empty code takes the next free
    code of the letter's year). The lead is told by e-mail once the registration commits."""
    unknown = (set(letter) - set(LETTER_FIELDS)) | (set(project) - set(PROJECT_FIELDS))
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    letter_date: datetime.date = letter["date"]
    if letter_date > timezone.localdate():
        raise ValidationError({"date": _("La lettre de commande ne peut pas être datée dans le futur.")})
    with stored_upload(signed_pdf, folder="lettres", field="signed_pdf", allowed=PDF_ONLY) as (name, checked):
        record = CommissionLetter(**letter, created_by=by)
        record.signed_pdf.name = name
        record.signed_pdf_name = checked.original_name
        record.full_clean()
        record._history_user = by
        record.save()

        values = dict(project)
        values["code"] = (values.get("code") or "").strip() or next_free_code(letter_date.year)
        new = Project(**values, commission_letter=record, phase=Phase.COMMANDE, phase_since=letter_date)
        new.full_clean()
        _check_budget(new)
        try:
            with transaction.atomic():
                _save_project(new, team=list(team), created=True, by=by)
        except IntegrityError as error:  # another registration took the code meanwhile
            raise ValidationError({"code": _("Ce code vient d'être attribué à un autre projet.")}) from error
        workflow.record_opening(new, by=by)
    _notify_lead_on_commit(new)
    return new


@transaction.atomic
def project_update(
    *,
    project: Project,
    by: User,
    changes: dict[str, Any],
    team: Iterable[User] | None = None,
    expected_version: int | None,
) -> Project:
    """Edit a project's description, budget, team… (`changes` ⊂ PROJECT_FIELDS). A stale form
    is refused by `claim_version`; a new lead is told by e-mail."""
    unknown = set(changes) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    claim_version(project, expected_version)
    # The row is locked now: read again what the workflow and the notes keep, so the history
    # row records them as they are, and note who led the project before this edit.
    project.refresh_from_db(fields=["lead", "phase", "phase_since", "weather", "last_note_on"])
    previous_lead = project.lead_id
    for name, value in changes.items():
        setattr(project, name, value)
    project.full_clean(exclude=["commission_letter"])
    _check_budget(project)
    _save_project(project, team=None if team is None else list(team), created=False, by=by, fields=changes)
    if project.lead_id != previous_lead:
        _notify_lead_on_commit(project)
    return project


@transaction.atomic
def commission_letter_update(
    *,
    letter: CommissionLetter,
    by: User,
    changes: dict[str, Any],
    signed_pdf=None,
    expected_version: int | None,
) -> CommissionLetter:
    """Correct a commission letter or replace its signed PDF (its date stays: it opened the
    project's log)."""
    unknown = set(changes) - set(LETTER_EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    claim_version(letter, expected_version)
    for name, value in changes.items():
        setattr(letter, name, value)
    letter._history_user = by
    if signed_pdf is None:
        letter.full_clean()
        letter.save()
        return letter
    old_name = letter.signed_pdf.name
    with stored_upload(signed_pdf, folder="lettres", field="signed_pdf", allowed=PDF_ONLY) as (name, checked):
        letter.signed_pdf.name = name
        letter.signed_pdf_name = checked.original_name
        letter.full_clean()
        letter.save()
    delete_after_commit(old_name)
    return letter


def project_lead_notify(*, project: Project, lead: User) -> None:
    """Tell `lead` the project is theirs: what it is, its deadline, where to follow it."""
    context = {
        "project": project,
        "letter": project.commission_letter,
        "lead": lead,
        "organisation": Organisation.current(),
        "url": settings.SITE_URL.rstrip("/") + project.get_absolute_url(),
    }
    subject = _("Nouveau projet à piloter : %(code)s — %(title)s") % {"code": project.code, "title": project.title}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("portfolio/email/lead_assigned.txt", context),
        to=[lead.email],
    )
    message.attach_alternative(render_to_string("portfolio/email/lead_assigned.html", context), "text/html")
    message.send()
