"""A small city built by hand, with every figure of SPEC §5.2 computed on paper for
March 2025 and April 2025 (see tests/scorecard/test_kpis.py for the arithmetic)."""

import datetime
from decimal import Decimal

from partners.choices import FundingStatus
from portfolio import workflow
from portfolio.choices import Phase, Weather
from tests.partners.factories import FundingLineFactory, InteractionFactory, PartnerFactory
from tests.portfolio.factories import (
    CommissionLetterFactory,
    MilestoneFactory,
    ProgressNoteFactory,
    ProjectFactory,
)

D = datetime.date


def make_project(letter_date, phases=(), *, total, city, confidential=False, code=None, title=None):
    """A project opened on `letter_date`, moved through `phases` [(phase, date), …]. Gates are
    not the point here (other apps may register theirs), so they are not enforced."""
    extra = {"code": code} if code else {}
    if title:
        extra["title"] = title
    project = ProjectFactory(
        commission_letter=CommissionLetterFactory(date=letter_date),
        total_cost=Decimal(total),
        city_contribution=Decimal(city),
        confidential=confidential,
        **extra,
    )
    for phase, day in phases:
        workflow.transition(
            project, to_phase=phase, effective_date=day, by=project.lead, comment="motif", enforce_gates=False
        )
    project.refresh_from_db()
    # The current weather field says sunny everywhere: the indicators must read the notes.
    project.weather = Weather.SOLEIL
    project.save(update_fields=["weather"])
    return project


def build_city():
    p = {}
    p["A"] = make_project(
        D(2024, 10, 1),
        [
            (Phase.INSTRUCTION, D(2024, 11, 1)),
            (Phase.ARBITRAGE, D(2025, 1, 10)),
            (Phase.REALISATION, D(2025, 2, 1)),
            (Phase.LIVRE, D(2025, 4, 10)),
        ],
        total="1000000.00",
        city="100000.00",
        code="P-A",
        title="Halle du marché",
    )
    p["B"] = make_project(
        D(2024, 12, 1),
        [(Phase.INSTRUCTION, D(2025, 1, 5)), (Phase.ARBITRAGE, D(2025, 2, 15)), (Phase.REALISATION, D(2025, 3, 20))],
        total="400000.00",
        city="50000.00",
        code="P-B",
        title="Pistes cyclables",
    )
    p["C"] = make_project(  # abandoned in April
        D(2025, 1, 10),
        [(Phase.INSTRUCTION, D(2025, 2, 1)), (Phase.ABANDONNE, D(2025, 4, 5))],
        total="200000.00",
        city="30000.00",
        code="P-C",
        title="Téléphérique abandonné",
    )
    p["D"] = make_project(  # suspended in March, resumed in April
        D(2025, 2, 1),
        [(Phase.INSTRUCTION, D(2025, 2, 20)), (Phase.SUSPENDU, D(2025, 3, 15)), (Phase.INSTRUCTION, D(2025, 4, 10))],
        total="300000.00",
        city="20000.00",
        code="P-D",
        title="Maison de santé",
    )
    p["E"] = make_project(  # confidential, no city share, no progress note
        D(2025, 3, 5), total="500000.00", city="0.00", confidential=True, code="P-E", title="Rachat secret"
    )
    p["F"] = make_project(D(2025, 5, 2), total="999.00", city="10000.00", code="P-F", title="Pas encore commandé")
    p["G"] = make_project(
        D(2023, 1, 1),
        [
            (Phase.INSTRUCTION, D(2023, 2, 1)),
            (Phase.ARBITRAGE, D(2023, 6, 1)),
            (Phase.REALISATION, D(2024, 4, 15)),
            (Phase.LIVRE, D(2025, 3, 31)),
        ],
        total="2000000.00",
        city="40000.00",
        code="P-G",
        title="Médiathèque",
    )

    lines = {
        "A1": FundingLineFactory(
            project=p["A"], amount=Decimal("300000.00"), status=FundingStatus.ACCORDE, granted_on=D(2025, 2, 10)
        ),
        "A2": FundingLineFactory(
            project=p["A"],
            amount=Decimal("150000.00"),
            status=FundingStatus.VERSE,
            granted_on=D(2025, 4, 2),
            paid_on=D(2025, 4, 20),
        ),
        "B1": FundingLineFactory(
            project=p["B"], amount=Decimal("80000.00"), status=FundingStatus.REFUSE, closed_on=D(2025, 3, 25)
        ),
        "B2": FundingLineFactory(project=p["B"], amount=Decimal("120000.00"), status=FundingStatus.SOLLICITE),
        "C1": FundingLineFactory(
            project=p["C"], amount=Decimal("60000.00"), status=FundingStatus.ACCORDE, granted_on=D(2025, 3, 1)
        ),
        "E1": FundingLineFactory(
            project=p["E"], amount=Decimal("200000.00"), status=FundingStatus.ACCORDE, granted_on=D(2025, 3, 10)
        ),
        "F1": FundingLineFactory(
            project=p["F"], amount=Decimal("500000.00"), status=FundingStatus.ACCORDE, granted_on=D(2025, 4, 20)
        ),
        "G1": FundingLineFactory(
            project=p["G"],
            amount=Decimal("40000.00"),
            status=FundingStatus.VERSE,
            granted_on=D(2024, 6, 1),
            paid_on=D(2024, 9, 1),
        ),
    }

    milestones = [
        MilestoneFactory(project=p["A"], planned_date=D(2025, 3, 10), actual_date=D(2025, 3, 8)),
        MilestoneFactory(project=p["B"], planned_date=D(2025, 3, 20), actual_date=D(2025, 3, 20)),
        MilestoneFactory(project=p["C"], planned_date=D(2025, 3, 31), actual_date=D(2025, 4, 2)),
        MilestoneFactory(project=p["E"], planned_date=D(2025, 3, 15)),
        MilestoneFactory(project=p["A"], planned_date=D(2025, 2, 28), actual_date=D(2025, 2, 28)),
        MilestoneFactory(project=p["B"], planned_date=D(2025, 4, 1), actual_date=D(2025, 3, 30)),
        MilestoneFactory(project=p["D"], planned_date=D(2025, 4, 30)),
        MilestoneFactory(project=p["E"], planned_date=D(2025, 4, 15), actual_date=D(2025, 4, 14)),
    ]

    for project, day, weather in [
        (p["A"], D(2025, 3, 5), Weather.ORAGE),
        (p["A"], D(2025, 4, 5), Weather.SOLEIL),
        (p["B"], D(2025, 2, 10), Weather.NUAGE),
        (p["B"], D(2025, 4, 30), Weather.ORAGE),
        (p["C"], D(2025, 3, 31), Weather.ORAGE),
        (p["D"], D(2025, 3, 20), Weather.ORAGE),
    ]:
        ProgressNoteFactory(project=project, date=day, weather=weather)

    partners = {
        "P1": PartnerFactory(name="Région", network_joined_on=D(2015, 3, 1)),
        "P2": PartnerFactory(name="Banque locale", network_joined_on=D(2025, 3, 10)),
        "P3": PartnerFactory(
            name="Chambre de commerce", network_joined_on=D(2020, 1, 1), network_left_on=D(2025, 4, 15)
        ),
        "P4": PartnerFactory(name="Fondation", network_joined_on=D(2025, 4, 30)),
        "P5": PartnerFactory(
            name="Association sortie", network_joined_on=D(2019, 5, 5), network_left_on=D(2025, 3, 31)
        ),
        "P6": PartnerFactory(name="Jamais membre"),
        "P7": PartnerFactory(name="Université", network_joined_on=D(2025, 4, 1)),
    }
    interactions = [
        InteractionFactory(date=D(2025, 3, 1), partners=[partners["P1"], partners["P2"]]),
        InteractionFactory(date=D(2025, 3, 31), partners=[partners["P3"]], project=p["E"]),
        InteractionFactory(date=D(2025, 2, 28), partners=[partners["P1"]]),
        InteractionFactory(date=D(2025, 4, 15), partners=[partners["P4"]]),
    ]
    return {"projects": p, "lines": lines, "milestones": milestones, "partners": partners, "interactions": interactions}


