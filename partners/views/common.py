"""Small helpers the partner views share."""

from django.shortcuts import redirect
from django.urls import NoReverseMatch
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback: str) -> str:
    """The `next` URL of the form if it points inside the site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return fallback


def back_to(request, fallback: str):
    return redirect(safe_next(request, fallback))


def id_param(request, key: str) -> int:
    """A numeric id from the query string; 0 (matching nothing) when absent or malformed."""
    value = request.GET.get(key, "")
    return int(value) if value.isdigit() else 0


def project_page_url(project) -> str | None:
    """The project's own page, when the portfolio app serves one (it is built separately;
    the funding pages link to it once it exists)."""
    try:
        return project.get_absolute_url()
    except NoReverseMatch:
        return None
