"""The five roles of the product (SPEC §2) and the Django permissions each group carries.

Roles are auth groups named by `Role` values; a user may hold several. What a role may *do*
in the application is decided by the `permissions` modules (this one for the whole site,
one per app for its objects). The model permissions below serve the Django admin and any
tool that reads them; they are re-synchronised after every `migrate`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrateur")
    DIRECTOR = "director", _("Direction DADI")
    LEAD = "lead", _("Chef·fe de projet")
    CABINET = "cabinet", _("Cabinet du maire")
    ELECTED = "elected", _("Élu·e")


ROLE_DESCRIPTIONS = {
    Role.ADMIN: _("Gère les utilisateurs, les rôles et les réglages techniques."),
    Role.DIRECTOR: _(
        "Enregistre les lettres de commande, désigne les chef·fes de projet, valide les phases, "
        "configure le tableau de bord et envoie les rapports."
    ),
    Role.LEAD: _(
        "Tient à jour ses projets : phases, jalons, points d'avancement, budget, financements, documents et risques."
    ),
    Role.CABINET: _("Consulte l'ensemble des projets et les tableaux de bord ; n'écrit rien."),
    Role.ELECTED: _("Reçoit le tableau de bord mensuel et consulte les projets non confidentiels."),
}

# Which role's home page a user holding several roles lands on.
ROLE_PRECEDENCE = [Role.DIRECTOR, Role.LEAD, Role.CABINET, Role.ELECTED, Role.ADMIN]

WRITER_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR, Role.LEAD})

DOMAIN_APPS = ("portfolio", "partners", "scorecard")

# (app labels, actions) granted to each group; "*" means every app / every action.
ROLE_MODEL_PERMISSIONS = {
    Role.ADMIN: [("*", "*")],
    Role.DIRECTOR: [(DOMAIN_APPS, "*")],
    Role.LEAD: [(DOMAIN_APPS, ("view", "add", "change"))],
    Role.CABINET: [(DOMAIN_APPS, ("view",))],
    Role.ELECTED: [(DOMAIN_APPS, ("view",))],
}
