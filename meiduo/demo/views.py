"""The demo gateway's pages: its payment page and API answers (GET), the shopper's confirmation (POST)."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from meiduo.core.errors import NotFoundError
from meiduo.demo import gateway as demo
from meiduo.payments.models import GatewayName
from meiduo.payments.views import FirstRenderer


def _demo_only() -> None:
    """The demo gateway exists only while it is the configured gateway."""
    if settings.PAYMENT_GATEWAY != GatewayName.DEMO:
        raise NotFoundError


class DemoGatewayView(APIView):
    """GET payment/demo/gateway/?<signed request>: the demo gateway (its payment page, or an API method's answer)."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    content_negotiation_class = FirstRenderer

    @extend_schema(
        request=None, responses={(200, "text/html"): OpenApiResponse(OpenApiTypes.STR)}, tags=["payment demo"]
    )
    def get(self, request: Request) -> HttpResponse:
        _demo_only()
        params = request.query_params.dict()
        if params.get("method") in demo.API_METHODS:
            return HttpResponse(demo.demo_api_answer(params), content_type="application/json; charset=utf-8")
        pay = demo.demo_pay_request(params)
        context = {"pay": pay, "trade": demo.demo_trade_of(pay.out_trade_no)}
        html = render_to_string("demo/demo_pay.html", context, request=request._request)
        return HttpResponse(html, content_type="text/html; charset=utf-8")


class DemoPayView(APIView):
    """POST payment/demo/pay/: the shopper confirmed on the demo page; notify the shop and send the browser back."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser]
    content_negotiation_class = FirstRenderer

    @extend_schema(request=None, responses={303: None}, tags=["payment demo"])
    def post(self, request: Request) -> HttpResponse:
        _demo_only()
        pay = demo.demo_pay_request({key: str(value) for key, value in request.data.items()})
        trade = demo.demo_trade_confirm(request=pay)
        response = HttpResponseRedirect(demo.demo_return_url(trade, pay.return_url))
        response.status_code = 303
        return response
