"""The application's URLs plus the floors, for the harness only (ROOT_URLCONF while it runs)."""

from django.urls import path

from bench import floors
from innovaction.urls import urlpatterns as application

urlpatterns = [
    path("__plancher__/projets/", floors.project_list, name="bench_floor_project_list"),
    path("__plancher__/projets/<int:pk>/", floors.project_page, name="bench_floor_project_page"),
    path("__plancher__/partenaires/", floors.partner_list, name="bench_floor_partner_list"),
    path("__plancher__/autocompletion/", floors.autocomplete, name="bench_floor_autocomplete"),
    path("__plancher__/tableau-de-bord/", floors.dashboard, name="bench_floor_dashboard"),
    path("__plancher__/indicateurs/<str:code>/", floors.indicator_page, name="bench_floor_indicator_page"),
    *application,
]
