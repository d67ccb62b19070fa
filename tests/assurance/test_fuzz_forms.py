"""Hypothesis drives every form and write view of the application with arbitrary input:
strings with control characters, huge numbers, impossible dates, wrong types, several values
for one field, random files. Never a server error; never a partial write: an answer that is
not a success (a redirection) leaves every table of the database as it was.

The fields are read from the form the page really shows (so a new field is fuzzed without
touching this file), each example runs in a rolled-back transaction.
"""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import depth
from tests.assurance.conftest import PDF, table_rows
from tests.portfolio.conftest import close_response

EXAMPLES = depth.FORM_EXAMPLES  # 200 in CI, 20 in a developer's run (tests/depth.py)

# (url name, page showing the form, who submits it). The page is the URL itself unless given.
FORMS = [
    ("portfolio:project_register", None, "director"),
    ("portfolio:project_edit", None, "lead"),
    ("portfolio:project_phase", None, "lead"),
    ("portfolio:letter_edit", None, "director"),
    ("portfolio:milestones_add", "portfolio:milestones", "lead"),
    ("portfolio:milestones_edit", None, "lead"),
    ("portfolio:notes_add", "portfolio:notes", "lead"),
    ("portfolio:notes_edit", None, "lead"),
    ("portfolio:risks_add", "portfolio:risks", "lead"),
    ("portfolio:risks_edit", None, "lead"),
    ("portfolio:document_upload", "portfolio:documents", "lead"),
    ("portfolio:proposal_accept", None, "director"),
    ("portfolio:proposal_refuse", None, "director"),
    ("portfolio:reference_add", "portfolio:reference", "director"),
    ("portfolio:reference_edit", None, "director"),
    ("portfolio:targets_update", "portfolio:reference", "director"),
    ("partners:partner_create", None, "lead"),
    ("partners:partner_edit", None, "lead"),
    ("partners:contact_create", None, "lead"),
    ("partners:contact_edit", None, "lead"),
    ("partners:contact_erase", None, "director"),
    ("partners:interaction_create", None, "lead"),
    ("partners:interaction_edit", None, "lead"),
    ("partners:line_create", None, "lead"),
    ("partners:line_edit", None, "lead"),
    ("partners:line_transition", None, "lead"),
    ("scorecard:measurement_entry", None, "lead"),
    ("scorecard:measurement_revise", None, "director"),
    ("scorecard:recompute_start", "scorecard:dashboard", "director"),
    ("scorecard:perspective_create", None, "director"),
    ("scorecard:perspective_edit", None, "director"),
    ("scorecard:objective_create", None, "director"),
    ("scorecard:objective_edit", None, "director"),
    ("scorecard:indicator_create", None, "director"),
    ("scorecard:indicator_edit", None, "director"),
    ("scorecard:indicator_targets", None, "director"),
    ("scorecard:recipient_create", None, "director"),
    ("scorecard:recipient_edit", None, "director"),
    ("import_data", None, "director"),
    ("password_change", None, "lead"),
    ("login", None, "anonymous"),
    ("password_reset", None, "anonymous"),
]


class _FormFields(HTMLParser):
    """The fields of the <form> posting to `action`: name → (type, default, choices)."""

    def __init__(self, action: str, page: str):
        super().__init__()
        self.action, self.page = action, page
        self.inside = False
        self.found = False
        self.fields: dict[str, dict] = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or self.page
            self.inside = action.split("?")[0] == self.action and not self.found
            self.found = self.found or self.inside
            return
        if not self.inside or not attrs.get("name"):
            if tag == "option" and self._select is not None and self.inside:
                self.fields[self._select]["choices"].append(attrs.get("value", ""))
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "reset"):
                return
            field = self.fields.setdefault(name, {"type": kind, "default": attrs.get("value", ""), "choices": []})
            if kind in ("radio", "checkbox"):
                field["choices"].append(attrs.get("value", "on"))
        elif tag == "select":
            self.fields[name] = {"type": "select", "default": "", "choices": []}
            self._select = name
        elif tag == "textarea":
            self.fields[name] = {"type": "textarea", "default": "", "choices": []}

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None


