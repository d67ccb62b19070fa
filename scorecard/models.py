"""Balanced scorecard: perspectives, strategic objectives, indicators and their monthly
measurements (SPEC §5.1). Computed values come from `scorecard.kpis`; statuses from one
function in `scorecard.status`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innovaction.concurrency import Versioned
from portfolio.models import Project
from scorecard.choices import Direction, JobState, Periodicity, Source, Status, Unit

VALUE = {"max_digits": 18, "decimal_places": 4}


class Perspective(models.Model):
    """One of the four (editable) perspectives of the Balanced Scorecard."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("perspective")
        verbose_name_plural = _("perspectives")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class Objective(models.Model):
    """A strategic objective within a perspective; linked to others by cause → effect."""

    perspective = models.ForeignKey(
        Perspective, on_delete=models.PROTECT, related_name="objectives", verbose_name=_("perspective")
    )
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    effects = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="causes", verbose_name=_("contribue à")
    )

    history = HistoricalRecords(m2m_fields=[effects])

    class Meta:
        verbose_name = _("objectif stratégique")
        verbose_name_plural = _("objectifs stratégiques")
        ordering = ["perspective__order", "order", "pk"]

    def __str__(self):
        return self.name


class Indicator(Versioned):
    """A KPI: what is measured, how, by whom, and what counts as good (SPEC §5.1)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    definition = models.TextField(_("définition"))
    perspective = models.ForeignKey(
        Perspective, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("perspective")
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("objectif"),
    )
    unit = models.CharField(_("unité"), max_length=10, choices=Unit.choices)
    direction = models.CharField(_("sens"), max_length=10, choices=Direction.choices, default=Direction.UP)
    periodicity = models.CharField(
        _("périodicité"), max_length=10, choices=Periodicity.choices, default=Periodicity.MONTHLY
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_indicators",
        verbose_name=_("responsable"),
    )
    baseline_value = models.DecimalField(_("valeur de référence"), null=True, blank=True, **VALUE)
    baseline_date = models.DateField(_("date de référence"), null=True, blank=True)
    tolerance_pct = models.DecimalField(
        _("tolérance (%)"),
        max_digits=6,
        decimal_places=2,
        default=10,
        help_text=_("Écart à la cible, en % de la cible, encore classé orange ; au-delà, rouge."),
    )
    decimals = models.PositiveSmallIntegerField(_("décimales affichées"), default=0)
    min_value = models.DecimalField(
        _("valeur minimale admise"),
        null=True,
        blank=True,
        help_text=_("Pour la saisie : une valeur plus basse est refusée (vide : pas de limite)."),
        **VALUE,
    )
    max_value = models.DecimalField(
        _("valeur maximale admise"),
        null=True,
        blank=True,
        help_text=_("Pour la saisie : une valeur plus haute est refusée (par exemple 10 pour une note sur 10)."),
        **VALUE,
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="indicators", verbose_name=_("projets qui doivent le faire évoluer")
    )
    is_active = models.BooleanField(_("actif"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["perspective__order", "code"]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def get_absolute_url(self):
        return reverse("scorecard:indicator_detail", args=[self.code])


class Target(models.Model):
    """The target of an indicator for a calendar year."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicateur")
    )
    year = models.PositiveSmallIntegerField(_("année"))
    value = models.DecimalField(_("cible"), **VALUE)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cible annuelle")
        verbose_name_plural = _("cibles annuelles")
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_year")]

    def __str__(self):
        return f"{self.year} : {self.value}"


class Measurement(models.Model):
    """The value of an indicator for a month. Once the period is locked a correction is a new
    revision: the old row stays, `is_current` moves to the new one (SPEC §5.1)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="measurements", verbose_name=_("indicateur")
    )
    period = models.DateField(_("période"), help_text=_("Premier jour du mois mesuré."))
    value = models.DecimalField(_("valeur"), null=True, blank=True, **VALUE)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, blank=True)
    target = models.DecimalField(_("cible retenue"), null=True, blank=True, **VALUE)
    comment = models.TextField(_("commentaire"), blank=True)
    origin = models.CharField(_("origine"), max_length=10, choices=Source.choices)
    revision = models.PositiveSmallIntegerField(_("révision"), default=1)
    is_current = models.BooleanField(_("en vigueur"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )
    recorded_at = models.DateTimeField(_("enregistrée le"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures")
        ordering = ["indicator", "period", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], condition=Q(is_current=True), name="one_current_measurement"
            ),
            models.UniqueConstraint(fields=["indicator", "period", "revision"], name="measurement_revision_unique"),
            models.CheckConstraint(condition=Q(period__day=1), name="measurement_period_first_day"),
        ]
        indexes = [models.Index(fields=["period", "is_current"])]

    def __str__(self):
        return f"{self.period:%Y-%m} : {self.value}"


class PeriodLock(models.Model):
    """A month whose values are frozen because its report was sent."""

    period = models.DateField(_("période"), unique=True)
    locked_at = models.DateTimeField(_("verrouillée le"), auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )

    class Meta:
        verbose_name = _("période verrouillée")
        verbose_name_plural = _("périodes verrouillées")
        ordering = ["-period"]
        constraints = [models.CheckConstraint(condition=Q(period__day=1), name="lock_period_first_day")]

    def __str__(self):
        return f"{self.period:%Y-%m}"


class PeriodComputation(models.Model):
    """When a month's computed values were last refreshed. Its row is also what every write of
    a month's measurements locks first (select_for_update), so two workers recomputing the
    same month, a manual entry and the period lock never interleave. A technical record: the
    measurements it guards carry the history."""

    period = models.DateField(_("période"), unique=True)
    computed_at = models.DateTimeField(_("calculée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("calcul d'une période")
        verbose_name_plural = _("calculs des périodes")
        ordering = ["-period"]
        constraints = [models.CheckConstraint(condition=Q(period__day=1), name="computation_period_first_day")]

    def __str__(self):
        return f"{self.period:%Y-%m}"


class RecomputeJob(models.Model):
    """A recompute asked for from the pages: its months and its progress, which the page polls.
    A technical record (who asked and when is kept on it)."""

    first_period = models.DateField(_("du mois"))
    last_period = models.DateField(_("au mois"))
    state = models.CharField(_("état"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    periods_total = models.PositiveSmallIntegerField(_("mois à calculer"))
    periods_done = models.PositiveSmallIntegerField(_("mois calculés"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demandé par"),
    )
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        verbose_name = _("recalcul demandé")
        verbose_name_plural = _("recalculs demandés")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.first_period:%Y-%m} → {self.last_period:%Y-%m}"

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.periods_done / self.periods_total) if self.periods_total else 100


# The monthly report's models live with the rest of the report code; imported here so that
# Django finds them in the scorecard app.
from scorecard.reports.models import Recipient, Report, ReportDelivery  # noqa: E402

__all__ = [
    "Indicator",
    "Measurement",
    "Objective",
    "PeriodComputation",
    "PeriodLock",
    "Perspective",
    "Recipient",
    "RecomputeJob",
    "Report",
    "ReportDelivery",
    "Target",
]
