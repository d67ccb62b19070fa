"""The director's spreadsheet import page (SPEC §7): upload → dry-run report → confirm.

The uploaded file waits in the media storage between the dry run and the confirmation (the
session only remembers where it is and its SHA-256), so nothing is written to the database
before the director confirms, and what is imported is exactly the file that was checked."""

import hashlib
import uuid

from django import forms
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from innovaction.exports import CSV_MIME, XLSX_MIME
from innovaction.importing import KINDS, importer_class, run_import, template_bytes
from innovaction.permissions import is_director, rule_required
from innovaction.uploads import check_size

SESSION_KEY = "pending_import"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Données importées"), choices=[])
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV ou XLSX"),
        help_text=gettext_lazy("CSV en UTF-8 ou Windows-1252, séparateur « ; » ou « , » ; ou classeur Excel."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, label) for kind, (_path, label) in KINDS.items()]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_size(upload)
        return upload


def _kinds():
    return [
        {"kind": kind, "label": label, "headers": ";".join(importer_class(kind).headers)}
        for kind, (_path, label) in KINDS.items()
    ]


def _forget(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending and default_storage.exists(pending["name"]):
        default_storage.delete(pending["name"])


@rule_required(is_director)
@require_http_methods(["GET", "POST"])
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        _forget(request)
        data = form.cleaned_data["file"].read()
        kind = form.cleaned_data["kind"]
        report = run_import(importer_class(kind)(user=request.user), data, dry_run=True)
        if report.ok:
            name = default_storage.save(f"imports/{uuid.uuid4().hex}.bin", ContentFile(data))
            request.session[SESSION_KEY] = {
                "name": name,
                "kind": kind,
                "sha256": hashlib.sha256(data).hexdigest(),
                "filename": form.cleaned_data["file"].name,
            }
    return render(
        request,
        "innovaction/imports/import.html",
        {
            "form": form,
            "report": report,
            "pending": request.session.get(SESSION_KEY) if report and report.ok else None,
            "kinds": _kinds(),
        },
    )


@rule_required(is_director)
@require_http_methods(["POST"])
def import_confirm(request):
    pending = request.session.get(SESSION_KEY)
    if request.POST.get("action") == "annuler" or not pending:
        _forget(request)
        messages.info(request, _("Import annulé : rien n'a été écrit."))
        return redirect("import_data")
    with default_storage.open(pending["name"], "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != pending["sha256"]:
        _forget(request)
        messages.error(request, _("Le fichier vérifié n'est plus disponible : déposez-le à nouveau."))
        return redirect("import_data")
    report = run_import(importer_class(pending["kind"])(user=request.user), data, dry_run=False)
    _forget(request)
    return render(
        request,
        "innovaction/imports/import.html",
        {"form": ImportForm(), "report": report, "done": True, "kinds": _kinds()},
    )


@rule_required(is_director)
@require_GET
def import_template(request, kind: str, fmt: str):
    if kind not in KINDS or fmt not in ("csv", "xlsx"):
        raise Http404
    response = HttpResponse(template_bytes(kind, fmt), content_type=CSV_MIME if fmt == "csv" else XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="modele-{kind}.{fmt}"'
    return response
