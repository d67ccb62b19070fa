from rest_framework.permissions import BasePermission


class HasRole(BasePermission):
    """Like the pages: a logged-in person holding a role, reading only (the API is read-only,
    so every write method is answered 405 by the viewsets themselves)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "roles", None))
