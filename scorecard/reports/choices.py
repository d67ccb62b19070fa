from django.db import models
from django.utils.translation import gettext_lazy as _


class RecipientRole(models.TextChoices):
    """Why someone receives the monthly report (shown in the list, not a permission)."""

    ELECTED = "elected", _("Élu·e")
    CABINET = "cabinet", _("Cabinet du maire")
    DIRECTION = "direction", _("Direction générale")
    OTHER = "other", _("Autre destinataire")
