from django.utils.translation import gettext_lazy as _

from innovaction.navigation import NavItem
from scorecard import permissions

NAV_ITEMS = [
    NavItem(
        label=_("Tableau de bord"),
        url_name="scorecard:dashboard",
        rule=permissions.can_view_scorecard,
        description=_("Les indicateurs du mois, les projets à surveiller et les échéances."),
        order=300,
    ),
    NavItem(
        label=_("Indicateurs"),
        url_name="scorecard:indicator_list",
        rule=permissions.can_view_scorecard,
        description=_("Chaque indicateur : définition, historique et données qui le justifient."),
        order=310,
    ),
    NavItem(
        label=_("Carte stratégique"),
        url_name="scorecard:strategy_map",
        rule=permissions.can_view_scorecard,
        description=_("Les objectifs par perspective et leurs liens de cause à effet."),
        order=320,
    ),
    NavItem(
        label=_("Rapports mensuels"),
        url_name="scorecard:report_list",
        rule=permissions.can_read_reports,
        description=_("Le tableau de bord mensuel en PDF, ses archives et ses envois."),
        order=325,
    ),
    NavItem(
        label=_("Destinataires du rapport"),
        url_name="scorecard:recipient_list",
        rule=permissions.can_manage_reports,
        description=_("Qui reçoit le tableau de bord mensuel par e-mail."),
        order=326,
    ),
    NavItem(
        label=_("Configuration"),
        url_name="scorecard:config",
        rule=permissions.can_configure,
        description=_("Objectifs, indicateurs et cibles annuelles du tableau de bord."),
        order=330,
    ),
]