NASTY_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from("\x00\x01\x1b\r\n\t\u202e\ufeff"),
    max_size=300,
)
NASTY_SCALARS = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e309",
        "NaN",
        "-Infinity",
        "9" * 40,
        "-" + "9" * 40,
        "1,5",
        "1 234 567,89",
        "0000-00-00",
        "31/02/2025",
        "9999-12-31",
        "0001-01-01",
        "2025-13-45",
        "10000-01-01",
        "2025-06",
        "13/2025",
        "true",
        "null",
        "[]",
        "{}",
        "<script>alert(1)</script>",
        "'; DROP TABLE portfolio_project; --",
        "../../etc/passwd",
        "\x00",
        "é" * 5000,
    ]
)
NASTY_INT = st.integers(min_value=-(10**30), max_value=10**30).map(str)
NASTY_DATE = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(
    lambda d: st.sampled_from([d.isoformat(), d.strftime("%d/%m/%Y")])
)
FILE_BYTES = st.one_of(st.just(PDF), st.binary(max_size=2048), st.just(b"MZ\x90\x00" + b"\x00" * 60))
FILE_NAMES = st.sampled_from(["plan.pdf", "x.exe", "../../evil.pdf", "tableau.xlsx", "photo.png", "a" * 300])


def _value(field: dict):
    base = [NASTY_TEXT, NASTY_SCALARS, NASTY_INT, NASTY_DATE.flatmap(lambda s: s)]
    if field["default"]:
        base.append(st.just(field["default"]))
    if field["choices"]:
        base.append(st.sampled_from(field["choices"]))
    single = st.one_of(*base)
    return st.one_of(single, st.lists(single, min_size=2, max_size=3))


def _file():
    return st.builds(
        lambda content, name: SimpleUploadedFile(name, content, content_type="application/pdf"), FILE_BYTES, FILE_NAMES
    )


def _submission(fields: dict):
    """A dict of field → value, each field kept, dropped or fuzzed; sometimes a stray field."""
    parts = {}
    for name, field in fields.items():
        fuzzed = _file() if field["type"] == "file" else _value(field)
        keep = (
            st.just(field["default"]) if field["default"] else st.just(field["choices"][0] if field["choices"] else "")
        )
        parts[name] = st.one_of(fuzzed, keep, st.none())
    stray = st.dictionaries(st.sampled_from(["id", "pk", "project", "lead", "confidential", "version"]), NASTY_SCALARS)
    return st.tuples(st.fixed_dictionaries(parts), stray).map(
        lambda pair: {k: v for k, v in {**pair[1], **pair[0]}.items() if v is not None}
    )


def _path(name: str, city: dict, people: dict) -> str:
    from tests.assurance.urlmap import all_patterns, build_path, values_for

    pattern = next(p for p in all_patterns() if p.key == name)
    return build_path(pattern, *values_for(pattern, city, "open", people))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "page_name", "who"), FORMS, ids=[form[0] for form in FORMS])
def test_arbitrary_input_never_breaks_a_form_nor_writes_half(name, page_name, who, people, city):
    client = Client(raise_request_exception=False)
    if people[who] is not None:
        client.force_login(people[who])
    target = _path(name, city, people)
    page = _path(page_name, city, people) if page_name else target
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    parser = _FormFields(target, page)
    parser.feed(response.text)
    assert parser.found, f"Aucun formulaire vers {target} sur {page}"
    fields = {k: v for k, v in parser.fields.items() if k != "csrfmiddlewaretoken"}
    assert fields, target
    outcomes = {"success": 0, "refused": 0}
    before = table_rows()  # every submission below is rolled back: the same starting point for each

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=_submission(fields))
    def submit(data):
        cookies = client.cookies
        with transaction.atomic():
            answer = client.post(target, data)
            close_response(answer)
            after = table_rows() if answer.status_code != 302 else before
            transaction.set_rollback(True)
        client.cookies = cookies
        assert answer.status_code < 500, (answer.status_code, data)
        if answer.status_code == 302:
            outcomes["success"] += 1
        else:
            outcomes["refused"] += 1
            changed = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
            ignored = {"django_session", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"}
            assert set(changed) <= ignored, ("écriture partielle", answer.status_code, changed, data)

    submit()
    print(f"\n{name} : {sum(outcomes.values())} exemples, {outcomes}")
