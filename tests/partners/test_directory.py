"""The partner directory: list filters, search, sort, exports; the partner form and its
SIRET check; contacts and their erasure (GDPR); interactions logged in a few seconds."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from innovaction.models import Organisation
from partners import services
from partners.choices import FundingStatus, InteractionKind, PartnerType
from partners.models import Contact, Interaction, Partner
from tests.partners.factories import ContactFactory, FundingLineFactory, InteractionFactory, PartnerFactory

D = dt.date


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2025, 9, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def directory(project, secret_project, lead, director):
    organisation = Organisation.current()
    organisation.network_name = "InvestInRomans"
    organisation.save()
    cuir = PartnerFactory(
        name="Maroquinerie Rovaltain",
        type=PartnerType.ENTREPRISE,
        sector="Cuir",
        siret="73282932000074",
        network_joined_on=D(2016, 4, 1),
        charter_signed=True,
        owner=lead,
    )
    ancien = PartnerFactory(
        name="Tanneries Drômoises",
        type=PartnerType.ENTREPRISE,
        sector="Cuir",
        network_joined_on=D(2015, 1, 1),
        network_left_on=D(2020, 1, 1),
    )
    banque = PartnerFactory(
        name="Crédit Agricole Sud Rhône-Alpes", type=PartnerType.BANQUE, sector="Banque", owner=director
    )
    region = PartnerFactory(
        name="Région Auvergne-Rhône-Alpes", type=PartnerType.REGION, network_joined_on=D(2014, 9, 20)
    )
    FundingLineFactory(
        project=project, partner=region, amount=Decimal("50000"), status=FundingStatus.ACCORDE, granted_on=D(2025, 1, 1)
    )
    FundingLineFactory(
        project=secret_project,
        partner=banque,
        amount=Decimal("90000"),
        status=FundingStatus.ACCORDE,
        granted_on=D(2025, 1, 1),
    )
    FundingLineFactory(project=project, partner=cuir, amount=Decimal("5000"), status=FundingStatus.SOLLICITE)
    InteractionFactory(partners=[cuir], date=D(2025, 8, 1))
    InteractionFactory(partners=[region], date=D(2024, 3, 1))
    InteractionFactory(partners=[banque], date=D(2025, 9, 1), project=secret_project)
    return {"cuir": cuir, "ancien": ancien, "banque": banque, "region": region}


def _names(response) -> list[str]:
    return [p.name for p in response.context["page"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {},
            [
                "Crédit Agricole Sud Rhône-Alpes",
                "Maroquinerie Rovaltain",
                "Région Auvergne-Rhône-Alpes",
                "Tanneries Drômoises",
            ],
        ),
        ({"q": "DROMOISE"}, ["Tanneries Drômoises"]),  # accents and case ignored
        ({"q": "732 829"}, ["Maroquinerie Rovaltain"]),  # SIRET start
        ({"q": "cuir"}, ["Maroquinerie Rovaltain", "Tanneries Drômoises"]),  # sector
        ({"type": "entreprise"}, ["Maroquinerie Rovaltain", "Tanneries Drômoises"]),
        ({"adhesion": "membre"}, ["Maroquinerie Rovaltain", "Région Auvergne-Rhône-Alpes"]),
        ({"adhesion": "ancien"}, ["Tanneries Drômoises"]),
        ({"adhesion": "jamais"}, ["Crédit Agricole Sud Rhône-Alpes"]),
        ({"secteur": "Cuir"}, ["Maroquinerie Rovaltain", "Tanneries Drômoises"]),
        ({"financement": "securise"}, ["Région Auvergne-Rhône-Alpes"]),  # the bank's line is confidential
        ({"financement": "ligne"}, ["Maroquinerie Rovaltain", "Région Auvergne-Rhône-Alpes"]),
        ({"financement": "aucun"}, ["Crédit Agricole Sud Rhône-Alpes", "Tanneries Drômoises"]),
        ({"echange": "3mois"}, ["Maroquinerie Rovaltain"]),  # the bank's interaction is confidential
        ({"echange": "ancien"}, ["Région Auvergne-Rhône-Alpes"]),
        ({"echange": "jamais"}, ["Crédit Agricole Sud Rhône-Alpes", "Tanneries Drômoises"]),
        (
            {"sort": "-financements"},  # biggest first, then names backwards
            [
                "Région Auvergne-Rhône-Alpes",
                "Tanneries Drômoises",
                "Maroquinerie Rovaltain",
                "Crédit Agricole Sud Rhône-Alpes",
            ],
        ),
        (
            {"sort": "-echange"},  # latest first; the bank's only interaction is confidential
            [
                "Maroquinerie Rovaltain",
                "Région Auvergne-Rhône-Alpes",
                "Tanneries Drômoises",
                "Crédit Agricole Sud Rhône-Alpes",
            ],
        ),
        (
            {"sort": "echange"},
            [
                "Crédit Agricole Sud Rhône-Alpes",
                "Tanneries Drômoises",
                "Région Auvergne-Rhône-Alpes",
                "Maroquinerie Rovaltain",
            ],
        ),
    ],
)
def test_the_list_filters_searches_and_sorts_as_the_lead_sees_it(client_for, lead, directory, query, expected):
    assert _names(client_for(lead).get(reverse("partners:partner_list"), query)) == expected


@pytest.mark.django_db
def test_the_owner_filter_and_the_director_view_of_confidential_money(client_for, lead, director, directory):
    client = client_for(director)
    assert _names(client.get(reverse("partners:partner_list"), {"referent": lead.pk})) == ["Maroquinerie Rovaltain"]
    assert _names(client.get(reverse("partners:partner_list"), {"financement": "securise"})) == [
        "Crédit Agricole Sud Rhône-Alpes",
        "Région Auvergne-Rhône-Alpes",
    ]


@pytest.mark.django_db
def test_csv_export_follows_the_filters_and_the_spec_headers(client_for, lead, directory):
    response = client_for(lead).get(reverse("partners:partner_list"), {"type": "entreprise", "export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][:6] == ["nom", "type", "siret", "secteur", "investinromans_adhesion", "investinromans_sortie"]
    assert rows[1][:6] == ["Maroquinerie Rovaltain", "entreprise", "73282932000074", "Cuir", "01/04/2016", ""]
    assert rows[2][:6] == ["Tanneries Drômoises", "entreprise", "", "Cuir", "01/01/2015", "01/01/2020"]
    assert len(rows) == 3


@pytest.mark.django_db
def test_xlsx_export_keeps_amounts_as_numbers_without_confidential_money(client_for, lead, directory):
    response = client_for(lead).get(reverse("partners:partner_list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = rows[0]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_name["Région Auvergne-Rhône-Alpes"]["financements_securises"] == 50000
    assert by_name["Crédit Agricole Sud Rhône-Alpes"]["financements_securises"] == 0


# The partner form ---------------------------------------------------------------------------------


def _partner_form(**data):
    return {
        "name": "Valence Romans Agglo",
        "type": "epci",
        "siret": "",
        "sector": "",
        "website": "",
        "address": "",
        "notes": "",
        **data,
    }


@pytest.mark.django_db
def test_a_bad_siret_is_refused_clearly_and_the_input_kept(client_for, lead):
    response = client_for(lead).post(reverse("partners:partner_create"), _partner_form(siret="732 829 320 00075"))
    assert response.status_code == 200
    assert "Ce SIRET n&#x27;existe pas : sa clé de contrôle est fausse." in response.text
    assert 'value="Valence Romans Agglo"' in response.text and 'value="732 829 320 00075"' in response.text
    assert not Partner.objects.exists()


@pytest.mark.django_db
def test_a_good_siret_is_stored_without_spaces_and_a_twin_is_refused(client_for, lead):
    client = client_for(lead)
    response = client.post(
        reverse("partners:partner_create"), _partner_form(siret="732 829 320 00074", network_joined_on="2016-05-01")
    )
    partner = Partner.objects.get()
    assert response.url == partner.get_absolute_url()
    assert (partner.siret, partner.network_joined_on) == ("73282932000074", D(2016, 5, 1))
    twin = client.post(reverse("partners:partner_create"), _partner_form(name="Autre", siret="73282932000074"))
    assert "Ce SIRET est déjà celui de « Valence Romans Agglo »." in twin.text
    assert Partner.objects.count() == 1


@pytest.mark.django_db
def test_leaving_the_network_before_joining_is_refused(client_for, lead):
    response = client_for(lead).post(
        reverse("partners:partner_create"), _partner_form(network_joined_on="2020-01-01", network_left_on="2019-01-01")
    )
    assert "La sortie du réseau ne peut pas précéder l&#x27;adhésion (01/01/2020)." in response.text


@pytest.mark.django_db
def test_two_people_editing_the_same_partner(client_for, lead, director, region):
    url = reverse("partners:partner_edit", args=[region.pk])
    first = client_for(lead).post(url, _partner_form(name="Région AURA", type="region", version="1"))
    assert first.status_code == 302
    second = client_for(director).post(url, _partner_form(name="Région ARA", type="region", version="1"))
    assert "après que vous l&#x27;avez ouverte" in second.text and 'value="Région ARA"' in second.text
    region.refresh_from_db()
    assert region.name == "Région AURA"


@pytest.mark.django_db
def test_the_network_name_is_data(client_for, lead, directory):
    organisation = Organisation.current()
    organisation.network_name = "Réseau Valence Entreprendre"
    organisation.save()
    page = client_for(lead).get(reverse("partners:partner_list")).text
    assert "Réseau Valence Entreprendre" in page and "InvestInRomans" not in page


# Contacts and GDPR ---------------------------------------------------------------------------------


def _tables_containing(*needles: str) -> list[str]:
    """Every table and text column of the database where one of `needles` appears."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                if field.get_internal_type() not in ("CharField", "TextField", "EmailField"):
                    continue
                for needle in needles:
                    cursor.execute(f'SELECT COUNT(*) FROM "{table}" WHERE "{field.column}" LIKE %s', [f"%{needle}%"])  # noqa: S608 (names from the models)
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{field.column}")
    return found


