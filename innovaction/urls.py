from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from innovaction import imports, opendata, views
from innovaction.forms import LoginForm, QueuedPasswordResetForm

auth_patterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/modifie/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("mot-de-passe/oubli/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    *auth_patterns,
    path("mes-notifications/", include("innovaction.outbox.urls")),
    path("projets/", include("portfolio.urls")),
    path("partenaires/", include("partners.urls")),
    path("tableau-de-bord/", include("scorecard.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("innovaction.api.urls")),
    path("import/", imports.import_page, name="import_data"),
    path("import/confirmer/", imports.import_confirm, name="import_confirm"),
    path("import/modele-<str:kind>.<str:fmt>", imports.import_template, name="import_template"),
    path("open-data/", opendata.open_data, name="open_data"),
    path("open-data/<str:slug>.<str:fmt>", opendata.open_data_file, name="open_data_file"),
]
