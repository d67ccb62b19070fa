"""Demo portfolio: ~96 projects of a Romans-like city, 2012 to today, ≈200 M€.

Deterministic for a given day (seeded), dated relative to today so the demo always looks
current, and idempotent: a second run finds the projects and does nothing. Instruction
times fall after 2014 (the DADI's creation), so the cohort page shows it.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from innovaction.demo import create_demo_user
from innovaction.models import User
from innovaction.roles import Role
from innovaction.services import user_set_roles
from portfolio import workflow
from portfolio.choices import Issuer, Phase, RiskStatus, Weather
from portfolio.models import (
    CommissionLetter,
    District,
    PhaseTarget,
    Project,
    Theme,
)
from portfolio.services.followup import milestone_create, progress_note_add, risk_create

THEMES = [
    "Attractivité",
    "Développement économique",
    "Urbanisme",
    "Commerce",
    "Innovation",
    "Numérique",
    "Culture",
    "Transition écologique",
    "Sport et jeunesse",
]
DISTRICTS = [
    "Centre ancien",
    "La Monnaie",
    "Les Balmes",
    "Saint-Nicolas",
    "Les Ors",
    "Quartiers Est",
    "Zone d'activités Nord",
]

# (title, theme, rough total cost in k€)
PROJECTS = [
    ("Cité de la chaussure — parcours muséal", "Culture", 4200),
    ("Réhabilitation de la halle Saint-Nicolas", "Urbanisme", 3800),
    ("Extension du village de marques", "Développement économique", 28000),
    ("Pôle d'échanges multimodal de la gare", "Urbanisme", 14500),
    ("Requalification de la place Jean-Jaurès", "Urbanisme", 5200),
    ("Maison de santé pluriprofessionnelle de La Monnaie", "Attractivité", 2400),
    ("Fibre optique des zones d'activités", "Numérique", 1800),
    ("Plan vélo : 12 km de pistes cyclables", "Transition écologique", 3100),
    ("Rénovation énergétique des écoles élémentaires", "Transition écologique", 6900),
    ("Incubateur d'entreprises du cuir et du luxe", "Innovation", 1500),
    ("Tiers-lieu numérique du centre ancien", "Numérique", 900),
    ("Revitalisation commerciale : boutiques à l'essai", "Commerce", 350),
    ("Halles gourmandes du marché couvert", "Commerce", 2600),
    ("Quai de l'Isère : promenade et guinguette", "Attractivité", 4700),
    ("Programme Action cœur de ville — volet habitat", "Urbanisme", 9800),
    ("Friche industrielle Jourdan : reconversion", "Développement économique", 12600),
    ("Salle de musiques actuelles", "Culture", 3300),
    ("Complexe sportif des Balmes", "Sport et jeunesse", 7400),
    ("Skate-park et aire de street workout", "Sport et jeunesse", 420),
    ("Végétalisation des cours d'écoles", "Transition écologique", 1250),
    ("Centrale photovoltaïque sur les toitures municipales", "Transition écologique", 2100),
    ("Office de commerce et de l'artisanat", "Commerce", 280),
    ("Marketing territorial : marque de ville", "Attractivité", 190),
    ("Accueil des nouveaux arrivants et des talents", "Attractivité", 120),
    ("Hôtel d'entreprises Nord", "Développement économique", 5600),
    ("Parc d'activités de l'Écosite : extension", "Développement économique", 8300),
    ("Portail citoyen et démarches en ligne", "Numérique", 640),
    ("Capteurs connectés pour l'éclairage public", "Numérique", 1750),
    ("Festival des savoir-faire", "Culture", 260),
    ("Médiathèque : espace jeunesse et fab lab", "Culture", 2300),
    ("Réseau de chaleur urbain bois-énergie", "Transition écologique", 11200),
    ("Requalification de l'entrée de ville Est", "Urbanisme", 4300),
    ("Ferme urbaine des Ors", "Transition écologique", 580),
    ("Conciergerie d'entreprises", "Innovation", 150),
    ("Campus des métiers du cuir", "Innovation", 6200),
    ("Aire de covoiturage et bornes de recharge", "Transition écologique", 760),
    ("Piétonnisation de la Grande Rue", "Commerce", 2900),
    ("Signalétique patrimoniale du centre ancien", "Attractivité", 340),
    ("Maison du projet de La Monnaie", "Urbanisme", 450),
    ("Rénovation du théâtre municipal", "Culture", 5400),
    ("Piscine intercommunale : modernisation", "Sport et jeunesse", 9100),
    ("Foncière commerciale de centre-ville", "Commerce", 3500),
    ("Plateforme d'innovation ouverte avec les entreprises", "Innovation", 310),
    ("Budget participatif", "Attractivité", 600),
    ("Jardins familiaux des Balmes", "Transition écologique", 270),
    ("Schéma directeur immobilier municipal", "Urbanisme", 220),
    ("Wi-Fi public des places et marchés", "Numérique", 380),
    ("Accompagnement à la création d'entreprise", "Développement économique", 240),
]


def _title_variants():
    """96 distinct titles: each base project once, then its later phases or second tranches."""
    second = [" — tranche 2", " — phase opérationnelle", " — étude de faisabilité", " — extension"]
    titles = [(title, theme, cost) for title, theme, cost in PROJECTS]
    for index, (title, theme, cost) in enumerate(PROJECTS):
        titles.append((title + second[index % len(second)], theme, max(int(cost * 0.45), 90)))
    return titles


# Days spent in instruction (commission → decision): before the DADI (2014) vs after.
def _instruction_days(rng, letter_date):
    if letter_date.year < 2014:
        return rng.randint(320, 560)
    return rng.randint(60, 150)


OFFICERS = [
    ("cheffe.projet@demo.innovaction.fr", "Nadia", "Benali"),
    ("t.garnier@demo.innovaction.fr", "Thomas", "Garnier"),
    ("l.perrin@demo.innovaction.fr", "Léa", "Perrin"),
    ("m.chabert@demo.innovaction.fr", "Mathieu", "Chabert"),
    ("s.roux@demo.innovaction.fr", "Sophie", "Roux"),
    ("k.diallo@demo.innovaction.fr", "Karim", "Diallo"),
    ("e.fontaine@demo.innovaction.fr", "Émilie", "Fontaine"),
    ("p.vidal@demo.innovaction.fr", "Pierre", "Vidal"),
]

PHASE_TARGETS = {
    Phase.COMMANDE: 30,
    Phase.INSTRUCTION: 90,
    Phase.ARBITRAGE: 45,
    Phase.REALISATION: 540,
    Phase.SUSPENDU: 120,
}

NOTES = {
    Weather.SOLEIL: [
        "Comité de pilotage tenu, calendrier confirmé.",
        "Marché attribué ; démarrage des travaux conforme au planning.",
        "Convention signée avec les partenaires.",
        "Concertation des habitants réussie, forte participation.",
    ],
    Weather.NUAGE: [
        "Retard de quelques semaines sur la consultation des entreprises.",
        "Plan de financement encore incomplet : relance des cofinanceurs.",
        "Arbitrage budgétaire attendu au prochain bureau municipal.",
        "Réserves du contrôleur technique à lever.",
    ],
    Weather.ORAGE: [
        "Appel d'offres infructueux : relance nécessaire, décalage de six mois.",
        "Découverte de pollution des sols : étude complémentaire et surcoût.",
        "Désistement d'un cofinanceur majeur.",
    ],
}
MILESTONES = [
    "Étude de programmation",
    "Dépôt du permis",
    "Consultation des entreprises",
    "Début des travaux",
    "Réception",
]
RISKS = [
    ("Infructuosité des marchés publics", "Allotissement et sourcing des entreprises locales"),
    ("Dérive des coûts de construction", "Provision pour aléas de 8 % et revue mensuelle"),
    ("Recours contre le permis", "Concertation renforcée avec les riverains"),
    ("Perte d'un cofinancement", "Dossiers de subvention déposés auprès de plusieurs financeurs"),
    ("Indisponibilité du foncier", "Négociation amiable et convention avec l'EPF"),
]


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("1.00"))


def _officers():
    users = []
    for email, first_name, last_name in OFFICERS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = create_demo_user(email, first_name, last_name)
        user_set_roles(user=user, roles=[Role.LEAD])
        users.append(user)
    return users


PRE_DADI_SHARE = 0.15


def _letter_date(rng, index, count, today):
    """15 % before the DADI (2012 – mid-2014), 40 % spread over the years since, and the rest
    within the last year: a busy pipeline of files in progress, as the DADI runs it."""
    pre, middle = int(count * PRE_DADI_SHARE), int(count * 0.55)
    recent_start = today - datetime.timedelta(days=365)
    if index < pre:
        start, end, position = datetime.date(2012, 1, 10), datetime.date(2014, 6, 30), index / pre
    elif index < middle:
        start, end, position = datetime.date(2014, 9, 1), recent_start, (index - pre) / (middle - pre)
    else:
        start, end, position = recent_start, today - datetime.timedelta(days=12), (index - middle) / (count - middle)
    return start + datetime.timedelta(days=int(position * (end - start).days) + rng.randint(0, 10))


def _plan_dates(rng, letter_date, today):
    """The phase dates of one project, stopping where today (or fate) stops it."""
    plan = [(Phase.INSTRUCTION, letter_date + datetime.timedelta(days=rng.randint(7, 45)))]
    decision = letter_date + datetime.timedelta(days=_instruction_days(rng, letter_date))
    arbitrage = decision - datetime.timedelta(days=rng.randint(15, 40))
    if arbitrage <= plan[0][1]:
        arbitrage = plan[0][1] + datetime.timedelta(days=5)
    plan.append((Phase.ARBITRAGE, arbitrage))
    fate = rng.random()
    if fate < 0.07:
        plan.append((Phase.ABANDONNE, decision))  # a "no-go" decision
        return plan
    plan.append((Phase.REALISATION, decision))
    delivery = decision + datetime.timedelta(days=rng.randint(400, 1700))
    plan.append((Phase.LIVRE, delivery))
    if rng.random() < 0.6:
        plan.append((Phase.EVALUE, delivery + datetime.timedelta(days=rng.randint(150, 500))))
    dated = [(phase, date) for phase, date in plan if date <= today]
    if 0.07 <= fate < 0.11 and dated and dated[-1][0] in (Phase.INSTRUCTION, Phase.ARBITRAGE, Phase.REALISATION):
        suspend = dated[-1][1] + datetime.timedelta(days=rng.randint(20, 90))
        if suspend <= today:
            dated.append((Phase.SUSPENDU, suspend))
    return dated


@transaction.atomic
def seed():
    if Project.objects.exists():
        return
    rng = random.Random(2014)
    today = timezone.localdate()
    director = User.objects.filter(email__iexact="direction@demo.innovaction.fr").first()
    officers = _officers()
    themes = {name: Theme.objects.get_or_create(name=name)[0] for name in THEMES}
    districts = [District.objects.get_or_create(name=name)[0] for name in DISTRICTS]
    for phase, days in PHASE_TARGETS.items():
        PhaseTarget.objects.update_or_create(phase=phase, defaults={"target_days": days})

    titles = _title_variants()
    letters_per_code_year: dict[int, int] = {}
    for index, (title, theme_name, cost_k) in enumerate(titles):
        letter_date = _letter_date(rng, index, len(titles), today)
        number = letters_per_code_year[letter_date.year] = letters_per_code_year.get(letter_date.year, 0) + 1
        cost = _money(cost_k * 1000 * rng.uniform(0.6, 0.9))
        city_share = _money(cost * Decimal(str(rng.uniform(0.0065, 0.0256))))
        lead = officers[0] if index % 6 == 0 else officers[index % len(officers)]
        letter = CommissionLetter.objects.create(
            date=letter_date,
            issuer=rng.choice([Issuer.MAIRE, Issuer.MAIRE, Issuer.ADJOINT, Issuer.DGS]),
            issuer_name=rng.choice(["Mme la Maire", "M. l'adjoint à l'urbanisme", "Mme la DGS"]),
            object=title,
            expected_results="Projet livré dans l'enveloppe, indicateurs d'usage suivis pendant deux ans.",
            deadline=letter_date + datetime.timedelta(days=rng.randint(540, 1460)),
            budget_envelope=_money(cost * Decimal("1.1")),
            created_by=director or lead,
        )
        project = Project.objects.create(
            code=f"P-{letter_date.year}-{number:03d}",
            title=title,
            description=f"{title}. Projet porté par la direction de l'attractivité avec les services techniques.",
            commission_letter=letter,
            theme=themes[theme_name],
            district=districts[index % len(districts)] if index % 5 else None,
            lead=lead,
            sponsor=rng.choice(
                ["Mme la Maire", "Adjoint à l'urbanisme", "Adjointe au commerce", "Adjoint à la culture"]
            ),
            confidential=index % 19 == 7,
            expected_effects="Attractivité du centre-ville, fréquentation, emplois créés.",
            total_cost=cost,
            city_contribution=city_share,
            phase_since=letter_date,
        )
        project.team.set(rng.sample([o for o in officers if o != lead], k=rng.randint(0, 2)))
        workflow.record_opening(project, by=lead)
        for phase, date in _plan_dates(rng, letter_date, today):
            if phase == Phase.EVALUE:
                project.evaluation = "Objectifs atteints pour l'essentiel ; fréquentation supérieure aux prévisions."
                project.save(update_fields=["evaluation"])
            comment = "Décision de ne pas donner suite (no-go)." if phase == Phase.ABANDONNE else ""
            if phase == Phase.SUSPENDU:
                comment = "Suspendu dans l'attente d'un arbitrage budgétaire."
            workflow.transition(
                project, to_phase=phase, effective_date=date, by=director or lead, comment=comment, enforce_gates=False
            )
        project.refresh_from_db()
        _follow_up(rng, project, today)
    _stage_journey_project(officers[0], today)


def _follow_up(rng, project, today):
    """Milestones, notes and risks in keeping with the project's phase."""
    start = project.commission_letter.date
    open_file = project.phase in (Phase.COMMANDE, Phase.INSTRUCTION, Phase.ARBITRAGE, Phase.REALISATION, Phase.SUSPENDU)
    for order, title in enumerate(MILESTONES[: rng.randint(2, 5)]):
        planned = start + datetime.timedelta(days=120 + order * rng.randint(90, 200))
        done = planned <= today and (not open_file or rng.random() < 0.7)
        actual = planned + datetime.timedelta(days=rng.randint(-10, 40)) if done else None
        milestone_create(
            project=project,
            by=project.lead,
            data={"title": title, "planned_date": planned, "actual_date": min(actual, today) if actual else None},
        )
    if open_file:
        # One upcoming milestone for most open files, so "next 30 days" lists are not empty.
        if rng.random() < 0.35:
            milestone_create(
                project=project,
                by=project.lead,
                data={
                    "title": "Comité de pilotage",
                    "planned_date": today + datetime.timedelta(days=rng.randint(2, 40)),
                },
            )
        stale = rng.random() < 0.15
        last_note = today - datetime.timedelta(days=rng.randint(35, 120) if stale else rng.randint(1, 25))
        weather = rng.choices([Weather.SOLEIL, Weather.NUAGE, Weather.ORAGE], weights=[6, 3, 1])[0]
        count = rng.randint(1, 4)
        for step in range(count, 0, -1):
            date = max(last_note - datetime.timedelta(days=30 * (step - 1)), project.commission_letter.date)
            note_weather = weather if step == 1 else rng.choice([Weather.SOLEIL, Weather.NUAGE])
            # Through the service, like a lead's note: it keeps the project's weather in step.
            progress_note_add(
                project=project,
                by=project.lead,
                data={"date": date, "text": rng.choice(NOTES[note_weather]), "weather": note_weather},
            )
    for description, mitigation in rng.sample(RISKS, k=rng.randint(0, 3)):
        risk_create(
            project=project,
            by=project.lead,
            data={
                "description": description,
                "probability": rng.randint(1, 4),
                "impact": rng.randint(1, 4),
                "mitigation": mitigation,
                "owner": project.lead,
                "status": RiskStatus.OPEN if open_file else RiskStatus.CLOSED,
            },
        )


def _stage_journey_project(lead, today):
    """The demo lead's file waiting for the "go" decision, for the guided tour."""
    project = (
        Project.objects.filter(lead=lead, phase=Phase.ARBITRAGE, confidential=False).order_by("-phase_since").first()
    )
    if project is None:
        project = Project.objects.filter(lead=lead, phase=Phase.INSTRUCTION).order_by("-phase_since").first()
        if project is not None:
            workflow.transition(
                project,
                to_phase=Phase.ARBITRAGE,
                effective_date=max(project.phase_since, today - datetime.timedelta(days=10)),
                by=lead,
                enforce_gates=False,
            )
