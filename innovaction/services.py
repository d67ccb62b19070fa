"""Writes of the core app: role permissions and account e-mails."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from innovaction.models import Organisation, User
from innovaction.roles import ROLE_MODEL_PERMISSIONS, Role


def _matches(rule, permission: Permission) -> bool:
    app_labels, actions = rule
    app = permission.content_type.app_label
    action = permission.codename.split("_", 1)[0]
    return (app_labels == "*" or app in app_labels) and (actions == "*" or action in actions)


@transaction.atomic
def roles_sync_permissions(*, using: str = "default") -> None:
    """Give each role group exactly the model permissions ROLE_MODEL_PERMISSIONS declares."""
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    all_permissions = list(Permission.objects.using(using).select_related("content_type"))
    for role, rules in ROLE_MODEL_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=str(role))
        wanted = [p for p in all_permissions if any(_matches(rule, p) for rule in rules)]
        group.permissions.set(wanted)


def user_set_roles(*, user: User, roles: list[Role]) -> None:
    user.groups.set(Group.objects.filter(name__in=[str(role) for role in roles]))
    user.__dict__.pop("roles", None)


def password_reset_email_send(*, user: User, site_url: str) -> None:
    """Mail `user` a one-time link to choose a new password (valid PASSWORD_RESET_TIMEOUT)."""
    context = {
        "user": user,
        "organisation": Organisation.current(),
        "site_url": site_url.rstrip("/"),
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
    body = render_to_string("registration/password_reset_email.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email])
    message.send()
