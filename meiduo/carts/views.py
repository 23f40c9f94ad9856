"""Cart endpoints: the same API for anonymous visitors (signed cookie) and signed-in users (database)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken

from meiduo.carts import selectors, services
from meiduo.carts.serializers import (
    CartItemSerializer,
    CartLineInSerializer,
    CartLineOutSerializer,
    CartSelectionSerializer,
    CartSimpleItemSerializer,
    CartSkuSerializer,
)
from meiduo.carts.stores import CartStore, CookieCart, DatabaseCart, Line
from meiduo.core.frontwrite import FrontWriteMixin
from meiduo.core.schema import JWTScheme
from meiduo.core.serializers import MessageSerializer, validated
from meiduo.core.tokenauth import SessionJWTAuthentication


class OptionalJWTAuthentication(SessionJWTAuthentication):
    """JWT when the token is good; an expired or bad token makes the visitor anonymous (the cookie cart)."""

    def authenticate(self, request: Request) -> Any:
        try:
            return super().authenticate(request)
        except (InvalidToken, AuthenticationFailed):
            return None


class OptionalJWTScheme(JWTScheme):
    """OpenAPI: the cart takes the same JWT, but optionally (its own scheme name keeps the schema unambiguous)."""

    target_class = "meiduo.carts.views.OptionalJWTAuthentication"
    match_subclasses = False
    priority = 2
    name = "jwtAuthOptional"


def line_answer(line: Line) -> dict[str, object]:
    """A line as CartLineOutSerializer writes it (`{"sku_id", "count", "selected"}`), without building one."""
    return {"sku_id": line.sku_id, "count": line.count, "selected": line.selected}


def cart_of(request: Request) -> CartStore:
    """The database cart of a signed-in user, else the visitor's cookie cart."""
    if request.user.is_authenticated:
        return DatabaseCart(request.user)
    return CookieCart.from_request(request)


class CartView(FrontWriteMixin, APIView):
    """carts/ (and cart/): add, list, change and remove lines."""

    authentication_classes = [OptionalJWTAuthentication]
    # A signed-in user's writes may run in the write tier (meiduo.core.frontwrite).
    front_write_methods = frozenset({"POST", "PUT", "DELETE"})

    @extend_schema(request=CartLineInSerializer, responses={201: CartLineOutSerializer})
    def post(self, request: Request) -> Response:
        data = validated(CartLineInSerializer, request.data)
        cart = cart_of(request)
        line = services.cart_add(cart=cart, **data)
        response = Response(line_answer(line), status=status.HTTP_201_CREATED)
        cart.save(response)
        return response

    @extend_schema(responses=CartItemSerializer(many=True))
    def get(self, request: Request) -> Response:
        items = selectors.cart_items(cart=cart_of(request))
        return Response(CartItemSerializer(items, many=True).data)

    @extend_schema(request=CartLineInSerializer, responses=CartLineOutSerializer)
    def put(self, request: Request) -> Response:
        data = validated(CartLineInSerializer, request.data)
        cart = cart_of(request)
        line = services.cart_update(cart=cart, **data)
        response = Response(line_answer(line))
        cart.save(response)
        return response

    @extend_schema(request=CartSkuSerializer, responses={204: None})
    def delete(self, request: Request) -> Response:
        data = validated(CartSkuSerializer, request.data or request.query_params)
        cart = cart_of(request)
        services.cart_remove(cart=cart, sku_id=data["sku_id"])
        response = Response(status=status.HTTP_204_NO_CONTENT)
        cart.save(response)
        return response


class CartSelectionView(APIView):
    """PUT carts/selection/: select or unselect every line."""

    authentication_classes = [OptionalJWTAuthentication]

    @extend_schema(request=CartSelectionSerializer, responses=MessageSerializer)
    def put(self, request: Request) -> Response:
        data = validated(CartSelectionSerializer, request.data)
        cart = cart_of(request)
        services.cart_select_all(cart=cart, selected=data["selected"])
        response = Response({"message": "OK"})
        cart.save(response)
        return response


class CartSimpleView(APIView):
    """GET carts/simple/: the header mini-cart."""

    authentication_classes = [OptionalJWTAuthentication]

    @extend_schema(responses=CartSimpleItemSerializer(many=True))
    def get(self, request: Request) -> Response:
        items = selectors.cart_items(cart=cart_of(request))
        return Response(CartSimpleItemSerializer(items, many=True).data)
