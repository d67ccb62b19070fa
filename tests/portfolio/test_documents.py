"""Documents and signed letters: checked by content, size-capped, stored under generated
names, served as attachments to those who may see the project only."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portfolio.choices import DocumentKind
from portfolio.models import Document
from portfolio.services.documents import document_add, document_delete
from tests.portfolio.conftest import EXE, PDF, close_response, pdf_upload

pytestmark = pytest.mark.django_db


def _stored_files(media_root):
    return sorted(p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file())


def _upload(client, project, upload, **data):
    return client.post(
        reverse("portfolio:document_upload", args=[project.pk]),
        {"kind": DocumentKind.CONVENTION, "title": "", "file": upload, **data},
    )


def test_a_pdf_is_stored_under_a_generated_name_and_downloaded_as_attachment(client_for, lead, project, settings):
    client = client_for(lead)
    response = _upload(client, project, pdf_upload("Convention région signée.pdf"))
    assert response.status_code == 302
    document = Document.objects.get(project=project)
    assert document.title == document.original_name == "Convention région signée.pdf"
    assert (document.mime_type, document.size) == ("application/pdf", len(PDF))
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", document.file.name)
    assert _stored_files(settings.MEDIA_ROOT) == [document.file.name]

    download = client.get(reverse("portfolio:document_download", args=[project.pk, document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Convention" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    close_response(download)


def test_an_exe_renamed_pdf_is_refused_by_its_content_and_nothing_is_stored(client_for, lead, project, settings):
    response = _upload(client_for(lead), project, SimpleUploadedFile("devis.pdf", EXE, content_type="application/pdf"))
    assert response.status_code == 200
    assert "Ce type de fichier n'est pas accepté (contenu vérifié)" in html.unescape(response.text)
    assert not Document.objects.exists()
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_an_oversized_file_is_refused_with_the_limit(client_for, lead, project, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    response = _upload(client_for(lead), project, pdf_upload("gros.pdf", PDF + b"0" * (1024 * 1024 + 1)))
    assert response.status_code == 200
    assert "Fichier trop volumineux (1,0 Mo) : la limite est de 1 Mo." in response.text
    assert not Document.objects.exists()
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_a_browser_sent_path_never_reaches_the_disk(client_for, lead, project, settings):
    # Django cuts the name the browser sends to its last part; the stored path is generated.
    response = _upload(client_for(lead), project, pdf_upload("../../etc/cron.d/evil.pdf"))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_name == "evil.pdf"
    assert ".." not in document.file.name and "evil" not in document.file.name
    assert _stored_files(settings.MEDIA_ROOT) == [document.file.name]


def test_a_raw_name_with_a_path_is_refused_by_the_service(lead, project, settings):
    upload = pdf_upload()
    upload._name = "../../lettres/autre-projet.pdf"  # what a command or an import could hand over
    with pytest.raises(ValidationError) as caught:
        document_add(project=project, by=lead, upload=upload, kind=DocumentKind.AUTRE)
    assert caught.value.error_dict["file"][0].code == "name"
    assert not Document.objects.exists()
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_deleting_a_document_asks_first_then_removes_the_file(
    client_for, lead, project, settings, django_capture_on_commit_callbacks
):
    document = document_add(project=project, by=lead, upload=pdf_upload(), kind=DocumentKind.AUTRE)
    client = client_for(lead)
    url = reverse("portfolio:document_remove", args=[project.pk, document.pk])
    confirm = client.get(url)
    assert "Supprimer le document « lettre.pdf » ?" in confirm.text
    assert Document.objects.filter(pk=document.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not Document.objects.exists()
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_the_signed_letter_is_served_to_readers_only_as_a_pdf_attachment(
    client_for, elected, other_lead, secret, project
):
    for target in (project, secret):
        target.commission_letter.signed_pdf.save("lettre.pdf", pdf_upload(), save=True)
    response = client_for(elected).get(reverse("portfolio:letter_pdf", args=[project.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    close_response(response)
    assert client_for(other_lead).get(reverse("portfolio:letter_pdf", args=[secret.pk])).status_code == 404


def test_document_delete_keeps_the_history(lead, project):
    document = document_add(project=project, by=lead, upload=pdf_upload(), kind=DocumentKind.AUTRE)
    pk = document.pk
    document_delete(document=document, by=lead)
    assert [h.history_type for h in Document.history.filter(id=pk).order_by("history_id")] == ["+", "-"]