def grow(count, prefix):
    """`count` more projects with a bit of everything the indicators and pages read, to check
    that query counts do not depend on the data size."""
    for n in range(count):
        project = make_project(
            D(2024, 6, 1),
            [(Phase.INSTRUCTION, D(2024, 7, 1)), (Phase.ARBITRAGE, D(2024, 9, 1)), (Phase.REALISATION, D(2025, 3, 2))],
            total="1000.00",
            city="10.00",
            code=f"{prefix}-{n}",
            confidential=n % 3 == 0,
        )
        FundingLineFactory(
            project=project, status=FundingStatus.ACCORDE, granted_on=D(2025, 3, 3), expires_on=D(2025, 4, 10)
        )
        MilestoneFactory(project=project, planned_date=D(2025, 3, 4))
        MilestoneFactory(project=project, planned_date=D(2025, 4, 4))
        ProgressNoteFactory(project=project, date=D(2025, 3, 5), weather=Weather.ORAGE)
        InteractionFactory(
            date=D(2025, 3, 6), partners=[PartnerFactory(network_joined_on=D(2025, 3, 7))], project=project
        )


# The expected values, computed by hand in test_kpis.py.
MARCH = {
    "FIN-LEVIER": Decimal("2.50"),
    "FIN-COFI": Decimal("600000.00"),
    "FIN-PORTEFEUILLE": Decimal("2100000.00"),
    "PROC-FILE-ACTIVE": Decimal(4),
    "PROC-DELAI-INSTRUCTION": Decimal("123.00"),
    "PROC-JALONS": Decimal("50.00"),
    "PROC-LIVRES": Decimal(1),
    "PROC-ALERTE": Decimal("50.00"),
    "USA-PARTENAIRES": Decimal(3),
    "USA-NOUVEAUX": Decimal(1),
    "USA-INTERACTIONS": Decimal(2),
}
APRIL = {
    "FIN-LEVIER": Decimal("3.29"),
    "FIN-COFI": Decimal("690000.00"),
    "FIN-PORTEFEUILLE": Decimal("1200000.00"),
    "PROC-FILE-ACTIVE": Decimal(3),
    "PROC-DELAI-INSTRUCTION": Decimal("116.00"),
    "PROC-JALONS": Decimal("66.67"),
    "PROC-LIVRES": Decimal(1),
    "PROC-ALERTE": Decimal("66.67"),
    "USA-PARTENAIRES": Decimal(4),
    "USA-NOUVEAUX": Decimal(2),
    "USA-INTERACTIONS": Decimal(1),
}
EMPTY = {
    "FIN-LEVIER": None,
    "FIN-COFI": Decimal("0.00"),
    "FIN-PORTEFEUILLE": Decimal("0.00"),
    "PROC-FILE-ACTIVE": Decimal(0),
    "PROC-DELAI-INSTRUCTION": None,
    "PROC-JALONS": None,
    "PROC-LIVRES": Decimal(0),
    "PROC-ALERTE": None,
    "USA-PARTENAIRES": Decimal(0),
    "USA-NOUVEAUX": Decimal(0),
    "USA-INTERACTIONS": Decimal(0),
}
