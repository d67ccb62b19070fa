"""Demo scorecard: the four perspectives of SPEC §5.1, twelve objectives linked cause →
effect, the eleven computed indicators and four manual ones with owners and yearly targets,
and 36 months of history computed from the demo data (with plausible manual values).

Idempotent and fast on a second run: only months without values are computed, only years
without a target get one, and the structure is created once (the director's later edits are
kept). Works whatever partner data exists: the indicators compute from what is there.
"""

import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from innovaction.models import User
from scorecard import kpis, services
from scorecard.choices import Direction, Source, Unit
from scorecard.models import Indicator, Measurement, Objective, PeriodLock, Perspective, Target
from scorecard.periods import Period

MONTHS = 36

PERSPECTIVES = [
    ("finances", "Finances", "Ce que la ville investit et ce que ses partenaires y ajoutent."),
    (
        "usagers",
        "Usagers & partenaires",
        "Ce que les habitants, les entreprises et le réseau de partenaires en retirent.",
    ),
    ("processus", "Processus internes", "La façon dont la direction instruit, pilote et livre les projets."),
    (
        "apprentissage",
        "Apprentissage, innovation & qualité de vie au travail",
        "Les compétences, les idées et le bien-être de l'équipe qui rendent le reste possible.",
    ),
]

# (code, perspective, name, effects)
OBJECTIVES = [
    ("fin-levier", "finances", "Démultiplier l'investissement par les cofinancements", ["fin-capacite"]),
    ("fin-capacite", "finances", "Doubler la capacité d'investissement de la ville", []),
    ("fin-budget", "finances", "Tenir les budgets des projets", ["fin-capacite"]),
    ("usa-reseau", "usagers", "Fédérer un réseau de partenaires engagés", ["fin-levier"]),
    (
        "usa-attractivite",
        "usagers",
        "Rendre la ville attractive pour les habitants et les entreprises",
        ["fin-capacite"],
    ),
    ("usa-satisfaction", "usagers", "Satisfaire les usagers des projets livrés", ["usa-attractivite"]),
    ("proc-instruction", "processus", "Instruire les projets quatre fois plus vite", ["usa-reseau", "fin-budget"]),
    ("proc-livraison", "processus", "Livrer les projets dans les délais", ["usa-satisfaction", "fin-budget"]),
    ("proc-pilotage", "processus", "Piloter le portefeuille en continu et alerter tôt", ["proc-livraison"]),
    (
        "app-competences",
        "apprentissage",
        "Former les agents à la conduite de projet",
        ["proc-instruction", "proc-livraison"],
    ),
    ("app-innovation", "apprentissage", "Faire émerger les idées des agents", ["proc-pilotage", "usa-attractivite"]),
    (
        "app-qvt",
        "apprentissage",
        "Préserver la qualité de vie au travail de l'équipe",
        ["app-innovation", "proc-livraison"],
    ),
]

OWNERS = {
    "direction": "direction@demo.innovaction.fr",
    "nadia": "cheffe.projet@demo.innovaction.fr",
    "thomas": "t.garnier@demo.innovaction.fr",
    "lea": "l.perrin@demo.innovaction.fr",
    "sophie": "s.roux@demo.innovaction.fr",
}

# code → (objective, owner, tolerance %, fixed yearly target or None to derive it, plain definition)
COMPUTED = {
    "FIN-LEVIER": (
        "fin-levier",
        "direction",
        20,
        Decimal(5),
        "Pour 1 € que la ville met dans ses projets, combien d'euros ses partenaires y apportent. La direction "
        "s'est fixé 1 pour 5.",
    ),
    "FIN-COFI": (
        "fin-levier",
        "direction",
        15,
        None,
        "Le montant total des cofinancements obtenus des partenaires pour les projets en cours ou réalisés.",
    ),
    "FIN-PORTEFEUILLE": (
        "fin-capacite",
        "direction",
        15,
        None,
        "Le coût total des projets en cours : ce que la ville a en chantier, de l'étude à la mise en œuvre.",
    ),
    "PROC-FILE-ACTIVE": (
        "proc-pilotage",
        "nadia",
        10,
        None,
        "Le nombre de projets en cours à la fin du mois, de la lettre de commande à la mise en œuvre.",
    ),
    "PROC-DELAI-INSTRUCTION": (
        "proc-instruction",
        "nadia",
        20,
        Decimal(90),
        "Le temps qu'il faut, en jours, entre la commande d'un projet et la décision de le réaliser (médiane des "
        "décisions des douze derniers mois).",
    ),
    "PROC-JALONS": (
        "proc-livraison",
        "nadia",
        15,
        Decimal(80),
        "La part des étapes prévues dans le mois qui ont été tenues à la date prévue.",
    ),
    "PROC-LIVRES": ("proc-livraison", "nadia", 50, None, "Le nombre de projets livrés dans le mois."),
    "PROC-ALERTE": (
        "proc-pilotage",
        "nadia",
        50,
        Decimal(10),
        "La part des projets en cours dont le dernier point d'avancement signale un orage.",
    ),
    "USA-PARTENAIRES": (
        "usa-reseau",
        "sophie",
        10,
        None,
        "Le nombre d'entreprises et d'institutions membres du réseau de partenaires de la ville.",
    ),
    "USA-NOUVEAUX": (
        "usa-reseau",
        "sophie",
        50,
        None,
        "Le nombre de partenaires qui ont rejoint le réseau dans le mois.",
    ),
    "USA-INTERACTIONS": (
        "usa-reseau",
        "sophie",
        25,
        None,
        "Le nombre de rencontres, appels, courriels, visites et événements avec les partenaires dans le mois.",
    ),
}

