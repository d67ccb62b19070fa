"""Reads of the outbox."""

from django.db.models import QuerySet

from innovaction.outbox.models import OutboxMessage


def notifications_for(user) -> QuerySet[OutboxMessage]:
    """The e-mails sent, or being sent, to `user`, newest first ("Mes notifications")."""
    return OutboxMessage.objects.filter(user=user).order_by("-created_at", "-pk")
