"""Partner list, partner page, partner and contact forms, the autocomplete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from innovaction.exports import FORMATS, Column, export_response
from innovaction.lists import Sort, paginate
from innovaction.models import Organisation
from innovaction.permissions import require, rule_required
from partners import permissions, services
from partners.choices import FundingStatus, PartnerType
from partners.filters import PartnerFilter
from partners.forms import ContactForm, EraseContactForm, PartnerForm, apply_errors, partner_label
from partners.models import Contact, Partner
from partners.selectors import directory
from partners.selectors.directory import partner_suggestions
from partners.views.interactions import interaction_form_for

SORT = Sort(
    options={
        "nom": ("name",),
        "type": ("type", "name"),
        "secteur": ("sector", "name"),
        "financements": ("secured_total", "name"),
        "echange": ("last_interaction_sort", "name"),
        "adhesion": ("network_joined_on", "name"),
    },
    default="nom",
)


def _export_columns(network: str) -> list[Column]:
    """SPEC §7 `partenaires` headers first (the membership columns carry the network's
    name, "investinromans_adhesion" for Romans), then what the list adds."""
    key = slugify(network).replace("-", "_") or "reseau"
    return [
        Column("nom", lambda p: p.name),
        Column("type", lambda p: p.type),
        Column("siret", lambda p: p.siret),
        Column("secteur", lambda p: p.sector),
        Column(f"{key}_adhesion", lambda p: p.network_joined_on),
        Column(f"{key}_sortie", lambda p: p.network_left_on),
        Column("charte_signee", lambda p: p.charter_signed),
        Column("type_libelle", lambda p: p.get_type_display()),
        Column("referent", lambda p: str(p.owner) if p.owner else ""),
        Column("financements_securises", lambda p: p.secured_total),
        Column("demandes_en_cours", lambda p: p.requested_total),
        Column("dernier_echange", lambda p: p.last_interaction),
    ]


@require_GET
@rule_required(permissions.can_view_partners)
def partner_list(request):
    network = Organisation.current().network_name
    filters = PartnerFilter(request.GET, queryset=directory.partners_with_totals(request.user), network_name=network)
    partners, sort = SORT.apply(filters.qs, request.GET.get("sort"))
    export = request.GET.get("export")
    if export in FORMATS:
        return export_response(export, partners.iterator(chunk_size=500), _export_columns(network), "partenaires")
    page = paginate(partners, request.GET.get("page"), request.GET.get("par_page"))
    return render(
        request,
        "partners/partner_list.html",
        {
            "filters": filters,
            "page": page,
            "sort": sort,
            "today": timezone.localdate(),
            "filtered": any(request.GET.get(name) for name in filters.filters),
            "can_manage": permissions.can_manage_partners(request.user),
        },
    )


@require_GET
@rule_required(permissions.can_view_partners)
def partner_detail(request, pk):
    partner = get_object_or_404(Partner.objects.select_related("owner"), pk=pk)
    user = request.user
    today = timezone.localdate()
    interactions = directory.interactions_list(user, partner=partner)
    shown = list(interactions[: directory.INTERACTIONS_ON_PAGE + 1])
    for interaction in shown:
        interaction.editable = permissions.can_edit_interaction(user, interaction)
    can_log = permissions.can_log_interaction(user)
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "today": today,
            "funding": directory.partner_funding(partner, user, today=today),
            "interactions": shown[: directory.INTERACTIONS_ON_PAGE],
            "more_interactions": len(shown) > directory.INTERACTIONS_ON_PAGE,
            "contacts": directory.partner_contacts(partner) if permissions.can_see_contacts(user) else None,
            "history": directory.partner_history(partner),
            "can_manage": permissions.can_manage_partners(user),
            "can_erase": permissions.can_erase_contact(user),
            "quick_form": interaction_form_for(user, initial={"partner_0": partner}) if can_log else None,
            "statuses": FundingStatus,
        },
    )


def _partner_data(form: PartnerForm) -> dict:
    return {field: form.cleaned_data[field] for field in services.directory.PARTNER_FIELDS}


@rule_required(permissions.can_manage_partners)
def partner_create(request):
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(**_partner_data(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Partenaire « %(name)s » enregistré.") % {"name": partner.name})
            return redirect(partner)
    return render(request, "partners/partner_form.html", {"form": form, "partner": None})


@rule_required(permissions.can_manage_partners)
def partner_edit(request, pk):
    partner = get_object_or_404(Partner, pk=pk)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(
                partner=partner, data=_partner_data(form), expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Fiche du partenaire mise à jour."))
            return redirect(partner)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner})


@require_GET
@rule_required(permissions.can_view_partners)
def autocomplete(request):
    """JSON for the partner pickers: at most ten partners matching `q`."""
    rows = partner_suggestions(request.GET.get("q", "")[:100])
    types = dict(PartnerType.choices)
    return JsonResponse(
        {
            "results": [
                {
                    "id": row["pk"],
                    "value": partner_label(row["pk"], row["name"]),
                    "name": row["name"],
                    "type": str(types.get(row["type"], "")),
                    "siret": row["siret"],
                }
                for row in rows
            ]
        }
    )


# Contacts -------------------------------------------------------------------------------------


def _contact_kwargs(form: ContactForm) -> dict:
    return {field: form.cleaned_data[field] for field in ("name", "role", "email", "phone")}


@rule_required(permissions.can_manage_partners)
def contact_create(request, partner_pk):
    partner = get_object_or_404(Partner, pk=partner_pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(partner=partner, **_contact_kwargs(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Contact ajouté."))
            return redirect(f"{partner.get_absolute_url()}#contacts")
    return render(request, "partners/contact_form.html", {"form": form, "partner": partner, "contact": None})


@rule_required(permissions.can_manage_partners)
def contact_edit(request, pk):
    contact = get_object_or_404(Contact.objects.select_related("partner"), pk=pk)
    form = ContactForm(request.POST or None, initial=_contact_initial(contact))
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(contact=contact, **_contact_kwargs(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Contact mis à jour."))
            return redirect(f"{contact.partner.get_absolute_url()}#contacts")
    return render(request, "partners/contact_form.html", {"form": form, "partner": contact.partner, "contact": contact})


def _contact_initial(contact: Contact) -> dict:
    return {"name": contact.name, "role": contact.role, "email": contact.email, "phone": contact.phone}


@rule_required(permissions.can_erase_contact)
def contact_erase(request, pk):
    contact = get_object_or_404(Contact.objects.select_related("partner"), pk=pk)
    partner = contact.partner
    form = EraseContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.contact_erase(contact=contact)
        messages.success(request, _("Le contact a été effacé, historique compris."))
        return redirect(f"{partner.get_absolute_url()}#contacts")
    require(permissions.can_see_contacts(request.user))
    return render(request, "partners/contact_erase.html", {"form": form, "contact": contact, "partner": partner})
