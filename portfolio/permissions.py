"""Who may see and change projects (SPEC §2). The only place these rules live.

Outsiders get 404 (a confidential project does not exist for them); people who may see a
project but not do what they ask get 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from innovaction import permissions as site
from innovaction.roles import Role


def visible_projects_filter(user, prefix: str = "") -> Q:
    """The Q selecting the projects `user` may know of; used by `Project.objects.visible_to`.
    With `prefix` ("project__"), the same rule on a model pointing to a project, as columns of
    its join rather than an IN (subquery) that PostgreSQL may re-scan once per outer row."""
    from portfolio.models import Project

    if not user.is_authenticated or not user.roles:
        return Q(**{f"{prefix}pk__in": []})
    if site.sees_all_confidential(user):
        return Q()
    in_team = Exists(Project.team.through.objects.filter(project_id=OuterRef(f"{prefix}pk"), user_id=user.pk))
    return Q(**{f"{prefix}confidential": False}) | Q(**{f"{prefix}lead_id": user.pk}) | Q(in_team)


def has_any_role(user) -> bool:
    """Portfolio pages are for people holding a role; an account without one sees none."""
    return user.is_authenticated and bool(user.roles)


def is_on_team(user, project) -> bool:
    if project.lead_id == user.pk:
        return True
    prefetched = getattr(project, "_prefetched_objects_cache", {}).get("team")
    if prefetched is not None:
        return any(member.pk == user.pk for member in prefetched)
    return project.team.filter(pk=user.pk).exists()


def can_view_project(user, project) -> bool:
    if not user.is_authenticated or not user.roles:
        return False
    return site.sees_all_confidential(user) or not project.confidential or is_on_team(user, project)


def can_edit_project(user, project) -> bool:
    """The director edits every project; a lead edits the projects they lead or work on."""
    if site.is_director(user):
        return True
    return site.has_role(user, Role.LEAD) and is_on_team(user, project)


def can_create_project(user) -> bool:
    """Registering a commission letter and opening its project is the director's job."""
    return site.is_director(user)


def can_validate_gates(user) -> bool:
    return site.is_director(user)


def can_edit_letter(user, project) -> bool:
    """The commission letter is the director's record, like the choice of lead."""
    return site.is_director(user)


def can_assign(user) -> bool:
    """Choosing a project's lead, its code and whether it is confidential."""
    return site.is_director(user)


def can_move_directly(user, project, to_phase) -> bool:
    """Ungated moves are made by the project's people; gated ones (decisions) by the director."""
    from portfolio import workflow

    if not can_edit_project(user, project):
        return False
    return not workflow.is_gated(to_phase) or can_validate_gates(user)


def can_propose(user, project) -> bool:
    """A lead of the project proposes the decisions the director takes."""
    return can_edit_project(user, project) and not can_validate_gates(user)


def can_withdraw(user, proposal) -> bool:
    return proposal.proposed_by_id == user.pk or can_edit_project(user, proposal.project)


def can_manage_reference(user) -> bool:
    """Themes, districts and target durations are the director's settings."""
    return site.is_director(user)


ACTIONS = {"view": can_view_project, "edit": can_edit_project, "letter": can_edit_letter}


def get_project_for_user(user, pk, action: str = "view", queryset=None):
    """The project, or 404 for someone who may not see it, or 403 for a reader asking to write."""
    from portfolio.models import Project

    queryset = queryset if queryset is not None else Project.objects.all()
    project = queryset.filter(visible_projects_filter(user), pk=pk).first()
    if project is None:
        raise Http404
    if not ACTIONS[action](user, project):
        raise PermissionDenied
    return project
