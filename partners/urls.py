from django.urls import path

from partners.views import directory, funding, interactions, reports

app_name = "partners"

urlpatterns = [
    path("", directory.partner_list, name="partner_list"),
    path("nouveau/", directory.partner_create, name="partner_create"),
    path("autocompletion/", directory.autocomplete, name="autocomplete"),
    path("<int:pk>/", directory.partner_detail, name="partner_detail"),
    path("<int:pk>/modifier/", directory.partner_edit, name="partner_edit"),
    path("<int:partner_pk>/contacts/nouveau/", directory.contact_create, name="contact_create"),
    path("contacts/<int:pk>/modifier/", directory.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/effacer/", directory.contact_erase, name="contact_erase"),
    path("echanges/", interactions.interaction_list, name="interaction_list"),
    path("echanges/nouveau/", interactions.interaction_create, name="interaction_create"),
    path("echanges/<int:pk>/modifier/", interactions.interaction_edit, name="interaction_edit"),
    path("echanges/<int:pk>/supprimer/", interactions.interaction_delete, name="interaction_delete"),
    path("financements/", reports.leverage, name="leverage"),
    path("financements/echeances/", reports.expiring, name="expiring"),
    path("financements/lignes/<int:pk>/", funding.line_detail, name="line_detail"),
    path("financements/lignes/<int:pk>/modifier/", funding.line_edit, name="line_edit"),
    path("financements/lignes/<int:pk>/supprimer/", funding.line_delete, name="line_delete"),
    path("financements/lignes/<int:pk>/convention/", funding.line_convention, name="line_convention"),
    path("financements/lignes/<int:pk>/statut/<str:status>/", funding.line_transition, name="line_transition"),
    path("financements/projets/<int:pk>/", funding.project_funding, name="project_funding"),
    path("financements/projets/<int:project_pk>/ajouter/", funding.line_create, name="line_create"),
    path("reseau/", reports.network_page, name="network"),
]
