"""Reads of the partner directory: the list with its filters, a partner's page, the
autocomplete. Query counts stay constant whatever the number of partners."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DateField, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from innovaction.history import timeline
from partners.choices import PLANNED_STATUSES, SECURED_STATUSES, FundingStatus
from partners.models import Contact, Partner
from partners.selectors import (
    ZERO,
    Leverage,
    correlated,
    correlated_sum,
    visible_interactions,
    visible_lines,
)
from partners.selectors.funding import paid_by, portfolio_lines, portfolio_projects
from partners.validators import normalise_siret, search_text

NEVER = datetime.date(1900, 1, 1)


def partners_with_totals(user) -> QuerySet:
    """Partners annotated with what `user` may see of them: funds secured and requested
    today, and the date of the latest interaction."""
    lines = visible_lines(user).filter(partner=OuterRef("pk"))
    # From the partner's own links to their interactions, each checked for visibility: the
    # former shape (links whose interaction is IN the visible ones) let PostgreSQL scan every
    # interaction once per listed partner, 6 ms each at 10,000 interactions (bench/, issue 9).
    last = correlated(visible_interactions(user).filter(partners=OuterRef("pk")), "date", "MAX", DateField())
    return Partner.objects.select_related("owner").annotate(
        secured_total=correlated_sum(lines.filter(status__in=SECURED_STATUSES)),
        requested_total=correlated_sum(lines.filter(status=FundingStatus.SOLLICITE)),
        planned_total=correlated_sum(lines.filter(status__in=PLANNED_STATUSES)),
        last_interaction=last,
        last_interaction_sort=Coalesce(last, Value(NEVER)),
    )


def matching(partners: QuerySet, query: str) -> QuerySet:
    """Partners whose name, SIRET or sector contain every word of `query` (accents and
    case ignored); a query made of digits also matches the start of the SIRET."""
    digits = normalise_siret(query)
    if len(digits) >= 3 and digits.isdigit():
        return partners.filter(Q(siret__startswith=digits) | Q(search__contains=digits))
    for word in search_text(query).split():
        partners = partners.filter(search__contains=word)
    return partners


AUTOCOMPLETE_LIMIT = 10


def partner_suggestions(query: str, *, limit: int = AUTOCOMPLETE_LIMIT) -> list[dict]:
    """At most `limit` partners for the autocomplete, names starting with the query first."""
    words = search_text(query).split()
    if not words:
        return []
    rank = Case(When(search__startswith=words[0], then=Value(0)), default=Value(1), output_field=IntegerField())
    rows = (
        matching(Partner.objects.all(), query)
        .annotate(rank=rank)
        .order_by("rank", "name", "pk")
        .values("pk", "name", "type", "siret", "sector")[:limit]
    )
    return list(rows)


def sectors() -> list[str]:
    return list(Partner.objects.exclude(sector="").order_by("sector").values_list("sector", flat=True).distinct())


# A partner's page ----------------------------------------------------------------------------


@dataclass
class PartnerFunding:
    """A partner's lines that the user may see, with totals by current status."""

    lines: list
    by_status: dict[str, Decimal]
    paid: Decimal
    per_city_euro: Decimal | None  # this partner's secured € per city € of the portfolio

    def status(self, status: str) -> Decimal:
        return self.by_status.get(status, Decimal("0.00"))

    @property
    def secured(self) -> Decimal:
        return self.status(FundingStatus.ACCORDE) + self.status(FundingStatus.VERSE)

    @property
    def requested(self) -> Decimal:
        return self.status(FundingStatus.SOLLICITE)

    @property
    def closed(self) -> Decimal:
        return self.status(FundingStatus.REFUSE) + self.status(FundingStatus.CADUC)


def partner_funding(partner: Partner, user, *, today: datetime.date) -> PartnerFunding:
    """Three queries: the lines, the portfolio's city contribution, the partner's part of it."""
    lines = list(
        visible_lines(user)
        .filter(partner=partner)
        .annotate(paid_at=paid_by(today))
        .select_related("project")
        .order_by("-requested_on", "-pk")
    )
    by_status: dict[str, Decimal] = {}
    for line in lines:
        by_status[line.status] = by_status.get(line.status, Decimal("0.00")) + line.amount
    city = portfolio_projects(user, today).aggregate(total=Coalesce(Sum("city_contribution"), ZERO))["total"]
    in_portfolio = (
        portfolio_lines(user, today)
        .filter(partner=partner, status_at__in=SECURED_STATUSES)
        .aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]
    )
    return PartnerFunding(
        lines=lines,
        by_status=by_status,
        paid=sum((line.paid_at for line in lines), Decimal("0.00")),
        per_city_euro=Leverage(in_portfolio, city).ratio,
    )


INTERACTIONS_ON_PAGE = 20


def interactions_list(user, *, partner: Partner | None = None, kind: str = "") -> QuerySet:
    interactions = visible_interactions(user).select_related("author", "project").prefetch_related("partners")
    if partner is not None:
        interactions = interactions.filter(partners=partner)
    if kind:
        interactions = interactions.filter(kind=kind)
    return interactions.order_by("-date", "-pk")


def partner_contacts(partner: Partner) -> list[Contact]:
    return list(partner.contacts.order_by("name", "pk"))


def partner_history(partner: Partner) -> list:
    return timeline(partner.history.all(), limit=30)
