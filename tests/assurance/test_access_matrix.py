"""The access matrix: every URL pattern of the project × seven people × GET and POST, on an
open and on a confidential project (SPEC §2).

`EXPECTED` declares the answer of every (URL, method, project) for the seven columns of
`ROLES`; a pattern the resolver knows and the table does not fails the test, and so does a
row the resolver no longer knows. Each request runs in a rolled-back transaction, so a
delete or a status change does not hide the next check, and every response is also checked
for the security headers.

Tokens: a status code, or `L` for a redirection to the login page. POSTs carry no data: a
form answers 200 with its errors, a confirmation-free action 302.
"""

import copy
import os
import re
from collections import Counter

import pytest
from django.db import transaction
from django.test import Client

from tests.assurance.conftest import ROLES
from tests.assurance.urlmap import PARTS, all_patterns, build_path, part_of, values_for
from tests.portfolio.conftest import close_response

# Profiles: one string of seven answers, in the order of ROLES:
#            anonymous lead(owner) other_lead cabinet elected director admin
# A row gives, for GET and for POST, either one profile (same on both projects, or not about
# a project) or a pair (open project, confidential project).
P = {
    # Public pages (SPEC §2: login, health check, password reset, accessibility, privacy).
    "public": "200 200 200 200 200 200 200",
    "public_redirect": "302 302 302 302 302 302 302",
    "login_page": "200 302 302 302 302 302 302",
    "not_allowed": "L 405 405 405 405 405 405",
    "every_role": "L 200 200 200 200 200 200",
    "every_role_redirect": "L 302 302 302 302 302 302",
    # Project pages: everyone with a role reads an open project; a confidential one exists
    # only for its lead and team, the director, the cabinet and the admin.
    "read": "L 200 200 200 200 200 200",
    "read_secret": "L 200 404 200 404 200 200",
    # Writes on a project: its lead (and team) and the director; readers 403, outsiders 404.
    "write": "L 200 403 403 403 200 403",
    "write_secret": "L 200 404 403 404 200 403",
    "write_done": "L 302 403 403 403 302 403",
    "write_done_secret": "L 302 404 403 404 302 403",
    "director": "L 403 403 403 403 200 403",
    "director_secret": "L 403 404 403 404 200 403",
    "director_done": "L 403 403 403 403 302 403",
    "director_done_secret": "L 403 404 403 404 302 403",
    "leads": "L 200 200 403 403 200 403",
    "report_readers": "L 403 403 200 200 200 403",
    "report_unsent": "L 403 403 404 404 200 403",
    "api_read": "401 200 200 200 200 200 200",
    "api_read_secret": "401 200 404 200 404 200 200",
    "api_405": "401 405 405 405 405 405 405",
    "recipient": "L 200 404 404 404 404 404",
    "public_405": "405 405 405 405 405 405 405",
    "all_to_login": "L L L L L L L",
    "director_405": "L 403 403 403 403 405 403",
    "director_400": "L 403 403 403 403 400 403",
    # The Django admin: the admin role only.
    "admin": "L 403 403 403 403 403 200",
    "admin_done": "L 403 403 403 403 403 302",
    "admin_denied": "L 403 403 403 403 403 403",
    "admin_gone": "L 403 403 403 403 403 404",
    "admin_405": "L 403 403 403 403 403 405",
    "admin_to_login": "L 403 403 403 403 403 L",
}

