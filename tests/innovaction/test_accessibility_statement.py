"""The accessibility statement (déclaration d'accessibilité) says what RGAA requires: the
conformance status, how it was established, the contact and the recourse — and the footer of
every page names the same status."""

import pytest
from django.test import Client

from innovaction.models import Organisation


@pytest.mark.django_db
def test_the_statement_is_public_and_states_status_method_contact_and_recourse():
    Organisation.objects.create(name="Ville de Romans-sur-Isère", contact_email="dadi@ville.test")
    response = Client().get("/accessibilite/")
    assert response.status_code == 200
    page = response.content.decode()
    for required in (
        "Innov'action est non conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA) version 4.1",
        "aucun audit de conformité complet",  # why "non conforme", said plainly
        "axe-core 4.14",
        "WCAG 2.1 niveaux A et AA",
        "Un parcours complet est fait au clavier seul",
        'href="mailto:dadi@ville.test"',
        "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07",
        "Cette déclaration a été établie le",
    ):
        assert required in page, required
    # The footer's mention matches the statement's status.
    assert '<a href="/accessibilite/">Accessibilité : non conforme</a>' in page
