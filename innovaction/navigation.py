"""The main navigation: each app declares its entries in `<app>/navigation.py` as NAV_ITEMS.

An entry is shown to a user only when its rule allows them, so each role sees what it may use.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from innovaction import permissions


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    rule: Callable[[object], bool]
    description: str | Promise = ""
    order: int = 100


NAV_ITEMS = [
    NavItem(
        label=_("Import"),
        url_name="import_data",
        rule=permissions.is_director,
        description=_("Projets, partenaires, financements et valeurs d'indicateurs depuis un tableur."),
        order=800,
    ),
    NavItem(
        label=_("Administration"),
        url_name="admin:index",
        rule=permissions.can_use_admin,
        description=_("Utilisateurs, rôles et réglages techniques."),
        order=900,
    ),
]

_LOCAL_APPS = ("innovaction", "portfolio", "partners", "scorecard")


def all_items() -> list[NavItem]:
    items: list[NavItem] = []
    for label in _LOCAL_APPS:
        if not apps.is_installed(label):
            continue
        try:
            module = import_module(f"{label}.navigation")
        except ModuleNotFoundError:
            continue
        items.extend(getattr(module, "NAV_ITEMS", []))
    return sorted(items, key=lambda item: item.order)


@dataclass(frozen=True)
class NavLink:
    """An entry as a page shows it, its URL reversed once for the page."""

    label: str | Promise
    url: str
    description: str | Promise = ""


def links_for(user) -> list[NavLink]:
    """The entries the user's rules allow, in order."""
    if not user.is_authenticated:
        return []
    return [NavLink(item.label, reverse(item.url_name), item.description) for item in all_items() if item.rule(user)]
