"""A shopper's message to the shop with an optional attachment, and the staff's answer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """One message (用户留言). The attachment lives in the media storage under a random private name
    (meiduo.feedback.attachments) and is only ever served through a view that checks who asks."""

    class Type(models.IntegerChoices):
        MESSAGE = 1, _("message")
        COMPLAINT = 2, _("complaint")
        INQUIRY = 3, _("inquiry")
        AFTER_SALES = 4, _("after-sales")
        WANTED = 5, _("wanted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_messages", verbose_name=_("user")
    )
    message_type = models.PositiveSmallIntegerField(_("type"), choices=Type.choices)
    subject = models.CharField(_("subject"), max_length=100)
    message = models.TextField(_("message"))
    attachment = models.FileField(_("attachment"), max_length=100, blank=True, default="")
    attachment_name = models.CharField(_("attachment file name"), max_length=100, blank=True, default="")
    attachment_type = models.CharField(_("attachment content type"), max_length=30, blank=True, default="")
    attachment_size = models.PositiveIntegerField(_("attachment size (bytes)"), default=0)
    reply = models.TextField(_("answer"), blank=True, default="")
    reply_time = models.DateTimeField(_("answered at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    create_time = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        db_table = "tb_feedback_message"
        ordering = ["-create_time", "-id"]
        verbose_name = _("customer message")
        verbose_name_plural = _("customer messages")
        indexes = [models.Index(fields=["user", "-create_time"], name="feedback_user_time_idx")]

    def __str__(self) -> str:
        return self.subject
