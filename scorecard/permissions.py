"""Who may read and change the scorecard (SPEC §2, §5). The only place these rules live.

Everyone with a role reads the dashboards; the director configures, recomputes and corrects
locked months; a manual indicator's value is entered by its owner or the director.
"""

from innovaction import permissions as site
from innovaction.roles import Role
from scorecard.choices import Source


def can_view_scorecard(user) -> bool:
    return user.is_authenticated and bool(getattr(user, "roles", None))


def can_configure(user) -> bool:
    return site.is_director(user)


def can_recompute(user) -> bool:
    return site.is_director(user)


def can_enter_value(user, indicator, *, locked: bool = False) -> bool:
    """A manual value: the indicator's owner (if they hold a writer role) or the director;
    in a locked month, only the director may enter a correction."""
    if indicator.source != Source.MANUAL or not indicator.is_active or not site.can_write(user):
        return False
    if site.is_director(user):
        return True
    return not locked and indicator.owner_id == user.pk


def can_correct_locked(user) -> bool:
    return site.is_director(user)


def can_read_reports(user) -> bool:
    """The archive of monthly reports: the direction, the cabinet and elected officials (SPEC §6)."""
    return site.has_role(user, Role.DIRECTOR, Role.CABINET, Role.ELECTED)


def can_manage_reports(user) -> bool:
    """Recipients, generation, sending and resending: the director."""
    return site.is_director(user)
