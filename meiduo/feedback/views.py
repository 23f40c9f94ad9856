"""Customer message endpoints: send, list and delete one's own messages, download their attachments."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meiduo.core.errors import FieldError
from meiduo.feedback import attachments, selectors, services
from meiduo.feedback.models import Message
from meiduo.feedback.serializers import CustomerMessageCreateSerializer, CustomerMessageSerializer
from meiduo.users.auth import signed_in_user

NOT_FOUND = OpenApiResponse(description="No such message of the user.")
# Form fields and multipart framing around the attachment.
BODY_OVERHEAD = 64 * 1024


class MessagesView(ListAPIView[Message]):
    """GET messages/: the user's messages with the staff's answers, newest first (paginated); POST: send one."""

    permission_classes = [IsAuthenticated]
    serializer_class = CustomerMessageSerializer

    def get_queryset(self) -> QuerySet[Message]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no user
            return Message.objects.none()
        return selectors.messages_of(user=signed_in_user(self.request))

    @extend_schema(request=CustomerMessageCreateSerializer, responses={201: CustomerMessageSerializer})
    def post(self, request: Request) -> Response:
        # A body that cannot hold an acceptable attachment is refused before it is read.
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > settings.FEEDBACK_ATTACHMENT_MAX_BYTES + BODY_OVERHEAD:
            limit = settings.FEEDBACK_ATTACHMENT_MAX_BYTES / 2**20
            raise FieldError("attachment", services.ATTACHMENT_TOO_LARGE % {"mb": limit})
        serializer = CustomerMessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.message_create(user=signed_in_user(request), **serializer.validated_data)
        return Response(CustomerMessageSerializer(message).data, status=status.HTTP_201_CREATED)


class OwnMessageView(APIView):
    """A view of one message: another user's message is 404 whatever the method, so only its owner learns that a
    method is not allowed (405) or what the endpoint accepts (OPTIONS)."""

    permission_classes = [IsAuthenticated]

    # DRF narrows Django's HttpRequest to its Request here (its stubs carry the same ignore).
    def http_method_not_allowed(self, request: Request, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        selectors.message_get(user=signed_in_user(request), message_id=kwargs["message_id"])
        return super().http_method_not_allowed(request, *args, **kwargs)

    def options(self, request: Request, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        selectors.message_get(user=signed_in_user(request), message_id=kwargs["message_id"])
        return super().options(request, *args, **kwargs)


class MessageDetailView(OwnMessageView):
    """GET messages/{id}/: one of the user's messages; DELETE: delete it with its attachment."""

    @extend_schema(responses={200: CustomerMessageSerializer, 404: NOT_FOUND})
    def get(self, request: Request, message_id: int) -> Response:
        return Response(
            CustomerMessageSerializer(selectors.message_get(user=signed_in_user(request), message_id=message_id)).data
        )

    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def delete(self, request: Request, message_id: int) -> Response:
        services.message_delete(user=signed_in_user(request), message_id=message_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MessageAttachmentView(OwnMessageView):
    """GET messages/{id}/attachment/: the attachment of one of the user's messages, as a download."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY), 404: NOT_FOUND})
    def get(self, request: Request, message_id: int) -> FileResponse:
        message = selectors.message_attachment(user=signed_in_user(request), message_id=message_id)
        return attachments.attachment_response(
            name=message.attachment.name,
            filename=message.attachment_name,
            content_type=message.attachment_type,
        )
