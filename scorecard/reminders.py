"""Reminders by e-mail (SPEC §6), sent by one scheduled task (`scorecard.tasks.send_reminders`):

- an indicator owner whose manual value for the closing month is missing;
- a lead whose active project has had no progress note for 30 days (Organisation.stale_after_days);
- a lead whose funding line is near its deadline (Organisation.funding_alert_days);
- a lead whose milestone is due within 7 days (Organisation.milestone_reminder_days).

At most one reminder of each kind per object per week: the outbox key names the kind, the
object and the ISO week, so a second run in the same week queues nothing. Each person sees
what was sent to them on "Mes notifications".
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from innovaction.calendar import iso_week
from innovaction.models import Organisation
from innovaction.outbox.models import OutboxMessage
from innovaction.outbox.services import outbox_enqueue
from partners.choices import PLANNED_STATUSES
from partners.models import FundingLine
from portfolio.choices import ACTIVE_PHASES
from portfolio.models import Milestone, Project
from scorecard.choices import Periodicity, Source
from scorecard.models import Indicator, Measurement
from scorecard.periods import Period
from scorecard.services import is_locked

KIND = "reminder"
# The closing month is reminded from this many days before its end until its report is sent.
CLOSING_DAYS = 7


@dataclass
class Reminder:
    kind: str
    object_id: int
    to: object  # User
    subject: str
    lines: list[str]
    url: str


def closing_period(today: datetime.date) -> Period | None:
    """The month whose manual values are due: the running month in its last days, or the
    previous month until its report is sent (which locks it)."""
    current = Period.of(today)
    if (current.end - today).days < CLOSING_DAYS:
        return current
    previous = current.previous()
    return None if is_locked(previous) else previous


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def missing_values(today: datetime.date) -> list[Reminder]:
    period = closing_period(today)
    if period is None:
        return []
    filled = Measurement.objects.filter(period=period.start, is_current=True, value__isnull=False)
    indicators = (
        Indicator.objects.filter(
            is_active=True, source=Source.MANUAL, periodicity=Periodicity.MONTHLY, owner__is_active=True
        )
        .exclude(pk__in=filled.values("indicator"))
        .select_related("owner")
    )
    return [
        Reminder(
            "manual",
            indicator.pk,
            indicator.owner,
            _("Valeur à saisir : %(name)s, %(month)s") % {"name": indicator.name, "month": period.label},
            [
                _("La valeur de %(month)s de l'indicateur %(code)s — %(name)s n'est pas encore saisie.")
                % {"month": period.label, "code": indicator.code, "name": indicator.name}
            ],
            _link(indicator.get_absolute_url()),
        )
        for indicator in indicators
    ]


def stale_projects(today: datetime.date, days: int) -> list[Reminder]:
    cutoff = today - datetime.timedelta(days=days)
    projects = (
        Project.objects.filter(phase__in=ACTIVE_PHASES, lead__is_active=True)
        .filter(Q(last_note_on__lt=cutoff) | Q(last_note_on__isnull=True, phase_since__lt=cutoff))
        .select_related("lead")
        .order_by("code")
    )
    return [
        Reminder(
            "stale",
            project.pk,
            project.lead,
            _("Point d'avancement attendu : %(code)s") % {"code": project.code},
            [
                _("Le projet %(code)s — %(title)s n'a pas eu de point d'avancement depuis %(days)s jours.")
                % {"code": project.code, "title": project.title, "days": days}
            ],
            _link(project.get_absolute_url()),
        )
        for project in projects
    ]


def expiring_funding(today: datetime.date, days: int) -> list[Reminder]:
    lines = (
        FundingLine.objects.filter(
            status__in=PLANNED_STATUSES,
            expires_on__range=(today, today + datetime.timedelta(days=days)),
            project__lead__is_active=True,
        )
        .select_related("project", "project__lead", "partner")
        .order_by("expires_on", "pk")
    )
    return [
        Reminder(
            "funding",
            line.pk,
            line.project.lead,
            _("Financement à échéance le %(day)s : %(code)s")
            % {"day": f"{line.expires_on:%d/%m/%Y}", "code": line.project.code},
            [
                _("Le financement de %(partner)s pour %(code)s — %(title)s arrive à échéance le %(day)s.")
                % {
                    "partner": line.partner.name,
                    "code": line.project.code,
                    "title": line.project.title,
                    "day": f"{line.expires_on:%d/%m/%Y}",
                }
            ],
            _link(line.project.get_absolute_url()),
        )
        for line in lines
    ]


def milestones_due(today: datetime.date, days: int) -> list[Reminder]:
    milestones = (
        Milestone.objects.filter(
            actual_date__isnull=True,
            planned_date__range=(today, today + datetime.timedelta(days=days)),
            project__lead__is_active=True,
        )
        .select_related("project", "project__lead")
        .order_by("planned_date", "pk")
    )
    return [
        Reminder(
            "milestone",
            milestone.pk,
            milestone.project.lead,
            _("Jalon prévu le %(day)s : %(title)s")
            % {"day": f"{milestone.planned_date:%d/%m/%Y}", "title": milestone.title},
            [
                _("Le jalon « %(title)s » du projet %(code)s est prévu le %(day)s.")
                % {
                    "title": milestone.title,
                    "code": milestone.project.code,
                    "day": f"{milestone.planned_date:%d/%m/%Y}",
                }
            ],
            _link(milestone.project.get_absolute_url()),
        )
        for milestone in milestones
    ]


def reminder_key(reminder: Reminder, today: datetime.date) -> str:
    return f"{KIND}:{reminder.kind}:{reminder.object_id}:{iso_week(today)}"


def reminders_due(today: datetime.date) -> list[Reminder]:
    organisation = Organisation.current()
    return [
        *missing_values(today),
        *stale_projects(today, organisation.stale_after_days),
        *expiring_funding(today, organisation.funding_alert_days),
        *milestones_due(today, organisation.milestone_reminder_days),
    ]


def reminders_send(*, today: datetime.date | None = None) -> list[OutboxMessage]:
    """Queue the reminders due today; those already sent this week are skipped by their key."""
    today = today or timezone.localdate()
    queued = []
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in reminders_due(today):
            key = reminder_key(reminder, today)
            if OutboxMessage.objects.filter(key=key).exists():
                continue
            context = {"reminder": reminder, "user": reminder.to}
            queued.append(
                outbox_enqueue(
                    key=key,
                    to_email=reminder.to.email,
                    to_name=reminder.to.get_full_name(),
                    user=reminder.to,
                    subject=reminder.subject,
                    text_body=render_to_string("scorecard/reports/email/reminder.txt", context),
                )
            )
    return queued
