"""Operator admin of customer messages: read a message and its attachment, write the answer the sender sees.

The attachment opens through an admin page that checks the operator's permission to view messages; the
message itself cannot be edited, added or deleted here (only its sender deletes it).
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from meiduo.feedback import attachments, services
from meiduo.feedback.models import Message
from meiduo.users.models import User


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Messages newest first, filtered by type and by whether they are answered; only the answer is editable."""

    list_display = ("id", "subject", "message_type", "user", "create_time", "reply_time")
    list_filter = ("message_type", ("reply_time", admin.EmptyFieldListFilter), "create_time")
    search_fields = ("subject", "message", "user__username", "user__mobile")
    list_select_related = ("user",)
    date_hierarchy = "create_time"
    fields = (
        "user",
        "message_type",
        "subject",
        "message",
        "attachment_link",
        "create_time",
        "reply",
        "reply_time",
        "replied_by",
    )
    readonly_fields = (
        "user",
        "message_type",
        "subject",
        "message",
        "attachment_link",
        "create_time",
        "reply_time",
        "replied_by",
    )

    @admin.display(description=_("attachment"))
    def attachment_link(self, message: Message) -> str:
        if not message.attachment:
            return "-"
        url = reverse("admin:feedback_message_attachment", args=[message.pk])
        return format_html(
            '<a href="{}">{}</a> ({}, {} KB)',
            url,
            message.attachment_name,
            message.attachment_type,
            (message.attachment_size + 1023) // 1024,
        )

    def get_urls(self) -> list[URLPattern]:
        download = path(
            "<path:object_id>/attachment/",
            self.admin_site.admin_view(self.attachment_view),
            name="feedback_message_attachment",
        )
        return [download, *super().get_urls()]

    def attachment_view(self, request: HttpRequest, object_id: str) -> FileResponse:
        """The message's attachment as a download, for operators allowed to view messages."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        message = self.get_object(request, object_id)
        if message is None or not message.attachment:
            raise Http404
        return attachments.attachment_response(
            name=message.attachment.name, filename=message.attachment_name, content_type=message.attachment_type
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Message, form: Any, change: bool) -> None:
        """Only the answer is saved, through the service (which stamps its time and author)."""
        staff = request.user
        assert isinstance(staff, User)  # noqa: S101 - the admin only lets signed-in staff save
        services.message_reply(message_id=obj.pk, staff=staff, reply=form.cleaned_data.get("reply", ""))
