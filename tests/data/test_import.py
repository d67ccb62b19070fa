"""Spreadsheet imports of the four kinds (SPEC §7, issue 7 acceptance 1 and 2)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from innovaction.importing import importer_class, run_import
from innovaction.roles import Role
from partners.models import FundingLine, Partner
from portfolio.choices import Phase
from portfolio.models import PhaseTransition, Project
from scorecard.choices import Source
from scorecard.models import Measurement
from scorecard.periods import Period
from tests.scorecard.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

PROJECT_HEADER = (
    "code;titre;theme;quartier;chef_de_projet;date_commande;date_instruction;date_arbitrage;date_decision;"
    "date_livraison;date_evaluation;statut;date_statut;cout_total;part_ville;confidentiel"
)
PROJECT_ROWS = [
    "P-2024-001;Halle de l'été;Commerce;Centre historique;{lead};15/01/2024;03/02/2024;10/06/2024;01/09/2024;"
    ";;;;1 234 500,50;250 000,00;non",
    "P-2024-002;Rénovation école Jean-Moulin;Urbanisme;;{lead};2024-02-01;;;;;;abandonne;31/12/2024;98 000;0;oui",
    "P-2024-003;Fête des Lumières;Culture;La Monnaie;{LEAD};01/03/2024;01/03/2024;;;;;suspendu;01/04/2024;"
    "12.500,00;12 500;x",
]


def french_excel_csv(lead: str) -> bytes:
    """What French Excel writes with "CSV (séparateur : point-virgule)": Windows-1252."""
    lines = [PROJECT_HEADER] + [row.format(lead=lead, LEAD=lead.upper()) for row in PROJECT_ROWS]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def as_xlsx(csv_bytes: bytes) -> bytes:
    """The same cells as a UTF-8 XLSX workbook, with typed dates and numbers where Excel would."""
    workbook = Workbook()
    for index, line in enumerate(csv_bytes.decode("cp1252").splitlines()):
        cells = line.split(";")
        if index:
            for position, cell in enumerate(cells):
                if "/" in cell and len(cell) == 10:
                    cells[position] = datetime.datetime.strptime(cell, "%d/%m/%Y")
                elif cell.startswith("1 234"):
                    cells[position] = 1234500.5
        workbook.active.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def snapshot():
    projects = [
        (
            p.code,
            p.title,
            p.theme.name,
            p.district.name if p.district else "",
            p.lead.email,
            p.phase,
            p.phase_since,
            p.total_cost,
            p.city_contribution,
            p.confidential,
            p.commission_letter.date,
            tuple((t.from_phase, t.to_phase, t.effective_date) for t in p.transitions.order_by("effective_date", "pk")),
        )
        for p in Project.objects.select_related("theme", "district", "lead", "commission_letter").order_by("code")
    ]
    return projects


def run(kind, data, user, dry_run=False):
    return run_import(importer_class(kind)(user=user), data, dry_run=dry_run)


def test_french_excel_csv_imports_and_the_same_xlsx_gives_identical_data(make_user, director):
    lead = make_user(Role.LEAD, email="cheffe.projet@ville.test")
    data = french_excel_csv(lead.email)

    dry = run("projets", data, director, dry_run=True)
    assert dry.ok, dry.as_text()
    assert (dry.created, Project.objects.count()) == (3, 0)

    first = run("projets", data, director)
    assert first.ok and first.created == 3, first.as_text()
    halle = Project.objects.get(code="P-2024-001")
    assert halle.title == "Halle de l'été" and halle.total_cost == Decimal("1234500.50")
    assert halle.phase == Phase.REALISATION and halle.phase_since == datetime.date(2024, 9, 1)
    assert [t.to_phase for t in halle.transitions.order_by("effective_date", "pk")] == [
        Phase.COMMANDE,
        Phase.INSTRUCTION,
        Phase.ARBITRAGE,
        Phase.REALISATION,
    ]
    school = Project.objects.get(code="P-2024-002")
    assert (school.phase, school.confidential, school.district) == (Phase.ABANDONNE, True, None)
    fete = Project.objects.get(code="P-2024-003")
    assert (fete.phase, fete.total_cost, fete.city_contribution) == (
        Phase.SUSPENDU,
        Decimal("12500.00"),
        Decimal("12500.00"),
    )
    # Imports write history, signed by who imported.
    record = halle.history.earliest()
    assert (record.history_type, record.history_user) == ("+", director)
    assert PhaseTransition.history.filter(history_user=director).count() == 9
    from_csv = snapshot()

    again = run("projets", data, director)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert snapshot() == from_csv
    assert halle.history.count() == 1

    Project.objects.all().delete()
    from portfolio.models import CommissionLetter

    CommissionLetter.objects.all().delete()
    from_xlsx = run("projets", as_xlsx(data), director)
    assert from_xlsx.ok and from_xlsx.created == 3, from_xlsx.as_text()
    assert snapshot() == from_csv


def test_a_file_with_three_bad_rows_is_refused_whole(make_user, director):
    lead = make_user(Role.LEAD, email="cheffe.projet@ville.test")
    run("projets", french_excel_csv(lead.email), director)
    before = snapshot()
    lines = [
        PROJECT_HEADER,
        f"P-2025-010;Maison du projet;Urbanisme;;{lead.email};01/02/2025;;;;;;;;1 000;0;non",
        "P-2025-011;Tiers-lieu;Innovation;;inconnu@ville.test;01/02/2025;;;;;;;;1 000;0;non",
        f"P-2025-012;Voie verte;Urbanisme;;{lead.email};01/03/2025;15/02/2025;;;;;;;1 000;0;non",
        f"P-2024-001;Halle de l'été;Commerce;Centre historique;{lead.email};15/01/2024;03/02/2024;10/06/2024;"
        "01/09/2024;;;;;abc;250 000,00;non",
    ]
    report = run("projets", ("\r\n".join(lines) + "\r\n").encode("cp1252"), director)
    assert not report.ok
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "chef_de_projet"),
        (4, "date_instruction"),
        (5, "cout_total"),
    ]
    text = report.as_text()
    assert "Ligne 3, colonne « chef_de_projet » (valeur « inconnu@ville.test »)" in text
    assert "Ligne 5, colonne « cout_total » (valeur « abc ») : nombre attendu" in text
    assert "la base est inchangée" in text
    assert snapshot() == before and not Project.objects.filter(code="P-2025-010").exists()


def test_unknown_and_missing_columns_are_named(director):
    report = run("projets", b"code;titre;couleur\nP-1;X;bleu\n", director)
    assert not report.ok
    assert "colonne(s) inconnue(s) : couleur" in report.file_errors[0]
    assert "theme, chef_de_projet, date_commande" in report.file_errors[0]


def test_an_existing_log_is_extended_never_rewritten(make_user, director):
    lead = make_user(Role.LEAD, email="cheffe.projet@ville.test")
    run("projets", french_excel_csv(lead.email), director)
    delivered = french_excel_csv(lead.email).replace(b"01/09/2024;;", b"01/09/2024;20/12/2024;")
    report = run("projets", delivered, director)
    assert (report.updated, report.unchanged) == (1, 2), report.as_text()
    assert Project.objects.get(code="P-2024-001").phase == Phase.LIVRE
    rewritten = french_excel_csv(lead.email).replace(b"03/02/2024", b"05/02/2024")
    refused = run("projets", rewritten, director)
    assert [(e.line, e.column) for e in refused.errors] == [(2, "date_instruction")]


def test_partners_funding_lines_and_indicator_values(make_user, director):
    lead = make_user(Role.LEAD, email="cheffe.projet@ville.test")
    run("projets", french_excel_csv(lead.email), director)
    partners = (
        "nom;type;siret;secteur;investinromans_adhesion;investinromans_sortie\r\n"
        "Banque des Territoires;Caisse des dépôts / Banque des territoires;180 020 026 00019;Finance;12/03/2019;\r\n"
        "Région Auvergne-Rhône-Alpes;region;;;;\r\n"
    ).encode("cp1252")
    assert run("partenaires", partners, director).created == 2
    assert run("partenaires", partners, director).unchanged == 2
    bank = Partner.objects.get(siret="18002002600019")
    assert bank.type == "caisse_depots" and bank.network_joined_on == datetime.date(2019, 3, 12)
    assert bank.history.get().history_user == director

    lines = (
        "projet;partenaire;montant;statut;dispositif;date_demande;date_accord;date_versement;date_echeance\r\n"
        "P-2024-001;18002002600019;150 000,00;versé;DSIL;15/02/2024;20/05/2024;01/07/2024;31/12/2026\r\n"
        "P-2024-001;Région Auvergne-Rhône-Alpes;80 000;sollicite;Contrat de plan;01/03/2024;;;\r\n"
    ).encode("cp1252")
    report = run("financements", lines, director)
    assert report.created == 2, report.as_text()
    paid = FundingLine.objects.get(scheme="DSIL")
    assert (paid.status, paid.amount, paid.instalments.get().amount) == ("verse", Decimal("150000.00"), paid.amount)
    assert run("financements", lines, director).unchanged == 2
    bad = lines.replace(b"80 000", b"abc").replace(b"20/05/2024", b"10/02/2024")
    refused = run("financements", bad, director)
    assert [(e.line, e.column) for e in refused.errors] == [(2, "date_accord"), (3, "montant")]

    qvt = IndicatorFactory(code="APP-QVT", source=Source.MANUAL, min_value=0, max_value=10)
    values = "indicateur;periode;valeur;commentaire\nAPP-QVT;2025-01;7,5;Baromètre\nAPP-QVT;2025-02;11;\n".encode()
    refused = run("indicateurs", values, director)
    assert [(e.line, e.column) for e in refused.errors] == [(3, "valeur")]
    values = values.replace(b";11;", b";6;")
    assert run("indicateurs", values, director).created == 2
    assert run("indicateurs", values, director).unchanged == 2
    january = Measurement.objects.get(indicator=qvt, period=Period(2025, 1).start)
    assert (january.value, january.recorded_by) == (Decimal("7.5"), director)


def test_the_command_prints_the_report_and_fails_on_errors(make_user, director, tmp_path, capsys):
    lead = make_user(Role.LEAD, email="cheffe.projet@ville.test")
    good = tmp_path / "projets.csv"
    good.write_bytes(french_excel_csv(lead.email))
    call_command("import_data", "projets", str(good), "--dry-run", "--user", director.email)
    assert "3 lignes vérifié (rien n'a été écrit) : 3 créées" in capsys.readouterr().out
    assert not Project.objects.exists()
    call_command("import_data", "projets", str(good), "--user", director.email)
    assert Project.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_bytes(french_excel_csv("personne@ville.test"))
    with pytest.raises(CommandError) as failure:
        call_command("import_data", "projets", str(bad), "--user", director.email)
    assert failure.value.returncode == 1
    assert "Ligne 2, colonne « chef_de_projet »" in capsys.readouterr().out
