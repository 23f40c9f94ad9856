"""Writes of customer messages: a shopper sends one (with a checked attachment) or deletes their own; staff answer.

The attachment is checked by its content (meiduo.feedback.attachments) before anything is stored, and stored
through the media storage under a random name; a message deleted by its sender takes its file with it.
"""

import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meiduo.core import ratelimit
from meiduo.core.errors import FieldError, NotFoundError
from meiduo.feedback import attachments, selectors
from meiduo.feedback.models import Message
from meiduo.users.models import User

logger = logging.getLogger("meiduo.feedback")

DAY = 24 * 3600
ATTACHMENT_TOO_LARGE = _("The attachment may be at most %(mb)g MB.")


def message_create(
    *, user: User, message_type: int, subject: str, message: str, attachment: UploadedFile | None = None
) -> Message:
    """Send a message to the shop; 400 on `attachment` for a file too large or not a picture/PDF, 429 past the
    daily limit. Nothing is stored unless the message is."""
    kind = None
    if attachment is not None:
        if attachment.size is None or attachment.size > settings.FEEDBACK_ATTACHMENT_MAX_BYTES:
            limit = settings.FEEDBACK_ATTACHMENT_MAX_BYTES / 2**20
            raise FieldError("attachment", ATTACHMENT_TOO_LARGE % {"mb": limit})
        kind = attachments.attachment_kind(attachment)
        if kind is None:
            raise FieldError("attachment", _("Attach a picture (JPEG, PNG, GIF, WebP) or a PDF file."))
    ratelimit.hit(
        f"feedback:user:{user.pk}",
        limit=settings.FEEDBACK_DAILY_LIMIT,
        seconds=DAY,
        message=_("You have sent many messages today; please try again tomorrow."),
    )
    fields: dict[str, object] = {}
    if attachment is not None and kind is not None:
        fields = {
            "attachment": default_storage.save(attachments.stored_name(kind), attachment),
            "attachment_name": attachments.display_name(attachment.name or "", kind),
            "attachment_type": kind.content_type,
            "attachment_size": attachment.size,
        }
    try:
        return Message.objects.create(user=user, message_type=message_type, subject=subject, message=message, **fields)
    except BaseException:
        if fields:
            default_storage.delete(str(fields["attachment"]))
        raise


def _file_delete(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:  # the message is gone; an unreachable file is left for the operator, never an error
        logger.warning("could not delete the attachment %s of a deleted message", name, exc_info=True)


@transaction.atomic
def message_delete(*, user: User, message_id: int) -> None:
    """Delete one of the user's messages and, once that is committed, its attachment; 404 for anyone else's."""
    message = selectors.message_get(user=user, message_id=message_id)
    deleted, _by_model = Message.objects.filter(pk=message.pk, user=user).delete()
    if not deleted:  # deleted by a concurrent request
        raise NotFoundError()
    if message.attachment:
        name = message.attachment.name
        transaction.on_commit(lambda: _file_delete(name))


def message_reply(*, message_id: int, staff: User, reply: str) -> None:
    """Staff answer a message (an empty answer withdraws it); the sender sees it in their user center.

    Saving the same answer again changes nothing (its time stays)."""
    reply = reply.strip()
    Message.objects.filter(pk=message_id).exclude(reply=reply).update(
        reply=reply, reply_time=timezone.now() if reply else None, replied_by=staff if reply else None
    )
