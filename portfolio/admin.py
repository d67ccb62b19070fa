"""The portfolio in the Django admin, for the `admin` role's technical corrections. Phases,
weather and last-note dates are derived (not editable here); history is kept as everywhere."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portfolio.models import (
    CommissionLetter,
    District,
    Document,
    Milestone,
    PhaseTarget,
    PhaseTransition,
    ProgressNote,
    Project,
    Risk,
    Theme,
    TransitionProposal,
)


@admin.register(Theme, District)
class ReferenceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "is_active")
    search_fields = ("name",)


@admin.register(PhaseTarget)
class PhaseTargetAdmin(SimpleHistoryAdmin):
    list_display = ("phase", "target_days")


@admin.register(CommissionLetter)
class CommissionLetterAdmin(SimpleHistoryAdmin):
    list_display = ("object", "date", "issuer")
    search_fields = ("object",)
    readonly_fields = ("signed_pdf", "signed_pdf_name", "created_by")


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "phase", "weather", "lead", "confidential")
    list_filter = ("phase", "confidential", "theme")
    search_fields = ("code", "title")
    list_select_related = ("lead",)
    readonly_fields = ("phase", "phase_since", "weather", "last_note_on")
    raw_id_fields = ("commission_letter",)
    filter_horizontal = ("team",)


@admin.register(PhaseTransition)
class PhaseTransitionAdmin(SimpleHistoryAdmin):
    list_display = ("project", "from_phase", "to_phase", "effective_date", "created_by")
    list_select_related = ("project", "created_by")

    # The log is written by the workflow only: lead times and the project's phase derive from it.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TransitionProposal)
class TransitionProposalAdmin(SimpleHistoryAdmin):
    list_display = ("project", "to_phase", "status", "proposed_by", "proposed_at")
    list_select_related = ("project", "proposed_by")
    list_filter = ("status",)


@admin.register(Milestone, Risk)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "project")
    list_select_related = ("project",)


@admin.register(ProgressNote)
class ProgressNoteAdmin(SimpleHistoryAdmin):
    list_display = ("project", "date", "weather", "author")
    list_select_related = ("project", "author")

    def has_change_permission(self, request, obj=None):
        return False  # the note services keep the project's weather in step

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "project", "kind", "uploaded_at")
    list_select_related = ("project",)
    readonly_fields = ("file", "original_name", "mime_type", "size", "sha256", "uploaded_by")
