"""Partners and funding lines in the REST API. Partners are not confidential; funding lines
follow their project's visibility (`visible_lines`). Contacts are not exposed."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from innovaction.api.schema import filter_parameters
from innovaction.models import Organisation
from partners.choices import FundingStatus, PartnerType
from partners.filters import PartnerFilter
from partners.models import FundingLine, Partner
from partners.selectors import visible_lines
from partners.selectors.directory import partners_with_totals


class PartnerSerializer(serializers.ModelSerializer):
    secured_total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    requested_total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    last_interaction = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "type",
            "siret",
            "sector",
            "website",
            "network_joined_on",
            "network_left_on",
            "charter_signed",
            "secured_total",
            "requested_total",
            "last_interaction",
        ]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(parameters=filter_parameters(PartnerFilter, exclude=("secteur", "referent"))))
class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    """Partners with the funds the caller may see (secured, requested) and their latest
    interaction, filtered as on the partner list page."""

    serializer_class = PartnerSerializer
    # For the schema only (the model behind the path's id); requests use get_queryset.
    queryset = Partner.objects.none()

    def get_queryset(self):
        network = Organisation.current().network_name
        filters = PartnerFilter(
            self.request.query_params, queryset=partners_with_totals(self.request.user), network_name=network
        )
        partners = filters.qs if filters.is_valid() else filters.queryset
        return partners.order_by("name", "pk")


class FundingLineSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", read_only=True)
    partner = serializers.CharField(source="partner.name", read_only=True)
    partner_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = FundingLine
        fields = [
            "id",
            "project",
            "partner",
            "partner_id",
            "amount",
            "status",
            "scheme",
            "requested_on",
            "granted_on",
            "paid_on",
            "closed_on",
            "expires_on",
        ]
        read_only_fields = fields


LINE_FILTERS = [
    OpenApiParameter("projet", OpenApiTypes.STR, description="Code du projet."),
    OpenApiParameter("partenaire", OpenApiTypes.INT, description="Identifiant du partenaire."),
    OpenApiParameter("statut", OpenApiTypes.STR, enum=FundingStatus.values),
    OpenApiParameter("type", OpenApiTypes.STR, enum=PartnerType.values, description="Type de partenaire."),
]


@extend_schema_view(list=extend_schema(parameters=LINE_FILTERS))
class FundingLineViewSet(viewsets.ReadOnlyModelViewSet):
    """Funding lines of the projects the caller may know of."""

    serializer_class = FundingLineSerializer
    queryset = FundingLine.objects.none()

    def get_queryset(self):
        lines = visible_lines(self.request.user).select_related("project", "partner")
        params = self.request.query_params
        if params.get("projet"):
            lines = lines.filter(project__code=params["projet"])
        if params.get("partenaire", "").isdigit():
            lines = lines.filter(partner_id=int(params["partenaire"]))
        if params.get("statut") in FundingStatus.values:
            lines = lines.filter(status=params["statut"])
        if params.get("type") in PartnerType.values:
            lines = lines.filter(partner__type=params["type"])
        return lines.order_by("project__code", "partner__name", "pk")
