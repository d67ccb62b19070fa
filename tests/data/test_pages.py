"""The director's import page and the public open-data page."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from innovaction.roles import Role
from portfolio.models import Project
from tests.data.test_import import french_excel_csv
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_upload_dry_run_then_confirm(client_for, director, make_user):
    lead = make_user(Role.LEAD, email="cheffe.projet@ville.test")
    client = client_for(director)
    assert "Modèles à remplir" in client.get("/import/").content.decode()
    upload = SimpleUploadedFile("projets.csv", french_excel_csv(lead.email), content_type="text/csv")
    page = client.post("/import/", {"kind": "projets", "file": upload}).content.decode()
    assert "Vérification réussie" in page and "3 lignes : 3 à créer" in page
    assert not Project.objects.exists()
    done = client.post("/import/confirmer/", {"action": "importer"}).content.decode()
    assert "Import terminé" in done and Project.objects.count() == 3
    # The pending file is gone: confirming again imports nothing.
    client.post("/import/confirmer/", {"action": "importer"})
    assert Project.objects.count() == 3


def test_a_bad_file_shows_each_error_and_cannot_be_confirmed(client_for, director):
    client = client_for(director)
    upload = SimpleUploadedFile("projets.csv", french_excel_csv("personne@ville.test"), content_type="text/csv")
    page = client.post("/import/", {"kind": "projets", "file": upload}).content.decode()
    assert "Le fichier ne peut pas être importé" in page and page.count("<code>chef_de_projet</code>") == 3
    client.post("/import/confirmer/", {"action": "importer"})
    assert not Project.objects.exists()


def test_a_file_over_the_upload_limit_is_refused_with_the_shared_message(client_for, director, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("projets.csv", b"code;titre\n" + b"x" * (1024 * 1024), content_type="text/csv")
    page = client_for(director).post("/import/", {"kind": "projets", "file": upload}).content.decode()
    assert "Fichier trop volumineux (1,0 Mo) : la limite est de 1 Mo." in page
    assert "Vérification réussie" not in page and not Project.objects.exists()


def test_templates_and_access(client_for, director, lead):
    client = client_for(director)
    csv = client.get("/import/modele-financements.csv")
    assert csv.content.decode("utf-8-sig").splitlines()[0] == (
        "projet;partenaire;montant;statut;dispositif;date_demande;date_accord;date_versement;date_echeance"
    )
    sheet = load_workbook(io.BytesIO(client.get("/import/modele-indicateurs.xlsx").content)).active
    assert [c.value for c in sheet[1]] == ["indicateur", "periode", "valeur", "commentaire"]
    assert client_for(lead).get("/import/").status_code == 403


def test_open_data_without_login_never_shows_a_confidential_project(db):
    ProjectFactory(code="P-2024-001", title="Halle gourmande")
    ProjectFactory(code="P-2024-002", title="Friche secrète", confidential=True)
    anonymous = Client()
    page = anonymous.get("/open-data/")
    assert page.status_code == 200 and "Licence Ouverte 2.0" in page.content.decode()
    csv = b"".join(anonymous.get("/open-data/projets.csv").streaming_content).decode("utf-8-sig")
    assert "P-2024-001" in csv and "P-2024-002" not in csv and "Friche" not in csv
    assert "1000000,00" in csv and "@" not in csv
    data = json.loads(anonymous.get("/open-data/projets.json").content)
    assert [row["code"] for row in data["donnees"]] == ["P-2024-001"]
    assert data["donnees"][0]["cout_total"] == "1000000.00" and data["donnees"][0]["date_commande"] == "2024-01-15"
    assert anonymous.get("/open-data/indicateurs.json").status_code == 200
