"""Lead-time analytics over the projects a user may see, from the transition log only:
median and P90 per phase, instruction and delivery times, ageing of open files, breaches of
the target durations, and cohorts of commission-letter dates compared.

Three queries whatever the number of projects (the log, the targets, the late files shown);
the maths are `portfolio.workflow`'s."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from portfolio.choices import OPEN_PHASES_ORDER, ORDERED_PHASES, Phase
from portfolio.models import PhaseTransition, Project
from portfolio.selectors.projects import Thresholds, visible_projects
from portfolio.workflow import LeadTimes, median, percentile

# Phases whose stays have an end: the terminal ones (evalue, abandonne) are left out.
TIMED_PHASES = [*ORDERED_PHASES[:-1], Phase.SUSPENDU]


class LogRow(NamedTuple):
    to_phase: str
    effective_date: datetime.date
    pk: int


@dataclass(frozen=True)
class Stat:
    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> "Stat":
        return cls(len(values), median(values), percentile(values, 0.9))


@dataclass
class PhaseRow:
    phase: Phase
    target: int | None
    done: Stat  # stays that ended
    ages: Stat  # files in the phase now
    breaches: int


@dataclass
class Cohort:
    label: str
    start: datetime.date
    end: datetime.date
    projects: int
    decided: int
    instruction: Stat
    delivery: Stat


@dataclass
class Breach:
    project: Project
    age: int
    target: int

    @property
    def over(self) -> int:
        return self.age - self.target


@dataclass
class Report:
    as_of: datetime.date
    projects: int
    phases: list[PhaseRow]
    instruction: Stat
    delivery: Stat
    cohorts: list[Cohort]
    by_year: list[tuple[int, Stat]]
    breaches: list[Breach]
    breach_count: int
    ratio: float | None = field(default=None)


def logs_of(projects) -> dict[int, list[LogRow]]:
    """Each project's transition log, from one read."""
    rows = (
        PhaseTransition.objects.filter(project__in=projects.values("pk"))
        .order_by("project_id", "effective_date", "pk")
        .values_list("project_id", "to_phase", "effective_date", "pk")
    )
    logs: dict[int, list[LogRow]] = defaultdict(list)
    for project_id, to_phase, day, pk in rows:
        logs[project_id].append(LogRow(to_phase, day, pk))
    return logs


def _cohort(label: str, start: datetime.date, end: datetime.date, times: Iterable[LeadTimes]) -> Cohort:
    members = [t for t in times if t.commissioned_on and start <= t.commissioned_on <= end]
    instruction = [t.instruction_days for t in members if t.instruction_days is not None]
    delivery = [t.delivery_days for t in members if t.delivery_days is not None]
    return Cohort(
        label=label,
        start=start,
        end=end,
        projects=len(members),
        decided=len(instruction),
        instruction=Stat.of(instruction),
        delivery=Stat.of(delivery),
    )


def lead_time_report(
    *,
    user,
    limits: Thresholds,
    cohorts: Sequence[tuple[str, datetime.date, datetime.date]] = (),
    breach_limit: int = 15,
) -> Report:
    projects = visible_projects(user)
    logs = logs_of(projects)
    times = {pk: LeadTimes.from_transitions(rows, as_of=limits.today) for pk, rows in logs.items()}

    closed: dict[str, list[int]] = defaultdict(list)
    ages: dict[str, list[int]] = defaultdict(list)
    late: list[tuple[int, int, int]] = []  # (project id, age, target)
    for pk, lead in times.items():
        for phase, days in lead.closed_days_in_phase.items():
            closed[phase].append(days)
        age = lead.age_in_phase
        if age is not None:
            ages[lead.current_phase].append(age)
            target = limits.targets.get(lead.current_phase)
            if target is not None and age > target:
                late.append((pk, age, target))

    phases = [
        PhaseRow(
            phase=phase,
            target=limits.targets.get(phase) if phase in OPEN_PHASES_ORDER else None,
            done=Stat.of(closed.get(phase, [])),
            ages=Stat.of(ages.get(phase, [])),
            breaches=sum(1 for pk, _age, _target in late if times[pk].current_phase == phase),
        )
        for phase in TIMED_PHASES
    ]

    late.sort(key=lambda item: item[1] - item[2], reverse=True)
    shown = {project.pk: project for project in projects.filter(pk__in=[pk for pk, *_ in late[:breach_limit]])}
    breaches = [Breach(shown[pk], age, target) for pk, age, target in late[:breach_limit] if pk in shown]

    all_times = list(times.values())
    by_year: dict[int, list[int]] = defaultdict(list)
    for lead in all_times:
        if lead.instruction_days is not None:
            by_year[lead.commissioned_on.year].append(lead.instruction_days)
    compared = [_cohort(label, start, end, all_times) for label, start, end in cohorts]
    ratio = None
    if len(compared) == 2 and compared[0].instruction.median and compared[1].instruction.median:
        ratio = compared[0].instruction.median / compared[1].instruction.median
    return Report(
        as_of=limits.today,
        projects=len(all_times),
        phases=phases,
        instruction=Stat.of([t.instruction_days for t in all_times if t.instruction_days is not None]),
        delivery=Stat.of([t.delivery_days for t in all_times if t.delivery_days is not None]),
        cohorts=compared,
        by_year=[(year, Stat.of(values)) for year, values in sorted(by_year.items())],
        breaches=breaches,
        breach_count=len(late),
        ratio=ratio,
    )
