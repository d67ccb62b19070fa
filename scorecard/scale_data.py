"""Synthetic data at scale, for measuring the scorecard (and, later, the benchmark harness).

`generate(projects=10_000, funding_lines=50_000)` adds that many projects — each with its
commission letter, a transition log consistent with the phase machine, milestones, progress
notes — and funding lines, partners and interactions, with `bulk_create_with_history` in
batches (history rows included, as in production). Deterministic for a given `seed`; codes
are prefixed with `prefix` so several batches can sit side by side. Meant for PostgreSQL.
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
from partners.choices import FundingStatus, InteractionKind, PartnerType
from partners.models import FundingLine, Interaction, Partner
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
    return bulk_create_with_history(users, User, batch_size=BATCH)


@transaction.atomic
def generate(
    *,
    projects: int = 10_000,
    funding_lines: int = 50_000,
    partners: int | None = None,
    interactions: int | None = None,
    prefix: str = "S",
    seed: int = 2026,
) -> Generated:
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    today = timezone.localdate()
    partners = partners if partners is not None else max(20, projects // 5)
    interactions = interactions if interactions is not None else max(20, projects // 2)
    for phase, days in PHASE_TARGET_DAYS.items():
        PhaseTarget.objects.get_or_create(phase=phase, defaults={"target_days": days})
    themes = [Theme.objects.get_or_create(name=name)[0] for name in ("Urbanisme", "Commerce", "Innovation", "Culture")]
    districts = [District.objects.get_or_create(name=name)[0] for name in ("Centre", "Nord", "Sud")]
    leads = _users(max(5, projects // 200), prefix)
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

    rows = []
    for n, (letter, path) in enumerate(zip(letters, plans, strict=True)):
        cost = rng.uniform(50_000, 5_000_000)
        last_phase, last_day = (path[-1][1], path[-1][2]) if path else (Phase.COMMANDE, letter.date)
        rows.append(
            Project(
                code=f"{prefix}-{n:06d}",
                title=f"Opération {prefix}-{n:06d}",
                commission_letter=letter,
                theme=themes[n % len(themes)],
                district=districts[n % len(districts)],
                lead=leads[n % len(leads)],
                confidential=n % 20 == 7,
                total_cost=_money(cost),
                city_contribution=_money(cost * rng.uniform(0.05, 0.4)),
                phase=last_phase,
                phase_since=last_day,
            )
        )
    created = bulk_create_with_history(rows, Project, batch_size=BATCH)

    transitions, milestones, notes = [], [], []
    for project, letter, path in zip(created, letters, plans, strict=True):
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
        for k in range(2):
            day = min(letter.date + datetime.timedelta(days=30 + 200 * k + rng.randint(0, 90)), today)
            weather = rng.choices([Weather.SOLEIL, Weather.NUAGE, Weather.ORAGE], weights=[6, 3, 1])[0]
            notes.append(
                ProgressNote(project=project, date=day, text="Point d'étape.", weather=weather, author=project.lead)
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
        partner_rows.append(
            Partner(
                name=f"Partenaire {prefix}-{n:05d}",
                type=types[n % len(types)],
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
                scheme=rng.choice(["DETR", "DSIL", "FEDER", "Contrat de plan", "Fonds vert"]),
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
