"""The scorecard in the technical admin: to look, not to edit. Its writes go through the
director's pages and the services (a computed indicator's code, the period locks and the
revisions are rules the admin forms would not enforce)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scorecard.models import (
    Indicator,
    Measurement,
    Objective,
    PeriodComputation,
    PeriodLock,
    Perspective,
    RecomputeJob,
    Target,
)


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, SimpleHistoryAdmin):
    pass


class ReadOnlyLogAdmin(ReadOnly, admin.ModelAdmin):
    """For the technical records that keep no history of their own."""


@admin.register(Perspective)
class PerspectiveAdmin(ReadOnlyAdmin):
    list_display = ("order", "code", "name")


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "perspective")
    list_filter = ("perspective",)


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "perspective", "source", "owner", "is_active")
    list_filter = ("perspective", "source", "is_active")
    search_fields = ("code", "name")


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "year", "value")
    list_filter = ("year",)


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "period", "value", "status", "revision", "is_current", "origin", "recorded_at")
    list_filter = ("origin", "status", "is_current", "period")
    search_fields = ("indicator__code",)
    list_select_related = ("indicator",)


@admin.register(PeriodLock)
class PeriodLockAdmin(ReadOnlyLogAdmin):
    list_display = ("period", "locked_at", "locked_by")


@admin.register(PeriodComputation)
class PeriodComputationAdmin(ReadOnlyLogAdmin):
    list_display = ("period", "computed_at")


@admin.register(RecomputeJob)
class RecomputeJobAdmin(ReadOnlyLogAdmin):
    list_display = ("pk", "first_period", "last_period", "state", "periods_done", "periods_total", "requested_by")
    list_filter = ("state",)
