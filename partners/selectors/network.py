"""The ecosystem as a network: partners ↔ projects, links weighted by money (SPEC §4.4).

Four queries whatever the size: the money per (partner, project), the interactions about
projects per (partner, project), the partners shown, the projects shown. Only what the user
may see is drawn."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from innovaction.charts.network import Link, Node, bipartite_network
from innovaction.formatting import format_money
from partners.choices import PLANNED_STATUSES, SECURED_STATUSES, PartnerType
from partners.models import Interaction, Partner
from partners.selectors import ZERO, visible_interactions, visible_lines, visible_projects

LIMITS = ("20", "40", "80", "500")
DEFAULT_LIMIT = 40

# One colour per partner type, distinguishable and dark enough for white labels nearby.
TYPE_COLOURS = {
    PartnerType.ETAT: "#1d3f72",
    PartnerType.REGION: "#0f6b63",
    PartnerType.DEPARTEMENT: "#b45309",
    PartnerType.EPCI: "#7c3aed",
    PartnerType.EUROPE: "#0369a1",
    PartnerType.CAISSE_DEPOTS: "#be185d",
    PartnerType.CHAMBRE_CONSULAIRE: "#4d7c0f",
    PartnerType.COMMUNE: "#57534e",
    PartnerType.ENTREPRISE: "#c2410c",
    PartnerType.BANQUE: "#155e75",
    PartnerType.FONDATION: "#a21caf",
    PartnerType.ASSOCIATION: "#15803d",
    PartnerType.ENSEIGNEMENT_RECHERCHE: "#9f1239",
    PartnerType.AUTRE: "#475569",
}


@dataclass
class NetworkLink:
    partner: dict
    project: dict
    planned: Decimal
    secured: Decimal
    interactions: int = 0


@dataclass
class Network:
    partners: list[dict]
    projects: list[dict]
    links: list[NetworkLink]
    hidden_partners: int
    svg: str = ""
    legend: list[tuple[str, str]] = field(default_factory=list)

    @property
    def planned(self) -> Decimal:
        return sum((link.planned for link in self.links), Decimal("0.00"))

    @property
    def by_partner(self) -> list[tuple[dict, list[NetworkLink]]]:
        """The links grouped by partner, in the partners' order: the graph as a table."""
        grouped: dict[int, list[NetworkLink]] = defaultdict(list)
        for link in self.links:
            grouped[link.partner["pk"]].append(link)
        return [(partner, grouped[partner["pk"]]) for partner in self.partners]


