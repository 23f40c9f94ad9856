"""Reads of customer messages: a shopper's own, newest first, and one of them (404 for anyone else's)."""

from django.db.models import QuerySet

from meiduo.core.errors import NotFoundError
from meiduo.feedback.models import Message
from meiduo.users.models import User


def messages_of(*, user: User) -> QuerySet[Message]:
    """The user's messages, newest first (one query per page)."""
    return Message.objects.filter(user=user).order_by("-create_time", "-id")


def message_get(*, user: User, message_id: int) -> Message:
    """One of the user's messages; 404 for an unknown message or someone else's."""
    message = Message.objects.filter(user=user, pk=message_id).first()
    if message is None:
        raise NotFoundError()
    return message


def message_attachment(*, user: User, message_id: int) -> Message:
    """One of the user's messages that has an attachment; 404 otherwise."""
    message = message_get(user=user, message_id=message_id)
    if not message.attachment:
        raise NotFoundError()
    return message