@pytest.mark.django_db
def test_erasing_a_contact_leaves_no_trace_in_any_table_history_included(client_for, director, lead, region):
    client = client_for(lead)
    client.post(
        reverse("partners:contact_create", args=[region.pk]),
        {"name": "Hortense Vallier", "role": "DGA", "email": "hortense.vallier@region.test", "phone": "04 75 00 00 00"},
    )
    contact = Contact.objects.get()
    client.post(
        reverse("partners:contact_edit", args=[contact.pk]),
        {"name": "Hortense Vallier-Roux", "email": "h.vallier@region.test"},
    )
    history = Contact.history.model._meta.db_table
    assert sorted(_tables_containing("Vallier")) == sorted(["partners_contact.name", f"{history}.name"])

    erase = client_for(director)
    page = erase.get(reverse("partners:contact_erase", args=[contact.pk])).text
    assert "sans possibilité de retour" in page
    refused = erase.post(reverse("partners:contact_erase", args=[contact.pk]), {})
    assert "Cochez la case pour confirmer" in refused.text and Contact.objects.exists()
    assert erase.post(reverse("partners:contact_erase", args=[contact.pk]), {"confirm": "on"}).status_code == 302

    assert _tables_containing("Vallier", "hortense", "h.vallier") == []
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COUNT(*) FROM "{history}"')  # noqa: S608
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_erasing_one_contact_keeps_the_others_and_their_history(director, region):
    kept = ContactFactory(partner=region, name="Paul Garde")
    gone = ContactFactory(partner=region, name="Jeanne Part")
    services.contact_erase(contact=gone)
    assert list(Contact.objects.values_list("name", flat=True)) == ["Paul Garde"]
    assert Contact.history.filter(id=kept.pk).count() == 1


