"""Order endpoints: settlement, placement, the user's orders, cancel, receipt and reviews."""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meiduo.core.frontwrite import FrontWriteMixin
from meiduo.core.serializers import validated
from meiduo.goods.views import NOT_FOUND, SKU_ID, PublicCatalogView
from meiduo.orders import lifecycle, selectors, services
from meiduo.orders.models import OrderInfo
from meiduo.orders.serializers import (
    BuyNowSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    OrderCreatedSerializer,
    OrderCreateSerializer,
    OrderDetailSerializer,
    OrderSerializer,
    SettlementSerializer,
    UncommentedLineSerializer,
)
from meiduo.users.auth import signed_in_user


class SettlementView(APIView):
    """GET orders/settlement/: the selected cart lines at current prices and the freight; with `sku_id` (and
    `count`, default 1) that SKU alone, bought now."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[BuyNowSerializer], responses=SettlementSerializer)
    def get(self, request: Request) -> Response:
        user = signed_in_user(request)
        query = validated(BuyNowSerializer, request.query_params) if request.query_params else {}
        if query.get("sku_id") is None:
            settlement = selectors.order_settlement(user=user)
        else:
            settlement = selectors.order_settlement_buy_now(sku_id=query["sku_id"], count=query["count"])
        return Response(SettlementSerializer(settlement).data)


class OrdersView(FrontWriteMixin, ListAPIView[OrderInfo]):
    """GET orders/: the user's orders, newest first (paginated); POST orders/: place an order."""

    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer
    # POST may run in the write tier (meiduo.core.frontwrite).
    front_write_methods = frozenset({"POST"})

    def get_queryset(self) -> QuerySet[OrderInfo]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no user
            return OrderInfo.objects.none()
        return selectors.orders_of(user=signed_in_user(self.request))

    @extend_schema(request=OrderCreateSerializer, responses={201: OrderCreatedSerializer})
    def post(self, request: Request) -> Response:
        data = validated(OrderCreateSerializer, request.data)
        order = services.order_place(
            user=signed_in_user(request),
            address_id=data["address"],
            pay_method=data["pay_method"],
            sku_id=data.get("sku_id"),
            count=data["count"],
        )
        return Response({"order_id": order.order_id}, status=status.HTTP_201_CREATED)


class OrderDetailView(APIView):
    """GET orders/{order_id}/: one order with its address snapshot and status times;
    DELETE: remove a received, finished or cancelled order from the user's list (the order is kept)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OrderDetailSerializer)
    def get(self, request: Request, order_id: str) -> Response:
        order = selectors.order_detail(user=signed_in_user(request), order_id=order_id)
        return Response(OrderDetailSerializer(order).data)

    @extend_schema(
        responses={
            204: OpenApiResponse(description="Removed from the list (also when it already was)."),
            404: OpenApiResponse(description="No such order of the user."),
            409: OpenApiResponse(description="`order_open`: unpaid, unsent or unreceived orders stay in the list."),
        }
    )
    def delete(self, request: Request, order_id: str) -> Response:
        services.order_hide(user=signed_in_user(request), order_id=order_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrderCancelView(APIView):
    """PUT orders/{order_id}/cancel/: cancel an unpaid or unsent order; its stock goes back."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OrderDetailSerializer)
    def put(self, request: Request, order_id: str) -> Response:
        user = signed_in_user(request)
        lifecycle.order_cancel_by_user(user=user, order_id=order_id)
        return Response(OrderDetailSerializer(selectors.order_detail(user=user, order_id=order_id)).data)


class OrderReceiptView(APIView):
    """PUT orders/{order_id}/receipt/: confirm a shipped order arrived (3 → 4)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OrderDetailSerializer)
    def put(self, request: Request, order_id: str) -> Response:
        user = signed_in_user(request)
        lifecycle.order_receive(user=user, order_id=order_id)
        return Response(OrderDetailSerializer(selectors.order_detail(user=user, order_id=order_id)).data)


class UncommentedGoodsView(APIView):
    """GET orders/{order_id}/uncommentgoods/: lines of an order awaiting review that have none yet."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UncommentedLineSerializer(many=True))
    def get(self, request: Request, order_id: str) -> Response:
        lines = selectors.order_lines_to_review(user=signed_in_user(request), order_id=order_id)
        return Response(UncommentedLineSerializer(lines, many=True).data)


class OrderCommentView(APIView):
    """POST orders/{order_id}/comments/: review one line; the last review finishes the order."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentCreateSerializer})
    def post(self, request: Request, order_id: str) -> Response:
        lifecycle.own_order(user=signed_in_user(request), order_id=order_id)
        serializer = CommentCreateSerializer(data=request.data, context={"order_id": order_id})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.order_comment_create(
            user=signed_in_user(request),
            order_id=order_id,
            sku_id=data["sku"],
            comment=data["comment"],
            score=data["score"],
            is_anonymous=data["is_anonymous"],
        )
        return Response(CommentCreateSerializer(data).data, status=status.HTTP_201_CREATED)


class SKUCommentListView(PublicCatalogView):
    """GET skus/{id}/comments/: the newest 100 reviews of an SKU (not cached: a new review shows at once)."""

    @extend_schema(parameters=[SKU_ID], responses={200: CommentSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, sku_id: int) -> Response:
        return Response(CommentSerializer(selectors.sku_comments(sku_id=sku_id), many=True).data)
