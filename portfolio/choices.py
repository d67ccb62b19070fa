from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """Phases of a project (SPEC §3.2), in order, then the two side states."""

    COMMANDE = "commande", _("Lettre de commande")
    INSTRUCTION = "instruction", _("Instruction / analyse préalable")
    ARBITRAGE = "arbitrage", _("Arbitrage")
    REALISATION = "realisation", _("Mise en œuvre")
    LIVRE = "livre", _("Livré")
    EVALUE = "evalue", _("Évalué")
    SUSPENDU = "suspendu", _("Suspendu")
    ABANDONNE = "abandonne", _("Abandonné")


ORDERED_PHASES = [Phase.COMMANDE, Phase.INSTRUCTION, Phase.ARBITRAGE, Phase.REALISATION, Phase.LIVRE, Phase.EVALUE]
# "Active" = in the portfolio's work in progress (SPEC §5.2); also the phases a project may be
# suspended from.
ACTIVE_PHASES = [Phase.COMMANDE, Phase.INSTRUCTION, Phase.ARBITRAGE, Phase.REALISATION]
# Files still open (a suspended one will resume): the phases that have a target duration.
OPEN_PHASES_ORDER = [*ACTIVE_PHASES, Phase.SUSPENDU]


class Weather(models.TextChoices):
    SOLEIL = "soleil", _("Soleil")
    NUAGE = "nuage", _("Nuage")
    ORAGE = "orage", _("Orage")


class Issuer(models.TextChoices):
    MAIRE = "maire", _("Maire")
    ADJOINT = "adjoint", _("Adjoint·e")
    DGS = "dgs", _("Direction générale des services")
    AUTRE = "autre", _("Autre")


class RiskStatus(models.TextChoices):
    OPEN = "ouvert", _("Ouvert")
    CLOSED = "clos", _("Clos")


class DocumentKind(models.TextChoices):
    LETTRE_COMMANDE = "lettre_commande", _("Lettre de commande")
    DELIBERATION = "deliberation", _("Délibération")
    CONVENTION = "convention", _("Convention")
    COMPTE_RENDU = "compte_rendu", _("Compte rendu")
    ETUDE = "etude", _("Étude")
    AUTRE = "autre", _("Autre")


class ProposalStatus(models.TextChoices):
    PENDING = "en_attente", _("En attente")
    ACCEPTED = "acceptee", _("Validée")
    REJECTED = "refusee", _("Refusée")
    WITHDRAWN = "retiree", _("Retirée")
