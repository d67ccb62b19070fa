"""Open data (SPEC §7): public exports of the non-confidential projects and of the indicator
values, in CSV and JSON, under the Licence Ouverte 2.0 — no login. What a confidential project
is never appears; nor does any personal data (the project lead is not published)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from innovaction.exports import Column, csv_response


@dataclass(frozen=True)
class Field:
    name: str
    description: str | Promise
    value: Callable


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str | Promise
    description: str | Promise
    fields: list[Field]
    rows: Callable


def _projects():
    from portfolio.choices import Phase
    from portfolio.models import Project
    from portfolio.selectors.projects import with_log

    projects = with_log(Project.objects.filter(confidential=False).select_related("theme", "district")).order_by("code")
    for project in projects.iterator(chunk_size=500):
        first: dict[str, datetime.date] = {}
        for row in project.transitions.all():
            first.setdefault(row.to_phase, row.effective_date)
        project.first_dates = {phase: first.get(phase) for phase in Phase}
        yield project


def _measurements():
    from scorecard.models import Measurement

    rows = (
        Measurement.objects.filter(is_current=True, indicator__is_active=True, value__isnull=False)
        .select_related("indicator", "indicator__perspective")
        .order_by("indicator__code", "period")
    )
    return rows.iterator(chunk_size=1000)


def _date(phase):
    return lambda project: project.first_dates.get(phase)


def _datasets() -> dict[str, Dataset]:
    from portfolio.choices import Phase

    return {
        "projets": Dataset(
            slug="projets",
            title=_("Projets de la ville"),
            description=_(
                "Les projets non confidentiels du portefeuille, leur phase, leurs dates clés et leur budget."
            ),
            fields=[
                Field("code", _("Code unique du projet."), lambda p: p.code),
                Field("titre", _("Intitulé."), lambda p: p.title),
                Field("theme", _("Thème de l'action municipale."), lambda p: p.theme.name),
                Field(
                    "quartier",
                    _("Quartier concerné (vide : toute la ville)."),
                    lambda p: p.district.name if p.district else "",
                ),
                Field(
                    "phase",
                    _(
                        "Phase actuelle (commande, instruction, arbitrage, realisation, livre, evalue, suspendu, abandonne)."
                    ),
                    lambda p: p.phase,
                ),
                Field("phase_depuis", _("Date d'entrée dans la phase actuelle."), lambda p: p.phase_since),
                Field("date_commande", _("Date de la lettre de commande."), _date(Phase.COMMANDE)),
                Field("date_decision", _("Date de la décision de réaliser."), _date(Phase.REALISATION)),
                Field("date_livraison", _("Date de livraison."), _date(Phase.LIVRE)),
                Field("cout_total", _("Coût total prévu, en euros."), lambda p: p.total_cost),
                Field("part_ville", _("Part financée par la ville, en euros."), lambda p: p.city_contribution),
            ],
            rows=_projects,
        ),
        "indicateurs": Dataset(
            slug="indicateurs",
            title=_("Valeurs des indicateurs du tableau de bord"),
            description=_("La valeur en vigueur de chaque indicateur, mois par mois, avec sa cible et son statut."),
            fields=[
                Field("indicateur", _("Code de l'indicateur."), lambda m: m.indicator.code),
                Field("nom", _("Nom de l'indicateur."), lambda m: m.indicator.name),
                Field("perspective", _("Perspective du tableau de bord."), lambda m: m.indicator.perspective.name),
                Field("unite", _("Unité (eur, pct, days, count, ratio, score)."), lambda m: m.indicator.unit),
                Field("periode", _("Mois mesuré, AAAA-MM."), lambda m: m.period.strftime("%Y-%m")),
                Field("valeur", _("Valeur."), lambda m: m.value),
                Field("cible", _("Cible de l'année (vide : pas de cible)."), lambda m: m.target),
                Field("statut", _("Statut par rapport à la cible : vert, orange ou rouge."), lambda m: m.status),
            ],
            rows=_measurements,
        ),
    }


@login_not_required
@require_GET
def open_data(request):
    return render(request, "innovaction/open_data.html", {"datasets": _datasets().values()})


def _json_value(value):
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@login_not_required
@require_GET
def open_data_file(request, slug: str, fmt: str):
    dataset = _datasets().get(slug)
    if dataset is None or fmt not in ("csv", "json"):
        raise Http404
    filename = f"innovaction-{slug}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        columns = [Column(field.name, field.value) for field in dataset.fields]
        response: StreamingHttpResponse = csv_response(dataset.rows(), columns, filename)
    else:
        rows = [{field.name: _json_value(field.value(row)) for field in dataset.fields} for row in dataset.rows()]
        response = JsonResponse(
            {"licence": "Licence Ouverte 2.0 (Etalab)", "jeu": slug, "donnees": rows},
            json_dumps_params={"ensure_ascii": False},
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
