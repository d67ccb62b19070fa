from django.urls import path

from portfolio.views import analytics, followup, page, phases, projects, reference

app_name = "portfolio"


def _children(segment: str, kind: str, name: str) -> list:
    """List, add, edit and delete of one kind of follow-up record, as tabs of the project."""
    options = {"kind": kind}
    return [
        path(f"<int:pk>/{segment}/", followup.child_list, options, name=name),
        path(f"<int:pk>/{segment}/ajouter/", followup.child_add, options, name=f"{name}_add"),
        path(f"<int:pk>/{segment}/<int:item>/modifier/", followup.child_edit, options, name=f"{name}_edit"),
        path(f"<int:pk>/{segment}/<int:item>/supprimer/", followup.child_delete, options, name=f"{name}_delete"),
    ]


urlpatterns = [
    path("", projects.project_list, name="project_list"),
    path("tableau/", projects.project_board, name="project_board"),
    path("feuille-de-route/", projects.project_roadmap, name="project_roadmap"),
    path("export.<str:fmt>", projects.project_export, name="project_export"),
    path("nouveau/", projects.project_register_view, name="project_register"),
    path("nouveau/code/", projects.code_suggestion, name="code_suggestion"),
    path("delais/", analytics.lead_times, name="lead_times"),
    path("propositions/", phases.proposal_list, name="proposal_list"),
    path("propositions/<int:pk>/valider/", phases.proposal_accept_view, name="proposal_accept"),
    path("propositions/<int:pk>/refuser/", phases.proposal_refuse_view, name="proposal_refuse"),
    path("propositions/<int:pk>/retirer/", phases.proposal_withdraw_view, name="proposal_withdraw"),
    path("referentiels/", reference.reference, name="reference"),
    path("referentiels/durees/", reference.targets_update, name="targets_update"),
    path("referentiels/<str:kind>/ajouter/", reference.reference_add, name="reference_add"),
    path("referentiels/<str:kind>/<int:pk>/", reference.reference_edit, name="reference_edit"),
    path("<int:pk>/", page.project_detail, name="project_detail"),
    path("<int:pk>/modifier/", page.project_edit, name="project_edit"),
    path("<int:pk>/phase/", phases.project_phase, name="project_phase"),
    path("<int:pk>/lettre/modifier/", page.letter_edit, name="letter_edit"),
    path("<int:pk>/lettre/pdf/", page.letter_pdf, name="letter_pdf"),
    path("<int:pk>/historique/", page.project_history, name="history"),
    path("<int:pk>/volets/<slug:key>/", page.project_panel, name="project_panel"),
    *_children("jalons", "jalons", "milestones"),
    *_children("points", "points", "notes"),
    *_children("risques", "risques", "risks"),
    path("<int:pk>/documents/", followup.documents, name="documents"),
    path("<int:pk>/documents/deposer/", followup.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:item>/telecharger/", followup.document_download, name="document_download"),
    path("<int:pk>/documents/<int:item>/supprimer/", followup.document_remove, name="document_remove"),
]
