"""The life of a funding line (SPEC §4.3), in one place.

    sollicite ──► accorde ──► verse          (paid, in one or several instalments)
        │             │
        └──► refuse   └──► caduc              (lapsed)

Each status has its date (`STATUS_DATE`); a line at a given status must carry the dates of
every status on its path, in order, none in the future. Services call `check_move` and
`check_dates`; nothing else decides whether a line may change status.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.choices import FundingStatus

S = FundingStatus

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SOLLICITE: (S.ACCORDE, S.REFUSE),
    S.ACCORDE: (S.VERSE, S.CADUC),
    S.VERSE: (),
    S.REFUSE: (),
    S.CADUC: (),
}

# The statuses a line went through to reach each status, in order.
PATHS: dict[str, tuple[str, ...]] = {
    S.SOLLICITE: (S.SOLLICITE,),
    S.ACCORDE: (S.SOLLICITE, S.ACCORDE),
    S.VERSE: (S.SOLLICITE, S.ACCORDE, S.VERSE),
    S.REFUSE: (S.SOLLICITE, S.REFUSE),
    S.CADUC: (S.SOLLICITE, S.ACCORDE, S.CADUC),
}

STATUS_DATE = {
    S.SOLLICITE: "requested_on",
    S.ACCORDE: "granted_on",
    S.VERSE: "paid_on",
    S.REFUSE: "closed_on",
    S.CADUC: "closed_on",
}

DATE_LABELS = {
    "requested_on": gettext_lazy("date de la demande"),
    "granted_on": gettext_lazy("date de l'accord"),
    "paid_on": gettext_lazy("date du premier versement"),
    "closed_on": gettext_lazy("date du refus ou de la caducité"),
}

# Words for the action that moves a line to each status (buttons, page titles).
ACTION_LABELS = {
    S.ACCORDE: gettext_lazy("Marquer accordé"),
    S.VERSE: gettext_lazy("Enregistrer un versement"),
    S.REFUSE: gettext_lazy("Marquer refusé"),
    S.CADUC: gettext_lazy("Marquer caduc"),
}


def allowed_moves(status: str) -> tuple[str, ...]:
    return TRANSITIONS[FundingStatus(status)]


def check_move(from_status: str, to_status: str) -> None:
    if to_status not in allowed_moves(from_status):
        possible = ", ".join(str(FundingStatus(s).label) for s in allowed_moves(from_status)) or _("aucun")
        raise ValidationError(
            {
                "status": _("Une ligne « %(from)s » ne peut pas passer à « %(to)s ». Statuts possibles : %(possible)s.")
                % {
                    "from": FundingStatus(from_status).label,
                    "to": FundingStatus(to_status).label,
                    "possible": possible,
                }
            }
        )


def check_dates(status: str, dates: dict[str, datetime.date | None], *, today: datetime.date | None = None) -> None:
    """Raise ValidationError (per date field) unless `dates` suit a line at `status`.

    `dates` maps the date fields (requested_on, granted_on, paid_on, closed_on) to values;
    the dates of the statuses on the line's path are required, ordered, and not in the future.
    """
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    previous: tuple[str, datetime.date] | None = None
    for step in PATHS[FundingStatus(status)]:
        field = STATUS_DATE[step]
        value = dates.get(field)
        if value is None:
            errors[field] = _("Indiquez la %(label)s (statut « %(status)s »).") % {
                "label": DATE_LABELS[field],
                "status": FundingStatus(step).label,
            }
            continue
        if value > today:
            errors[field] = _("La %(label)s ne peut pas être dans le futur.") % {"label": DATE_LABELS[field]}
        elif previous is not None and value < previous[1]:
            errors[field] = _("La %(label)s ne peut pas précéder la %(previous)s (%(date)s).") % {
                "label": DATE_LABELS[field],
                "previous": DATE_LABELS[previous[0]],
                "date": previous[1].strftime("%d/%m/%Y"),
            }
        previous = (field, value)
    if errors:
        raise ValidationError(errors)


def dates_off_path(status: str) -> set[str]:
    """Date fields a line at `status` must leave empty (statuses it never went through)."""
    on_path = {STATUS_DATE[step] for step in PATHS[FundingStatus(status)]}
    return set(STATUS_DATE.values()) - on_path
