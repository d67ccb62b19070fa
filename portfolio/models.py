"""Portfolio: commission letters, projects and their follow-up (SPEC §3).

The phase of a project is decided only by `portfolio.workflow`, which writes a
`PhaseTransition` row and keeps `Project.phase` / `phase_since` in step in the same
transaction (they are kept on the project so lists filter and sort without reading the log).
"""

import unicodedata

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innovaction.concurrency import Versioned
from portfolio.choices import OPEN_PHASES_ORDER, DocumentKind, Issuer, Phase, ProposalStatus, RiskStatus, Weather

MONEY = {"max_digits": 14, "decimal_places": 2}


def search_key(text: str) -> str:
    """Lower case without accents, so "ecole" finds "École" on PostgreSQL and SQLite alike."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


class ProjectHistory(HistoricalRecords):
    """Keeps a handle on the project's history registry, so a service can write the creation
    record once the team is set (one history row per write, team included)."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if self.cls is sender:
            sender.history_records = self


class Theme(models.Model):
    """A theme of the city's action (attractivité, urbanisme…): editable reference data."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    is_active = models.BooleanField(_("actif"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class District(models.Model):
    """A district (quartier) of the city: editable reference data."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    is_active = models.BooleanField(_("actif"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quartier")
        verbose_name_plural = _("quartiers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PhaseTarget(models.Model):
    """Target duration of a phase; a file staying longer is late (en retard)."""

    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, unique=True)
    target_days = models.PositiveIntegerField(_("durée cible (jours)"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("durée cible de phase")
        verbose_name_plural = _("durées cibles des phases")
        ordering = ["phase"]

    def __str__(self):
        return f"{self.get_phase_display()} : {self.target_days} j"


class CommissionLetter(Versioned):
    """Lettre de commande: the signed order that opens exactly one project."""

    date = models.DateField(_("date de la lettre"))
    issuer = models.CharField(_("émetteur"), max_length=20, choices=Issuer.choices)
    issuer_name = models.CharField(_("signataire"), max_length=150, blank=True)
    object = models.CharField(_("objet"), max_length=300)
    expected_results = models.TextField(_("résultats attendus"), blank=True)
    deadline = models.DateField(_("échéance"), null=True, blank=True)
    budget_envelope = models.DecimalField(_("enveloppe budgétaire"), null=True, blank=True, **MONEY)
    signed_pdf = models.FileField(_("lettre signée (PDF)"), upload_to="lettres/", blank=True, max_length=200)
    signed_pdf_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("enregistrée par")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lettre de commande")
        verbose_name_plural = _("lettres de commande")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return self.object


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProjectQuerySet":
        """Projects `user` may know of: confidential ones only for their team and the roles
        that see everything (SPEC §2). Applied to every list, count, export and API."""
        from portfolio.permissions import visible_projects_filter

        return self.filter(visible_projects_filter(user))

    def active(self) -> "ProjectQuerySet":
        from portfolio.choices import ACTIVE_PHASES

        return self.filter(phase__in=ACTIVE_PHASES)


class Project(Versioned):
    """A city project (projet / opération), from its commission letter to its evaluation."""

    code = models.CharField(_("code"), max_length=30, unique=True, help_text=_("Par exemple P-2026-014."))
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    commission_letter = models.OneToOneField(
        CommissionLetter, on_delete=models.PROTECT, related_name="project", verbose_name=_("lettre de commande")
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="projects", verbose_name=_("thème"))
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("quartier")
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("chef·fe de projet"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="team_projects", verbose_name=_("équipe")
    )
    sponsor = models.CharField(_("élu·e référent·e"), max_length=150, blank=True)
    confidential = models.BooleanField(
        _("confidentiel"),
        default=False,
        help_text=_("Visible seulement de l'équipe du projet, de la direction, du cabinet et de l'administration."),
    )
    expected_effects = models.TextField(_("effets attendus"), blank=True)
    total_cost = models.DecimalField(_("coût total"), default=0, **MONEY)
    city_contribution = models.DecimalField(_("part ville (autofinancement)"), default=0, **MONEY)
    # Kept in step with the transition log by portfolio.workflow only.
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.COMMANDE, editable=False)
    phase_since = models.DateField(_("dans cette phase depuis"), editable=False)
    # Kept in step with the latest progress note by the note services only.
    weather = models.CharField(_("météo"), max_length=10, choices=Weather.choices, blank=True, editable=False)
    last_note_on = models.DateField(_("dernier point d'avancement"), null=True, blank=True, editable=False)
    evaluation = models.TextField(_("évaluation ex post"), blank=True)
    # Code, title and description without accents nor case: what the list's search reads.
    search = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = ProjectHistory(m2m_fields=[team], excluded_fields=["search"])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(total_cost__gte=0), name="project_total_cost_positive"),
            models.CheckConstraint(condition=Q(city_contribution__gte=0), name="project_city_contribution_positive"),
        ]
        indexes = [models.Index(fields=["phase", "phase_since"]), models.Index(fields=["confidential"])]

    def __str__(self):
        return f"{self.code} — {self.title}"

    def save(self, *args, **kwargs):
        self.search = search_key(" ".join([self.code, self.title, self.description]))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"code", "title", "description"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("portfolio:project_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.phase in OPEN_PHASES_ORDER

    @property
    def age_in_phase(self) -> int | None:
        """Days in the current phase, for open files (SPEC §3.2)."""
        if not self.is_open:
            return None
        return (timezone.localdate() - self.phase_since).days


class PhaseTransition(models.Model):
    """One dated phase change: the log every lead time is computed from (SPEC §3.2)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("projet"))
    from_phase = models.CharField(_("de"), max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("vers"), max_length=20, choices=Phase.choices)
    effective_date = models.DateField(_("date d'effet"))
    comment = models.TextField(_("commentaire"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("par")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("changement de phase")
        verbose_name_plural = _("changements de phase")
        ordering = ["project", "effective_date", "pk"]
        indexes = [models.Index(fields=["to_phase", "effective_date"])]

    def __str__(self):
        return (
            f"{self.get_from_phase_display() or '—'} → {self.get_to_phase_display()} ({self.effective_date:%d/%m/%Y})"
        )


class TransitionProposal(models.Model):
    """A lead's request to move a project through a gate; the director validates or refuses."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("projet"))
    to_phase = models.CharField(_("phase proposée"), max_length=20, choices=Phase.choices)
    effective_date = models.DateField(_("date d'effet"))
    comment = models.TextField(_("commentaire"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposée par")
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("décidée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decision_comment = models.TextField(_("motif de la décision"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposition de changement de phase")
        verbose_name_plural = _("propositions de changement de phase")
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=Q(status="en_attente"), name="one_pending_proposal_per_project"
            )
        ]

    def __str__(self):
        return f"{self.project.code} → {self.get_to_phase_display()}"


class Milestone(Versioned):
    """A jalon: late when its planned date has passed and it is not done."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("projet"))
    title = models.CharField(_("intitulé"), max_length=200)
    planned_date = models.DateField(_("date prévue"))
    actual_date = models.DateField(_("date réelle"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jalon")
        verbose_name_plural = _("jalons")
        ordering = ["planned_date", "pk"]
        indexes = [models.Index(fields=["planned_date"])]

    def __str__(self):
        return self.title


class ProgressNote(Versioned):
    """A dated point d'avancement with its weather; the latest sets the project's weather."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="notes", verbose_name=_("projet"))
    date = models.DateField(_("date"))
    text = models.TextField(_("point d'avancement"))
    weather = models.CharField(_("météo"), max_length=10, choices=Weather.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("auteur·rice")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("point d'avancement")
        verbose_name_plural = _("points d'avancement")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.get_weather_display()}"


class Risk(Versioned):
    """A risk scored probability × impact (1–4 each)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks", verbose_name=_("projet"))
    description = models.TextField(_("description"))
    probability = models.PositiveSmallIntegerField(
        _("probabilité"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    impact = models.PositiveSmallIntegerField(_("impact"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    mitigation = models.TextField(_("mesures"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsable"),
    )
    status = models.CharField(_("statut"), max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risque")
        verbose_name_plural = _("risques")
        ordering = ["status", "-probability", "-impact", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(probability__range=(1, 4)), name="risk_probability_1_4"),
            models.CheckConstraint(condition=Q(impact__range=(1, 4)), name="risk_impact_1_4"),
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def score(self) -> int:
        return self.probability * self.impact


class Document(models.Model):
    """A file attached to a project, checked by content and served only as a download."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents", verbose_name=_("projet"))
    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier"), upload_to="documents/", max_length=200)
    original_name = models.CharField(_("nom d'origine"), max_length=200)
    mime_type = models.CharField(_("type de contenu"), max_length=120)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("déposé par")
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title
