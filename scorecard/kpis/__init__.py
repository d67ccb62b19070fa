"""The registry of computed indicators (SPEC §5.2).

An `Indicator` whose source is `computed` takes its value from the registry entry of the
same code. Each entry says what it computes — in French for the indicator page (`rule`,
`empty`) and precisely in its function's docstring — and which records lie behind it
(`records`, a drill-down kind read by `scorecard.selectors.drilldown`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from scorecard.choices import Direction, Unit
from scorecard.kpis import computed
from scorecard.periods import Period


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str | Promise
    perspective: str
    unit: Unit
    direction: Direction
    compute: Callable[[Period], Decimal | None]
    rule: str | Promise
    empty: str | Promise
    records: str
    decimals: int = 0


NEVER_EMPTY = _("Jamais vide : 0 quand il n'y a rien à compter.")

REGISTRY: dict[str, Kpi] = {
    kpi.code: kpi
    for kpi in [
        Kpi(
            "FIN-LEVIER",
            _("Effet de levier"),
            "finances",
            Unit.RATIO,
            Direction.UP,
            computed.fin_levier,
            _(
                "Au dernier jour du mois, sur les projets existants et non abandonnés à cette date : somme des "
                "financements extérieurs « accordé » ou « versé » dont la date d'accord est au plus tard ce jour, "
                "divisée par la somme de leur part ville. Ratio à deux décimales (5,00 = 1 € de la ville pour 5 € "
                "de partenaires)."
            ),
            _("Vide quand la part ville de ces projets est nulle (aucun projet, ou aucune part ville)."),
            "leverage",
            decimals=2,
        ),
        Kpi(
            "FIN-COFI",
            _("Cofinancements obtenus"),
            "finances",
            Unit.EUR,
            Direction.UP,
            computed.fin_cofi,
            _(
                "Au dernier jour du mois : somme des financements extérieurs « accordé » ou « versé », accordés au "
                "plus tard ce jour, des projets non abandonnés à cette date (le numérateur de l'effet de levier), "
                "en euros."
            ),
            NEVER_EMPTY,
            "leverage",
        ),
        Kpi(
            "FIN-PORTEFEUILLE",
            _("Portefeuille actif"),
            "finances",
            Unit.EUR,
            Direction.UP,
            computed.fin_portefeuille,
            _("Somme du coût total des projets actifs au dernier jour du mois, en euros."),
            NEVER_EMPTY,
            "active",
        ),
        Kpi(
            "PROC-FILE-ACTIVE",
            _("File active"),
            "processus",
            Unit.COUNT,
            Direction.UP,
            computed.proc_file_active,
            _(
                "Nombre de projets actifs au dernier jour du mois : en phase lettre de commande, instruction, "
                "arbitrage ou mise en œuvre à cette date d'après l'historique des phases (ni suspendus, ni "
                "abandonnés, ni livrés)."
            ),
            NEVER_EMPTY,
            "active",
        ),
        Kpi(
            "PROC-DELAI-INSTRUCTION",
            _("Délai d'instruction médian"),
            "processus",
            Unit.DAYS,
            Direction.DOWN,
            computed.proc_delai_instruction,
            _(
                "Médiane, en jours, de (date de décision − date de la lettre de commande) sur les projets dont la "
                "date de décision (première entrée en mise en œuvre) tombe dans les 12 mois qui finissent au dernier "
                "jour du mois. Pour un nombre pair de projets, moyenne des deux valeurs centrales."
            ),
            _("Vide quand aucun projet n'a été décidé pendant ces 12 mois."),
            "decisions",
            decimals=1,
        ),
        Kpi(
            "PROC-JALONS",
            _("Jalons tenus"),
            "processus",
            Unit.PCT,
            Direction.UP,
            computed.proc_jalons,
            _(
                "Part, en %, des jalons prévus dans le mois (date prévue dans le mois) réalisés au plus tard à leur "
                "date prévue."
            ),
            _("Vide quand aucun jalon n'était prévu dans le mois."),
            "milestones",
            decimals=1,
        ),
        Kpi(
            "PROC-LIVRES",
            _("Projets livrés"),
            "processus",
            Unit.COUNT,
            Direction.UP,
            computed.proc_livres,
            _("Nombre de projets entrés dans la phase « Livré » pendant le mois."),
            NEVER_EMPTY,
            "deliveries",
        ),
        Kpi(
            "PROC-ALERTE",
            _("Projets en alerte"),
            "processus",
            Unit.PCT,
            Direction.DOWN,
            computed.proc_alerte,
            _(
                "Part, en %, des projets actifs au dernier jour du mois dont la météo à cette date est « orage » : "
                "la météo du dernier point d'avancement daté au plus tard ce jour (un projet sans point "
                "d'avancement n'est pas compté en orage)."
            ),
            _("Vide quand aucun projet n'est actif."),
            "weather",
            decimals=1,
        ),
        Kpi(
            "USA-PARTENAIRES",
            _("Membres du réseau de partenaires"),
            "usagers",
            Unit.COUNT,
            Direction.UP,
            computed.usa_partenaires,
            _(
                "Nombre de partenaires membres du réseau au dernier jour du mois : adhésion au plus tard ce jour, et "
                "pas de sortie à cette date (sortie absente ou postérieure)."
            ),
            NEVER_EMPTY,
            "members",
        ),
        Kpi(
            "USA-NOUVEAUX",
            _("Nouveaux membres du réseau"),
            "usagers",
            Unit.COUNT,
            Direction.UP,
            computed.usa_nouveaux,
            _(
                "Nombre de partenaires dont l'adhésion au réseau est datée dans le mois (même s'ils sont sortis depuis)."
            ),
            NEVER_EMPTY,
            "new_members",
        ),
        Kpi(
            "USA-INTERACTIONS",
            _("Interactions avec les partenaires"),
            "usagers",
            Unit.COUNT,
            Direction.UP,
            computed.usa_interactions,
            _(
                "Nombre d'interactions avec les partenaires (réunions, événements, appels, courriels, visites) "
                "datées dans le mois ; une interaction avec plusieurs partenaires compte une fois."
            ),
            NEVER_EMPTY,
            "interactions",
        ),
    ]
}


def get(code: str) -> Kpi | None:
    return REGISTRY.get(code)


def compute_all(period: Period, codes=None) -> dict[str, Decimal | None]:
    """Values of the registry's indicators (or of `codes` only) for `period`."""
    return {code: kpi.compute(period) for code, kpi in REGISTRY.items() if codes is None or code in codes}
