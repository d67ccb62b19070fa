"""Demo ecosystem: 200+ partners of every type, ~70 % of them members of the network
(joined from 2014 on, a few since left), their contacts, a year of interactions, and
funding lines on the demo projects: ≈5 € secured from partners for each euro of the city.

Deterministic for a given day (seeded, dated relative to today like the portfolio demo) and
idempotent: a second run finds the partners and stops at once. Rows are checked with the
rules the services apply (field validation, SIRET keys, `funding_flow` dates) and written
in bulk with their history, so the end-to-end tests that seed the demo stay quick.
"""

import datetime
import itertools
import random
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from innovaction.models import User
from innovaction.roles import Role
from partners import funding_flow
from partners.choices import FundingStatus, InteractionKind
from partners.choices import PartnerType as T
from partners.demo_data import (
    COMPANY_ACTIVITIES,
    COMPANY_COUNT,
    COMPANY_PLACES,
    COMPANY_PREFIXES,
    FIRST_NAMES,
    INSTITUTIONS,
    LAST_NAMES,
    ROLES,
    SCHEMES,
    SUMMARIES,
    THEME_FUNDERS,
)
from partners.models import Contact, FundingLine, Instalment, Interaction, Partner
from partners.validators import luhn_valid, search_text
from portfolio.choices import Phase
from portfolio.models import Project
from portfolio.selectors import not_abandoned_on

TARGET_LEVERAGE = Decimal("5.05")
MEMBER_SHARE = 0.70
NETWORK_START = datetime.date(2014, 9, 15)
EXPIRING_SOON = [6, 13, 21, 34, 45, 57]  # days from today: the lines the alert page shows
STREETS = ["rue Jacquemart", "avenue Gambetta", "rue Pêcherie", "boulevard de la Libération", "rue Mathieu-de-la-Drôme"]
TOWNS = ["26100 Romans-sur-Isère", "26300 Bourg-de-Péage", "26000 Valence", "26750 Génissieux"]


def _siret(rng) -> str:
    """A SIRET with a valid key, outside La Poste's SIREN: invented, never a real one."""
    while True:
        body = "".join(str(rng.randint(0, 9)) for _ in range(13))
        if body.startswith(("0", "356")):
            continue
        for key in range(10):
            if luhn_valid(body + str(key)):
                return body + str(key)


def _companies(rng) -> list[tuple[str, str, str]]:
    combos = list(itertools.product(COMPANY_PREFIXES, COMPANY_ACTIVITIES, COMPANY_PLACES))
    rng.shuffle(combos)
    return [(f"{prefix} {activity} {place}", T.ENTREPRISE, sector) for prefix, (activity, sector), place in combos][
        :COMPANY_COUNT
    ]


def _joined_on(rng, today) -> datetime.date:
    # More members joined in the network's first years, as the DADI built it.
    span = (today - NETWORK_START).days
    return NETWORK_START + datetime.timedelta(days=int(span * rng.random() ** 1.6))


@transaction.atomic
def seed() -> None:
    if Partner.objects.exists():
        return
    rng = random.Random(2014)
    today = timezone.localdate()
    owners = list(User.objects.with_role(Role.LEAD, Role.DIRECTOR).order_by("email"))
    partners = _partners(rng, today, owners)
    _contacts(rng, partners)
    _funding(rng, today, partners)
    _interactions(rng, today, partners, owners)


def _bulk(model, objects: list) -> list:
    """Insert `objects` with their creation history, after checking their fields."""
    for obj in objects:
        obj.clean_fields(exclude=[f.name for f in model._meta.fields if f.is_relation] + ["convention"])
    return bulk_create_with_history(objects, model, batch_size=500)


