"""The delivery log in the Django admin: read-only, with a confirmed "resend" action."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from innovaction.outbox.choices import OutboxStatus
from innovaction.outbox.models import OutboxAttachment, OutboxAttempt, OutboxMessage
from innovaction.outbox.permissions import can_resend
from innovaction.outbox.services import outbox_resend


class ReadOnlyAdminMixin:
    """The log is written by the outbox only: nobody adds, edits or deletes rows by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OutboxAttachment
    fields = ("filename", "content_type", "storage_name")
    extra = 0


class AttemptInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OutboxAttempt
    fields = ("number", "started_at", "finished_at", "outcome", "error", "worker")
    extra = 0


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "to_email", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("key", "to_email", "to_name", "subject")
    date_hierarchy = "created_at"
    fieldsets = (
        (_("Message"), {"fields": ("key", "kind", "to_email", "to_name", "user", "reply_to", "subject", "message_id")}),
        (
            _("Livraison"),
            {
                "fields": (
                    "status",
                    "attempts",
                    "last_error",
                    "created_at",
                    "next_attempt_at",
                    "dispatched_at",
                    "lease_expires_at",
                    "sent_at",
                    "failed_at",
                    "alerted_at",
                )
            },
        ),
        (_("Origine"), {"fields": ("requested_by", "resend_of")}),
        (_("Contenu"), {"fields": ("text_body", "html_body")}),
    )
    inlines = [AttachmentInline, AttemptInline]
    actions = ["resend_selected"]

    def has_resend_permission(self, request):
        return can_resend(request.user)

    @admin.action(description=_("Renvoyer les e-mails sélectionnés"), permissions=["resend"])
    def resend_selected(self, request, queryset):
        resendable = list(queryset.filter(status__in=[OutboxStatus.SENT, OutboxStatus.FAILED]))
        if not request.POST.get("post"):
            context = {
                **self.admin_site.each_context(request),
                "title": _("Renvoyer des e-mails"),
                "opts": self.model._meta,
                "resendable": resendable,
                "skipped": queryset.count() - len(resendable),
                "queryset": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "innovaction/outbox/admin_resend_confirmation.html", context)
        done = 0
        for message in resendable:
            try:
                outbox_resend(message=message, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{message.to_email} : {' '.join(error.messages)}", messages.WARNING)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)d e-mail renvoyé.", "%(count)d e-mails renvoyés.", done) % {"count": done},
            messages.SUCCESS,
        )
        return None


@admin.register(OutboxAttempt)
class OutboxAttemptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("started_at", "message", "number", "outcome", "error", "worker")
    list_filter = ("outcome",)
    list_select_related = ("message",)
    search_fields = ("message__key", "message__to_email", "error")
    date_hierarchy = "started_at"
