"""Payment endpoints: the page-pay URL, the return and the notification; and the demo gateway's own pages."""

from collections.abc import Iterable, Mapping

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser, FormParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meiduo.payments import services
from meiduo.payments.serializers import PaymentStatusSerializer, PaymentUrlSerializer
from meiduo.users.auth import signed_in_user


class FirstRenderer(BaseContentNegotiation):
    """Answer with the view's first renderer whatever the client accepts (pages a browser opens)."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class OrderPaymentView(APIView):
    """GET orders/{order_id}/payment/: the gateway's page-pay URL of an own unpaid online-payment order."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PaymentUrlSerializer)
    def get(self, request: Request, order_id: str) -> Response:
        return Response({"alipay_url": services.payment_start(user=signed_in_user(request), order_id=order_id)})


class PaymentStatusView(APIView):
    """PUT payment/status/?<return parameters>: the shopper is back from the gateway; accept the payment."""

    authentication_classes: list[type] = []  # the gateway's signature is the credential, not a (maybe expired) login
    permission_classes = [AllowAny]

    @extend_schema(request=None, responses=PaymentStatusSerializer)
    def put(self, request: Request) -> Response:
        body = request.data if isinstance(request.data, Mapping) else {}  # a JSON array or scalar proves nothing
        params = request.query_params.dict() or {key: str(value) for key, value in body.items()}
        payment = services.payment_confirm_return(params=params)
        return Response({"trade_id": payment.trade_id})


class AlipayNotifyView(APIView):
    """POST payment/alipay/notify/: the gateway's asynchronous notification; answers text `success`."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser]
    throttle_classes: list[type] = []  # the gateway retries until it gets `success`: never refuse it

    @extend_schema(request=None, responses={(200, "text/plain"): OpenApiResponse(OpenApiTypes.STR)})
    def post(self, request: Request) -> HttpResponse:
        services.payment_confirm_notify(params={key: str(value) for key, value in request.data.items()})
        return HttpResponse("success", content_type="text/plain; charset=utf-8")
