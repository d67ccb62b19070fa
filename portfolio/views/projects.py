"""The portfolio as a list, a board by phase and a roadmap — three views of the same filtered
set — its exports, and the registration of a new project."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from innovaction.charts.roadmap import Lane, Marker, Span, roadmap
from innovaction.exports import FORMATS, Column, export_response
from innovaction.lists import paginate
from innovaction.permissions import rule_required
from portfolio import permissions
from portfolio.choices import Phase
from portfolio.forms import LetterForm, ProjectCreateForm
from portfolio.selectors.projects import (
    board_columns,
    listed_projects,
    next_free_code,
    phase_dates,
    thresholds,
    with_log,
    with_milestones,
)
from portfolio.services.projects import LETTER_FIELDS, project_register
from portfolio.views.common import refuse_into

PHASE_COLOURS = {
    Phase.COMMANDE: "#8a94a3",
    Phase.INSTRUCTION: "#0369a1",
    Phase.ARBITRAGE: "#7c3aed",
    Phase.REALISATION: "#1d3f72",
    Phase.LIVRE: "#0f6b63",
    Phase.EVALUE: "#4d7c0f",
    Phase.SUSPENDU: "#b45309",
    Phase.ABANDONNE: "#57534e",
}


def _list_context(request, view: str, **extra) -> dict:
    return {"view": view, "may_register": permissions.can_create_project(request.user), **extra}


@rule_required(permissions.has_any_role)
@require_GET
def project_list(request):
    filterset, projects, sort_key = listed_projects(request.user, request.GET)
    page = paginate(projects, request.GET.get("page"), request.GET.get("par_page"))
    context = _list_context(request, "liste", filterset=filterset, page=page, sort=sort_key)
    if request.htmx and request.htmx.target == "results":
        return render(request, "portfolio/project_list.html#results", context)
    return render(request, "portfolio/project_list.html", context)


@rule_required(permissions.has_any_role)
@require_GET
def project_board(request):
    filterset, projects, _sort = listed_projects(request.user, request.GET)
    columns = board_columns(projects)
    context = _list_context(
        request, "tableau", filterset=filterset, columns=columns, total=sum(column.count for column in columns)
    )
    if request.htmx and request.htmx.target == "results":
        return render(request, "portfolio/project_board.html#results", context)
    return render(request, "portfolio/project_board.html", context)


def _window(request, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The roadmap's window, from the `de`/`a` months of the URL; a year each side by default."""

    def month(value: str | None, default: datetime.date) -> datetime.date:
        try:
            return datetime.datetime.strptime(value or "", "%Y-%m").date()
        except ValueError:
            return default

    start = month(request.GET.get("de"), datetime.date(today.year - 1, today.month, 1))
    end = month(request.GET.get("a"), datetime.date(today.year + 1, today.month, 1))
    if end <= start:
        end = datetime.date(start.year + 1, start.month, 1)
    # The window runs to the end of its last month.
    next_month = datetime.date(end.year + end.month // 12, end.month % 12 + 1, 1)
    return start, next_month - datetime.timedelta(days=1)


def _lane(project, today: datetime.date, end: datetime.date) -> Lane:
    log = list(project.transitions.all())
    spans = []
    for row, following in zip(log, [*log[1:], None], strict=True):
        until = following.effective_date if following else max(today, row.effective_date)
        label = f"{Phase(row.to_phase).label} : {dateformat.format(row.effective_date, 'd/m/Y')}"
        spans.append(Span(row.effective_date, min(until, end), PHASE_COLOURS[Phase(row.to_phase)], label))
    markers = []
    for milestone in project.milestones.all():
        if milestone.actual_date:
            state, day = "done", milestone.actual_date
            label = _("%(title)s — atteint le %(date)s")
        elif milestone.planned_date < today:
            state, day = "late", milestone.planned_date
            label = _("%(title)s — en retard, prévu le %(date)s")
        else:
            state, day = "planned", milestone.planned_date
            label = _("%(title)s — prévu le %(date)s")
        markers.append(Marker(day, label % {"title": milestone.title, "date": dateformat.format(day, "d/m/Y")}, state))
    title = project.title if len(project.title) <= 30 else project.title[:29] + "…"
    return Lane(label=f"{project.code} {title}", href=project.get_absolute_url(), spans=spans, markers=markers)


@rule_required(permissions.has_any_role)
@require_GET
def project_roadmap(request):
    limits = thresholds()
    filterset, projects, sort_key = listed_projects(request.user, request.GET, limits=limits)
    page = paginate(with_milestones(with_log(projects)), request.GET.get("page"))
    start, end = _window(request, limits.today)
    rows = list(page.object_list)
    chart = roadmap(
        [_lane(project, limits.today, end) for project in rows],
        start=start,
        end=end,
        today=limits.today,
        title=_("Feuille de route des projets affichés"),
        description=_(
            "Une ligne par projet : ses phases en couleur, ses jalons en losanges (vert : atteint, "
            "rouge : en retard, vide : à venir). Le détail est dans la version texte qui suit."
        ),
        today_label=_("aujourd'hui"),
        legend=[(str(phase.label), colour) for phase, colour in PHASE_COLOURS.items()],
        marker_legend=[(_("jalon atteint"), "done"), (_("jalon en retard"), "late"), (_("jalon à venir"), "planned")],
    )
    context = _list_context(
        request,
        "feuille",
        filterset=filterset,
        page=page,
        rows=rows,
        chart=chart,
        sort=sort_key,
        window_start=start,
        window_end=end,
        today=limits.today,
    )
    if request.htmx and request.htmx.target == "results":
        return render(request, "portfolio/project_roadmap.html#results", context)
    return render(request, "portfolio/project_roadmap.html", context)


def _status(project) -> str:
    return project.phase if project.phase in (Phase.ABANDONNE, Phase.SUSPENDU) else ""


def _phase_date(phase: Phase):
    return lambda project: phase_dates(project.transitions.all()).get(phase)


# The headers of the `projets` import (SPEC §7), so an export can be imported again.
EXPORT_COLUMNS = [
    Column("code", lambda p: p.code),
    Column("titre", lambda p: p.title),
    Column("theme", lambda p: p.theme.name),
    Column("quartier", lambda p: p.district.name if p.district else ""),
    Column("chef_de_projet", lambda p: p.lead.email),
    Column("date_commande", _phase_date(Phase.COMMANDE)),
    Column("date_instruction", _phase_date(Phase.INSTRUCTION)),
    Column("date_arbitrage", _phase_date(Phase.ARBITRAGE)),
    Column("date_decision", _phase_date(Phase.REALISATION)),
    Column("date_livraison", _phase_date(Phase.LIVRE)),
    Column("date_evaluation", _phase_date(Phase.EVALUE)),
    Column("statut", _status),
    Column("date_statut", lambda p: p.phase_since if _status(p) else None),
    Column("cout_total", lambda p: p.total_cost),
    Column("part_ville", lambda p: p.city_contribution),
    Column("confidentiel", lambda p: p.confidential),
]


@rule_required(permissions.has_any_role)
@require_GET
def project_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    _filterset, projects, _sort = listed_projects(request.user, request.GET)
    rows = with_log(projects).iterator(chunk_size=500)
    return export_response(fmt, rows, EXPORT_COLUMNS, "projets")


# Registration ----------------------------------------------------------------------------------


@rule_required(permissions.can_create_project)
@require_http_methods(["GET", "POST"])
def project_register_view(request):
    letter_form = LetterForm(request.POST or None, request.FILES or None, prefix="lettre")
    project_form = ProjectCreateForm(request.POST or None, prefix="projet")
    # The code is left empty: the service then takes the next free code of the letter's year.
    # What it would be is shown (and, with htmx, follows the letter's date as it is typed).
    year = timezone.localdate().year
    project_form.fields["code"].widget.attrs["placeholder"] = next_free_code(year)
    # With htmx, changing the letter's date shows the next free code of its year.
    letter_form.fields["date"].widget.attrs.update(
        {
            "hx-get": reverse("portfolio:code_suggestion"),
            "hx-trigger": "change",
            "hx-target": "#code-suggestion",
            "aria-describedby": "code-suggestion",
        }
    )
    if request.method == "POST" and letter_form.is_valid() & project_form.is_valid():
        project_data = {k: v for k, v in project_form.cleaned_data.items() if k != "team"}
        try:
            project = project_register(
                by=request.user,
                letter={name: letter_form.cleaned_data[name] for name in LETTER_FIELDS},
                project=project_data,
                team=project_form.cleaned_data.get("team") or [],
                signed_pdf=letter_form.cleaned_data["signed_pdf"],
            )
        except ValidationError as error:
            _split_errors(error, letter_form, project_form)
        else:
            messages.success(
                request,
                _("Projet %(code)s ouvert ; %(lead)s en est informé·e par e-mail.")
                % {"code": project.code, "lead": project.lead},
            )
            return redirect(project)
    context = {"letter_form": letter_form, "project_form": project_form, "code_hint": _code_hint(year)}
    return render(request, "portfolio/project_register.html", context)


def _split_errors(error: ValidationError, letter_form, project_form) -> None:
    """A registration error goes to the form holding the field it names."""
    if not hasattr(error, "error_dict"):
        refuse_into(project_form, error)
        return
    for field, errors in error.error_dict.items():
        form = letter_form if field in letter_form.fields else project_form
        refuse_into(form, ValidationError({field: errors}))


@rule_required(permissions.can_create_project)
@require_GET
def code_suggestion(request):
    """The code proposed for a letter dated `date` (the registration form asks as it changes)."""
    try:
        year = datetime.date.fromisoformat(request.GET.get("lettre-date", "")).year
    except ValueError:
        year = timezone.localdate().year
    return HttpResponse(escape(_code_hint(year)))


def _code_hint(year: int) -> str:
    return _("Laissé vide, le code sera %(code)s, le prochain code libre de %(year)s.") % {
        "year": year,
        "code": next_free_code(year),
    }
