"""Site-wide access rules (SPEC §2). Object rules live in each app's `permissions` module.

Every rule is a function of the user; views call these instead of testing roles themselves.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from innovaction.roles import WRITER_ROLES, Role


def _roles(user) -> frozenset[str]:
    return getattr(user, "roles", frozenset()) if user.is_authenticated else frozenset()


def has_role(user, *roles: Role) -> bool:
    return any(str(role) in _roles(user) for role in roles)


def can_write(user) -> bool:
    """Only writer roles ever write; `cabinet` and `elected` read."""
    return has_role(user, *WRITER_ROLES)


def is_director(user) -> bool:
    return has_role(user, Role.DIRECTOR)


def can_use_admin(user) -> bool:
    return user.is_active and has_role(user, Role.ADMIN)


def sees_all_confidential(user) -> bool:
    """Roles that see every confidential project, whether or not they work on it."""
    return has_role(user, Role.DIRECTOR, Role.CABINET, Role.ADMIN)


def can_see_contact_details(user) -> bool:
    """Personal data of partner contacts is not shown to elected officials (SPEC §2)."""
    return has_role(user, Role.DIRECTOR, Role.LEAD, Role.CABINET, Role.ADMIN)


def require(allowed: bool) -> None:
    """403 unless `allowed`: for a signed-in user who may see a page but not do this."""
    if not allowed:
        raise PermissionDenied


def rule_required(rule):
    """View decorator: 403 unless `rule(request.user)` holds (the login is enforced globally)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(rule(request.user))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
