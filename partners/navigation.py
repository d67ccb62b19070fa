from django.utils.translation import gettext_lazy as _

from innovaction.navigation import NavItem
from partners.permissions import can_view_partners

NAV_ITEMS = [
    NavItem(
        label=_("Partenaires"),
        url_name="partners:partner_list",
        rule=can_view_partners,
        description=_("L'annuaire des partenaires du réseau, leurs contacts et les échanges avec eux."),
        order=40,
    ),
    NavItem(
        label=_("Financements"),
        url_name="partners:leverage",
        rule=can_view_partners,
        description=_(
            "L'effet de levier : pour 1 € de la ville, combien les partenaires apportent, et les lignes derrière."
        ),
        order=41,
    ),
    NavItem(
        label=_("Échéances"),
        url_name="partners:expiring",
        rule=can_view_partners,
        description=_("Les financements dont la date limite approche ou est dépassée."),
        order=42,
    ),
    NavItem(
        label=_("Réseau"),
        url_name="partners:network",
        rule=can_view_partners,
        description=_("Qui cofinance quoi : le graphe des partenaires et des projets."),
        order=43,
    ),
]
