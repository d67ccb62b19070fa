"""Synthetic data at scale, for the benchmark harness (and `manage.py generate_scale_data`).

`build(scale)` fills an empty, migrated database with one of the three sizes of the issue
(1× = Romans: 100 projects, 200 partners, 500 funding lines, 15 indicators × 36 months;
100× = 10,000 projects, 5,000 partners, 50,000 funding lines, 60 indicators × 120 months),
then runs `VACUUM ANALYZE`. `generate_portfolio(...)` adds the projects — each with its
commission letter, a transition log consistent with the phase machine, milestones, progress
notes, a team — and partners, funding lines and interactions; `generate_scorecard(...)` adds
indicators beyond the registry's, and months of measurements with targets and locked months.

Everything goes through `bulk_create_with_history` in batches (one history row per record,
as the services would write), with the derived columns the services maintain (project
`search`, `weather`, `last_note_on`; partner `search`). Deterministic for a given `seed`;
codes are prefixed with `prefix` so several batches can sit side by side. Meant for PostgreSQL.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from innovaction.models import User
from innovaction.roles import Role
from partners.choices import FundingStatus, InteractionKind, PartnerType
from partners.models import FundingLine, Interaction, Partner
from partners.validators import search_text
from portfolio.choices import Issuer, Phase, Weather
from portfolio.models import (
    CommissionLetter,
    District,
    Milestone,
    PhaseTarget,
    PhaseTransition,
    ProgressNote,
    Project,
    Theme,
    search_key,
)

BATCH = 2000
START = datetime.date(2012, 1, 1)
PHASE_TARGET_DAYS = {
    Phase.COMMANDE: 30,
    Phase.INSTRUCTION: 90,
    Phase.ARBITRAGE: 45,
    Phase.REALISATION: 540,
    Phase.LIVRE: 240,
    Phase.SUSPENDU: 120,
}
PARTNER_WORDS = [
    "Ateliers",
    "Maison",
    "Société",
    "Groupe",
    "Cuir",
    "Numérique",
    "Bâtiment",
    "Énergie",
    "Drômois",
    "Vercors",
    "Chaussure",
    "Agglo",
]
SCHEMES = ["DETR", "DSIL", "FEDER", "Contrat de plan", "Fonds vert"]
# The people the harness logs in as, one per role (password unusable: the bench uses force_login).
BENCH_USERS = {
    Role.ADMIN: "bench.admin@echelle.test",
    Role.DIRECTOR: "bench.direction@echelle.test",
    Role.LEAD: "bench.cheffe@echelle.test",
    Role.CABINET: "bench.cabinet@echelle.test",
    Role.ELECTED: "bench.elu@echelle.test",
}


@dataclass(frozen=True)
class Scale:
    """One size of the benchmark data (issue 9): 1, 10 or 100 times Romans."""

    factor: int
    projects: int
    partners: int
    funding_lines: int
    indicators: int
    months: int

    @property
    def interactions(self) -> int:
        return self.projects


SCALES = {
    1: Scale(1, projects=100, partners=200, funding_lines=500, indicators=15, months=36),
    10: Scale(10, projects=1_000, partners=1_000, funding_lines=5_000, indicators=30, months=60),
    100: Scale(100, projects=10_000, partners=5_000, funding_lines=50_000, indicators=60, months=120),
}


@dataclass
class Generated:
    projects: int
    transitions: int
    milestones: int
    notes: int
    partners: int
    funding_lines: int
    interactions: int


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _path(rng: random.Random, letter: datetime.date, today: datetime.date) -> list[tuple[str, str, datetime.date]]:
    """(from, to, date) moves of one project after its commission, stopping at today."""
    moves, phase, day = [], Phase.COMMANDE, letter
    steps = [
        (Phase.INSTRUCTION, (5, 60)),
        (Phase.ARBITRAGE, (30, 200)),
        (Phase.REALISATION, (10, 90)),
        (Phase.LIVRE, (200, 1200)),
        (Phase.EVALUE, (100, 500)),
    ]
    fate = rng.random()
    for target, (low, high) in steps:
        day = day + datetime.timedelta(days=rng.randint(low, high))
        if day > today:
            break
        if target == Phase.REALISATION and fate < 0.07:
            moves.append((phase, Phase.ABANDONNE, day))
            return moves
        moves.append((phase, target, day))
        phase = target
    if 0.07 <= fate < 0.12 and phase in (Phase.INSTRUCTION, Phase.ARBITRAGE, Phase.REALISATION):
        suspended = day + datetime.timedelta(days=rng.randint(10, 120))
        if suspended <= today:
            moves.append((phase, Phase.SUSPENDU, suspended))
    return moves


def _users(count: int, prefix: str) -> list[User]:
    password = make_password(None)
    users = [
        User(
            email=f"{prefix.lower()}.agent{n}@echelle.test",
            first_name="Agent",
            last_name=f"{prefix}{n}",
            password=password,
        )
        for n in range(count)
    ]
    users = bulk_create_with_history(users, User, batch_size=BATCH)
    # The leads have the lead role, as in real data (the list's filters read it).
    through = User.groups.through
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=str(Role.LEAD))
    through.objects.bulk_create([through(user_id=user.pk, group_id=group.pk) for user in users], batch_size=BATCH)
    return users


@transaction.atomic
def generate_portfolio(
    *,
    projects: int = 10_000,
    funding_lines: int = 50_000,
    partners: int | None = None,
    interactions: int | None = None,
    prefix: str = "S",
    seed: int = 2026,
) -> Generated:
    rng = random.Random(seed)
    today = timezone.localdate()
    partners = partners if partners is not None else max(20, projects // 5)
    interactions = interactions if interactions is not None else max(20, projects // 2)
    for phase, days in PHASE_TARGET_DAYS.items():
        PhaseTarget.objects.get_or_create(phase=phase, defaults={"target_days": days})
    themes = [
        Theme.objects.get_or_create(name=name)[0]
        for name in ("Urbanisme", "Commerce", "Innovation", "Culture", "Numérique", "Attractivité")
    ]
    districts = [
        District.objects.get_or_create(name=name)[0] for name in ("Centre", "Nord", "Sud", "Est", "Ouest", "Monnaie")
    ]
    leads = _users(max(5, projects // 100), prefix)
    span = (today - START).days

    letters, plans = [], []
    for n in range(projects):
        letter_date = START + datetime.timedelta(days=int(span * (rng.random() ** 0.6)))
        letters.append(
            CommissionLetter(
                date=letter_date,
                issuer=Issuer.MAIRE,
                object=f"Opération {prefix}-{n:06d}",
                created_by=leads[n % len(leads)],
            )
        )
        plans.append(_path(rng, letter_date, today))
    letters = bulk_create_with_history(letters, CommissionLetter, batch_size=BATCH)

    # Notes first: the latest one sets the project's weather and last-note date.
    note_plans = []
    for letter in letters:
        drawn = []
        for k in range(2):
            day = min(letter.date + datetime.timedelta(days=30 + 200 * k + rng.randint(0, 90)), today)
            drawn.append((day, rng.choices([Weather.SOLEIL, Weather.NUAGE, Weather.ORAGE], weights=[6, 3, 1])[0]))
        note_plans.append(drawn)

    rows = []
    for n, (letter, path, notes) in enumerate(zip(letters, plans, note_plans, strict=True)):
        cost = rng.uniform(50_000, 5_000_000)
        last_phase, last_day = (path[-1][1], path[-1][2]) if path else (Phase.COMMANDE, letter.date)
        code, title = f"{prefix}-{n:06d}", f"Opération {prefix}-{n:06d} — requalification"
        description = "Rénovation et mise aux normes de l'équipement."
        last_note = max(notes)
        rows.append(
            Project(
                code=code,
                title=title,
                description=description,
                search=search_key(f"{code} {title} {description}"),
                commission_letter=letter,
                theme=themes[n % len(themes)],
                district=districts[n % len(districts)],
                lead=leads[n % len(leads)],
                confidential=n % 20 == 7,
                total_cost=_money(cost),
                city_contribution=_money(cost * rng.uniform(0.05, 0.4)),
                phase=last_phase,
                phase_since=last_day,
                weather=last_note[1],
                last_note_on=last_note[0],
            )
        )
    created = bulk_create_with_history(rows, Project, batch_size=BATCH)
    team = Project.team.through
    team.objects.bulk_create(
        [
            team(project_id=project.pk, user_id=leads[(n + 1) % len(leads)].pk)
            for n, project in enumerate(created)
            if n % 3 == 0
        ],
        batch_size=BATCH,
    )

    transitions, milestones, notes = [], [], []
    for project, letter, path, drawn in zip(created, letters, plans, note_plans, strict=True):
        transitions.append(
            PhaseTransition(project=project, from_phase="", to_phase=Phase.COMMANDE, effective_date=letter.date)
        )
        transitions.extend(
            PhaseTransition(project=project, from_phase=src, to_phase=dst, effective_date=day) for src, dst, day in path
        )
        for k in range(3):
            planned = letter.date + datetime.timedelta(days=90 + 150 * k + rng.randint(0, 60))
            done = planned <= today and rng.random() < 0.7
            actual = min(planned + datetime.timedelta(days=rng.randint(-15, 30)), today) if done else None
            milestones.append(
                Milestone(project=project, title=f"Jalon {k + 1}", planned_date=planned, actual_date=actual)
            )
        notes.extend(
            ProgressNote(project=project, date=day, text="Point d'étape.", weather=weather, author=project.lead)
            for day, weather in drawn
        )
    bulk_create_with_history(transitions, PhaseTransition, batch_size=BATCH)
    bulk_create_with_history(milestones, Milestone, batch_size=BATCH)
    bulk_create_with_history(notes, ProgressNote, batch_size=BATCH)

    types = list(PartnerType)
    partner_rows = []
    for n in range(partners):
        joined = START + datetime.timedelta(days=rng.randint(0, span)) if rng.random() < 0.7 else None
        left = None
        if joined and rng.random() < 0.1:
            left = min(joined + datetime.timedelta(days=rng.randint(30, 1500)), today)
        words = len(PARTNER_WORDS)
        name = (
            f"{PARTNER_WORDS[n % words]} {PARTNER_WORDS[(n // words) % words]} "
            f"{PARTNER_WORDS[(n // words**2) % words]} {prefix}-{n:05d}"
        )
        sector = rng.choice(["Industrie", "Commerce", "Services", "Public", "Enseignement"])
        partner_rows.append(
            Partner(
                name=name,
                type=types[n % len(types)],
                sector=sector,
                search=search_text(name, "", sector),
                network_joined_on=joined,
                charter_signed=joined is not None,
                network_left_on=left,
            )
        )
    partner_rows = bulk_create_with_history(partner_rows, Partner, batch_size=BATCH)

    statuses = [
        FundingStatus.SOLLICITE,
        FundingStatus.ACCORDE,
        FundingStatus.VERSE,
        FundingStatus.REFUSE,
        FundingStatus.CADUC,
    ]
    lines = []
    for n in range(funding_lines):
        project, letter = created[n % len(created)], letters[n % len(letters)]
        status = rng.choices(statuses, weights=[2, 4, 3, 1, 0.5])[0]
        requested = min(letter.date + datetime.timedelta(days=rng.randint(10, 200)), today)
        granted = (
            min(requested + datetime.timedelta(days=rng.randint(20, 200)), today)
            if status in (FundingStatus.ACCORDE, FundingStatus.VERSE)
            else None
        )
        lines.append(
            FundingLine(
                project=project,
                partner=partner_rows[rng.randrange(len(partner_rows))],
                amount=_money(rng.uniform(5_000, 800_000)),
                status=status,
                scheme=rng.choice(SCHEMES),
                requested_on=requested,
                granted_on=granted,
                paid_on=granted if status == FundingStatus.VERSE else None,
                closed_on=requested if status in (FundingStatus.REFUSE, FundingStatus.CADUC) else None,
                expires_on=today + datetime.timedelta(days=rng.randint(-400, 400)),
            )
        )
    bulk_create_with_history(lines, FundingLine, batch_size=BATCH)

    kinds = list(InteractionKind)
    interaction_rows = [
        Interaction(
            date=START + datetime.timedelta(days=rng.randint(0, span)),
            kind=kinds[n % len(kinds)],
            project=created[rng.randrange(len(created))] if rng.random() < 0.5 else None,
            author=leads[n % len(leads)],
            summary="Échange sur le cofinancement.",
        )
        for n in range(interactions)
    ]
    interaction_rows = bulk_create_with_history(interaction_rows, Interaction, batch_size=BATCH)
    through = Interaction.partners.through
    through.objects.bulk_create(
        [
            through(interaction_id=interaction.pk, partner_id=partner_rows[rng.randrange(len(partner_rows))].pk)
            for interaction in interaction_rows
        ],
        batch_size=BATCH,
    )
    if connection.vendor == "postgresql":
        # What autovacuum would do a minute later: without statistics on the fresh rows the
        # planner picks nested loops, and the first measurements would say nothing useful.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Generated(
        projects=len(created),
        transitions=len(transitions),
        milestones=len(milestones),
        notes=len(notes),
        partners=len(partner_rows),
        funding_lines=len(lines),
        interactions=len(interaction_rows),
    )


# Scorecard ------------------------------------------------------------------------------------


def _bench_users() -> dict[Role, User]:
    users = {}
    for role, email in BENCH_USERS.items():
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, None, roles=[role], first_name="Banc", last_name=str(role)
        )
        users[role] = user
    return users


@transaction.atomic
def generate_scorecard(*, indicators: int, months: int, seed: int = 2026) -> int:
    """The demo's structure (4 perspectives, 12 objectives, the 11 computed and 4 manual
    indicators), manual indicators up to `indicators`, yearly targets, and `months` months of
    values up to last month, the older ones locked as if their report had been sent. The
    values are drawn, not computed: the harness measures the real recompute of one month."""
    from scorecard import demo
    from scorecard.choices import Direction, Source, Unit
    from scorecard.models import Indicator, Measurement, PeriodLock, Perspective, Target
    from scorecard.periods import Period
    from scorecard.status import status_for

    rng = random.Random(seed)
    registry = demo.seed_structure()
    perspectives = list(Perspective.objects.order_by("order"))
    owner = _bench_users()[Role.DIRECTOR]
    extra = [
        Indicator(
            code=f"BENCH-{n:03d}",
            name=f"Indicateur de suivi n° {n}",
            definition="Indicateur saisi chaque mois par son responsable.",
            perspective=perspectives[n % len(perspectives)],
            unit=Unit.COUNT,
            direction=Direction.UP if n % 3 else Direction.DOWN,
            source=Source.MANUAL,
            owner=owner,
        )
        for n in range(max(0, indicators - len(registry)))
    ]
    extra = bulk_create_with_history(extra, Indicator, batch_size=BATCH)
    every = [*registry.values(), *extra]

    last = Period.current().previous()
    periods = last.shift(-(months - 1)).until(last)
    years = sorted({p.year for p in periods} | {Period.current().year})
    existing = set(Target.objects.values_list("indicator_id", "year"))
    level = {indicator.pk: Decimal(rng.randint(10, 500)) for indicator in every}
    bulk_create_with_history(
        [
            Target(indicator=indicator, year=year, value=level[indicator.pk])
            for indicator in every
            for year in years
            if (indicator.pk, year) not in existing
        ],
        Target,
        batch_size=BATCH,
    )
    targets = {(t.indicator_id, t.year): t.value for t in Target.objects.all()}
    rows = []
    for indicator in every:
        for period in periods:
            value = (level[indicator.pk] * Decimal(rng.uniform(0.8, 1.2))).quantize(Decimal("0.01"))
            target = targets.get((indicator.pk, period.year))
            rows.append(
                Measurement(
                    indicator=indicator,
                    period=period.start,
                    value=value,
                    target=target,
                    status=status_for(value, target, indicator.direction, indicator.tolerance_pct),
                    origin=indicator.source,
                    recorded_by=owner,
                )
            )
    bulk_create_with_history(rows, Measurement, batch_size=BATCH)
    # Reports were sent for every month but the last two.
    PeriodLock.objects.bulk_create([PeriodLock(period=p.start, locked_by=owner) for p in periods[:-2]])
    return len(rows)


def vacuum_analyze() -> None:
    """Statistics and visibility map as a settled production database has them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def build(scale: Scale, *, seed: int = 2026) -> dict[str, int]:
    """The whole dataset of `scale` in an empty, migrated database."""
    made = generate_portfolio(
        projects=scale.projects,
        funding_lines=scale.funding_lines,
        partners=scale.partners,
        interactions=scale.interactions,
        prefix="B",
        seed=seed,
    )
    _bench_users()
    measurements = generate_scorecard(indicators=scale.indicators, months=scale.months, seed=seed)
    vacuum_analyze()
    return {**made.__dict__, "measurements": measurements}
