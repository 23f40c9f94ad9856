"""Input and output shapes of customer messages."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meiduo.feedback.models import Message


class MessageAttachmentSerializer(serializers.Serializer):
    """`{"name", "content_type", "size", "url"}`: `url` downloads it with the sender's token."""

    name = serializers.CharField(source="attachment_name")
    content_type = serializers.CharField(source="attachment_type")
    size = serializers.IntegerField(source="attachment_size")
    url = serializers.SerializerMethodField()

    def get_url(self, message: Message) -> str:
        return reverse("feedback-message-attachment", kwargs={"message_id": message.pk})


class CustomerMessageSerializer(serializers.ModelSerializer):
    """A message: `{"id", "message_type", "subject", "message", "attachment", "reply", "reply_time",
    "create_time"}`; `attachment` is null without one, `reply` is empty until staff answer."""

    attachment = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ("id", "message_type", "subject", "message", "attachment", "reply", "reply_time", "create_time")
        read_only_fields = fields

    @extend_schema_field(MessageAttachmentSerializer(allow_null=True))
    def get_attachment(self, message: Message) -> dict[str, object] | None:
        return dict(MessageAttachmentSerializer(message).data) if message.attachment else None


class CustomerMessageCreateSerializer(serializers.Serializer):
    """POST messages/ (multipart/form-data for an attachment): `message_type` 1 留言, 2 投诉, 3 询问, 4 售后,
    5 求购; `subject`; `message`; optional `attachment` (a picture or a PDF, checked by its content)."""

    message_type = serializers.ChoiceField(choices=Message.Type.choices)
    subject = serializers.CharField(max_length=100)
    message = serializers.CharField(max_length=2000)
    attachment = serializers.FileField(required=False, allow_empty_file=False)
