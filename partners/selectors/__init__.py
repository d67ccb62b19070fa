"""Reads of the partner ecosystem: totals and leverage (SPEC §3.4, §4.3).

This module holds the shared definitions: what "secured" means, the status of a line on
a given day, and which lines and interactions a user may know of. The pages' reads live
in the submodules (`directory`, `funding`, `network`).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, DecimalField, F, Func, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from partners.choices import SECURED_STATUSES, FundingStatus
from partners.models import FundingLine, Interaction
from portfolio.models import Project
from portfolio.permissions import visible_projects_filter

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)
RATIO = Decimal("0.01")


@dataclass(frozen=True)
class Leverage:
    """External funds secured ÷ city contribution; `ratio` is None when the city gives nothing."""

    secured: Decimal
    city_contribution: Decimal

    @property
    def ratio(self) -> Decimal | None:
        if not self.city_contribution:
            return None
        return (self.secured / self.city_contribution).quantize(RATIO)


def secured_lines(as_of: datetime.date | None = None) -> QuerySet:
    """Funding lines counted as secured: granted or paid, granted on or before `as_of`.

    A line that lapsed (caduc) never counts, even on a day before it lapsed: a grant that
    brought no money must not flatter a past leverage."""
    lines = FundingLine.objects.filter(status__in=SECURED_STATUSES)
    if as_of is not None:
        lines = lines.filter(granted_on__lte=as_of)
    return lines


def leverage_of(projects: QuerySet, *, as_of: datetime.date | None = None) -> Leverage:
    """Leverage of a set of projects (two aggregate queries, whatever their number)."""
    city = projects.aggregate(total=Coalesce(Sum("city_contribution"), ZERO))["total"]
    secured = (
        secured_lines(as_of)
        .filter(project__in=projects.values("pk"))
        .aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]
    )
    return Leverage(secured=secured, city_contribution=city)


def status_on(day: datetime.date) -> Case:
    """The status a line had at the end of `day`, read from its status dates (None: the line
    did not exist yet). Secured on `day` ⇔ current status accorde/verse and granted by `day`,
    exactly as `secured_lines(day)` counts it."""
    S = FundingStatus
    return Case(
        When(
            Q(status__in=[S.REFUSE, S.CADUC]) & (Q(closed_on__isnull=True) | Q(closed_on__lte=day)),
            then=F("status"),
        ),
        When(status=S.CADUC, granted_on__lte=day, then=Value(S.CADUC.value)),
        When(status=S.VERSE, granted_on__lte=day, paid_on__lte=day, then=Value(S.VERSE.value)),
        When(status__in=SECURED_STATUSES, granted_on__lte=day, then=Value(S.ACCORDE.value)),
        When(Q(requested_on__isnull=True) | Q(requested_on__lte=day), then=Value(S.SOLLICITE.value)),
        default=Value(None),
        output_field=CharField(),
    )


def network_members_on(day: datetime.date) -> Q:
    """Members of the partner network at the end of `day`: joined by then, not yet left."""
    return Q(network_joined_on__lte=day) & (Q(network_left_on__isnull=True) | Q(network_left_on__gt=day))


def visible_projects(user) -> QuerySet:
    return Project.objects.visible_to(user)


def visible_lines(user) -> QuerySet:
    """Funding lines of the projects `user` may know of (SPEC §2)."""
    return FundingLine.objects.filter(project__in=visible_projects(user).values("pk"))


def visible_interactions(user) -> QuerySet:
    """Interactions about no project, or about a project `user` may know of.

    The rule is read on the joined project: with `project IN (visible projects)`, PostgreSQL
    scanned every interaction once per partner of the list for its latest exchange (bench/)."""
    rule = visible_projects_filter(user, prefix="project__")
    if not rule:  # sees every project
        return Interaction.objects.all()
    return Interaction.objects.filter(Q(project__isnull=True) | rule)


def correlated(queryset: QuerySet, field: str, function: str, output_field) -> Subquery:
    """`function(field)` over `queryset`, a subquery already narrowed with OuterRef.

    A plain `Func` rather than an aggregate: an aggregate would make Django group the
    subquery by some column and return several rows."""
    value = queryset.order_by().annotate(value=Func(F(field), function=function, output_field=output_field))
    return Subquery(value.values("value")[:1], output_field=output_field)


def correlated_sum(queryset: QuerySet, field: str = "amount"):
    """SUM(`field`) over `queryset`, 0.00 when it is empty."""
    return Coalesce(correlated(queryset, field, "SUM", MONEY), ZERO)