# name → (scope, GET, POST). Scope "p": the URL names a project's record, checked on the open
# and on the confidential project; "s": it does not, checked once.
APPLICATION = {
    "home": ("s", "every_role", "every_role"),
    "healthz": ("s", "public", "public_405"),
    "accessibility": ("s", "public", "public_405"),
    "privacy": ("s", "public", "public_405"),
    "set_language": ("s", "public_redirect", "public_redirect"),
    "login": ("s", "login_page", "login_page"),
    "logout": ("s", "not_allowed", "all_to_login"),
    "password_change": ("s", "every_role", "every_role"),
    "password_change_done": ("s", "every_role", "not_allowed"),
    "password_reset": ("s", "public", "public"),
    "password_reset_done": ("s", "public", "public_405"),
    "password_reset_confirm": ("s", "public", "public"),  # an expired link: the page says so
    "password_reset_complete": ("s", "public", "public_405"),
    # A notification is its recipient's only (the lead here): 404 for everyone else.
    "outbox:notifications": ("s", "every_role", "not_allowed"),
    "outbox:notification": ("s", "recipient", "not_allowed"),
    "outbox:notification_attachment": ("s", "recipient", "not_allowed"),
    # Portfolio (SPEC §2, §3).
    "portfolio:project_list": ("s", "read", "not_allowed"),
    "portfolio:project_board": ("s", "read", "not_allowed"),
    "portfolio:project_roadmap": ("s", "read", "not_allowed"),
    "portfolio:project_export": ("s", "read", "not_allowed"),
    "portfolio:lead_times": ("s", "read", "not_allowed"),
    "portfolio:project_register": ("s", "director", "director"),
    "portfolio:code_suggestion": ("s", "director", "director_405"),
    "portfolio:proposal_list": ("s", "director", "director_405"),
    "portfolio:reference": ("s", "director", "director_405"),
    "portfolio:targets_update": ("s", "director_405", "director_done"),
    "portfolio:reference_add": ("s", "director_405", "director"),
    "portfolio:reference_edit": ("s", "director", "director"),
    "portfolio:proposal_accept": ("p", ("director", "director_secret"), ("director", "director_secret")),
    "portfolio:proposal_refuse": ("p", ("director", "director_secret"), ("director", "director_secret")),
    "portfolio:proposal_withdraw": ("p", "not_allowed", ("write_done", "write_done_secret")),
    "portfolio:project_detail": ("p", ("read", "read_secret"), "not_allowed"),
    "portfolio:history": ("p", ("read", "read_secret"), "not_allowed"),
    "portfolio:project_panel": ("p", ("read", "read_secret"), "not_allowed"),
    "portfolio:letter_pdf": ("p", ("read", "read_secret"), "not_allowed"),
    "portfolio:milestones": ("p", ("read", "read_secret"), "not_allowed"),
    "portfolio:notes": ("p", ("read", "read_secret"), "not_allowed"),
    "portfolio:risks": ("p", ("read", "read_secret"), "not_allowed"),
    "portfolio:documents": ("p", ("read", "read_secret"), "not_allowed"),
    "portfolio:document_download": ("p", ("read", "read_secret"), "not_allowed"),
    "portfolio:project_edit": ("p", ("write", "write_secret"), ("write", "write_secret")),
    "portfolio:project_phase": ("p", ("write", "write_secret"), ("write", "write_secret")),
    "portfolio:letter_edit": ("p", ("director", "director_secret"), ("director", "director_secret")),
    "portfolio:milestones_add": ("p", "not_allowed", ("write", "write_secret")),
    "portfolio:milestones_edit": ("p", ("write", "write_secret"), ("write", "write_secret")),
    "portfolio:milestones_delete": ("p", ("write", "write_secret"), ("write_done", "write_done_secret")),
    "portfolio:notes_add": ("p", "not_allowed", ("write", "write_secret")),
    "portfolio:notes_edit": ("p", ("write", "write_secret"), ("write", "write_secret")),
    "portfolio:notes_delete": ("p", ("write", "write_secret"), ("write_done", "write_done_secret")),
    "portfolio:risks_add": ("p", "not_allowed", ("write", "write_secret")),
    "portfolio:risks_edit": ("p", ("write", "write_secret"), ("write", "write_secret")),
    "portfolio:risks_delete": ("p", ("write", "write_secret"), ("write_done", "write_done_secret")),
    "portfolio:document_upload": ("p", "not_allowed", ("write", "write_secret")),
    "portfolio:document_remove": ("p", ("write", "write_secret"), ("write_done", "write_done_secret")),
    # Partners (SPEC §4): any lead keeps the directory; funding follows the project's rules;
    # only the director erases a contact (GDPR).
    "partners:partner_list": ("s", "read", "not_allowed"),
    "partners:partner_detail": ("s", "read", "not_allowed"),
    "partners:autocomplete": ("s", "read", "not_allowed"),
    "partners:interaction_list": ("s", "read", "not_allowed"),
    "partners:leverage": ("s", "read", "not_allowed"),
    "partners:expiring": ("s", "read", "not_allowed"),
    "partners:network": ("s", "read", "not_allowed"),
    "partners:partner_create": ("s", "leads", "leads"),
    "partners:partner_edit": ("s", "leads", "leads"),
    "partners:contact_create": ("s", "leads", "leads"),
    "partners:contact_edit": ("s", "leads", "leads"),
    "partners:contact_erase": ("s", "director", "director"),
    "partners:interaction_create": ("s", "leads", "leads"),
    "partners:interaction_edit": ("p", ("write", "write_secret"), ("write", "write_secret")),
    "partners:interaction_delete": ("p", ("write", "write_secret"), ("write_done", "write_done_secret")),
    "partners:line_detail": ("p", ("read", "read_secret"), "not_allowed"),
    "partners:line_convention": ("p", ("read", "read_secret"), "not_allowed"),
    "partners:project_funding": ("p", ("read", "read_secret"), "not_allowed"),
    "partners:line_create": ("p", ("write", "write_secret"), ("write", "write_secret")),
    "partners:line_edit": ("p", ("write", "write_secret"), ("write", "write_secret")),
    "partners:line_transition": ("p", ("write", "write_secret"), ("write", "write_secret")),
    "partners:line_delete": ("p", ("write", "write_secret"), ("write_done", "write_done_secret")),
    # Scorecard (SPEC §5): everyone reads; the owner of a manual indicator (the lead here)
    # and the director enter values; the director configures, revises and recomputes.
    "scorecard:dashboard": ("s", "read", "not_allowed"),
    "scorecard:strategy_map": ("s", "read", "not_allowed"),
    "scorecard:indicator_list": ("s", "read", "not_allowed"),
    "scorecard:indicator_detail": ("s", "read", "not_allowed"),
    "scorecard:measurement_entry": ("s", "write", "write"),
    "scorecard:measurement_revise": ("s", "director", "director"),
    "scorecard:recompute_start": ("s", "not_allowed", "director_400"),
    "scorecard:recompute_job": ("s", "director", "not_allowed"),
    "scorecard:config": ("s", "director", "not_allowed"),
    "scorecard:perspective_create": ("s", "director", "director"),
    "scorecard:perspective_edit": ("s", "director", "director"),
    "scorecard:objective_create": ("s", "director", "director"),
    "scorecard:objective_edit": ("s", "director", "director"),
    "scorecard:objective_delete": ("s", "director", "director_done"),
    "scorecard:indicator_create": ("s", "director", "director"),
    "scorecard:indicator_edit": ("s", "director", "director"),
    "scorecard:indicator_targets": ("s", "director", "director"),
    "scorecard:target_delete": ("s", "director", "director_done"),
    # Monthly report (SPEC §6): the director manages recipients and sends; the cabinet and
    # the elected read the reports that were sent (this one was not yet: 404 for them).
    "scorecard:report_list": ("s", "report_readers", "not_allowed"),
    "scorecard:report_detail": ("s", "report_unsent", "not_allowed"),
    "scorecard:report_html": ("s", "report_unsent", "not_allowed"),
    "scorecard:report_download": ("s", "report_unsent", "not_allowed"),
    "scorecard:report_generate": ("s", "not_allowed", "director_done"),
    "scorecard:report_send": ("s", "director", "director_done"),
    "scorecard:recipient_list": ("s", "director", "not_allowed"),
    "scorecard:recipient_create": ("s", "director", "director"),
    "scorecard:recipient_edit": ("s", "director", "director"),
    "scorecard:delivery_resend": ("s", "director", "director_done"),
    # Data in and out (SPEC §7): import is the director's; the API is read-only, answers 401
    # without credentials and follows the pages' visibility; open data is public.
    "import_data": ("s", "director", "director"),
    "import_confirm": ("s", "director_405", "director_done"),
    "import_template": ("s", "director", "director_405"),
    "open_data": ("s", "public", "public_405"),
    "open_data_file": ("s", "public", "public_405"),
    "api:api-root": ("s", "api_read", "api_405"),
    "api:schema": ("s", "api_read", "api_405"),
    "api:docs": ("s", "api_read", "api_405"),
    "api:token": ("s", "every_role", "every_role_redirect"),
    "api:project-list": ("s", "api_read", "api_405"),
    "api:partner-list": ("s", "api_read", "api_405"),
    "api:funding-line-list": ("s", "api_read", "api_405"),
    "api:indicator-list": ("s", "api_read", "api_405"),
    "api:indicator-detail": ("s", "api_read", "api_405"),
    "api:indicator-measurements": ("s", "api_read", "api_405"),
    "api:partner-detail": ("s", "api_read", "api_405"),
    "api:project-detail": ("p", ("api_read", "api_read_secret"), "api_405"),
    "api:funding-line-detail": ("p", ("api_read", "api_read_secret"), "api_405"),
}

