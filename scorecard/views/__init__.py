"""Views of the scorecard: thin — object for user → form → service → redirect / render."""

from django.contrib import messages
from django.utils.translation import gettext as _

from scorecard.periods import Period


def requested_period(request, name: str = "periode") -> Period:
    """The month asked for in the query string; the current month when none is given, and
    (with a message) when the value is not a month or lies in the future."""
    raw = request.GET.get(name)
    current = Period.current()
    if not raw:
        return current
    try:
        period = Period.parse(raw)
    except Exception:  # noqa: BLE001 (any unreadable value falls back to the current month)
        messages.warning(request, _("Mois « %(value)s » illisible : voici le mois en cours.") % {"value": raw})
        return current
    if period > current:
        messages.warning(request, _("Ce mois n'a pas encore commencé : voici le mois en cours."))
        return current
    return period
