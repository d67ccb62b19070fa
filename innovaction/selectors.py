from django.contrib.auth.models import Group
from django.db.models import Count, Q

from innovaction.roles import ROLE_DESCRIPTIONS, Role


def role_counts() -> list[dict]:
    """Active users per role, in the order of `Role`, with the group id for admin links."""
    groups = {
        group.name: group
        for group in Group.objects.filter(name__in=Role.values).annotate(
            active=Count("user", filter=Q(user__is_active=True))
        )
    }
    return [
        {
            "role": role,
            "description": ROLE_DESCRIPTIONS[role],
            "count": groups[role.value].active if role.value in groups else 0,
            "group": groups.get(role.value),
        }
        for role in Role
    ]
