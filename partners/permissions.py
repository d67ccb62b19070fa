"""Who may see and change partners, contacts, interactions and funding lines (SPEC §2).

The only place these rules live. Partners themselves are not confidential; what belongs to
a project (funding lines, interactions about it) follows the project's visibility, through
`Project.objects.visible_to(user)`, in `partners.selectors`.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from innovaction import permissions as site
from innovaction.roles import Role
from partners.models import FundingLine, Interaction
from portfolio import permissions as portfolio


def can_view_partners(user) -> bool:
    """Every role reads the ecosystem (elected officials without the contacts' details)."""
    return user.is_authenticated and bool(user.roles)


def can_manage_partners(user) -> bool:
    """Leads keep the relationship with partners; the director too (SPEC §2)."""
    return site.has_role(user, Role.DIRECTOR, Role.LEAD)


def can_see_contacts(user) -> bool:
    return site.can_see_contact_details(user)


def can_erase_contact(user) -> bool:
    """Erasing personal data on request (GDPR) is the director's decision."""
    return site.is_director(user)


def can_log_interaction(user) -> bool:
    return can_manage_partners(user)


def can_edit_interaction(user, interaction) -> bool:
    """The author corrects what they logged; the director corrects anything."""
    if site.is_director(user):
        return True
    return can_log_interaction(user) and interaction.author_id == user.pk


def can_edit_funding(user, project) -> bool:
    """A project's funding plan is kept by those who may edit the project."""
    return portfolio.can_edit_project(user, project)


def can_attach_to_project(user, project) -> bool:
    """An interaction may name a project its author can see."""
    return portfolio.can_view_project(user, project)


def get_line_for_user(user, pk, action: str = "view"):
    """The funding line, 404 if its project is hidden from `user`, 403 if they may not edit it."""
    line = FundingLine.objects.select_related("project", "partner").filter(pk=pk).first()
    if line is None or not portfolio.can_view_project(user, line.project):
        raise Http404
    if action == "edit" and not can_edit_funding(user, line.project):
        raise PermissionDenied
    return line


def get_interaction_for_user(user, pk, action: str = "view"):
    interaction = Interaction.objects.select_related("project", "author").filter(pk=pk).first()
    if interaction is None:
        raise Http404
    if interaction.project is not None and not portfolio.can_view_project(user, interaction.project):
        raise Http404
    if action == "edit" and not can_edit_interaction(user, interaction):
        raise PermissionDenied
    return interaction
