from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from innovaction.models import Organisation
from innovaction.navigation import links_for


def ui(request):
    """What the page frame needs on every page: the organisation and the user's navigation."""
    user = getattr(request, "user", None)
    nav = links_for(user) if user is not None else []
    path = request.path
    active = max((item for item in nav if path.startswith(item.url)), key=lambda i: len(i.url), default=None)
    return {
        "organisation": Organisation.current(),
        "nav_items": nav,
        "nav_active": active,
        "footer_links": [
            {"label": _("Accessibilité : non conforme"), "url": reverse("accessibility")},
            {"label": _("Données personnelles"), "url": reverse("privacy")},
        ],
    }
