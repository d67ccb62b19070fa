"""The "Mes notifications" pages: each user sees what the outbox sent to them, and only that."""

from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from innovaction.lists import paginate
from innovaction.outbox import conf
from innovaction.outbox.permissions import get_notification_for_user
from innovaction.outbox.selectors import notifications_for
from innovaction.uploads import download_response


@require_GET
def notification_list(request):
    page = paginate(notifications_for(request.user), request.GET.get("page"))
    return render(request, "innovaction/outbox/notification_list.html", {"page": page})


@require_GET
def notification_detail(request, pk: int):
    message = get_notification_for_user(request.user, pk)
    context = {"message": message, "max_attempts": conf.value("OUTBOX_MAX_ATTEMPTS")}
    return render(request, "innovaction/outbox/notification_detail.html", context)


@require_GET
def notification_attachment(request, pk: int, attachment_pk: int):
    message = get_notification_for_user(request.user, pk)
    attachment = get_object_or_404(message.attachments, pk=attachment_pk)
    if not default_storage.exists(attachment.storage_name):
        raise Http404(_("Ce fichier n'est plus disponible."))
    return download_response(
        default_storage.open(attachment.storage_name), filename=attachment.filename, mime=attachment.content_type
    )
