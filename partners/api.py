"""Partners and funding lines in the REST API. Partners are not confidential; funding lines
follow their project's visibility (`visible_lines`). Contacts are not exposed."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from innovaction.api.schema import filter_parameters
from innovaction.models import Organisation
from partners.filters import FundingLineFilter, PartnerFilter
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


@extend_schema_view(list=extend_schema(parameters=filter_parameters(FundingLineFilter)))
class FundingLineViewSet(viewsets.ReadOnlyModelViewSet):
    """Funding lines of the projects the caller may know of."""

    serializer_class = FundingLineSerializer
    queryset = FundingLine.objects.none()

    def get_queryset(self):
        lines = visible_lines(self.request.user).select_related("project", "partner")
        if self.action != "list":
            return lines
        filters = FundingLineFilter(self.request.query_params, queryset=lines)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        lines = filters.qs
        return lines.order_by("project__code", "partner__name", "pk")
