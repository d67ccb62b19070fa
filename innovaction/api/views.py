"""The page where a person gets or revokes their API token (DRF TokenAuthentication)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from innovaction.permissions import rule_required
from portfolio.permissions import has_any_role


@rule_required(has_any_role)
@require_http_methods(["GET", "POST"])
def token(request):
    """GET shows whether a token exists; POST `action=creer` makes a new one (replacing the
    old), `action=revoquer` deletes it. The key is shown once, right after it is made."""
    if request.method == "POST":
        action = request.POST.get("action")
        Token.objects.filter(user=request.user).delete()
        if action == "creer":
            key = Token.objects.create(user=request.user).key
            request.session["api_token_shown"] = key
            messages.success(request, _("Nouveau jeton créé : l'ancien, s'il existait, ne fonctionne plus."))
        else:
            messages.success(request, _("Jeton révoqué : il ne donne plus accès à l'API."))
        return redirect("api:token")
    existing = Token.objects.filter(user=request.user).first()
    shown = request.session.pop("api_token_shown", None)
    return render(
        request,
        "innovaction/api_token.html",
        {"existing": existing, "key": shown if existing and shown == existing.key else None},
    )
