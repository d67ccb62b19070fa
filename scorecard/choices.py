from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    EUR = "eur", _("euros")
    PCT = "pct", _("pourcentage")
    DAYS = "days", _("jours")
    COUNT = "count", _("nombre")
    RATIO = "ratio", _("ratio")
    SCORE = "score", _("score")


class Direction(models.TextChoices):
    UP = "up", _("plus haut est mieux")
    DOWN = "down", _("plus bas est mieux")


class Periodicity(models.TextChoices):
    MONTHLY = "monthly", _("mensuelle")
    QUARTERLY = "quarterly", _("trimestrielle")
    YEARLY = "yearly", _("annuelle")


class Source(models.TextChoices):
    COMPUTED = "computed", _("calculé")
    MANUAL = "manual", _("saisi")


class Status(models.TextChoices):
    VERT = "vert", _("vert")
    ORANGE = "orange", _("orange")
    ROUGE = "rouge", _("rouge")


class JobState(models.TextChoices):
    QUEUED = "queued", _("en attente")
    RUNNING = "running", _("en cours")
    DONE = "done", _("terminé")
    FAILED = "failed", _("échoué")
