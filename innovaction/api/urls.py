"""`/api/v1/…` (read-only), `/api/schema/` (OpenAPI 3) and `/api/docs/` (Swagger UI, assets
served from drf-spectacular-sidecar's static files: no CDN)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from innovaction.api import views
from partners.api import FundingLineViewSet, PartnerViewSet
from portfolio.api import ProjectViewSet
from scorecard.api import IndicatorViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("projects", ProjectViewSet, basename="project")
router.register("partners", PartnerViewSet, basename="partner")
router.register("funding-lines", FundingLineViewSet, basename="funding-line")
router.register("indicators", IndicatorViewSet, basename="indicator")

# Token clients carry no session: the site-wide login redirect must let them through to
# DRF, which answers 401/403 itself.
for pattern in router.urls:
    pattern.callback.login_required = False

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("jeton/", views.token, name="token"),
]
