"""Funding lines through their statuses: transitions, dates, instalments, history, and the
pages that drive them — amounts exact to the cent, bad input refused and nothing saved."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners import services
from partners.choices import FundingStatus as S
from partners.models import FundingLine, Instalment

D = dt.date
TODAY = D(2025, 9, 15)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2025, 9, 15, 10, 0), tick=False):
        yield


def _line(project, partner, **kwargs):
    return services.funding_line_create(
        project=project,
        partner=partner,
        amount=kwargs.pop("amount", Decimal("100000.00")),
        requested_on=kwargs.pop("requested_on", D(2025, 3, 1)),
        **kwargs,
    )


@pytest.mark.django_db
def test_a_line_goes_from_requested_to_granted_to_paid_in_instalments(project, region):
    line = _line(project, region, scheme="Contrat Ambition Région")
    line = services.funding_line_transition(line=line, to_status=S.ACCORDE, on=D(2025, 5, 2), expected_version=1)
    assert (line.status, line.granted_on, line.version) == (S.ACCORDE, D(2025, 5, 2), 2)
    line = services.instalment_record(line=line, date=D(2025, 6, 1), amount=Decimal("40000.00"))
    assert (line.status, line.paid_on) == (S.VERSE, D(2025, 6, 1))
    line = services.instalment_record(line=line, date=D(2025, 7, 1), amount=Decimal("60000.00"))
    assert line.paid_on == D(2025, 6, 1)
    with pytest.raises(ValidationError, match="dépasse le reste à percevoir"):
        services.instalment_record(line=line, date=D(2025, 8, 1), amount=Decimal("0.01"))
    assert sum(i.amount for i in line.instalments.all()) == Decimal("100000.00")
    statuses = [record.status for record in line.history.order_by("history_date", "history_id")]
    assert statuses == [S.SOLLICITE, S.ACCORDE, S.VERSE, S.VERSE]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        (S.SOLLICITE, S.ACCORDE, True),
        (S.SOLLICITE, S.REFUSE, True),
        (S.SOLLICITE, S.CADUC, False),
        (S.ACCORDE, S.CADUC, True),
        (S.ACCORDE, S.REFUSE, False),
        (S.REFUSE, S.ACCORDE, False),
        (S.CADUC, S.ACCORDE, False),
    ],
)
def test_only_the_allowed_moves_pass(project, region, start, to, allowed):
    dates = {"granted_on": D(2025, 4, 1)} if start in (S.ACCORDE, S.CADUC) else {}
    if start in (S.REFUSE, S.CADUC):
        dates["closed_on"] = D(2025, 5, 1)
    line = _line(project, region, status=start, **dates)
    if allowed:
        services.funding_line_transition(line=line, to_status=to, on=D(2025, 6, 1))
        line.refresh_from_db()
        assert line.status == to
    else:
        with pytest.raises(ValidationError, match="ne peut pas passer"):
            services.funding_line_transition(line=line, to_status=to, on=D(2025, 6, 1))
        line.refresh_from_db()
        assert line.status == start


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "message"),
    [
        (D(2025, 2, 1), "La date de l'accord ne peut pas précéder la date de la demande (01/03/2025)."),
        (D(2025, 9, 16), "La date de l'accord ne peut pas être dans le futur."),
    ],
)
def test_status_dates_are_ordered_and_not_in_the_future(project, region, on, message):
    line = _line(project, region)
    with pytest.raises(ValidationError) as caught:
        services.funding_line_transition(line=line, to_status=S.ACCORDE, on=on)
    assert caught.value.message_dict["granted_on"] == [message]
    line.refresh_from_db()
    assert (line.status, line.granted_on) == (S.SOLLICITE, None)


@pytest.mark.django_db
def test_a_line_entered_at_a_later_status_needs_the_dates_of_its_path(project, region):
    with pytest.raises(ValidationError) as caught:
        _line(project, region, status=S.CADUC, closed_on=D(2025, 6, 1))
    assert "Indiquez la date de l'accord" in caught.value.message_dict["granted_on"][0]
    with pytest.raises(ValidationError) as caught:
        _line(project, region, status=S.SOLLICITE, granted_on=D(2025, 6, 1))
    assert "Sans objet" in caught.value.message_dict["granted_on"][0]
    paid = _line(project, region, status=S.VERSE, granted_on=D(2025, 4, 1), paid_on=D(2025, 5, 1))
    assert list(paid.instalments.values_list("date", "amount")) == [(D(2025, 5, 1), Decimal("100000.00"))]
    assert FundingLine.objects.count() == 1


@pytest.mark.django_db
def test_a_stale_edit_is_refused_naming_who_changed_the_line(project, region):
    line = _line(project, region)
    services.funding_line_transition(line=line, to_status=S.ACCORDE, on=D(2025, 5, 2), expected_version=1)
    with pytest.raises(ValidationError, match="après que vous l'avez ouverte"):
        services.funding_line_transition(line=line, to_status=S.CADUC, on=D(2025, 6, 2), expected_version=1)


# Pages ---------------------------------------------------------------------------------------


def _post_line(client, project, **data):
    form = {
        "partner": "Région Auvergne-Rhône-Alpes",
        "amount": "125 000,50",
        "scheme": "DSIL",
        "status": "sollicite",
        "requested_on": "2025-09-01",
        **data,
    }
    return client.post(reverse("partners:line_create", args=[project.pk]), form)


@pytest.mark.django_db
def test_a_lead_adds_a_line_to_their_plan_by_partner_name(client_for, lead, project, region):
    response = _post_line(client_for(lead), project)
    assert response.status_code == 302
    line = FundingLine.objects.get()
    assert (line.partner, line.amount, line.status) == (region, Decimal("125000.50"), S.SOLLICITE)
    plan = client_for(lead).get(response.url).text
    assert "125\u00a0000,50\u00a0€" in plan and "Région Auvergne-Rhône-Alpes" in plan


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-500", "Le montant doit être supérieur à zéro."),
        ("0", "Le montant doit être supérieur à zéro."),
        ("beaucoup", "« beaucoup » n&#x27;est pas un montant"),
        ("12,345", "deux décimales"),
    ],
)
def test_bad_amounts_are_refused_with_the_input_kept_and_nothing_saved(
    client_for, lead, project, region, amount, message
):
    response = _post_line(client_for(lead), project, amount=amount)
    assert response.status_code == 200
    assert message in response.text
    assert f'value="{amount}"' in response.text
    assert FundingLine.objects.count() == 0


@pytest.mark.django_db
def test_ten_cents_and_twenty_cents_make_thirty_cents(client_for, lead, project, region):
    client = client_for(lead)
    _post_line(client, project, amount="0,10")
    _post_line(client, project, amount="0.20")
    assert sum(FundingLine.objects.values_list("amount", flat=True)) == Decimal("0.30")
    plan = client.get(reverse("partners:project_funding", args=[project.pk])).text
    assert "Total des lignes" in plan
    assert '<td class="num">0,30\u00a0€</td>' in plan


@pytest.mark.django_db
def test_an_unknown_or_ambiguous_partner_is_explained(client_for, lead, project, region):
    from tests.partners.factories import PartnerFactory

    PartnerFactory(name="Région Bretagne")
    unknown = _post_line(client_for(lead), project, partner="Conseil de l'Ordre")
    assert "Aucun partenaire ne correspond à « Conseil de l&#x27;Ordre »" in unknown.text
    ambiguous = _post_line(client_for(lead), project, partner="région")
    assert "Plusieurs partenaires correspondent" in ambiguous.text
    picked = _post_line(client_for(lead), project, partner=f"Région Auvergne-Rhône-Alpes (n° {region.pk})")
    assert picked.status_code == 302
    assert FundingLine.objects.get().partner == region


@pytest.mark.django_db
def test_moving_a_line_to_granted_from_the_plan_updates_the_plan_and_the_leverage(client_for, lead, project, region):
    line = _line(project, region, amount=Decimal("300000.00"))
    client = client_for(lead)
    plan = client.get(reverse("partners:project_funding", args=[project.pk])).text
    assert "Marquer accordé" in plan
    url = reverse("partners:line_transition", args=[line.pk, S.ACCORDE])
    response = client.post(url, {"date": "2025-09-10", "version": "1"})
    assert response.status_code == 302
    plan = client.get(response.url).text
    assert "pour 1 € de la ville, 1,50 € des partenaires" in plan  # 300 000 / 200 000
    assert "300\u00a0000,00\u00a0€, accordés ou versés" in plan


@pytest.mark.django_db
def test_a_payment_page_records_an_instalment(client_for, lead, project, region):
    line = _line(project, region, status=S.ACCORDE, granted_on=D(2025, 4, 1))
    client = client_for(lead)
    url = reverse("partners:line_transition", args=[line.pk, S.VERSE])
    form = client.get(url).text
    assert "Reste à percevoir : 100\u00a0000,00 €." in form
    assert client.post(url, {"date": "2025-09-01", "amount": "25 000", "version": "1"}).status_code == 302
    line.refresh_from_db()
    assert (line.status, line.paid_on) == (S.VERSE, D(2025, 9, 1))
    assert Instalment.objects.get().amount == Decimal("25000.00")
    detail = client.get(reverse("partners:line_detail", args=[line.pk])).text
    assert "75\u00a0000,00\u00a0€" in detail  # remaining


@pytest.mark.django_db
def test_the_convention_is_checked_by_content_and_served_as_a_download(
    client_for, lead, project, region, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(lead)
    fake = SimpleUploadedFile("convention.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    refused = _post_line(client, project, convention=fake)
    assert "Ce type de fichier n&#x27;est pas accepté" in refused.text
    assert FundingLine.objects.count() == 0
    _post_line(client, project, convention=SimpleUploadedFile("Convention signée.pdf", PDF))
    line = FundingLine.objects.get()
    assert line.convention_name == "Convention signée.pdf" and "Convention" not in line.convention.name
    download = client.get(reverse("partners:line_convention", args=[line.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.django_db
def test_the_line_history_shows_each_status(client_for, lead, project, region):
    line = _line(project, region)
    services.funding_line_transition(line=line, to_status=S.ACCORDE, on=D(2025, 5, 2))
    page = client_for(lead).get(reverse("partners:line_detail", args=[line.pk])).text
    assert "Sollicité → Accordé" in page.replace("statut : ", "")


@pytest.mark.django_db
def test_a_line_is_corrected_but_never_below_what_was_paid(client_for, lead, project, region):
    line = _line(project, region, amount=Decimal("100000.00"), status=S.ACCORDE, granted_on=D(2025, 4, 1))
    services.instalment_record(line=line, date=D(2025, 6, 1), amount=Decimal("40000.00"))
    client = client_for(lead)
    url = reverse("partners:line_edit", args=[line.pk])
    form = client.get(url).text
    assert f'value="Région Auvergne-Rhône-Alpes (n° {region.pk})"' in form
    assert 'value="100\u00a0000,00"' in form and 'value="2025-04-01"' in form
    assert 'name="closed_on"' not in form  # not on this line's path
    data = {
        "partner": region.name,
        "amount": "30 000",
        "scheme": "DSIL",
        "requested_on": "2025-03-01",
        "granted_on": "2025-04-01",
        "version": "2",
    }
    refused = client.post(url, data)
    assert "inférieur aux versements déjà reçus (40\u00a0000,00\u00a0€)" in refused.text
    assert client.post(url, {**data, "amount": "90 000"}).status_code == 302
    line.refresh_from_db()
    assert (line.amount, line.status, line.paid_on) == (Decimal("90000.00"), S.VERSE, D(2025, 6, 1))
