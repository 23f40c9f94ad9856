"""Endpoints that hand out verification codes: the image captcha and SMS codes."""

from uuid import UUID

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meiduo.core import ratelimit
from meiduo.core.auth import PublicEndpointAuthentication
from meiduo.core.clientip import client_ip
from meiduo.core.serializers import MessageSerializer
from meiduo.verifications import services
from meiduo.verifications.serializers import SmsCodeRequestSerializer


class ImageCodeView(APIView):
    """GET image_codes/{uuid}/: a PNG captcha; its answer is kept 300 s for one check."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(responses={(200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY, description="captcha")})
    def get(self, request: Request, uuid: UUID) -> HttpResponse:
        # Drawing costs CPU and every captcha takes a cache entry: a person's pace per client, not a bot's.
        ratelimit.hit(f"captcha:ip:{client_ip(request)}", limit=settings.IMAGE_CODES_PER_MINUTE_PER_IP, seconds=60)
        png = services.image_code_create(uuid=str(uuid))
        response = HttpResponse(png, content_type="image/png")
        response["Cache-Control"] = "no-store"
        return response


class SmsCodeView(APIView):
    """GET sms_codes/{mobile}/: send an SMS code to the mobile (captcha first, unless disabled)."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(
        parameters=[
            OpenApiParameter("image_code_id", OpenApiTypes.UUID, description="uuid of the captcha shown"),
            OpenApiParameter("text", OpenApiTypes.STR, description="the captcha answer"),
        ],
        responses={200: MessageSerializer},
    )
    def get(self, request: Request, mobile: str) -> Response:
        serializer = SmsCodeRequestSerializer(data={**request.query_params.dict(), "mobile": mobile})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("image_code_id"):
            services.image_code_check(uuid=str(data["image_code_id"]), text=data["text"])
        services.sms_code_send(mobile=data["mobile"], ip=client_ip(request))
        return Response({"message": "OK"})