def _partners(rng, today, owners) -> dict[str, Partner]:
    partners = []
    for name, kind, sector in [*INSTITUTIONS, *_companies(rng)]:
        member = rng.random() < MEMBER_SHARE
        joined = _joined_on(rng, today) if member else None
        left = None
        if joined and rng.random() < 0.07 and (today - joined).days > 400:
            left = joined + datetime.timedelta(days=rng.randint(365, (today - joined).days - 1))
        private = kind in (T.ENTREPRISE, T.BANQUE, T.FONDATION, T.ASSOCIATION)
        partner = Partner(
            name=name,
            type=kind,
            siret=_siret(rng) if private or rng.random() < 0.5 else "",
            sector=sector,
            address=f"{rng.randint(1, 80)} {rng.choice(STREETS)}\n{rng.choice(TOWNS)}" if private else "",
            owner=rng.choice(owners) if owners and rng.random() < 0.8 else None,
            network_joined_on=joined,
            charter_signed=bool(joined) and rng.random() < 0.85,
            network_left_on=left,
            notes="Partenaire historique du réseau." if joined and joined.year < 2016 else "",
        )
        partner.search = search_text(partner.name, partner.siret, partner.sector)
        partners.append(partner)
    return {partner.name: partner for partner in _bulk(Partner, partners)}


