from django.utils.translation import gettext_lazy as _

from innovaction.navigation import NavItem
from portfolio import permissions

NAV_ITEMS = [
    NavItem(
        label=_("Projets"),
        url_name="portfolio:project_list",
        rule=permissions.has_any_role,
        description=_("Le portefeuille en liste, en tableau par phase ou en feuille de route ; filtres et exports."),
        order=10,
    ),
    NavItem(
        label=_("Délais"),
        url_name="portfolio:lead_times",
        rule=permissions.has_any_role,
        description=_("Temps passé par phase, dossiers en retard, cohortes comparées."),
        order=20,
    ),
    NavItem(
        label=_("Décisions à prendre"),
        url_name="portfolio:proposal_list",
        rule=permissions.can_validate_gates,
        description=_("Les changements de phase proposés par les chef·fes de projet, à valider ou refuser."),
        order=25,
    ),
    NavItem(
        label=_("Nouveau projet"),
        url_name="portfolio:project_register",
        rule=permissions.can_create_project,
        description=_("Enregistrer une lettre de commande et ouvrir le projet qu'elle commande."),
        order=30,
    ),
    NavItem(
        label=_("Référentiels"),
        url_name="portfolio:reference",
        rule=permissions.can_manage_reference,
        description=_("Thèmes, quartiers et durées cibles des phases."),
        order=80,
    ),
]
