from functools import partial

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect."),
        "inactive": _("Ce compte est désactivé."),
    }


class QueuedPasswordResetForm(PasswordResetForm):
    """Queues the reset e-mail as a Celery task carrying ids only, after the request commits."""

    def save(self, *, request, **kwargs):
        site_url = request.build_absolute_uri("/")
        from innovaction.tasks import send_password_reset_email

        for user in self.get_users(self.cleaned_data["email"]):
            transaction.on_commit(partial(send_password_reset_email.delay, user.pk, site_url))
