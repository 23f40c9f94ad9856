"""Cart input validation and output shapes (API.md, Cart)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meiduo.carts.selectors import CartItem
from meiduo.goods.serializers import file_url

# The largest id (and count) the database columns hold: bigger numbers are a 400, not a database error.
MAX_ID = 2**63 - 1


class CartLineInSerializer(serializers.Serializer):
    """POST/PUT carts/: `sku_id`, `count` (a whole number ≥ 1), `selected` (default true)."""

    sku_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    count = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    selected = serializers.BooleanField(default=True)


class CartLineOutSerializer(serializers.Serializer):
    """The line as it now is: `{"sku_id", "count", "selected"}`."""

    sku_id = serializers.IntegerField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class CartSkuSerializer(serializers.Serializer):
    """DELETE carts/: `sku_id`."""

    sku_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class CartSelectionSerializer(serializers.Serializer):
    """PUT carts/selection/: `selected`."""

    selected = serializers.BooleanField()


class CartItemSerializer(serializers.Serializer):
    """GET carts/: `{"id", "name", "default_image_url", "price", "count", "selected"}` at the current price."""

    id = serializers.IntegerField(source="sku.id")
    name = serializers.CharField(source="sku.name")
    default_image_url = serializers.SerializerMethodField()
    price = serializers.DecimalField(source="sku.price", max_digits=10, decimal_places=2)
    count = serializers.IntegerField()
    selected = serializers.BooleanField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_default_image_url(self, item: CartItem) -> str | None:
        return file_url(item.sku.default_image)


class CartSimpleItemSerializer(CartItemSerializer):
    """GET carts/simple/: `{"id", "name", "count", "default_image_url"}` for the header mini-cart."""

    price = None  # type: ignore[assignment]
    selected = None  # type: ignore[assignment]