# code → (name, definition, perspective, objective, unit, direction, owner, decimals, bounds, tolerance, target)
MANUAL = {
    "APP-QVT": (
        "Qualité de vie au travail",
        "Note moyenne, sur 10, du baromètre mensuel de qualité de vie au travail rempli par les agents de la "
        "direction (anonyme). Saisie par la direction à la clôture du baromètre.",
        "apprentissage",
        "app-qvt",
        Unit.SCORE,
        Direction.UP,
        "direction",
        1,
        (Decimal(0), Decimal(10)),
        8,
        Decimal("7.5"),
    ),
    "APP-FORMES": (
        "Agents formés à la conduite de projet",
        "Nombre cumulé d'agents de la ville ayant suivi le parcours de formation à la conduite de projet depuis son "
        "lancement, à la fin du mois.",
        "apprentissage",
        "app-competences",
        Unit.COUNT,
        Direction.UP,
        "nadia",
        0,
        (Decimal(0), None),
        15,
        None,
    ),
    "APP-IDEES": (
        "Idées déposées au concours d'innovation",
        "Nombre d'idées déposées par les agents sur la plateforme du concours d'innovation interne pendant le mois.",
        "apprentissage",
        "app-innovation",
        Unit.COUNT,
        Direction.UP,
        "thomas",
        0,
        (Decimal(0), None),
        40,
        Decimal(5),
    ),
    "USA-SATISFACTION": (
        "Satisfaction des usagers",
        "Part, en %, des usagers interrogés à la livraison des projets qui s'en déclarent satisfaits ou très "
        "satisfaits (enquête continue, résultat du mois).",
        "usagers",
        "usa-satisfaction",
        Unit.PCT,
        Direction.UP,
        "lea",
        1,
        (Decimal(0), Decimal(100)),
        10,
        Decimal(80),
    ),
}
# Not yet entered for the running month: their owners still have to do it.
PENDING_THIS_MONTH = {"APP-QVT", "APP-IDEES"}


def _users() -> dict[str, User | None]:
    found = {u.email: u for u in User.objects.filter(email__in=OWNERS.values())}
    return {key: found.get(email) for key, email in OWNERS.items()}


def _structure(owners) -> dict[str, Indicator]:
    perspectives = {}
    for order, (code, name, description) in enumerate(PERSPECTIVES, start=1):
        perspectives[code], _ = Perspective.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
    objectives = {}
    for order, (code, perspective, name, _effects) in enumerate(OBJECTIVES, start=1):
        objectives[code], created = Objective.objects.get_or_create(
            code=code, defaults={"perspective": perspectives[perspective], "name": name, "order": order}
        )
        objectives[code].just_created = created
    for code, _perspective, _name, effects in OBJECTIVES:
        if objectives[code].just_created:
            objectives[code].effects.set([objectives[e] for e in effects])

    indicators = {}
    for code, (objective, owner, tolerance, _target, definition) in COMPUTED.items():
        kpi = kpis.get(code)
        indicators[code], _ = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": str(kpi.name),
                "definition": definition,
                "perspective": perspectives[kpi.perspective],
                "objective": objectives[objective],
                "unit": kpi.unit,
                "direction": kpi.direction,
                "source": Source.COMPUTED,
                "owner": owners[owner],
                "tolerance_pct": tolerance,
                "decimals": kpi.decimals,
            },
        )
    for code, (
        name,
        definition,
        perspective,
        objective,
        unit,
        direction,
        owner,
        decimals,
        bounds,
        tolerance,
        _t,
    ) in MANUAL.items():
        indicators[code], _ = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "definition": definition,
                "perspective": perspectives[perspective],
                "objective": objectives[objective],
                "unit": unit,
                "direction": direction,
                "source": Source.MANUAL,
                "owner": owners[owner],
                "tolerance_pct": tolerance,
                "decimals": decimals,
                "min_value": bounds[0],
                "max_value": bounds[1],
            },
        )
    return indicators


