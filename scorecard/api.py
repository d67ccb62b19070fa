"""Indicators and their measurements in the REST API. Indicators describe the whole city
(SPEC §5.2), so every role reads them, as on the dashboards."""

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from scorecard.models import Indicator, Measurement
from scorecard.permissions import can_view_scorecard


class IndicatorSerializer(serializers.ModelSerializer):
    perspective = serializers.CharField(source="perspective.code", read_only=True)
    owner = serializers.CharField(source="owner.get_full_name", read_only=True, allow_null=True, default=None)
    latest_period = serializers.SerializerMethodField()
    latest_value = serializers.DecimalField(max_digits=18, decimal_places=4, read_only=True, allow_null=True)
    latest_status = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "definition",
            "perspective",
            "unit",
            "direction",
            "periodicity",
            "source",
            "owner",
            "latest_period",
            "latest_value",
            "latest_status",
        ]
        read_only_fields = fields

    def get_latest_period(self, indicator) -> str | None:
        """`AAAA-MM` of the latest value."""
        return indicator.latest_period.strftime("%Y-%m") if indicator.latest_period else None


class MeasurementSerializer(serializers.ModelSerializer):
    period = serializers.SerializerMethodField()

    class Meta:
        model = Measurement
        fields = ["period", "value", "status", "target", "comment", "origin", "revision", "recorded_at"]
        read_only_fields = fields

    def get_period(self, measurement) -> str:
        """`AAAA-MM`."""
        return measurement.period.strftime("%Y-%m")


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """Active indicators with their latest current value, its period and status."""

    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.none()
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_permissions(self):
        return [*super().get_permissions(), _Scorecard()]

    def get_queryset(self):
        latest = Measurement.objects.filter(indicator=OuterRef("pk"), is_current=True, value__isnull=False).order_by(
            "-period"
        )
        return (
            Indicator.objects.filter(is_active=True)
            .select_related("perspective", "owner")
            .annotate(
                latest_period=Subquery(latest.values("period")[:1]),
                latest_value=Subquery(latest.values("value")[:1]),
                latest_status=Subquery(latest.values("status")[:1]),
            )
            .order_by("perspective__order", "code")
        )

    @extend_schema(responses=MeasurementSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=MeasurementSerializer)
    def measurements(self, request, code=None):
        """The current value of each month, oldest first."""
        indicator = get_object_or_404(Indicator, code=code, is_active=True)
        rows = Measurement.objects.filter(indicator=indicator, is_current=True).order_by("period")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(MeasurementSerializer(page, many=True).data)


class _Scorecard:
    def has_permission(self, request, view):
        return can_view_scorecard(request.user)

    def has_object_permission(self, request, view, obj):
        return True