# The Django admin: the admin role only, everyone else 403 (anonymous: to the login page).
ADMIN_SITE = {
    "admin:index": ("s", "admin", "admin"),
    "admin:login": ("s", "admin_done", "admin_done"),  # an admin already signed in goes to the index
    "admin:logout": ("s", "admin_405", "admin_to_login"),
    "admin:password_change": ("s", "admin", "admin"),
    "admin:password_change_done": ("s", "admin", "admin_405"),
    "admin:autocomplete": ("s", "admin_denied", "admin_405"),  # without its parameters
    "admin:jsi18n": ("s", "admin", "admin_405"),
    "admin:view_on_site": ("s", "admin_done", "admin_done"),
    "admin:app_list": ("s", "admin", "admin"),
    "admin:[admin/(?P<url>.*)]": ("s", "admin_gone", "admin_gone"),
    "admin:auth_user_password_change": ("s", "admin", "admin"),
}

# What the admin role may do with each model in the Django admin: "full" (add, change,
# delete), "add_change", "change", "read" (history and change pages read-only) or "axes"
# (django-axes' logs: read, delete). Every model registered in the admin must be listed.
ADMIN_MODELS = {
    "auth.group": "full",
    "innovaction.user": "full",
    "innovaction.organisation": "change",
    "innovaction.outboxmessage": "read",
    "innovaction.outboxattempt": "read",
    "portfolio.theme": "full",
    "portfolio.district": "full",
    "portfolio.phasetarget": "full",
    "portfolio.commissionletter": "full",
    "portfolio.project": "full",
    "portfolio.phasetransition": "read",
    "portfolio.transitionproposal": "full",
    "portfolio.milestone": "full",
    "portfolio.risk": "full",
    "portfolio.progressnote": "read",
    "portfolio.document": "full",
    "partners.partner": "full",
    "partners.contact": "add_change",
    "partners.fundingline": "read",
    "partners.interaction": "read",
    "scorecard.perspective": "read",
    "scorecard.objective": "read",
    "scorecard.indicator": "read",
    "scorecard.target": "read",
    "scorecard.measurement": "read",
    "scorecard.periodlock": "read",
    "scorecard.periodcomputation": "read",
    "scorecard.recomputejob": "read",
    "axes.accessattempt": "axes",
    "axes.accesslog": "axes",
    "axes.accessfailurelog": "axes",
    "authtoken.tokenproxy": "full",
}
# Models with django-simple-history also have a page per past version.
HISTORY_IN_ADMIN = {
    "innovaction.user",
    "innovaction.organisation",
    "portfolio.theme",
    "portfolio.district",
    "portfolio.phasetarget",
    "portfolio.commissionletter",
    "portfolio.project",
    "portfolio.phasetransition",
    "portfolio.transitionproposal",
    "portfolio.milestone",
    "portfolio.risk",
    "portfolio.progressnote",
    "portfolio.document",
    "partners.partner",
    "partners.fundingline",
    "partners.interaction",
    "scorecard.perspective",
    "scorecard.objective",
    "scorecard.indicator",
    "scorecard.target",
    "scorecard.measurement",
}
ADMIN_ACTIONS = {  # capability → action → (GET, POST)
    "full": {"add": ("admin", "admin"), "change": ("admin", "admin"), "delete": ("admin", "admin")},
    "add_change": {"add": ("admin", "admin"), "change": ("admin", "admin"), "delete": ("admin_denied",) * 2},
    "change": {"add": ("admin_denied",) * 2, "change": ("admin", "admin"), "delete": ("admin_denied",) * 2},
    "read": {"add": ("admin_denied",) * 2, "change": ("admin", "admin_denied"), "delete": ("admin_denied",) * 2},
    "axes": {"add": ("admin_denied",) * 2, "change": ("admin", "admin_done"), "delete": ("admin", "admin")},
}