def _round_target(value: Decimal, decimals: int) -> Decimal:
    """A target people would write: whole thousands of euros, or the indicator's decimals."""
    if abs(value) >= 10000:
        step = Decimal(10) ** (len(str(int(abs(value)))) - 2)
        return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _derived_target(indicator: Indicator, history: dict[int, list[Decimal]], year: int) -> Decimal | None:
    """Demo targets sit 5 % above (or below) the year's own average level, so the demo shows
    every colour whatever today's date; none when there is nothing to aim at."""
    basis = history.get(year)
    if not basis:
        return None
    average = sum(basis) / len(basis)
    if not average:
        return None
    factor = Decimal("1.05") if indicator.direction == Direction.UP else Decimal("0.95")
    # At least one unit: "deliver 0 projects a month" is no target.
    return max(_round_target(average * factor, indicator.decimals), Decimal(1).scaleb(-indicator.decimals))


def _targets(indicators: dict[str, Indicator], years: list[int]) -> int:
    existing = set(Target.objects.filter(indicator__in=indicators.values()).values_list("indicator_id", "year"))
    fixed = {code: spec[3] for code, spec in COMPUTED.items()} | {code: spec[10] for code, spec in MANUAL.items()}
    history: dict[int, dict[int, list[Decimal]]] = {}
    for indicator_id, period, value in Measurement.objects.filter(is_current=True, value__isnull=False).values_list(
        "indicator_id", "period", "value"
    ):
        history.setdefault(indicator_id, {}).setdefault(period.year, []).append(value)
    created = 0
    for code, indicator in indicators.items():
        for year in years:
            if (indicator.pk, year) in existing:
                continue
            value = (
                fixed[code]
                if fixed[code] is not None
                else _derived_target(indicator, history.get(indicator.pk, {}), year)
            )
            if value is not None:
                services.target_set(indicator=indicator, year=year, value=value)
                created += 1
    return created


def _manual_value(rng: random.Random, code: str, index: int) -> Decimal:
    """A plausible value for month `index` (0 = oldest of the 36)."""
    if code == "APP-QVT":
        return Decimal(str(round(6.1 + index * 0.04 + rng.uniform(-0.35, 0.35), 1)))
    if code == "APP-FORMES":
        return Decimal(8 + index * 2 + (index // 6) * 3)
    if code == "APP-IDEES":
        seasonal = 7 if index % 12 in (2, 3, 9, 10) else 3
        return Decimal(max(0, seasonal + rng.randint(-2, 3)))
    return Decimal(str(round(71 + index * 0.35 + rng.uniform(-4, 4), 1)))


def _manual_values(indicators: dict[str, Indicator], months: list[Period], owners) -> None:
    rng = random.Random(2014)
    filled = set(
        Measurement.objects.filter(
            indicator__in=[indicators[c] for c in MANUAL], period__gte=months[0].start
        ).values_list("indicator__code", "period")
    )
    current = months[-1]
    for code in MANUAL:
        indicator = indicators[code]
        for index, period in enumerate(months):
            value = _manual_value(rng, code, index)  # drawn for every month, so reruns draw alike
            if (code, period.start) in filled or (period == current and code in PENDING_THIS_MONTH):
                continue
            if services.is_locked(period):
                continue
            services.measurement_record(
                indicator=indicator, period=period, value=value, by=indicator.owner or owners["direction"]
            )


def _locks_and_a_correction(indicators, months: list[Period], owners) -> None:
    """Months up to two months ago had their report sent; one was corrected afterwards."""
    director = owners["direction"]
    if director is None or PeriodLock.objects.exists():
        return
    for period in months[:-2]:
        services.period_lock(period=period, by=director)
    corrected = months[-4]
    row = Measurement.objects.filter(
        indicator=indicators["APP-FORMES"], period=corrected.start, is_current=True
    ).first()
    if row is not None and row.value is not None:
        services.measurement_record(
            indicator=indicators["APP-FORMES"],
            period=corrected,
            value=row.value + 4,
            comment="Quatre agents formés le dernier jour du mois n'avaient pas été comptés.",
            by=director,
        )


@transaction.atomic
def seed_structure() -> dict[str, Indicator]:
    """Only the perspectives, objectives, indicators and targets of the demo (no history):
    what a measurement on other data needs."""
    indicators = _structure(_users())
    current = Period.current()
    _targets(indicators, [current.shift(-1).year, current.year])
    return indicators


@transaction.atomic
def seed() -> None:
    owners = _users()
    indicators = _structure(owners)
    current = Period.current()
    months = current.shift(-(MONTHS - 1)).until(current)
    measured = set(
        Measurement.objects.filter(indicator__source=Source.COMPUTED, period__gte=months[0].start).values_list(
            "period", flat=True
        )
    )
    missing = [p for p in months if p.start not in measured and not services.is_locked(p)]
    for period in missing:
        services.recompute_period(period=period)
    _manual_values(indicators, months, owners)
    if _targets(indicators, sorted({p.year for p in months})):
        # New targets: the statuses of the open months follow them (manual values included).
        for period in months:
            if not services.is_locked(period):
                services.recompute_period(period=period)
    _locks_and_a_correction(indicators, months, owners)
