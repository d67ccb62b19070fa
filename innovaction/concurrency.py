"""Optimistic locking: the second save of a stale form is refused, naming who changed the
record and when; the form keeps the user's input (SPEC §3.3, "Concurrent edits")."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _


class Versioned(models.Model):
    """A record edited through forms; `version` grows by one at each saved edit."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def _last_change(instance) -> tuple[str, str]:
    record = instance.history.order_by("-history_date").select_related("history_user").first()
    if record is None:
        return _("quelqu'un"), ""
    who = str(record.history_user) if record.history_user else _("un traitement automatique")
    when = formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
    return who, when


def claim_version(instance, expected_version: int | None) -> None:
    """Inside a transaction: lock the row, refuse a stale edit, then bump `version`.

    Call before `instance.save()` in an update service. `expected_version` is the version
    the user's form was built from; None skips the check (writes that show no form).
    """
    current = type(instance).objects.select_for_update().only("version").get(pk=instance.pk).version
    if expected_version is not None and expected_version != current:
        who, when = _last_change(instance)
        raise ValidationError(
            _(
                "%(who)s a modifié cette fiche le %(when)s, après que vous l'avez ouverte. "
                "Vos saisies sont conservées ci-dessous : vérifiez-les puis enregistrez à nouveau."
            )
            % {"who": who, "when": when},
            code="stale",
        )
    instance.version = current + 1


class VersionedFormMixin(forms.Form):
    """Carries the version the form was built from; the view passes it to the service."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["version"] = instance.version
