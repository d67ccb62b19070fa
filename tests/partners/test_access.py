"""Who sees and does what, role by role (SPEC §2), on every page of the partner app."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from innovaction.roles import Role
from partners.choices import FundingStatus
from partners.models import Contact, FundingLine, Interaction, Partner
from tests.partners.factories import ContactFactory, FundingLineFactory, InteractionFactory

D = dt.date


@pytest.fixture
def world(project, secret_project, region, lead):
    open_line = FundingLineFactory(
        project=project,
        partner=region,
        amount=Decimal("300000.00"),
        status=FundingStatus.ACCORDE,
        granted_on=D(2025, 1, 10),
        expires_on=None,
    )
    secret_line = FundingLineFactory(
        project=secret_project,
        partner=region,
        amount=Decimal("777777.00"),
        status=FundingStatus.ACCORDE,
        granted_on=D(2025, 1, 10),
    )
    contact = ContactFactory(partner=region, name="Camille Secret", email="camille.secret@region.test")
    talk = InteractionFactory(partners=[region], project=secret_project, summary="Négociation confidentielle")
    mine = InteractionFactory(partners=[region], project=project, author=lead, summary="Réunion de lancement")
    return {"open": open_line, "secret": secret_line, "contact": contact, "talk": talk, "mine": mine}


READ_PAGES = [
    ("partners:partner_list", lambda w: []),
    ("partners:partner_detail", lambda w: [w["open"].partner_id]),
    ("partners:interaction_list", lambda w: []),
    ("partners:leverage", lambda w: []),
    ("partners:expiring", lambda w: []),
    ("partners:network", lambda w: []),
    ("partners:project_funding", lambda w: [w["open"].project_id]),
    ("partners:line_detail", lambda w: [w["open"].pk]),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "args"), READ_PAGES)
def test_every_role_reads_the_ecosystem(client_for, make_user, world, role, name, args):
    response = client_for(make_user(role)).get(reverse(name, args=args(world)))
    assert response.status_code == 200, (role, name)
    assert "777\u00a0777" not in response.text or role in (Role.ADMIN, Role.DIRECTOR, Role.CABINET)


@pytest.mark.django_db
def test_a_user_without_a_role_sees_nothing(client_for, make_user, world):
    client = client_for(make_user())
    assert client.get(reverse("partners:partner_list")).status_code == 403
    assert client.get(reverse("partners:autocomplete"), {"q": "reg"}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("views", ["vue=types", "vue=partenaires", "vue=projets", "vue=lignes"])
def test_confidential_money_is_absent_for_outsiders_everywhere(client_for, lead, elected, director, world, views):
    for user, sees in [(lead, False), (elected, False), (director, True)]:
        page = client_for(user).get(reverse("partners:leverage") + "?" + views).text
        shown = "777\u00a0777" in page or "1\u00a0077\u00a0777" in page  # alone, or added to the open line
        assert shown is sees, (user, views)


@pytest.mark.django_db
def test_partner_totals_exclude_confidential_lines_for_outsiders(client_for, lead, cabinet, world, region):
    outsider = client_for(lead).get(reverse("partners:partner_list")).text
    assert "300\u00a0000\u00a0€" in outsider and "1\u00a0077\u00a0777\u00a0€" not in outsider
    insider = client_for(cabinet).get(reverse("partners:partner_list")).text
    assert "1\u00a0077\u00a0777\u00a0€" in insider
    page = client_for(lead).get(region.get_absolute_url()).text
    assert "Négociation confidentielle" not in page and "Réunion de lancement" in page
    assert world["secret"].project.code not in page


@pytest.mark.django_db
def test_outsiders_get_404_on_confidential_funding(client_for, lead, elected, world):
    secret = world["secret"]
    for user in (lead, elected):
        client = client_for(user)
        assert client.get(reverse("partners:project_funding", args=[secret.project_id])).status_code == 404
        assert client.get(reverse("partners:line_detail", args=[secret.pk])).status_code == 404
        assert client.get(reverse("partners:interaction_edit", args=[world["talk"].pk])).status_code == 404


@pytest.mark.django_db
def test_contact_details_are_hidden_from_elected_officials(client_for, elected, cabinet, world, region):
    hidden = client_for(elected).get(region.get_absolute_url()).text
    assert "Camille Secret" not in hidden and "camille.secret@region.test" not in hidden
    assert "ne sont pas affichées pour votre rôle" in hidden
    assert "camille.secret@region.test" in client_for(cabinet).get(region.get_absolute_url()).text


WRITES = [
    ("partners:partner_create", lambda w: [], {"name": "X", "type": "region"}),
    ("partners:partner_edit", lambda w: [w["open"].partner_id], {"name": "X", "type": "region"}),
    ("partners:contact_create", lambda w: [w["open"].partner_id], {"name": "X"}),
    ("partners:contact_edit", lambda w: [w["contact"].pk], {"name": "X"}),
    ("partners:contact_erase", lambda w: [w["contact"].pk], {"confirm": "on"}),
    ("partners:interaction_create", lambda w: [], {"date": "2025-01-01", "kind": "reunion", "summary": "x"}),
    ("partners:interaction_edit", lambda w: [w["mine"].pk], {"date": "2025-01-01", "kind": "reunion"}),
    ("partners:interaction_delete", lambda w: [w["mine"].pk], {}),
    ("partners:line_create", lambda w: [w["open"].project_id], {"amount": "10"}),
    ("partners:line_edit", lambda w: [w["open"].pk], {"amount": "10"}),
    ("partners:line_delete", lambda w: [w["open"].pk], {}),
    ("partners:line_transition", lambda w: [w["open"].pk, "caduc"], {"date": "2025-06-01"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CABINET, Role.ELECTED])
@pytest.mark.parametrize(("name", "args", "data"), WRITES)
def test_readers_never_write(client_for, make_user, world, role, name, args, data):
    client = client_for(make_user(role))
    url = reverse(name, args=args(world))
    before = [
        Partner.objects.count(),
        Contact.objects.count(),
        Interaction.objects.count(),
        FundingLine.objects.count(),
    ]
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    after = [Partner.objects.count(), Contact.objects.count(), Interaction.objects.count(), FundingLine.objects.count()]
    assert before == after
    world["open"].refresh_from_db()
    assert world["open"].status == FundingStatus.ACCORDE


@pytest.mark.django_db
def test_funding_lines_are_kept_by_those_who_may_edit_the_project(client_for, lead, other_lead, director, world):
    line = world["open"]
    edit = reverse("partners:line_edit", args=[line.pk])
    assert client_for(other_lead).get(edit).status_code == 403  # sees the project, may not edit it
    assert client_for(lead).get(edit).status_code == 200
    assert client_for(director).get(edit).status_code == 200
    add = reverse("partners:line_create", args=[line.project_id])
    assert client_for(other_lead).get(add).status_code == 403


@pytest.mark.django_db
def test_only_the_director_erases_contacts_and_only_authors_edit_their_interactions(
    client_for, lead, other_lead, director, world
):
    erase = reverse("partners:contact_erase", args=[world["contact"].pk])
    assert client_for(lead).get(erase).status_code == 403
    assert client_for(director).get(erase).status_code == 200
    edit = reverse("partners:interaction_edit", args=[world["mine"].pk])
    assert client_for(other_lead).get(edit).status_code == 403
    assert client_for(lead).get(edit).status_code == 200
    assert client_for(director).get(edit).status_code == 200


@pytest.mark.django_db
def test_leads_and_the_director_manage_partners_and_contacts(client_for, lead, director, admin_user, region):
    for user in (lead, director):
        assert client_for(user).get(reverse("partners:partner_create")).status_code == 200
        assert client_for(user).get(reverse("partners:contact_create", args=[region.pk])).status_code == 200
    assert client_for(admin_user).get(reverse("partners:partner_create")).status_code == 403


@pytest.mark.django_db
def test_autocomplete_never_reveals_money(client_for, elected, world):
    data = client_for(elected).get(reverse("partners:autocomplete"), {"q": "regi"}).json()
    assert data == {
        "results": [
            {
                "id": world["open"].partner_id,
                "value": f"Région Auvergne-Rhône-Alpes (n° {world['open'].partner_id})",
                "name": "Région Auvergne-Rhône-Alpes",
                "type": "Région",
                "siret": "",
            }
        ]
    }
