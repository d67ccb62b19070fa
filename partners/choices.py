from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerType(models.TextChoices):
    ETAT = "etat", _("État")
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    EUROPE = "europe", _("Union européenne")
    CAISSE_DEPOTS = "caisse_depots", _("Caisse des dépôts / Banque des territoires")
    CHAMBRE_CONSULAIRE = "chambre_consulaire", _("Chambre consulaire")
    COMMUNE = "commune", _("Commune")
    ENTREPRISE = "entreprise", _("Entreprise")
    BANQUE = "banque", _("Banque")
    FONDATION = "fondation", _("Fondation")
    ASSOCIATION = "association", _("Association")
    ENSEIGNEMENT_RECHERCHE = "enseignement_recherche", _("Enseignement et recherche")
    AUTRE = "autre", _("Autre")


class InteractionKind(models.TextChoices):
    REUNION = "reunion", _("Réunion")
    EVENEMENT = "evenement", _("Événement")
    APPEL = "appel", _("Appel")
    COURRIEL = "courriel", _("Courriel")
    VISITE = "visite", _("Visite")


class FundingStatus(models.TextChoices):
    SOLLICITE = "sollicite", _("Sollicité")
    ACCORDE = "accorde", _("Accordé")
    VERSE = "verse", _("Versé")
    REFUSE = "refuse", _("Refusé")
    CADUC = "caduc", _("Caduc")


# Funds counted as secured for the leverage (SPEC §3.4).
SECURED_STATUSES = [FundingStatus.ACCORDE, FundingStatus.VERSE]
# Funds counted in the funding plan's balance (requested, granted or paid).
PLANNED_STATUSES = [FundingStatus.SOLLICITE, FundingStatus.ACCORDE, FundingStatus.VERSE]
