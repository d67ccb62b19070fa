"""The follow-up tabs — milestones, progress notes, risks, documents — and their edits in
place: each list, add, edit and delete renders the tab (or, with htmx, its content only)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from innovaction.uploads import download_response
from portfolio import permissions
from portfolio.forms import DocumentForm, MilestoneForm, NoteForm, RiskForm
from portfolio.selectors import page as selectors
from portfolio.services import followup
from portfolio.services.documents import document_add, document_delete
from portfolio.views.common import refuse_into
from portfolio.views.page import load, render_tab


@dataclass(frozen=True)
class Kind:
    """What differs between the milestone, note and risk tabs."""

    tab: str
    url_name: str
    related: str
    form: type
    items: Callable
    create: Callable
    update: Callable
    delete: Callable
    added: str
    saved: str
    deleted: str
    noun: str


MILESTONES = Kind(
    tab="jalons",
    url_name="portfolio:milestones",
    related="milestones",
    form=MilestoneForm,
    items=selectors.milestones_of,
    create=followup.milestone_create,
    update=lambda item, **kw: followup.milestone_update(milestone=item, **kw),
    delete=lambda item, **kw: followup.milestone_delete(milestone=item, **kw),
    added=gettext_lazy("Jalon ajouté."),
    saved=gettext_lazy("Jalon enregistré."),
    deleted=gettext_lazy("Jalon supprimé."),
    noun=gettext_lazy("le jalon"),
)
NOTES = Kind(
    tab="points",
    url_name="portfolio:notes",
    related="notes",
    form=NoteForm,
    items=selectors.notes_of,
    create=lambda **kw: followup.progress_note_add(**kw),
    update=lambda item, **kw: followup.progress_note_update(note=item, **kw),
    delete=lambda item, **kw: followup.progress_note_delete(note=item, **kw),
    added=gettext_lazy("Point d'avancement ajouté ; la météo du projet suit le plus récent."),
    saved=gettext_lazy("Point d'avancement enregistré."),
    deleted=gettext_lazy("Point d'avancement supprimé."),
    noun=gettext_lazy("le point d'avancement"),
)
RISKS = Kind(
    tab="risques",
    url_name="portfolio:risks",
    related="risks",
    form=RiskForm,
    items=selectors.risks_of,
    create=followup.risk_create,
    update=lambda item, **kw: followup.risk_update(risk=item, **kw),
    delete=lambda item, **kw: followup.risk_delete(risk=item, **kw),
    added=gettext_lazy("Risque ajouté."),
    saved=gettext_lazy("Risque enregistré."),
    deleted=gettext_lazy("Risque supprimé."),
    noun=gettext_lazy("le risque"),
)
KINDS = {kind.tab: kind for kind in (MILESTONES, NOTES, RISKS)}


def _tab(request, project, limits, kind: Kind, *, add_form=None, editing=None, edit_form=None, deleting=None, flash=""):
    items = list(kind.items(project))
    context = {
        "items": items,
        "add_form": add_form or (kind.form() if _may_edit(request, project) else None),
        "editing": editing,
        "edit_form": edit_form,
        "deleting": deleting,
        "flash": flash,
        "kind": kind,
    }
    if kind is RISKS:
        # Risks are referred to as R1, R2… in the order they were recorded on this project.
        for number, risk in enumerate(sorted(items, key=lambda risk: risk.pk), start=1):
            risk.number = number
        context["matrix"] = selectors.risk_matrix(items)
    return render_tab(request, project, limits, kind.tab, f"portfolio/project/{kind.tab}.html", context)


def _may_edit(request, project) -> bool:
    return permissions.can_edit_project(request.user, project)


def _done(request, project, kind: Kind, message: str):
    """After a write: the tab's content again with htmx (the project read anew, as the write
    may have changed its weather or counts), a redirect (PRG) without."""
    if request.htmx:
        project, limits = load(request, project.pk)
        return _tab(request, project, limits, kind, flash=message)
    messages.success(request, message)
    return redirect(reverse(kind.url_name, args=[project.pk]))


@require_GET
def child_list(request, pk: int, kind: str):
    project, limits = load(request, pk)
    return _tab(request, project, limits, KINDS[kind])


@require_http_methods(["POST"])
def child_add(request, pk: int, kind: str):
    kind = KINDS[kind]
    project, limits = load(request, pk, "edit")
    form = kind.form(request.POST)
    if form.is_valid():
        data = form.changes()
        try:
            kind.create(project=project, by=request.user, data=data)
        except ValidationError as error:
            refuse_into(form, error)
        else:
            return _done(request, project, kind, str(kind.added))
    return _tab(request, project, limits, kind, add_form=form)


@require_http_methods(["GET", "POST"])
def child_edit(request, pk: int, item: int, kind: str):
    kind = KINDS[kind]
    project, limits = load(request, pk, "edit")
    instance = get_object_or_404(getattr(project, kind.related), pk=item)
    # Its own ids: the add form, further down the same tab, uses the default ones.
    form = kind.form(request.POST or None, instance=instance, auto_id="edit-%s")
    if request.method == "POST" and form.is_valid():
        try:
            kind.update(
                instance, by=request.user, changes=form.changes(), expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            refuse_into(form, error, instance=instance)
        else:
            return _done(request, project, kind, str(kind.saved))
    if request.method == "POST":
        instance.refresh_from_db()  # the list shows the record as stored, the form the user's input
    return _tab(request, project, limits, kind, editing=instance.pk, edit_form=form)


@require_http_methods(["GET", "POST"])
def child_delete(request, pk: int, item: int, kind: str):
    """GET asks for confirmation (in the tab, next to the record); POST deletes."""
    kind = KINDS[kind]
    project, limits = load(request, pk, "edit")
    instance = get_object_or_404(getattr(project, kind.related), pk=item)
    if request.method == "POST":
        kind.delete(instance, by=request.user)
        return _done(request, project, kind, str(kind.deleted))
    return _tab(request, project, limits, kind, deleting=instance.pk)


# Documents ---------------------------------------------------------------------------------------


def _documents(request, project, limits, *, form=None, deleting=None, flash=""):
    context = {
        "items": list(selectors.documents_of(project)),
        "add_form": form or (DocumentForm() if _may_edit(request, project) else None),
        "deleting": deleting,
        "flash": flash,
    }
    return render_tab(request, project, limits, "documents", "portfolio/project/documents.html", context)


@require_GET
def documents(request, pk: int):
    project, limits = load(request, pk)
    return _documents(request, project, limits)


@require_http_methods(["POST"])
def document_upload(request, pk: int):
    project, limits = load(request, pk, "edit")
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_add(
                project=project,
                by=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            refuse_into(form, error)
        else:
            message = _("Document déposé.")
            if request.htmx:
                project, limits = load(request, pk)
                return _documents(request, project, limits, flash=message)
            messages.success(request, message)
            return redirect(reverse("portfolio:documents", args=[project.pk]))
    return _documents(request, project, limits, form=form)


@require_GET
def document_download(request, pk: int, item: int):
    project, _limits = load(request, pk)
    document = get_object_or_404(project.documents, pk=item)
    return download_response(document.file, filename=document.original_name, mime=document.mime_type)


@require_http_methods(["GET", "POST"])
def document_remove(request, pk: int, item: int):
    project, limits = load(request, pk, "edit")
    document = get_object_or_404(project.documents, pk=item)
    if request.method == "POST":
        document_delete(document=document, by=request.user)
        message = _("Document supprimé.")
        if request.htmx:
            project, limits = load(request, pk)
            return _documents(request, project, limits, flash=message)
        messages.success(request, message)
        return redirect(reverse("portfolio:documents", args=[project.pk]))
    return _documents(request, project, limits, deleting=document.pk)