# Interactions --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_lead_logs_a_meeting_from_the_partner_page_in_one_step(client_for, lead, project, region):
    client = client_for(lead)
    page = client.get(region.get_absolute_url()).text
    assert 'value="2025-09-15"' in page  # the date defaults to today
    response = client.post(
        reverse("partners:interaction_create"),
        {
            "next": region.get_absolute_url() + "#echanges",
            "partner_0": f"{region.name} (n° {region.pk})",
            "partner_1": "",
            "partner_2": "",
            "date": "2025-09-15",
            "kind": InteractionKind.REUNION,
            "project": project.pk,
            "summary": "Comité technique : dossier complet.",
        },
    )
    assert response.status_code == 302 and response.url == region.get_absolute_url() + "#echanges"
    interaction = Interaction.objects.get()
    assert (interaction.author, interaction.project, list(interaction.partners.all())) == (lead, project, [region])
    timeline = client.get(region.get_absolute_url()).text
    assert "Comité technique : dossier complet." in timeline and "lundi 15 septembre 2025" in timeline


@pytest.mark.django_db
def test_an_interaction_with_several_partners_and_no_future_date(client_for, lead, region):
    other = PartnerFactory(name="CCI de la Drôme")
    client = client_for(lead)
    data = {
        "partner_0": region.name,
        "partner_1": "CCI de la Drôme",
        "partner_2": "",
        "date": "2025-09-20",
        "kind": "appel",
        "summary": "Appel",
    }
    future = client.post(reverse("partners:interaction_create"), data)
    assert "la date ne peut pas être dans le futur" in future.text and not Interaction.objects.exists()
    client.post(reverse("partners:interaction_create"), {**data, "date": "2025-09-12"})
    assert set(Interaction.objects.get().partners.all()) == {region, other}


