"""The portfolio's co-financing on any date (leverage page), the expiring lines, the network."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from innovaction.charts.bars import horizontal_bars
from innovaction.exports import FORMATS, Column, export_response
from innovaction.formatting import format_money
from innovaction.lists import Sort, paginate
from innovaction.models import Organisation
from innovaction.permissions import rule_required
from partners import permissions
from partners.choices import FundingStatus, PartnerType
from partners.forms import DateForm
from partners.selectors import funding, network
from partners.selectors.funding import STATUS_ORDER

VIEWS = {
    "types": gettext_lazy("Par type de financeur"),
    "partenaires": gettext_lazy("Par partenaire"),
    "projets": gettext_lazy("Par projet"),
    "lignes": gettext_lazy("Lignes de financement"),
}

# Keys sort ascending (the headers' arrows say so); the defaults put the biggest first.
PROJECT_SORT = Sort(
    options={
        "code": ("code",),
        "titre": ("title",),
        "ville": ("city_contribution",),
        "securise": ("secured",),
        "levier": ("ratio",),
        "reste": ("gap",),
    },
    default="-securise",
)
LINE_SORT = Sort(
    options={
        "projet": ("project__code",),
        "partenaire": ("partner__name",),
        "montant": ("amount",),
        "statut": ("status_at",),
        "accord": ("granted_on",),
    },
    default="-montant",
)


def _line_columns(as_of) -> list[Column]:
    """SPEC §7 `financements` headers, then the line's state on the chosen date."""
    return [
        Column("projet", lambda line: line.project.code),
        Column("partenaire", lambda line: line.partner.name),
        Column("montant", lambda line: line.amount),
        Column("statut", lambda line: line.status),
        Column("dispositif", lambda line: line.scheme),
        Column("date_demande", lambda line: line.requested_on),
        Column("date_accord", lambda line: line.granted_on),
        Column("date_versement", lambda line: line.paid_on),
        Column("date_echeance", lambda line: line.expires_on),
        # Not a template column: what a refused or lapsed line needs to be imported again.
        Column("date_cloture", lambda line: line.closed_on),
        Column("siret_partenaire", lambda line: line.partner.siret),
        Column("type_partenaire", lambda line: line.partner.type),
        Column(f"statut_au_{as_of:%Y_%m_%d}", lambda line: line.status_at),
        Column(f"verse_au_{as_of:%Y_%m_%d}", lambda line: line.paid_at),
    ]


@require_GET
@rule_required(permissions.can_view_partners)
def leverage(request):
    """ "For 1 € of city money, X € from partners", on any date, and what it is made of."""
    dates = DateForm(request.GET or None)
    as_of = dates.day()
    user = request.user
    view = request.GET.get("vue") if request.GET.get("vue") in VIEWS else "types"
    portfolio = funding.portfolio_leverage(user, as_of=as_of)
    context = {
        "dates": dates,
        "as_of": as_of,
        "is_today": as_of == timezone.localdate(),
        "portfolio": portfolio,
        "view": view,
        "views": VIEWS,
        "statuses": [FundingStatus(s) for s in STATUS_ORDER],
        "closed_statuses": [FundingStatus.REFUSE, FundingStatus.CADUC],
        "my_projects": funding.editable_projects(user) if view == "types" else [],
    }
    if view == "types":
        context["chart"] = horizontal_bars(
            [(row.label, row.secured) for row in portfolio.types],
            title=_("Fonds sécurisés par type de financeur au %(date)s") % {"date": as_of.strftime("%d/%m/%Y")},
            description=_("Montants accordés ou versés, en euros ; le tableau ci-dessous donne les chiffres."),
            value_label=lambda value: format_money(value, cents=False),
            colours=[network.TYPE_COLOURS[row.type] for row in portfolio.types],
            label_width=250,
            width=720,
        )
    elif view == "partenaires":
        context["page"] = paginate(funding.partner_totals(user, as_of=as_of), request.GET.get("page"))
        context["type_labels"] = dict(PartnerType.choices)
    elif view == "projets":
        projects, sort = PROJECT_SORT.apply(funding.project_totals(user, as_of=as_of), request.GET.get("sort"))
        context.update(page=paginate(projects, request.GET.get("page")), sort=sort)
    else:
        return _lines_view(request, context)
    return render(request, "partners/leverage.html", context)


def _lines_view(request, context):
    as_of = context["as_of"]
    lines = funding.portfolio_lines(request.user, as_of).select_related("project", "partner")
    partner_type = request.GET.get("type", "")
    status = request.GET.get("statut", "")
    if partner_type in PartnerType.values:
        lines = lines.filter(partner__type=partner_type)
    if status in FundingStatus.values:
        lines = lines.filter(status_at=status)
    lines, sort = LINE_SORT.apply(lines, request.GET.get("sort"))
    export = request.GET.get("export")
    if export in FORMATS:
        return export_response(export, lines.iterator(chunk_size=500), _line_columns(as_of), "financements")
    context.update(
        page=paginate(lines, request.GET.get("page")),
        sort=sort,
        partner_type=partner_type if partner_type in PartnerType.values else "",
        status=status if status in FundingStatus.values else "",
        partner_types=PartnerType.choices,
        status_choices=FundingStatus.choices,
    )
    return render(request, "partners/leverage.html", context)


def _expiring_columns(today) -> list[Column]:
    """SPEC §7 `financements` headers, then what the deadlines page adds."""
    return [
        *_line_columns(today)[:9],
        Column("jours_restants", lambda line: (line.expires_on - today).days),
        Column("deja_verse", lambda line: line.paid_total),
        Column("chef_de_projet", lambda line: str(line.project.lead)),
    ]


@require_GET
@rule_required(permissions.can_view_partners)
def expiring(request):
    today = timezone.localdate()
    days = Organisation.current().funding_alert_days
    lines = funding.expiring_lines(request.user, today=today, days=days)
    export = request.GET.get("export")
    if export in FORMATS:
        return export_response(export, lines.iterator(chunk_size=500), _expiring_columns(today), "echeances")
    page = paginate(lines, request.GET.get("page"))
    for line in page:
        line.days_left = (line.expires_on - today).days
        line.days_late = -line.days_left
    return render(request, "partners/expiring.html", {"page": page, "days": days, "today": today})


@require_GET
@rule_required(permissions.can_view_partners)
def network_page(request):
    partner_type = request.GET.get("type", "")
    if partner_type not in PartnerType.values:
        partner_type = ""
    limit = request.GET.get("limite", "")
    limit = int(limit) if limit in network.LIMITS else network.DEFAULT_LIMIT
    graph = network.partner_network(request.user, partner_type=partner_type, limit=limit)
    return render(
        request,
        "partners/network.html",
        {
            "graph": graph,
            "partner_type": partner_type,
            "partner_types": PartnerType.choices,
            "limit": limit,
            "limits": network.LIMITS,
        },
    )
