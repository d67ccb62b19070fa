"""Every URL pattern of the project, read from the resolver, and a real path for each built
from the objects of the test city (tests/assurance/conftest.py)."""

import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
NAMED_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
UNNAMED_GROUP = re.compile(r"\((?!\?)[^)]*\)")
ADMIN_NAME = re.compile(r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z]+)_(?P<action>[a-z_]+)$")


@dataclass(frozen=True)
class Pattern:
    key: str  # the qualified URL name, or "namespace:[route]" for an unnamed pattern
    route: str  # the whole route, from the root, as the resolver spells it

    @property
    def params(self) -> list[str]:
        named = NAMED_GROUP.findall(self.route)
        return named + ROUTE_PARAM.findall(NAMED_GROUP.sub("", self.route))


def _piece(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    if isinstance(pattern, RegexPattern):
        return pattern._regex.lstrip("^").rstrip("$").replace("\\Z", "")
    return str(pattern)


def all_patterns(resolver=None, prefix: str = "", namespace: str = "") -> list[Pattern]:
    """Every URL pattern of the project, named or not."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = prefix + _piece(entry.pattern)
        if isinstance(entry, URLResolver):
            child = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += all_patterns(entry, route, child)
        elif isinstance(entry, URLPattern):
            key = f"{namespace}{entry.name}" if entry.name else f"{namespace}[{route}]"
            found.append(Pattern(key=key, route=route))
    return found


DOMAINS = ("portfolio", "partners", "scorecard")
# The sweeps over every URL run in these parts, side by side (pytest-xdist).
PARTS = (*DOMAINS, "application", *(f"admin {domain}" for domain in DOMAINS), "admin")


def part_of(pattern: Pattern) -> str:
    """Which part of PARTS a pattern falls in: its domain app, its admin app, or the rest."""
    namespace = pattern.key.split(":", 1)[0] if ":" in pattern.key else ""
    if namespace == "admin":
        app = pattern.route.split("/")[1] if pattern.route.count("/") > 1 else ""
        return f"admin {app}" if app in DOMAINS else "admin"
    return namespace if namespace in DOMAINS else "application"


def _admin_model(key: str, route: str):
    """The model an admin URL is about, from its name or, for unnamed ones, its route."""
    match = ADMIN_NAME.match(key)
    if match and match["action"] in {"changelist", "add", "history", "delete", "change", "simple_history"}:
        return apps.get_model(match["app"], match["model"])
    if key == "admin:auth_user_password_change":
        return apps.get_model("innovaction", "user")
    parts = route.split("/")
    if key.startswith("admin:[") and len(parts) >= 3 and apps.is_installed(parts[1]):
        return apps.get_model(parts[1], parts[2])
    return None


def values_for(pattern: Pattern, city: dict, kind: str, people: dict) -> tuple[dict, list]:
    """The value of each parameter of `pattern` in the city's `kind` world ("open"/"secret")."""
    world = city[kind]
    key = pattern.key
    app = key.split(":", 1)[0] if ":" in key else ""
    model = _admin_model(key, pattern.route) if app == "admin" else None
    instance = model._default_manager.order_by("pk").first() if model else None
    named: dict = {}
    for param in pattern.params:
        if param == "pk":
            named[param] = _pk(key, world, city)
        elif param == "item":
            named[param] = _child(key, world).pk
        elif param in ("project_pk",):
            named[param] = world["project"].pk
        elif param == "partner_pk":
            named[param] = city["partner"].pk
        elif param == "attachment_pk":
            named[param] = city["attachment"].pk
        elif param == "code" and key == "api:project-detail":
            named[param] = world["project"].code
        elif param == "code":
            named[param] = city["computed" if key.endswith("measurement_revise") else "indicator"].code
        elif param == "period":
            named[param] = "2025-03"
        elif param == "slug":
            named[param] = "projets"
        elif param == "year":
            named[param] = city["target"].year
        elif param == "kind":
            named[param] = "projets" if key == "import_template" else "themes"
        elif param == "fmt":
            named[param] = "csv"
        elif param == "key":
            named[param] = "financement"
        elif param == "status":
            named[param] = "caduc"
        elif param == "uidb64":
            named[param] = urlsafe_base64_encode(force_bytes(people["lead"].pk))
        elif param == "token":
            named[param] = "lien-perime"
        elif param == "id":  # the admin's password form of a user
            named[param] = instance.pk
        elif param == "object_id":
            named[param] = instance.pk if instance else world["project"].pk
        elif param == "content_type_id":
            named[param] = ContentType.objects.get_for_model(world["project"]).pk
        elif param == "app_label":
            named[param] = "portfolio"
        elif param == "url":
            named[param] = "inconnu/"
        else:
            raise AssertionError(f"Paramètre d'URL inconnu du test : {param} ({key})")
    positional = []
    if UNNAMED_GROUP.search(pattern.route):  # simple-history's object_id / version_id
        assert instance is not None, key
        positional = [instance.pk, instance.history.order_by("history_id").first().history_id]
    return named, positional


def _pk(key: str, world: dict, city: dict):
    name = key.split(":", 1)[-1] if not key.startswith("api:") else key
    by_prefix = [
        ("proposal_", world["proposal"]),
        ("reference_edit", city["theme"]),
        ("contact_", city["contact"]),
        ("interaction_", world["interaction"]),
        ("line_", world["line"]),
        ("partner_", city["partner"]),
        ("perspective_", city["perspective"]),
        ("objective_", city["objective"]),
        ("recompute_job", city["job"]),
        ("notification", city["message"]),
        ("recipient_", city["recipient"]),
        ("delivery_", city["delivery"]),
        ("api:partner-", city["partner"]),
        ("api:funding-line-", world["line"]),
    ]
    for prefix, obj in by_prefix:
        if name.startswith(prefix):
            return obj.pk
    return world["project"].pk


def _child(key: str, world: dict):
    name = key.split(":", 1)[-1]
    for prefix, child in [("milestones", "milestone"), ("notes", "note"), ("risks", "risk"), ("document", "document")]:
        if name.startswith(prefix):
            return world[child]
    raise AssertionError(key)


def build_path(pattern: Pattern, named: dict, positional: list) -> str:
    path = NAMED_GROUP.sub(lambda m: str(named[m.group(1)]), pattern.route)  # before "<name>" inside "(?P<name>…)"
    path = ROUTE_PARAM.sub(lambda m: str(named[m.group(1)]), path)
    values = iter(positional)
    path = UNNAMED_GROUP.sub(lambda m: str(next(values)), path)
    return "/" + path.replace("\\", "")
