from django.urls import path

from scorecard.reports import views as reports
from scorecard.views import configuration, dashboard, indicators, recompute

app_name = "scorecard"

urlpatterns = [
    path("", dashboard.dashboard_view, name="dashboard"),
    path("carte-strategique/", dashboard.strategy_map, name="strategy_map"),
    path("indicateurs/", indicators.indicator_list, name="indicator_list"),
    path("indicateurs/<str:code>/", indicators.indicator_detail, name="indicator_detail"),
    path("indicateurs/<str:code>/saisie/", indicators.measurement_entry, name="measurement_entry"),
    path("indicateurs/<str:code>/corriger/", indicators.measurement_revise, name="measurement_revise"),
    path("recalcul/", recompute.recompute_start, name="recompute_start"),
    path("recalcul/<int:pk>/", recompute.recompute_job, name="recompute_job"),
    path("configuration/", configuration.config, name="config"),
    path("configuration/perspectives/nouvelle/", configuration.perspective_edit, name="perspective_create"),
    path("configuration/perspectives/<int:pk>/", configuration.perspective_edit, name="perspective_edit"),
    path("configuration/objectifs/nouveau/", configuration.objective_edit, name="objective_create"),
    path("configuration/objectifs/<int:pk>/", configuration.objective_edit, name="objective_edit"),
    path("configuration/objectifs/<int:pk>/supprimer/", configuration.objective_delete, name="objective_delete"),
    path("configuration/indicateurs/nouveau/", configuration.indicator_edit, name="indicator_create"),
    path("configuration/indicateurs/<str:code>/", configuration.indicator_edit, name="indicator_edit"),
    path("configuration/indicateurs/<str:code>/cibles/", configuration.indicator_targets, name="indicator_targets"),
    path(
        "configuration/indicateurs/<str:code>/cibles/<int:year>/supprimer/",
        configuration.target_delete,
        name="target_delete",
    ),
    path("rapports/", reports.report_list, name="report_list"),
    path("rapports/destinataires/", reports.recipient_list, name="recipient_list"),
    path("rapports/destinataires/nouveau/", reports.recipient_edit, name="recipient_create"),
    path("rapports/destinataires/<int:pk>/", reports.recipient_edit, name="recipient_edit"),
    path("rapports/envois/<int:pk>/renvoyer/", reports.delivery_resend, name="delivery_resend"),
    path("rapports/<str:period>/", reports.report_detail, name="report_detail"),
    path("rapports/<str:period>/lire/", reports.report_html, name="report_html"),
    path("rapports/<str:period>/pdf/", reports.report_download, name="report_download"),
    path("rapports/<str:period>/generer/", reports.report_generate, name="report_generate"),
    path("rapports/<str:period>/envoyer/", reports.report_send, name="report_send"),
]