def _contacts(rng, partners) -> None:
    contacts = []
    for partner in partners.values():
        for _ in range(rng.choice([0, 1, 1, 2])):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            domain = slugify(partner.name)[:30].strip("-")
            contacts.append(
                Contact(
                    partner=partner,
                    name=f"{first} {last}",
                    role=rng.choice(ROLES),
                    email=f"{slugify(first)}.{slugify(last)}@{domain}.demo.innovaction.fr",
                    phone=f"04 75 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                )
            )
    _bulk(Contact, contacts)


# Funding ---------------------------------------------------------------------------------------

SECURED = (FundingStatus.ACCORDE, FundingStatus.VERSE)


def _phase_dates(project) -> dict[str, datetime.date]:
    dates = {}
    for transition in project.transitions.all():
        dates.setdefault(transition.to_phase, transition.effective_date)
    return dates


def _plan(rng, project, today) -> list[dict]:
    """The lines a project of this phase would have, with raw weights (scaled later)."""
    phase = project.phase
    letter = project.commission_letter.date
    dates = _phase_dates(project)
    funders = THEME_FUNDERS.get(project.theme.name, THEME_FUNDERS["Attractivité"])
    count = {
        Phase.COMMANDE: 0,
        Phase.INSTRUCTION: rng.choice([0, 1]),
        Phase.ARBITRAGE: rng.choice([1, 2]),
        Phase.SUSPENDU: 1,
        Phase.ABANDONNE: 1,
    }.get(phase, rng.choice([2, 3, 3, 4]))
    chosen = rng.sample(funders, k=min(count, len(funders)))
    lines = []
    for index, funder in enumerate(chosen):
        requested = min(letter + datetime.timedelta(days=rng.randint(20, 150)), today - datetime.timedelta(days=3))
        line = {"funder": funder, "requested_on": requested, "weight": rng.uniform(0.4, 1.6)}
        if phase in (Phase.COMMANDE, Phase.INSTRUCTION, Phase.ARBITRAGE):
            line["status"] = FundingStatus.SOLLICITE
        elif phase == Phase.ABANDONNE:
            # The request made during instruction is refused with the "no-go".
            closed = min(dates.get(Phase.ABANDONNE, today), today)
            line.update(
                status=FundingStatus.REFUSE,
                closed_on=closed,
                requested_on=max(letter, min(requested, closed - datetime.timedelta(days=15))),
            )
        elif phase == Phase.SUSPENDU:
            line["status"] = FundingStatus.SOLLICITE
        else:
            decided = dates.get(Phase.REALISATION, letter + datetime.timedelta(days=200))
            granted = min(decided + datetime.timedelta(days=rng.randint(-40, 160)), today - datetime.timedelta(days=2))
            line["granted_on"] = max(granted, requested + datetime.timedelta(days=30))
            delivered = phase in (Phase.LIVRE, Phase.EVALUE)
            if line["granted_on"] > today or (not delivered and (index == 3 or rng.random() < 0.12)):
                line.update(status=FundingStatus.SOLLICITE, granted_on=None)
            elif delivered or rng.random() < 0.45:
                line["status"] = FundingStatus.VERSE
                line["instalments"] = 3 if rng.random() < 0.4 else 1
                line["fully_paid"] = delivered
            else:
                line["status"] = FundingStatus.ACCORDE
        lines.append(line)
    return lines


def _funding(rng, today, partners) -> None:
    projects = list(
        Project.objects.select_related("theme", "commission_letter").prefetch_related("transitions").order_by("code")
    )
    plans = {project.pk: _plan(rng, project, today) for project in projects}
    _add_refusals_and_lapses(rng, projects, plans, today)
    counted = set(not_abandoned_on(Project.objects.all(), today).values_list("pk", flat=True))
    city = Project.objects.filter(pk__in=counted).aggregate(total=Sum("city_contribution"))["total"] or Decimal(0)
    raw = sum(
        line["weight"] * float(project.total_cost)
        for project in projects
        if project.pk in counted
        for line in plans[project.pk]
        if line["status"] in SECURED
    )
    factor = float(city * TARGET_LEVERAGE) / raw if raw else 0
    soon = iter(EXPIRING_SOON)
    lines, payments = [], []
    for project in projects:
        for plan in plans[project.pk]:
            amount = Decimal(round(plan["weight"] * float(project.total_cost) * factor / 100) * 100)
            line = _line(rng, today, project, partners[plan["funder"]], plan, max(amount, Decimal("1000")), soon)
            lines.append(line)
            payments.append(_payments(rng, today, line, plan) if plan["status"] == FundingStatus.VERSE else [])
    for line, instalments in zip(lines, payments, strict=True):
        if instalments:
            line.paid_on = instalments[0][0]
        funding_flow.check_dates(line.status, {field: getattr(line, field) for field in funding_flow.DATE_LABELS})
    _bulk(FundingLine, lines)
    _bulk(
        Instalment,
        [
            Instalment(funding_line=line, date=day, amount=amount)
            for line, instalments in zip(lines, payments, strict=True)
            for day, amount in instalments
        ],
    )


def _add_refusals_and_lapses(rng, projects, plans, today) -> None:
    """A few requests refused and a few grants lapsed, on delivered or running projects."""
    running = [p for p in projects if p.phase in (Phase.REALISATION, Phase.LIVRE, Phase.EVALUE)]
    for project in rng.sample(running, k=min(9, len(running))):
        letter = project.commission_letter.date
        requested = min(letter + datetime.timedelta(days=rng.randint(30, 120)), today - datetime.timedelta(days=200))
        funder = rng.choice(THEME_FUNDERS.get(project.theme.name, THEME_FUNDERS["Attractivité"]))
        if len(plans[project.pk]) % 2:
            closed = requested + datetime.timedelta(days=rng.randint(60, 150))
            line = {"status": FundingStatus.REFUSE, "closed_on": closed}
        else:
            granted = requested + datetime.timedelta(days=rng.randint(60, 120))
            closed = min(granted + datetime.timedelta(days=rng.randint(300, 600)), today - datetime.timedelta(days=1))
            line = {"status": FundingStatus.CADUC, "granted_on": granted, "closed_on": closed}
        plans[project.pk].append({"funder": funder, "requested_on": requested, "weight": rng.uniform(0.2, 0.8), **line})


def _line(rng, today, project, partner, plan, amount, soon) -> FundingLine:
    status = plan["status"]
    expires = None
    if status in (FundingStatus.ACCORDE, FundingStatus.SOLLICITE) and project.phase not in (
        Phase.ABANDONNE,
        Phase.SUSPENDU,
    ):
        days = next(soon, None) if rng.random() < 0.35 else None
        expires = today + datetime.timedelta(days=days if days is not None else rng.randint(120, 900))
        if status == FundingStatus.SOLLICITE and days is None and rng.random() < 0.7:
            expires = None
    return FundingLine(
        project=project,
        partner=partner,
        amount=amount,
        status=status,
        scheme=_scheme(rng, partner),
        requested_on=plan["requested_on"],
        granted_on=plan.get("granted_on"),
        closed_on=plan.get("closed_on"),
        expires_on=expires,
    )


def _scheme(rng, partner) -> str:
    """A scheme of the partner's kind; a European fund's lines carry the fund's own name."""
    named = [scheme for scheme in SCHEMES[partner.type] if scheme.lower() in partner.name.lower()]
    return rng.choice(named or SCHEMES[partner.type])


def _payments(rng, today, line: FundingLine, plan) -> list[tuple[datetime.date, Decimal]]:
    """(date, amount) of the instalments received: all of them on delivered projects."""
    parts = plan.get("instalments", 1)
    shares = [Decimal("0.5"), Decimal("0.3"), Decimal("0.2")] if parts == 3 else [Decimal("1")]
    if not plan.get("fully_paid"):
        shares = shares[:-1] if parts == 3 else [Decimal("0.6")]
    day, paid, payments = line.granted_on, Decimal("0.00"), []
    for index, share in enumerate(shares):
        day = min(day + datetime.timedelta(days=rng.randint(45, 300)), today)
        last = plan.get("fully_paid") and index == len(shares) - 1
        amount = (line.amount - paid if last else line.amount * share).quantize(Decimal("0.01"))
        payments.append((day, amount))
        paid += amount
    return payments


# Interactions ----------------------------------------------------------------------------------

KINDS = (
    [InteractionKind.REUNION] * 5
    + [InteractionKind.APPEL] * 3
    + [InteractionKind.COURRIEL] * 3
    + [
        InteractionKind.VISITE,
        InteractionKind.EVENEMENT,
    ]
)


def _interactions(rng, today, partners, owners) -> None:
    by_pk = {partner.pk: partner for partner in partners.values()}
    projects_of: dict[int, list[Project]] = {}
    for line in FundingLine.objects.select_related("project").order_by("pk"):
        projects_of.setdefault(line.partner_id, []).append(line.project)
    regulars = [pk for pk in by_pk if pk in projects_of] * 3 + list(by_pk)
    interactions, attendees = [], []
    for _ in range(230):
        first = by_pk[rng.choice(regulars)]
        others = rng.sample(list(by_pk.values()), k=rng.choice([0, 0, 0, 1, 2]))
        projects = projects_of.get(first.pk, [])
        project = rng.choice(projects) if projects and rng.random() < 0.55 else None
        interactions.append(
            Interaction(
                author=project.lead if project is not None else rng.choice(owners),
                date=today - datetime.timedelta(days=rng.randint(0, 364)),
                kind=rng.choice(KINDS),
                project=project,
                summary=rng.choice(SUMMARIES),
            )
        )
        attendees.append([first, *[other for other in others if other != first]])
    _bulk(Interaction, interactions)
    links = Interaction.partners.through.objects.bulk_create(
        [
            Interaction.partners.through(interaction=interaction, partner=partner)
            for interaction, partners_met in zip(interactions, attendees, strict=True)
            for partner in partners_met
        ]
    )
    # The creation records carry the partners met, as `.set()` would have recorded them.
    records = {
        record.id: record
        for record in Interaction.history.filter(id__in=[i.pk for i in interactions]).only("history_id", "id")
    }
    history_links = apps.get_model("partners", "HistoricalInteraction_partners")
    history_links.objects.bulk_create(
        [
            history_links(
                history=records[link.interaction_id],
                id=link.pk,
                interaction_id=link.interaction_id,
                partner_id=link.partner_id,
            )
            for link in links
        ]
    )
