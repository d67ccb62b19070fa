"""Import of projects from a spreadsheet (SPEC §7, kind `projets`).

A row is a project keyed by its code. Its phase dates build the transition log, in the order
of the phase machine (`portfolio.workflow.EDGES`); `statut` (abandonne / suspendu) at
`date_statut` closes it. New projects are written in bulk — commission letter, project,
transitions and their history rows, all stamped with the importing user — so that a city's
whole portfolio (10,000 rows) imports in seconds. An existing project is updated through
`project_update` and its log extended through `workflow.transition`, like a change made in the
browser; a log that contradicts the recorded one is refused, never rewritten.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from innovaction.importing import (
    Importer,
    ImportReport,
    RowError,
    RowErrors,
    parse_bool,
    parse_date,
    parse_decimal,
    text_cell,
)
from innovaction.models import User
from portfolio import workflow
from portfolio.choices import ORDERED_PHASES, Issuer, Phase
from portfolio.models import CommissionLetter, District, PhaseTransition, Project, Theme, search_key

# The date column of each phase, in the order of the phase machine.
PHASE_COLUMNS = {
    Phase.COMMANDE: "date_commande",
    Phase.INSTRUCTION: "date_instruction",
    Phase.ARBITRAGE: "date_arbitrage",
    Phase.REALISATION: "date_decision",
    Phase.LIVRE: "date_livraison",
    Phase.EVALUE: "date_evaluation",
}
STATUSES = {"abandonne": Phase.ABANDONNE, "suspendu": Phase.SUSPENDU}
IMPORT_REASON = "import"
ABANDON_COMMENT = "Abandon enregistré par import"


@dataclass
class ProjectRow:
    code: str
    title: str
    theme: str
    district: str
    lead: User
    phase_dates: dict[str, datetime.date]
    status: str
    status_date: datetime.date | None
    total_cost: Decimal
    city_contribution: Decimal
    confidential: bool
    existing: Project | None = None
    # Steps of the log still to write, for an existing project whose log the file extends.
    new_steps: list[tuple[str, datetime.date]] = field(default_factory=list)

    @property
    def steps(self) -> list[tuple[str, datetime.date]]:
        steps = [(phase, self.phase_dates[phase]) for phase in ORDERED_PHASES if phase in self.phase_dates]
        if self.status:
            steps.append((self.status, self.status_date))
        return steps


def recorded_state(project: Project) -> tuple[dict[str, datetime.date], str, datetime.date | None]:
    """What the `projets` columns say of a project's log: the first date of each phase, and
    the side state it is in now (as the export writes them)."""
    first: dict[str, datetime.date] = {}
    for row in project.transitions.all():
        first.setdefault(row.to_phase, row.effective_date)
    phases = {phase: day for phase, day in first.items() if phase in PHASE_COLUMNS}
    if project.phase in (Phase.ABANDONNE, Phase.SUSPENDU):
        return phases, project.phase, project.phase_since
    return phases, "", None


class ProjectImporter(Importer):
    kind = "projets"
    field_columns = {
        "title": "titre",
        "theme": "theme",
        "district": "quartier",
        "lead": "chef_de_projet",
        "total_cost": "cout_total",
        "city_contribution": "part_ville",
        "confidential": "confidentiel",
        "effective_date": "date_statut",
        "to_phase": "statut",
    }
    headers = [
        "code",
        "titre",
        "theme",
        "quartier",
        "chef_de_projet",
        "date_commande",
        "date_instruction",
        "date_arbitrage",
        "date_decision",
        "date_livraison",
        "date_evaluation",
        "statut",
        "date_statut",
        "cout_total",
        "part_ville",
        "confidentiel",
    ]
    required = {"code", "titre", "theme", "chef_de_projet", "date_commande"}
    example = [
        "P-2025-001",
        "Halle gourmande du centre",
        "Commerce",
        "Centre historique",
        "cheffe.projet@ville.fr",
        "15/01/2025",
        "03/02/2025",
        "10/06/2025",
        "01/09/2025",
        "",
        "",
        "",
        "",
        "1 234 500,00",
        "250 000,00",
        "non",
    ]

    def prepare(self, rows):
        self.today = timezone.localdate()
        self.users = {user.email.lower(): user for user in User.objects.filter(is_active=True)}
        codes = sorted({text_cell(row.get("code")) for _line, row in rows} - {""})
        self.existing: dict[str, Project] = {}
        log = Prefetch("transitions", queryset=PhaseTransition.objects.order_by("effective_date", "pk"))
        for start in range(0, len(codes), 2000):
            chunk = codes[start : start + 2000]
            for project in (
                Project.objects.filter(code__in=chunk).select_related("theme", "district", "lead").prefetch_related(log)
            ):
                self.existing[project.code] = project

    def clean_row(self, line, row):
        errors: dict[str, tuple[object, str]] = {}

        def text(column: str, *, max_length: int, required: bool = False) -> str:
            value = text_cell(row.get(column))
            if required and not value:
                errors[column] = (row.get(column), _("valeur obligatoire"))
            elif len(value) > max_length:
                errors[column] = (value, _("au plus %(n)s caractères") % {"n": max_length})
            return value

        def parsed(column: str, parser, **kwargs):
            try:
                return parser(row.get(column), **kwargs)
            except ValidationError as error:
                errors[column] = (row.get(column), error.messages[0])
                return None

        code = text("code", max_length=30, required=True)
        title = text("titre", max_length=200, required=True)
        theme = text("theme", max_length=100, required=True)
        district = text("quartier", max_length=100)
        email = text_cell(row.get("chef_de_projet")).lower()
        lead = self.users.get(email)
        if not email:
            errors["chef_de_projet"] = (row.get("chef_de_projet"), _("valeur obligatoire"))
        elif lead is None:
            errors["chef_de_projet"] = (email, _("aucun utilisateur actif n'a cette adresse e-mail"))

        dates: dict[str, datetime.date] = {}
        previous: tuple[str, datetime.date] | None = None
        missing: str | None = None
        for phase, column in PHASE_COLUMNS.items():
            day = parsed(column, parse_date)
            if day is None:
                if column not in errors and missing is None:
                    missing = column
                continue
            if missing is not None:
                errors[column] = (
                    row.get(column),
                    _("la colonne « %(missing)s » doit être remplie avant celle-ci (les phases se suivent)")
                    % {"missing": missing},
                )
            elif day > self.today:
                errors[column] = (row.get(column), _("date dans le futur"))
            elif previous is not None and day < previous[1]:
                errors[column] = (
                    row.get(column),
                    _("date antérieure à « %(column)s » (%(date)s) : les phases doivent se suivre dans l'ordre")
                    % {"column": previous[0], "date": previous[1].strftime("%d/%m/%Y")},
                )
            dates[phase] = day
            previous = (column, day)
        if Phase.COMMANDE not in dates and "date_commande" not in errors:
            errors["date_commande"] = (row.get("date_commande"), _("valeur obligatoire"))

        status_word = text_cell(row.get("statut")).lower().replace("é", "e")
        status = STATUSES.get(status_word, "")
        status_date = parsed("date_statut", parse_date)
        if status_word and not status:
            errors["statut"] = (row.get("statut"), _("valeur attendue : vide, « abandonne » ou « suspendu »"))
        elif status and status_date is None and "date_statut" not in errors:
            errors["date_statut"] = (row.get("date_statut"), _("obligatoire quand le statut est rempli"))
        elif not status and status_date is not None:
            errors["date_statut"] = (row.get("date_statut"), _("à laisser vide quand le statut est vide"))
        elif status and status_date is not None:
            last_phase = next((p for p in reversed(ORDERED_PHASES) if p in dates), None)
            if status_date > self.today:
                errors["date_statut"] = (row.get("date_statut"), _("date dans le futur"))
            elif previous is not None and status_date < previous[1]:
                errors["date_statut"] = (
                    row.get("date_statut"),
                    _("date antérieure à « %(column)s » (%(date)s)")
                    % {"column": previous[0], "date": previous[1].strftime("%d/%m/%Y")},
                )
            elif last_phase is not None and status not in workflow.EDGES[last_phase]:
                errors["statut"] = (
                    row.get("statut"),
                    _("un projet en phase « %(phase)s » ne peut pas être %(status)s")
                    % {"phase": Phase(last_phase).label, "status": Phase(status).label.lower()},
                )

        total_cost = parsed("cout_total", parse_decimal)
        city = parsed("part_ville", parse_decimal)
        for column, value in (("cout_total", total_cost), ("part_ville", city)):
            if value is not None and value < 0:
                errors[column] = (row.get(column), _("le montant ne peut pas être négatif"))
        total_cost = total_cost or Decimal("0.00")
        city = city or Decimal("0.00")
        if not {"part_ville", "cout_total"} & set(errors) and city > total_cost:
            errors["part_ville"] = (row.get("part_ville"), _("la part ville ne peut pas dépasser le coût total"))
        confidential = parsed("confidentiel", parse_bool)

        if errors:
            raise RowErrors(errors)
        cleaned = ProjectRow(
            code=code,
            title=title,
            theme=theme,
            district=district,
            lead=lead,
            phase_dates=dates,
            status=status,
            status_date=status_date,
            total_cost=total_cost,
            city_contribution=city,
            confidential=bool(confidential),
            existing=self.existing.get(code),
        )
        if cleaned.existing is not None:
            self._compare_log(cleaned, row)
        return cleaned

    def _compare_log(self, cleaned: ProjectRow, row: dict) -> None:
        """An existing project: the file may repeat its log or extend it, never contradict it."""
        phases, status, status_date = recorded_state(cleaned.existing)
        for phase, day in phases.items():
            column = PHASE_COLUMNS[phase]
            if cleaned.phase_dates.get(phase) != day:
                raise RowErrors(
                    {
                        column: (
                            row.get(column),
                            _(
                                "le projet existant est entré dans cette phase le %(date)s : le journal n'est pas réécrit"
                            )
                            % {"date": day.strftime("%d/%m/%Y")},
                        )
                    }
                )
        if status and (cleaned.status, cleaned.status_date) != (status, status_date):
            raise RowErrors(
                {
                    "statut": (
                        row.get("statut"),
                        _("le projet existant est « %(status)s » depuis le %(date)s")
                        % {"status": Phase(status).label, "date": status_date.strftime("%d/%m/%Y")},
                    )
                }
            )
        cleaned.new_steps = [(phase, day) for phase, day in cleaned.steps if phase not in phases and phase != status]

    def check_file(self, cleaned):
        seen: dict[str, int] = {}
        errors = []
        for line, row in cleaned:
            if row.code in seen:
                errors.append(
                    RowError(line, "code", row.code, _("code déjà présent ligne %(line)s") % {"line": seen[row.code]})
                )
            seen.setdefault(row.code, line)
        return errors

    # Writing --------------------------------------------------------------------------------

    def _reference(self, model, name: str):
        if not name:
            return None
        cache = self._references.setdefault(model, {})
        if name not in cache:
            found = model.objects.filter(name__iexact=name).first()
            if found is None:
                found = model(name=name)
                found._history_user = self.user
                found.save()
            cache[name] = found
        return cache[name]

    def apply_all(self, cleaned, report: ImportReport) -> None:
        """Existing projects one by one through the services; new ones in bulk."""
        self._references: dict = {}
        super().apply_all([(line, row) for line, row in cleaned if row.existing is not None], report)
        new = [(line, row) for line, row in cleaned if row.existing is None]
        self._create(new)
        report.created += len(new)

    def apply(self, row: ProjectRow) -> str:
        """An existing project: its fields through `project_update`, its log extended through
        the phase machine (dates and edges checked again)."""
        from portfolio.services.projects import project_update

        project = row.existing
        wanted = {
            "title": row.title,
            "theme": self._reference(Theme, row.theme),
            "district": self._reference(District, row.district),
            "lead": row.lead,
            "total_cost": row.total_cost,
            "city_contribution": row.city_contribution,
            "confidential": row.confidential,
        }
        changes = {name: value for name, value in wanted.items() if getattr(project, name) != value}
        if changes:
            project_update(project=project, by=self.user, changes=changes, expected_version=None)
        for phase, day in row.new_steps:
            workflow.transition(
                project,
                to_phase=phase,
                effective_date=day,
                by=self.user,
                comment=ABANDON_COMMENT if phase == Phase.ABANDONNE else "",
                enforce_gates=False,
            )
        return "updated" if changes or row.new_steps else "unchanged"

    def _create(self, rows: list[tuple[int, ProjectRow]]) -> None:
        """Letters, projects and logs of new projects, in bulk, history rows included."""
        if not rows:
            return
        history = {"default_user": self.user, "default_change_reason": IMPORT_REASON}
        letters = [
            CommissionLetter(
                date=row.phase_dates[Phase.COMMANDE],
                issuer=Issuer.AUTRE,
                object=row.title,
                created_by=self.user,
            )
            for _line, row in rows
        ]
        letters = bulk_create_with_history(letters, CommissionLetter, batch_size=1000, **history)
        projects = []
        for letter, (_line, row) in zip(letters, rows, strict=True):
            last_phase, last_date = row.steps[-1]
            projects.append(
                Project(
                    code=row.code,
                    title=row.title,
                    commission_letter=letter,
                    theme=self._reference(Theme, row.theme),
                    district=self._reference(District, row.district),
                    lead=row.lead,
                    confidential=row.confidential,
                    total_cost=row.total_cost,
                    city_contribution=row.city_contribution,
                    phase=last_phase,
                    phase_since=last_date,
                    search=search_key(row.code + " " + row.title),
                )
            )
        projects = bulk_create_with_history(projects, Project, batch_size=1000, **history)
        transitions = []
        for project, (_line, row) in zip(projects, rows, strict=True):
            previous = ""
            for phase, day in row.steps:
                transitions.append(
                    PhaseTransition(
                        project=project,
                        from_phase=previous,
                        to_phase=phase,
                        effective_date=day,
                        comment=ABANDON_COMMENT if phase == Phase.ABANDONNE else "",
                        created_by=self.user,
                    )
                )
                previous = phase
        bulk_create_with_history(transitions, PhaseTransition, batch_size=2000, **history)
