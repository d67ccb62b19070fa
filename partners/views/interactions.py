"""Interactions: the quick log form, corrections, the list and its exports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from innovaction.exports import FORMATS, Column, export_response
from innovaction.lists import paginate
from innovaction.permissions import rule_required
from partners import permissions, services
from partners.choices import InteractionKind
from partners.forms import InteractionForm, apply_errors
from partners.models import Partner
from partners.selectors import directory, visible_projects
from partners.views.common import id_param, safe_next


def interaction_form_for(user, *args, partner_count: int = 1, **kwargs) -> InteractionForm:
    """The interaction form, its project list narrowed to what `user` may see."""
    projects = visible_projects(user).order_by("-phase_since", "code").only("pk", "code", "title")
    return InteractionForm(*args, projects=projects, partner_count=partner_count, **kwargs)


def _initial(request) -> dict:
    initial = {}
    partner = Partner.objects.filter(pk=id_param(request, "partenaire")).first()
    if partner is not None:
        initial["partner_0"] = partner
    project = visible_projects(request.user).filter(pk=id_param(request, "projet")).first()
    if project is not None:
        initial["project"] = project
    return initial


def _fields(form: InteractionForm) -> dict:
    data = form.cleaned_data
    return {
        "date": data["date"],
        "kind": data["kind"],
        "partners": form.partners,
        "project": data["project"],
        "summary": data["summary"],
    }


def _submitted_partner_count(request) -> int:
    """How many partner inputs the submitted form had (the form may have grown)."""
    return sum(1 for key in request.POST if key.startswith("partner_")) - InteractionForm.EXTRA_PARTNERS


@rule_required(permissions.can_log_interaction)
def interaction_create(request):
    if request.method == "POST":
        form = interaction_form_for(request.user, request.POST, partner_count=_submitted_partner_count(request))
        if form.is_valid():
            try:
                interaction = services.interaction_log(author=request.user, **_fields(form))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Échange du %(date)s enregistré.") % {"date": interaction.date.strftime("%d/%m/%Y")},
                )
                return redirect(safe_next(request, form.partners[0].get_absolute_url()))
    else:
        form = interaction_form_for(request.user, initial=_initial(request))
    return render(
        request,
        "partners/interaction_form.html",
        {"form": form, "interaction": None, "next": safe_next(request, "")},
    )


@rule_required(permissions.can_view_partners)
def interaction_edit(request, pk):
    interaction = permissions.get_interaction_for_user(request.user, pk, "edit")
    current = list(interaction.partners.order_by("name"))
    if request.method == "POST":
        form = interaction_form_for(request.user, request.POST, partner_count=_submitted_partner_count(request))
        if form.is_valid():
            try:
                services.interaction_update(interaction=interaction, **_fields(form))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Échange mis à jour."))
                return redirect(safe_next(request, form.partners[0].get_absolute_url()))
    else:
        initial = {
            "date": interaction.date,
            "kind": interaction.kind,
            "project": interaction.project,
            "summary": interaction.summary,
            **{f"partner_{index}": partner for index, partner in enumerate(current)},
        }
        form = interaction_form_for(request.user, initial=initial, partner_count=len(current))
    return render(
        request,
        "partners/interaction_form.html",
        {"form": form, "interaction": interaction, "next": safe_next(request, "")},
    )


@rule_required(permissions.can_view_partners)
def interaction_delete(request, pk):
    interaction = permissions.get_interaction_for_user(request.user, pk, "edit")
    first = interaction.partners.order_by("name").first()
    if request.method == "POST":
        services.interaction_delete(interaction=interaction)
        messages.success(request, _("Échange supprimé."))
        return redirect(first.get_absolute_url() if first else "partners:interaction_list")
    return render(request, "partners/interaction_delete.html", {"interaction": interaction, "partner": first})


# What the timeline shows, one interaction a row; partners are joined in one cell so a row
# stays one interaction (their SIRETs alongside, in the same order, to tell namesakes apart).
EXPORT_COLUMNS = [
    Column("date", lambda i: i.date),
    Column("nature", lambda i: i.kind),
    Column("nature_libelle", lambda i: i.get_kind_display()),
    Column("partenaires", lambda i: " | ".join(p.name for p in _partners(i))),
    Column("siret_partenaires", lambda i: " | ".join(p.siret for p in _partners(i))),
    Column("projet", lambda i: i.project.code if i.project else ""),
    Column("titre_projet", lambda i: i.project.title if i.project else ""),
    Column("resume", lambda i: i.summary),
    Column("auteur", lambda i: str(i.author)),
]


def _partners(interaction) -> list[Partner]:
    """The prefetched partners, by name (sorting in Python keeps the prefetch)."""
    return sorted(interaction.partners.all(), key=lambda partner: (partner.name, partner.pk))


@require_GET
@rule_required(permissions.can_view_partners)
def interaction_list(request):
    partner = Partner.objects.filter(pk=id_param(request, "partenaire")).first()
    kind = request.GET.get("nature", "")
    if kind not in InteractionKind.values:
        kind = ""
    interactions = directory.interactions_list(request.user, partner=partner, kind=kind)
    export = request.GET.get("export")
    if export in FORMATS:
        # A prefetch needs a chunk size with iterator(); 500 keeps memory flat on long logs.
        return export_response(export, interactions.iterator(chunk_size=500), EXPORT_COLUMNS, "echanges")
    page = paginate(interactions, request.GET.get("page"))
    for interaction in page:
        interaction.editable = permissions.can_edit_interaction(request.user, interaction)
    return render(
        request,
        "partners/interaction_list.html",
        {
            "page": page,
            "partner": partner,
            "kind": kind,
            "kinds": InteractionKind.choices,
            "can_log": permissions.can_log_interaction(request.user),
        },
    )
