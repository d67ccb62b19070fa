"""The admin role's view of the partner ecosystem. Writes that carry business rules (status
changes, erasure of personal data) go through the services, never through raw admin forms."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from partners import services
from partners.models import Contact, FundingLine, Interaction, Partner


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "type", "siret", "sector", "network_joined_on", "network_left_on", "owner")
    list_filter = ("type", "charter_signed")
    search_fields = ("search", "siret")
    readonly_fields = ("search", "created_at", "updated_at")


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundingLine)
class FundingLineAdmin(ReadOnlyAdmin):
    list_display = ("project", "partner", "amount", "status", "granted_on", "expires_on")
    list_filter = ("status",)
    search_fields = ("project__code", "partner__name", "scheme")
    list_select_related = ("project", "partner")


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "project", "author")
    list_filter = ("kind",)
    list_select_related = ("project", "author")


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    """No history view here: an erased contact must leave none; erasure is the only delete."""

    list_display = ("name", "role", "partner")
    search_fields = ("name", "partner__name")
    list_select_related = ("partner",)
    actions = ["erase"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Effacer les contacts choisis, historique compris (RGPD)"))
    def erase(self, request, queryset):
        count = 0
        for contact in queryset:
            services.contact_erase(contact=contact)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d contact effacé, historique compris.",
                "%(count)d contacts effacés, historique compris.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
