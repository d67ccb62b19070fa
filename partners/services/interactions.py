"""Interactions with partners: what a lead logs after a meeting, a call, a visit."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Interaction


def _check(interaction: Interaction, partners: list) -> None:
    errors: dict[str, str] = {}
    if not partners:
        errors["partners"] = _("Indiquez au moins un partenaire.")
    if interaction.date and interaction.date > timezone.localdate():
        errors["date"] = _("Un échange se note une fois qu'il a eu lieu : la date ne peut pas être dans le futur.")
    interaction.summary = interaction.summary.strip()
    try:
        interaction.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, " ".join(messages))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def interaction_log(
    *, author, date: datetime.date, kind: str, partners: list, summary: str, project=None
) -> Interaction:
    interaction = Interaction(date=date, kind=kind, project=project, author=author, summary=summary)
    return _save(interaction, partners)


@transaction.atomic
def interaction_update(
    *, interaction: Interaction, date: datetime.date, kind: str, partners: list, summary: str, project=None
) -> Interaction:
    interaction.date, interaction.kind, interaction.summary, interaction.project = date, kind, summary, project
    return _save(interaction, partners)


def _save(interaction: Interaction, partners: list) -> Interaction:
    partners = list(dict.fromkeys(partners))  # the same partner typed twice counts once
    _check(interaction, partners)
    interaction.save()
    interaction.partners.set(partners)
    return interaction


@transaction.atomic
def interaction_delete(*, interaction: Interaction) -> None:
    interaction.delete()
