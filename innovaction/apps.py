from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_permissions(sender, using="default", **kwargs):
    from innovaction.services import roles_sync_permissions

    roles_sync_permissions(using=using)


class InnovactionConfig(AppConfig):
    default = True
    name = "innovaction"
    verbose_name = _("Innov'action")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from innovaction.middleware import SlidingSessionMiddleware

        # Model permissions exist only once every app has migrated, so the role groups
        # (created by a migration) receive theirs after each `migrate`.
        post_migrate.connect(_sync_role_permissions, sender=self, dispatch_uid="innovaction_roles_sync")
        user_logged_in.connect(SlidingSessionMiddleware.on_login, dispatch_uid="innovaction_session_refresh")


class InnovactionAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "innovaction.admin_site.InnovactionAdminSite"
