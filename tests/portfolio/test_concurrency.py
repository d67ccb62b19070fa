"""Concurrent edits: the second save of a stale form is refused, naming who changed the record
and when; the user's input is kept, and saving again after checking goes through."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from portfolio.models import Milestone, ProgressNote, Project, Risk
from portfolio.services.followup import milestone_update, progress_note_add, progress_note_update, risk_update
from portfolio.services.projects import commission_letter_update, project_update
from tests.portfolio.factories import MilestoneFactory, RiskFactory

pytestmark = pytest.mark.django_db


def _version(response, prefix: str = "") -> str:
    return re.search(rf'name="{prefix}version" value="(\d+)"', response.text).group(1)


def _refused_then_saved(client, url, data, *, who):
    """POST `data` built on a stale version: refused with who/when and input kept; then again."""
    response = client.post(url, data)
    text = html.unescape(response.text)
    assert response.status_code == 200
    assert f"{who} a modifié cette fiche le " in text
    assert "Vos saisies sont conservées ci-dessous" in text
    for value in data.values():
        if isinstance(value, str) and len(value) > 3 and not value.isdigit():
            assert value in text  # the user's input is on the form again
    again = client.post(url, {**data, "version": _version(response)})
    assert again.status_code == 302, html.unescape(again.text)


def test_stale_project_edit(client_for, lead, director, project):
    client = client_for(lead)
    url = reverse("portfolio:project_edit", args=[project.pk])
    form = client.get(url)
    stale = _version(form)
    project_update(
        project=Project.objects.get(pk=project.pk),
        by=director,
        changes={"sponsor": "M. le Maire"},
        expected_version=None,
    )
    data = {
        "version": stale,
        "title": "Halle gourmande — nouvelle version",
        "description": "Texte saisi pendant que la direction modifiait la fiche",
        "theme": project.theme_id,
        "total_cost": "1000000.00",
        "city_contribution": "100000.00",
    }
    _refused_then_saved(client, url, data, who=str(director))
    project.refresh_from_db()
    assert project.title == "Halle gourmande — nouvelle version"


def test_stale_milestone_edit(client_for, lead, director, project):
    milestone = MilestoneFactory(project=project, title="Dépôt du permis", planned_date=dt.date(2025, 9, 1))
    client = client_for(lead)
    url = reverse("portfolio:milestones_edit", args=[project.pk, milestone.pk])
    stale = _version(client.get(url))
    milestone_update(
        milestone=Milestone.objects.get(pk=milestone.pk),
        by=director,
        changes={"title": "Permis déposé"},
        expected_version=None,
    )
    data = {"version": stale, "title": "Dépôt du permis modificatif", "planned_date": "2025-10-15", "actual_date": ""}
    _refused_then_saved(client, url, data, who=str(director))
    milestone.refresh_from_db()
    assert (milestone.title, milestone.planned_date) == ("Dépôt du permis modificatif", dt.date(2025, 10, 15))


def test_stale_note_edit(client_for, lead, director, project):
    note = progress_note_add(
        project=project, by=lead, data={"date": dt.date(2025, 6, 3), "text": "Réunion", "weather": "soleil"}
    )
    client = client_for(lead)
    url = reverse("portfolio:notes_edit", args=[project.pk, note.pk])
    stale = _version(client.get(url))
    progress_note_update(
        note=ProgressNote.objects.get(pk=note.pk), by=director, changes={"weather": "nuage"}, expected_version=None
    )
    data = {"version": stale, "date": "2025-06-03", "weather": "orage", "text": "Le marché est infructueux : relance"}
    _refused_then_saved(client, url, data, who=str(director))
    assert Project.objects.get(pk=project.pk).weather == "orage"


def test_stale_risk_edit(client_for, lead, director, project):
    risk = RiskFactory(project=project)
    client = client_for(lead)
    url = reverse("portfolio:risks_edit", args=[project.pk, risk.pk])
    stale = _version(client.get(url))
    risk_update(risk=Risk.objects.get(pk=risk.pk), by=director, changes={"impact": 4}, expected_version=None)
    data = {
        "version": stale,
        "description": "Recours des riverains contre le permis",
        "probability": "3",
        "impact": "2",
        "mitigation": "",
        "owner": "",
        "status": "ouvert",
    }
    _refused_then_saved(client, url, data, who=str(director))


def test_stale_letter_edit(client_for, director, make_user, project):
    from innovaction.roles import Role

    other_director = make_user(Role.DIRECTOR, first_name="Bruno")
    client = client_for(director)
    url = reverse("portfolio:letter_edit", args=[project.pk])
    stale = _version(client.get(url))
    commission_letter_update(
        letter=project.commission_letter,
        by=other_director,
        changes={"issuer_name": "Mme la DGS"},
        expected_version=None,
    )
    data = {
        "version": stale,
        "issuer": "maire",
        "issuer_name": "Mme la Maire",
        "object": "Halle gourmande et marché couvert rénové",
        "expected_results": "",
        "deadline": "",
        "budget_envelope": "",
    }
    _refused_then_saved(client, url, data, who=str(other_director))


def test_a_stale_edit_in_place_with_htmx_is_refused_inside_the_tab(client_for, lead, director, project):
    milestone = MilestoneFactory(project=project, title="Réception", planned_date=dt.date(2025, 12, 1))
    client = client_for(lead)
    url = reverse("portfolio:milestones_edit", args=[project.pk, milestone.pk])
    stale = _version(client.get(url, headers={"HX-Request": "true", "HX-Target": "tab-content"}))
    milestone_update(
        milestone=Milestone.objects.get(pk=milestone.pk),
        by=director,
        changes={"title": "Réception des travaux"},
        expected_version=None,
    )
    response = client.post(
        url,
        {"version": stale, "title": "Réception partielle", "planned_date": "2025-12-15", "actual_date": ""},
        headers={"HX-Request": "true", "HX-Target": "tab-content"},
    )
    text = html.unescape(response.text)
    assert "<html" not in text  # only the tab's content is swapped
    assert f"{director} a modifié cette fiche le" in text and 'value="Réception partielle"' in text
