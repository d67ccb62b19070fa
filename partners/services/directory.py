"""Partners and their contacts, including the erasure of a contact (GDPR)."""

import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innovaction.concurrency import claim_version
from partners.models import Contact, Partner
from partners.validators import normalise_siret

PARTNER_FIELDS = (
    "name",
    "type",
    "siret",
    "sector",
    "website",
    "address",
    "owner",
    "notes",
    "network_joined_on",
    "charter_signed",
    "network_left_on",
)


def _check_partner(partner: Partner) -> None:
    """Clear French messages for the rules the database also enforces, then full_clean."""
    partner.name = " ".join(partner.name.split())
    partner.siret = normalise_siret(partner.siret)
    partner.sector = partner.sector.strip()
    errors: dict[str, str] = {}
    if partner.siret:
        twin = Partner.objects.filter(siret=partner.siret).exclude(pk=partner.pk).first()
        if twin is not None:
            errors["siret"] = _("Ce SIRET est déjà celui de « %(name)s ».") % {"name": twin.name}
    if partner.network_left_on and not partner.network_joined_on:
        errors["network_left_on"] = _("Une sortie du réseau suppose une date d'adhésion.")
    elif partner.network_left_on and partner.network_joined_on and partner.network_left_on < partner.network_joined_on:
        errors["network_left_on"] = _("La sortie du réseau ne peut pas précéder l'adhésion (%(date)s).") % {
            "date": partner.network_joined_on.strftime("%d/%m/%Y")
        }
    if errors:
        raise ValidationError(errors)
    partner.full_clean()


@transaction.atomic
def partner_create(
    *,
    name: str,
    type: str,
    siret: str = "",
    sector: str = "",
    website: str = "",
    address: str = "",
    owner=None,
    notes: str = "",
    network_joined_on: datetime.date | None = None,
    charter_signed: bool = False,
    network_left_on: datetime.date | None = None,
) -> Partner:
    partner = Partner(
        name=name,
        type=type,
        siret=siret,
        sector=sector,
        website=website,
        address=address,
        owner=owner,
        notes=notes,
        network_joined_on=network_joined_on,
        charter_signed=charter_signed,
        network_left_on=network_left_on,
    )
    _check_partner(partner)
    partner.save()
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, data: dict, expected_version: int | None) -> Partner:
    """Change the fields in `data` (keys of PARTNER_FIELDS); a stale form is refused."""
    unknown = set(data) - set(PARTNER_FIELDS)
    if unknown:
        raise ValueError(f"unknown partner fields: {sorted(unknown)}")
    claim_version(partner, expected_version)
    for field, value in data.items():
        setattr(partner, field, value)
    _check_partner(partner)
    partner.save()
    return partner


@transaction.atomic
def contact_create(*, partner: Partner, name: str, role: str = "", email: str = "", phone: str = "") -> Contact:
    contact = Contact(partner=partner, name=name.strip(), role=role.strip(), email=email.strip(), phone=phone.strip())
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, name: str, role: str = "", email: str = "", phone: str = "") -> Contact:
    contact.name, contact.role, contact.email, contact.phone = name.strip(), role.strip(), email.strip(), phone.strip()
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_erase(*, contact: Contact) -> None:
    """Delete the contact and every trace of it: its history rows (including the deletion
    record simple-history writes) and the Django admin's log lines naming it."""
    pk = contact.pk
    contact.delete()
    Contact.history.filter(id=pk).delete()
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Contact), object_id=str(pk)).delete()
