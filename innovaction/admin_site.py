from functools import update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from innovaction import permissions


class InnovactionAdminSite(admin.AdminSite):
    """Django admin for the `admin` role only: other signed-in users get 403, not a login form."""

    site_header = _("Innov'action — administration")
    site_title = _("Innov'action")
    index_title = _("Administration technique")

    def has_permission(self, request):
        return permissions.can_use_admin(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request, extra_context=None):
        """One login page for the whole site, with its throttling."""
        if request.user.is_authenticated:
            permissions.require(self.has_permission(request))
            return redirect("admin:index")
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), settings.LOGIN_URL)
