"""The project page: a header, tabs (summary, milestones, notes, risks, documents, the panels
other apps register, history), and the edits of the project and its commission letter.

A tab is a page of its own (works without JavaScript); with htmx, forms inside a tab swap
only the tab's content (`#tab-content`)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from innovaction.uploads import download_response
from portfolio import permissions, workflow
from portfolio.choices import Phase
from portfolio.extensions import project_facts, project_panels
from portfolio.forms import AcceptForm, LetterEditForm, ProjectEditForm, RefuseForm
from portfolio.selectors import page as selectors
from portfolio.selectors.projects import thresholds
from portfolio.services.projects import commission_letter_update, project_update
from portfolio.views.common import refuse_into


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    url: str
    count: int | None = None
    alert: str = ""


def _tabs(project) -> list[Tab]:
    args = [project.pk]
    tabs = [
        Tab("synthese", gettext_lazy("Synthèse"), reverse("portfolio:project_detail", args=args)),
        Tab(
            "jalons",
            gettext_lazy("Jalons"),
            reverse("portfolio:milestones", args=args),
            project.milestones_count,
            _("%(count)s en retard") % {"count": project.late_milestones} if project.late_milestones else "",
        ),
        Tab("points", gettext_lazy("Points d'avancement"), reverse("portfolio:notes", args=args), project.notes_count),
        Tab("risques", gettext_lazy("Risques"), reverse("portfolio:risks", args=args), project.open_risks),
        Tab("documents", gettext_lazy("Documents"), reverse("portfolio:documents", args=args), project.documents_count),
    ]
    for panel in project_panels():
        tabs.append(
            Tab(f"volet-{panel.key}", panel.label, reverse("portfolio:project_panel", args=[project.pk, panel.key]))
        )
    tabs.append(Tab("historique", gettext_lazy("Historique"), reverse("portfolio:history", args=args)))
    return tabs


def load(request, pk: int, action: str = "view"):
    """The project for this user and action, and today's thresholds."""
    limits = thresholds()
    return selectors.project_for_page(request.user, pk, action, limits), limits


def render_tab(request, project, limits, tab: str, template: str, context: dict):
    """The whole page, or only the tab's content when htmx asks for it."""
    user = request.user
    full = {
        "project": project,
        "limits": limits,
        "tabs": _tabs(project),
        "tab": tab,
        "can_edit": permissions.can_edit_project(user, project),
        "can_edit_letter": permissions.can_edit_letter(user, project),
        "may_move": permissions.can_edit_project(user, project) and bool(workflow.allowed_targets(project)),
        **context,
    }
    if request.htmx and request.htmx.target == "tab-content":
        # The tab's content, plus the header's badges and the tabs' counts swapped out of
        # band, as a write in the tab may change them (a stormy note, one more milestone).
        parts = [render_to_string(f"{template}#content", {**full, "oob": False}, request)]
        parts += [
            render_to_string(f"portfolio/project/page.html#{name}", {**full, "oob": True}, request)
            for name in ("badges", "tabs")
        ]
        return HttpResponse("".join(parts))
    return render(request, template, {**full, "oob": False})


@require_GET
def project_detail(request, pk: int):
    project, limits = load(request, pk)
    log = selectors.phase_log(project, limits)
    pending = selectors.pending_proposal(project)
    may_validate = permissions.can_validate_gates(request.user)
    facts = [(fact.label, value) for fact in project_facts() if (value := fact.value(request, project)) is not None]
    context = {
        "log": log,
        "times": log.times,
        "phase_target": limits.targets.get(project.phase),
        "days_by_phase": [
            (phase, log.times.days_in_phase[phase]) for phase in Phase if phase in log.times.days_in_phase
        ],
        "upcoming": selectors.upcoming_milestones_of(project),
        "latest_note": selectors.notes_of(project).first(),
        "pending": pending,
        "last_decision": selectors.last_decided_proposal(project) if pending is None else None,
        "accept_form": AcceptForm(initial={"effective_date": pending.effective_date})
        if pending and may_validate
        else None,
        "refuse_form": RefuseForm() if pending and may_validate else None,
        "may_withdraw": pending is not None and permissions.can_withdraw(request.user, pending),
        "facts": facts,
    }
    return render_tab(request, project, limits, "synthese", "portfolio/project/summary.html", context)


@require_GET
def project_history(request, pk: int):
    project, limits = load(request, pk)
    context = {"entries": selectors.project_history(project)}
    return render_tab(request, project, limits, "historique", "portfolio/project/history.html", context)


@require_GET
def project_panel(request, pk: int, key: str):
    project, limits = load(request, pk)
    panel = next((panel for panel in project_panels() if panel.key == key), None)
    if panel is None:
        raise Http404
    html = render_to_string(panel.template_name, panel.context(request, project), request=request)
    context = {"panel": panel, "panel_html": html}
    return render_tab(request, project, limits, f"volet-{panel.key}", "portfolio/project/panel.html", context)


@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    project, _limits = load(request, pk, "edit")
    form = ProjectEditForm(request.POST or None, instance=project, may_assign=permissions.can_assign(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            project_update(
                project=project,
                by=request.user,
                changes=form.changes(),
                team=form.cleaned_data.get("team"),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            refuse_into(form, error, instance=project)
        else:
            messages.success(request, _("Projet enregistré."))
            return redirect(project)
    return render(request, "portfolio/project_edit.html", {"project": project, "form": form})


@require_http_methods(["GET", "POST"])
def letter_edit(request, pk: int):
    project, _limits = load(request, pk, "letter")
    letter = project.commission_letter
    form = LetterEditForm(request.POST or None, request.FILES or None, instance=letter)
    if request.method == "POST" and form.is_valid():
        try:
            commission_letter_update(
                letter=letter,
                by=request.user,
                changes=form.changes(),
                signed_pdf=form.cleaned_data.get("signed_pdf"),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            refuse_into(form, error, instance=letter)
        else:
            messages.success(request, _("Lettre de commande enregistrée."))
            return redirect(project)
    return render(request, "portfolio/letter_edit.html", {"project": project, "letter": letter, "form": form})


@require_GET
def letter_pdf(request, pk: int):
    project, _limits = load(request, pk)
    letter = project.commission_letter
    if not letter.signed_pdf:
        raise Http404
    return download_response(letter.signed_pdf, filename=letter.signed_pdf_name or "lettre.pdf", mime="application/pdf")