def partner_network(user, *, partner_type: str = "", limit: int = DEFAULT_LIMIT) -> Network:
    lines = visible_lines(user).filter(status__in=PLANNED_STATUSES)
    if partner_type:
        lines = lines.filter(partner__type=partner_type)
    money = list(
        lines.values("partner", "project")
        .annotate(planned=Sum("amount"), secured=Sum("amount", filter=Q(status__in=SECURED_STATUSES), default=ZERO))
        .order_by()
    )
    links_talked = Interaction.partners.through.objects.filter(
        interaction__project__isnull=False, interaction__in=visible_interactions(user).values("pk")
    )
    if partner_type:
        links_talked = links_talked.filter(partner__type=partner_type)
    talks = list(links_talked.values("partner", "interaction__project").annotate(count=Count("interaction")).order_by())
    by_partner: dict[int, Decimal] = defaultdict(Decimal)
    talk_count: dict[int, int] = defaultdict(int)
    for row in money:
        by_partner[row["partner"]] += row["planned"]
    for row in talks:
        talk_count[row["partner"]] += row["count"]
    # Money first, then the partners the city talks with about its projects.
    ranked = sorted({*by_partner, *talk_count}, key=lambda pk: (-by_partner[pk], -talk_count[pk], pk))
    shown = set(ranked[:limit])
    money = [row for row in money if row["partner"] in shown]
    talks = [row for row in talks if row["partner"] in shown]
    project_ids = {row["project"] for row in money} | {row["interaction__project"] for row in talks}
    partners = {row["pk"]: row for row in Partner.objects.filter(pk__in=shown).values("pk", "name", "type").order_by()}
    projects = {
        row["pk"]: row
        for row in visible_projects(user).filter(pk__in=project_ids).values("pk", "code", "title").order_by()
    }
    links: dict[tuple[int, int], NetworkLink] = {}
    for row in money:
        if row["project"] in projects:
            links[(row["partner"], row["project"])] = NetworkLink(
                partners[row["partner"]], projects[row["project"]], row["planned"], row["secured"]
            )
    for row in talks:
        key = (row["partner"], row["interaction__project"])
        if row["interaction__project"] not in projects:
            continue
        if key not in links:
            links[key] = NetworkLink(partners[key[0]], projects[key[1]], Decimal("0.00"), Decimal("0.00"))
        links[key].interactions = row["count"]
    ordered = sorted(links.values(), key=lambda link: (-link.planned, link.partner["name"], link.project["code"]))
    network = Network(
        partners=sorted(partners.values(), key=lambda p: (-by_partner[p["pk"]], -talk_count[p["pk"]], p["name"])),
        projects=sorted(projects.values(), key=lambda p: p["code"]),
        links=ordered,
        hidden_partners=max(len(ranked) - limit, 0),
    )
    for partner in network.partners:
        partner["planned"] = by_partner[partner["pk"]]
        partner["type_label"] = PartnerType(partner["type"]).label
    network.legend = [
        (str(PartnerType(t).label), TYPE_COLOURS[t])
        for t in PartnerType.values
        if any(p["type"] == t for p in network.partners)
    ]
    network.svg = _draw(network)
    return network


def _draw(network: Network) -> str:
    project_money: dict[int, Decimal] = defaultdict(Decimal)
    for link in network.links:
        project_money[link.project["pk"]] += link.planned
    left = [
        Node(
            key=f"p{p['pk']}",
            label=p["name"],
            href=reverse("partners:partner_detail", args=[p["pk"]]),
            weight=float(p["planned"]),
            colour=TYPE_COLOURS[p["type"]],
            title=_("%(name)s (%(type)s) : %(amount)s dans les plans de financement")
            % {"name": p["name"], "type": p["type_label"], "amount": format_money(p["planned"], cents=False)},
        )
        for p in network.partners
    ]
    right = [
        Node(
            key=f"j{p['pk']}",
            label=f"{p['code']} — {p['title']}",
            href=reverse("partners:project_funding", args=[p["pk"]]),
            weight=float(project_money[p["pk"]]),
            colour="#1b2430",
            title=_("%(code)s — %(title)s : %(amount)s de financements partenaires")
            % {"code": p["code"], "title": p["title"], "amount": format_money(project_money[p["pk"]], cents=False)},
        )
        for p in network.projects
    ]
    links = [
        Link(
            left=f"p{link.partner['pk']}",
            right=f"j{link.project['pk']}",
            weight=float(link.planned),
            colour=TYPE_COLOURS[link.partner["type"]],
            dashed=not link.planned,
            title=(
                _("%(partner)s → %(project)s : %(amount)s")
                % {
                    "partner": link.partner["name"],
                    "project": link.project["code"],
                    "amount": format_money(link.planned, cents=False),
                }
                if link.planned
                else _("%(partner)s ↔ %(project)s : %(count)s échange(s), sans financement")
                % {"partner": link.partner["name"], "project": link.project["code"], "count": link.interactions}
            ),
        )
        for link in network.links
    ]
    return bipartite_network(
        left,
        right,
        links,
        title=_("Réseau des partenaires et des projets"),
        description=_(
            "À gauche les partenaires, à droite les projets ; l'épaisseur d'un lien suit le montant "
            "sollicité, accordé ou versé ; un lien en pointillés est un échange sans financement."
        ),
        legend=network.legend,
    )
