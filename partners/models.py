"""Partner ecosystem: organisations, contacts, interactions, network membership and the
funding lines that co-finance projects (SPEC §4)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innovaction.concurrency import Versioned
from innovaction.formatting import format_money
from partners.choices import FundingStatus, InteractionKind, PartnerType
from partners.validators import search_text, validate_siret
from portfolio.models import MONEY, Project


class Partner(Versioned):
    """An organisation the city works with; may be a member of the partner network."""

    name = models.CharField(_("nom"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=PartnerType.choices)
    siret = models.CharField(
        _("SIRET"), max_length=14, blank=True, validators=[validate_siret], help_text=_("14 chiffres, facultatif.")
    )
    sector = models.CharField(_("secteur"), max_length=120, blank=True)
    website = models.URLField(_("site web"), blank=True)
    address = models.TextField(_("adresse"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_partners",
        verbose_name=_("référent·e de la relation"),
    )
    notes = models.TextField(_("notes"), blank=True)
    network_joined_on = models.DateField(_("adhésion au réseau"), null=True, blank=True)
    charter_signed = models.BooleanField(_("charte signée"), default=False)
    network_left_on = models.DateField(_("sortie du réseau"), null=True, blank=True)
    # Name, SIRET and sector without accents nor case, written by the partner services: what
    # searches and the autocomplete match (a trigram index serves it on PostgreSQL).
    search = models.CharField(max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["siret"], condition=~Q(siret=""), name="partner_siret_unique"),
            models.CheckConstraint(
                condition=Q(network_left_on__isnull=True)
                | Q(network_joined_on__isnull=False, network_left_on__gte=models.F("network_joined_on")),
                name="partner_left_after_joined",
            ),
        ]
        indexes = [
            models.Index(fields=["type"]),
            models.Index(fields=["network_joined_on", "network_left_on"]),
            models.Index(fields=["name", "id"], name="partner_name_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A derived column, not a rule: refreshed on every save so that no writer (service,
        # admin, import) leaves it stale. bulk_create callers set it themselves.
        self.search = search_text(self.name, self.siret, self.sector)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("partners:partner_detail", args=[self.pk])


class Contact(models.Model):
    """A person at a partner: the minimum personal data, erasable with its history (GDPR)."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partenaire")
    )
    name = models.CharField(_("nom"), max_length=150)
    role = models.CharField(_("fonction"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Interaction(models.Model):
    """A meeting, event, call, e-mail or visit with one or more partners."""

    date = models.DateField(_("date"))
    kind = models.CharField(_("nature"), max_length=20, choices=InteractionKind.choices)
    partners = models.ManyToManyField(Partner, related_name="interactions", verbose_name=_("partenaires"))
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="interactions", verbose_name=_("projet")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("auteur·rice")
    )
    summary = models.TextField(_("résumé"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y}"


class FundingLine(Versioned):
    """A co-financing line: a partner's contribution to a project, through its statuses."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="funding_lines", verbose_name=_("projet")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="funding_lines", verbose_name=_("partenaire")
    )
    amount = models.DecimalField(_("montant"), **MONEY)
    status = models.CharField(
        _("statut"), max_length=20, choices=FundingStatus.choices, default=FundingStatus.SOLLICITE
    )
    scheme = models.CharField(
        _("dispositif"), max_length=150, blank=True, help_text=_("DETR, DSIL, FEDER, contrat de plan…")
    )
    requested_on = models.DateField(_("date de la demande"), null=True, blank=True)
    granted_on = models.DateField(_("date de l'accord"), null=True, blank=True)
    paid_on = models.DateField(_("date du (premier) versement"), null=True, blank=True)
    closed_on = models.DateField(_("date du refus ou de la caducité"), null=True, blank=True)
    expires_on = models.DateField(_("date limite (démarrage ou demande de paiement)"), null=True, blank=True)
    convention = models.FileField(_("convention"), upload_to="conventions/", blank=True, max_length=200)
    convention_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne de financement")
        verbose_name_plural = _("lignes de financement")
        ordering = ["project", "partner__name", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_positive")]
        indexes = [models.Index(fields=["status", "granted_on"]), models.Index(fields=["expires_on"])]

    def __str__(self):
        # Only this row's own fields: history timelines print many of these at once.
        return f"{self.scheme or _('Financement')} — {format_money(self.amount)}"


class Instalment(models.Model):
    """A payment received on a funding line (versement)."""

    funding_line = models.ForeignKey(
        FundingLine, on_delete=models.CASCADE, related_name="instalments", verbose_name=_("ligne de financement")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("montant"), **MONEY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("versement")
        verbose_name_plural = _("versements")
        ordering = ["date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive")]

    def __str__(self):
        return f"{self.date:%d/%m/%Y}"