def _admin_rows() -> dict:
    rows = {}
    for label, capability in ADMIN_MODELS.items():
        app, model = label.split(".")
        prefix = f"admin:{app}_{model}"
        rows[f"{prefix}_changelist"] = ("s", "admin", "admin")  # POST: the (empty) bulk action form
        rows[f"{prefix}_history"] = ("s", "admin", "admin")
        for action, (get, post) in ADMIN_ACTIONS[capability].items():
            rows[f"{prefix}_{action}"] = ("s", get, post)
        rows[f"admin:[admin/{app}/{model}/<path:object_id>/]"] = ("s", "admin_done", "admin_done")  # → change page
        if label in HISTORY_IN_ADMIN:
            rows[f"{prefix}_simple_history"] = ("s", "admin", "admin")
    return rows


EXPECTED: dict[str, tuple] = {**APPLICATION, **ADMIN_SITE, **_admin_rows()}


def _pair(profile) -> tuple[str, str | None]:
    if isinstance(profile, tuple):
        return P[profile[0]], P[profile[1]]
    return P[profile], None


HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def _token(response) -> str:
    if response.status_code == 302 and re.match(r"^/(admin/login|connexion)/(\?|$)", response.url):
        return "L"
    return str(response.status_code)


def _header_problems(response) -> list[str]:
    problems = [f"{name}={response.get(name)!r}" for name, value in HEADERS.items() if response.get(name) != value]
    csp = response.get("Content-Security-Policy", "")
    if csp.startswith("default-src 'none'"):  # a download: nothing in it may run at all
        return problems
    if "script-src 'self'" not in csp or "unsafe-inline" in csp or "frame-ancestors 'none'" not in csp:
        problems.append(f"CSP={csp!r}")
    return problems


