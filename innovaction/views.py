from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from innovaction.health import service_states
from innovaction.roles import ROLE_DESCRIPTIONS, Role
from innovaction.selectors import role_counts

HOME_TEMPLATES = {
    Role.ADMIN: "innovaction/home_admin.html",
    Role.DIRECTOR: "innovaction/home_director.html",
    Role.LEAD: "innovaction/home_lead.html",
    Role.CABINET: "innovaction/home_reader.html",
    Role.ELECTED: "innovaction/home_reader.html",
}


def home(request):
    """The landing page of the user's main role; a user without a role sees whom to ask."""
    role = request.user.primary_role
    template = HOME_TEMPLATES.get(role, "innovaction/home_norole.html")
    context = {
        "role": role,
        "role_counts": role_counts() if role == Role.ADMIN else None,
        "role_description": ROLE_DESCRIPTIONS.get(role, ""),
    }
    return render(request, template, context)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when every configured service answers, 503 naming the one that does not."""
    states = service_states()
    healthy = all(state == "ok" for state in states.values())
    return JsonResponse({"status": "ok" if healthy else "error", "services": states}, status=200 if healthy else 503)


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "innovaction/accessibility.html")


@login_not_required
@require_GET
def privacy(request):
    return render(request, "innovaction/privacy.html")
