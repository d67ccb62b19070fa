"""Who may see and resend outbox messages."""

from django.shortcuts import get_object_or_404

from innovaction.outbox.models import OutboxMessage
from innovaction.outbox.selectors import notifications_for
from innovaction.permissions import can_use_admin, is_director


def can_resend(user) -> bool:
    """Resending an e-mail by hand is for the direction (report recipients) and the admin."""
    return is_director(user) or can_use_admin(user)


def get_notification_for_user(user, pk: int) -> OutboxMessage:
    """One of the user's own messages; anyone else's does not exist for them (404)."""
    return get_object_or_404(notifications_for(user).prefetch_related("attachments"), pk=pk)