def _check(patterns, people, city, capsys, label):
    clients = {}
    for role, user in people.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)

    unexpected, header_failures, actual = [], [], {}
    requests = 0
    for pattern in patterns:
        row = EXPECTED.get(pattern.key)
        scope = row[0] if row else ("p" if pattern.params else "s")
        kinds = ["open", "secret"] if scope == "p" else ["open"]
        for method_index, method in enumerate(("GET", "POST")):
            for kind in kinds:
                named, positional = values_for(pattern, city, kind, people)
                path = build_path(pattern, named, positional)
                answers = []
                for role in ROLES:
                    client = clients[role]
                    cookies = copy.deepcopy(client.cookies)  # a logout must not sign the next request out
                    with transaction.atomic():
                        response = client.get(path) if method == "GET" else client.post(path, {})
                        close_response(response)
                        transaction.set_rollback(True)
                    client.cookies = cookies
                    requests += 1
                    answers.append(_token(response))
                    problems = _header_problems(response)
                    if problems:
                        header_failures.append((pattern.key, method, role, problems))
                got = " ".join(answers)
                actual[(pattern.key, method, kind)] = got
                if row:
                    expected = _pair(row[1 + method_index])
                    want = expected[1] if kind == "secret" and expected[1] else expected[0]
                    if got != want:
                        unexpected.append(f"{pattern.key} {method} {kind} {path}\n   attendu {want}\n   obtenu  {got}")
    with capsys.disabled():
        print(
            f"\nMatrice d'accès ({label}) : {len(patterns)} motifs d'URL, {requests} requêtes, "
            f"{len(unexpected)} réponses inattendues, {len(header_failures)} en-têtes manquants."
        )
    discover = os.environ.get("ASSURANCE_DISCOVER")
    if discover:
        with open(f"{discover}.{label.replace(' ', '-')}", "w", encoding="utf-8") as out:
            for (key, method, kind), got in actual.items():
                out.write(f"{key}\t{method}\t{kind}\t{got}\n")
    assert header_failures == []
    assert unexpected == [], "\n".join(unexpected)


def test_the_matrix_declares_every_url_pattern_and_nothing_else(capsys):
    keys = {pattern.key for pattern in all_patterns()}
    missing = sorted(keys - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - keys)
    with capsys.disabled():
        print(
            f"\nMatrice d'accès : {len(keys) - len(missing)} motifs d'URL déclarés sur {len(keys)} ({len(keys)} au total)."
        )
    assert missing == [], f"URL absentes de la matrice : {missing}"
    assert stale == [], f"Lignes de la matrice sans URL : {stale}"


def test_every_url_pattern_falls_in_one_part_of_the_sweeps():
    parts = Counter(part_of(pattern) for pattern in all_patterns())
    assert set(parts) == set(PARTS), parts
    assert sum(parts.values()) == len(all_patterns())


@pytest.mark.django_db
@pytest.mark.parametrize("part", [part for part in PARTS if not part.startswith("admin")])
def test_every_page_of_the_application_answers_every_role_as_declared(part, people, city, capsys):
    _check([p for p in all_patterns() if part_of(p) == part], people, city, capsys, part)


@pytest.mark.django_db
@pytest.mark.ignore_template_errors  # Django's admin templates rely on missing variables
# django-simple-history's history page calls select_related() bare, deprecated by Django 6.1.
@pytest.mark.filterwarnings("ignore:Calling select_related\\(\\) with no arguments:PendingDeprecationWarning")
@pytest.mark.parametrize("part", [part for part in PARTS if part.startswith("admin")])
def test_every_page_of_the_django_admin_answers_every_role_as_declared(part, people, city, capsys):
    _check([p for p in all_patterns() if part_of(p) == part], people, city, capsys, part)
