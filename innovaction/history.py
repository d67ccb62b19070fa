"""A readable timeline from django-simple-history records: who changed what, when, old → new.

`timeline()` takes the history querysets of a record and its children (a project and its
milestones, notes…) and merges them; it costs one query per history table plus one per
kind of foreign key shown, whatever the number of changes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from innovaction.formatting import format_decimal

HIDDEN_FIELDS = {"version", "updated_at", "created_at", "search"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime.datetime
    who: object
    action: str
    subject: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


def _action_label(history_type: str) -> str:
    return {"+": _("création"), "~": _("modification"), "-": _("suppression")}[history_type]


def _display(model_field, value, related_labels) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return related_labels.get((model_field.related_model, value), f"#{value}")
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, Decimal):
        return format_decimal(value, model_field.decimal_places or 0)
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(model_field, models.FileField):
        return _("fichier")
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "…"


def timeline(*histories, limit: int = 200, hidden: set[str] = HIDDEN_FIELDS) -> list[Entry]:
    """Entries newest first, at most `limit`, for the given history querysets."""
    pending = []  # (record, previous record or None, concrete model)
    for queryset in histories:
        model = queryset.model.instance_type
        previous_by_object = {}
        for record in queryset.select_related("history_user").order_by("history_date", "history_id"):
            pending.append((record, previous_by_object.get(record.id), model))
            previous_by_object[record.id] = record
    pending.sort(key=lambda item: item[0].history_date, reverse=True)
    pending = pending[:limit]

    deltas = []
    wanted = defaultdict(set)  # related model -> ids to label
    for record, previous, model in pending:
        if record.history_type == "~" and previous is not None:
            changes = [c for c in record.diff_against(previous).changes if c.field not in hidden]
            if not changes:
                continue
        else:
            changes = []
        for change in changes:
            model_field = model._meta.get_field(change.field)
            if isinstance(model_field, models.ForeignKey):
                wanted[model_field.related_model].update(v for v in (change.old, change.new) if v is not None)
        deltas.append((record, model, changes))

    related_labels = {}
    for related_model, ids in wanted.items():
        for pk, obj in related_model._base_manager.in_bulk(ids).items():
            related_labels[(related_model, pk)] = str(obj)

    entries = []
    for record, model, changes in deltas:
        fields = {f.name: f for f in model._meta.fields}
        shown = [
            Change(
                field=str(fields[c.field].verbose_name),
                old=_display(fields[c.field], c.old, related_labels),
                new=_display(fields[c.field], c.new, related_labels),
            )
            for c in changes
            if c.field in fields
        ]
        entries.append(
            Entry(
                when=record.history_date,
                who=record.history_user,
                action=_action_label(record.history_type),
                subject=f"{model._meta.verbose_name} « {record.instance} »",
                changes=shown,
                reason=record.history_change_reason or "",
            )
        )
    return entries
