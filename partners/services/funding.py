"""Funding lines: creation, corrections, status changes and instalments (SPEC §4.3).

Whether a status change is allowed, and which dates it needs, is decided by
`partners.funding_flow`; these functions apply it and write the rows, history included.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from innovaction.concurrency import claim_version
from innovaction.formatting import format_money
from innovaction.uploads import check_upload, storage_name
from partners import funding_flow
from partners.choices import FundingStatus
from partners.models import FundingLine, Instalment

CENT = Decimal("0.01")


def _check_amount(amount, field: str = "amount") -> Decimal:
    if not isinstance(amount, Decimal):
        raise ValidationError({field: _("Le montant doit être un nombre décimal.")})
    if amount <= 0:
        raise ValidationError({field: _("Le montant doit être supérieur à zéro.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("Le montant ne peut pas avoir plus de deux décimales (centimes).")})
    return amount


def _status_dates(line: FundingLine) -> dict:
    return {field: getattr(line, field) for field in funding_flow.DATE_LABELS}


def _check_line(line: FundingLine) -> None:
    _check_amount(line.amount)
    funding_flow.check_dates(line.status, _status_dates(line))
    stray = {
        field: _("Sans objet pour une ligne « %(status)s » : laissez ce champ vide.")
        % {"status": FundingStatus(line.status).label}
        for field in funding_flow.dates_off_path(line.status)
        if getattr(line, field) is not None
    }
    if stray:
        raise ValidationError(stray)
    if line.expires_on and line.requested_on and line.expires_on < line.requested_on:
        raise ValidationError({"expires_on": _("La date limite ne peut pas précéder la demande.")})
    line.full_clean(exclude=["convention"])


def _attach_convention(line: FundingLine, upload) -> None:
    checked = check_upload(upload)
    line.convention.save(storage_name("conventions", checked.kind), upload, save=False)
    line.convention_name = checked.original_name


@transaction.atomic
def funding_line_create(
    *,
    project,
    partner,
    amount: Decimal,
    requested_on: datetime.date,
    status: str = FundingStatus.SOLLICITE,
    scheme: str = "",
    granted_on: datetime.date | None = None,
    paid_on: datetime.date | None = None,
    closed_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    convention=None,
) -> FundingLine:
    """A new line; a line entered as `verse` gets one instalment of its whole amount."""
    line = FundingLine(
        project=project,
        partner=partner,
        amount=amount,
        status=status,
        scheme=scheme.strip(),
        requested_on=requested_on,
        granted_on=granted_on,
        paid_on=paid_on,
        closed_on=closed_on,
        expires_on=expires_on,
    )
    _check_line(line)
    if convention is not None:
        _attach_convention(line, convention)
    line.save()
    if status == FundingStatus.VERSE:
        Instalment.objects.create(funding_line=line, date=paid_on, amount=amount)
    return line


@transaction.atomic
def funding_line_update(
    *,
    line: FundingLine,
    expected_version: int | None,
    partner,
    amount: Decimal,
    scheme: str,
    requested_on: datetime.date | None,
    granted_on: datetime.date | None = None,
    closed_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    convention=None,
    remove_convention: bool = False,
) -> FundingLine:
    """Correct a line: amount, scheme, partner, dates of the statuses it went through.

    The status itself changes only through `funding_line_transition`; the payment date
    follows the instalments."""
    claim_version(line, expected_version)
    paid = _paid_total(line)
    if paid and amount < paid:
        raise ValidationError(
            {
                "amount": _("Le montant ne peut pas être inférieur aux versements déjà reçus (%(paid)s).")
                % {"paid": format_money(paid)}
            }
        )
    line.partner, line.amount, line.scheme = partner, amount, scheme.strip()
    line.requested_on, line.expires_on = requested_on, expires_on
    if line.status in (FundingStatus.ACCORDE, FundingStatus.VERSE, FundingStatus.CADUC):
        line.granted_on = granted_on
    if line.status in (FundingStatus.REFUSE, FundingStatus.CADUC):
        line.closed_on = closed_on
    _check_line(line)
    if remove_convention and line.convention:
        line.convention.delete(save=False)
        line.convention_name = ""
    if convention is not None:
        _attach_convention(line, convention)
    line.save()
    return line


def _paid_total(line: FundingLine) -> Decimal:
    return line.instalments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@transaction.atomic
def funding_line_transition(
    *,
    line: FundingLine,
    to_status: str,
    on: datetime.date,
    expected_version: int | None = None,
    amount: Decimal | None = None,
) -> FundingLine:
    """Move `line` to `to_status` dated `on`. Moving to `verse` records an instalment of
    `amount` (the whole line when omitted)."""
    claim_version(line, expected_version)
    funding_flow.check_move(line.status, to_status)
    if to_status == FundingStatus.VERSE:
        return instalment_record(line=line, date=on, amount=amount if amount is not None else line.amount)
    line.status = to_status
    setattr(line, funding_flow.STATUS_DATE[FundingStatus(to_status)], on)
    _check_line(line)
    line.save()
    return line


@transaction.atomic
def instalment_record(*, line: FundingLine, date: datetime.date, amount: Decimal) -> FundingLine:
    """A payment received on a granted line; the first one makes the line `verse`."""
    line = FundingLine.objects.select_for_update().get(pk=line.pk)
    if line.status not in (FundingStatus.ACCORDE, FundingStatus.VERSE):
        raise ValidationError(
            {
                "amount": _("Un versement ne s'enregistre que sur une ligne accordée (statut actuel : %(status)s).")
                % {"status": FundingStatus(line.status).label}
            }
        )
    _check_amount(amount)
    remaining = line.amount - _paid_total(line)
    if amount > remaining:
        raise ValidationError(
            {
                "amount": _("Ce versement dépasse le reste à percevoir sur la ligne (%(remaining)s).")
                % {"remaining": format_money(remaining)}
            }
        )
    if date > timezone.localdate():
        raise ValidationError({"date": _("La date du versement ne peut pas être dans le futur.")})
    if line.granted_on and date < line.granted_on:
        raise ValidationError(
            {
                "date": _("Un versement ne peut pas précéder l'accord (%(date)s).")
                % {"date": line.granted_on.strftime("%d/%m/%Y")}
            }
        )
    Instalment.objects.create(funding_line=line, date=date, amount=amount)
    line.status = FundingStatus.VERSE
    line.paid_on = min(date, line.paid_on) if line.paid_on else date
    line.version += 1
    _check_line(line)
    line.save()
    return line


@transaction.atomic
def funding_line_delete(*, line: FundingLine) -> None:
    """A line entered by mistake; its history stays, as for every deletion."""
    line.delete()