@pytest.mark.django_db
def test_a_lead_may_not_attach_an_interaction_to_a_project_they_cannot_see(client_for, lead, region, secret_project):
    response = client_for(lead).post(
        reverse("partners:interaction_create"),
        {
            "partner_0": region.name,
            "partner_1": "",
            "partner_2": "",
            "date": "2025-09-12",
            "kind": "appel",
            "project": secret_project.pk,
            "summary": "x",
        },
    )
    assert response.status_code == 200 and "Sélectionnez un choix valide" in response.text
    assert not Interaction.objects.exists()


@pytest.mark.django_db
@pytest.mark.ignore_template_errors  # Django's admin templates rely on missing variables
def test_the_admin_erases_contacts_only_through_the_erasure(client_for, admin_user, region):
    from django.contrib.admin.models import LogEntry

    client = client_for(admin_user)
    contact = ContactFactory(partner=region, name="Gaspard Oubli", email="gaspard@region.test")
    change = reverse("admin:partners_contact_change", args=[contact.pk])
    client.post(
        change,
        {"partner": region.pk, "name": "Gaspard Oubli", "role": "DGS", "email": "gaspard@region.test", "phone": ""},
    )
    assert LogEntry.objects.filter(object_repr__contains="Gaspard").exists()
    assert client.get(reverse("admin:partners_contact_delete", args=[contact.pk])).status_code == 403
    response = client.post(
        reverse("admin:partners_contact_changelist"), {"action": "erase", "_selected_action": [contact.pk]}
    )
    assert response.status_code == 302
    assert _tables_containing("Gaspard", "gaspard@") == []


@pytest.mark.django_db
def test_the_privacy_notice_says_what_is_kept_about_contacts_and_how_it_is_erased(client, directory):
    page = client.get(reverse("privacy")).text
    assert "nom, fonction, adresse e-mail et téléphone professionnels" in page
    assert "tout l'historique de ses modifications sont supprimés, sans trace" in page
    assert "membres du réseau InvestInRomans" in page


@pytest.mark.django_db
def test_the_edit_form_opens_with_the_partners_values(client_for, lead, directory):
    page = client_for(lead).get(reverse("partners:partner_edit", args=[directory["cuir"].pk])).text
    assert 'value="Maroquinerie Rovaltain"' in page and 'value="73282932000074"' in page
    assert 'value="2016-04-01"' in page and 'name="version" value="1"' in page
    assert "Adhésion au réseau InvestInRomans" in page
