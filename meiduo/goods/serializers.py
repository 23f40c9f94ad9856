"""Shapes of the catalog API for the OpenAPI schema (sku-card, SKU detail, breadcrumb, home page), and the
validation of the list filters' query parameters.

The catalog's own answers are built in those shapes by meiduo.goods.selectors
(tests compare them with these); SKUCardSerializer also serializes the SKUs of
the user centre (history, favourites).
"""

from decimal import Decimal
from typing import Any

from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meiduo.goods.models import SKU


def file_url(file: FieldFile | None) -> str | None:
    """The public URL of a stored file ("/media/goods/…png", or the storage's full URL), None when empty."""
    return file.url if file else None


class SKUCardSerializer(serializers.ModelSerializer):
    """API.md sku-card: `{"id", "name", "price", "default_image_url", "comments"}` (comments = review count)."""

    default_image_url = serializers.SerializerMethodField()

    class Meta:
        model = SKU
        fields = ("id", "name", "price", "default_image_url", "comments")
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_default_image_url(self, sku: SKU) -> str | None:
        return file_url(sku.default_image)


class CategoryLinkSerializer(serializers.Serializer):
    """A category in a breadcrumb: id and name (and the channel link for the first level)."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class TopCategoryLinkSerializer(CategoryLinkSerializer):
    """The first level of a breadcrumb, with its channel link."""

    url = serializers.CharField()


class BreadcrumbSerializer(serializers.Serializer):
    """`{"cat1": {id, name, url}, "cat2": {id, name}, "cat3": {id, name}}`."""

    cat1 = TopCategoryLinkSerializer()
    cat2 = CategoryLinkSerializer()
    cat3 = CategoryLinkSerializer()


class SpecOptionSerializer(serializers.Serializer):
    """An option of a specification and the on-sale SKU that has it with the other options kept (or null)."""

    id = serializers.IntegerField()
    value = serializers.CharField()
    sku_id = serializers.IntegerField(allow_null=True)


class SpecSerializer(serializers.Serializer):
    """A specification of the SPU with its options."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    options = SpecOptionSerializer(many=True)


class SPUDescriptionSerializer(serializers.Serializer):
    """The SPU part of an SKU detail."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    desc_detail = serializers.CharField()
    desc_pack = serializers.CharField()
    desc_service = serializers.CharField()


class SKUDetailSerializer(serializers.Serializer):
    """SKU detail: sku-card fields plus caption, prices, stock, sales, images, breadcrumb, SPU and spec matrix."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    default_image_url = serializers.CharField(allow_null=True)
    comments = serializers.IntegerField()
    caption = serializers.CharField()
    market_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    stock = serializers.IntegerField()
    sales = serializers.IntegerField()
    images = serializers.ListField(child=serializers.CharField())
    breadcrumb = BreadcrumbSerializer()
    spu = SPUDescriptionSerializer()
    specs = SpecSerializer(many=True)


class ContentSerializer(serializers.Serializer):
    """An item of a home page slot."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    image_url = serializers.CharField(allow_null=True)
    text = serializers.CharField()
    sequence = serializers.IntegerField()


class ThirdLevelCategorySerializer(serializers.Serializer):
    """A third-level category in the home menu."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class SecondLevelCategorySerializer(serializers.Serializer):
    """A second-level category in the home menu with its third-level ones."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    sub_cats = ThirdLevelCategorySerializer(many=True)


class ChannelSerializer(serializers.Serializer):
    """A channel of the home menu: its top-level category's id and name, and the channel link."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.CharField()


class ChannelGroupSerializer(serializers.Serializer):
    """One group (row) of the home menu."""

    channels = ChannelSerializer(many=True)
    sub_cats = SecondLevelCategorySerializer(many=True)


class FloorBrandSerializer(serializers.Serializer):
    """A brand of a home floor: its logo and name, and the category whose list (narrowed to it) it links to."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    logo_url = serializers.CharField(allow_null=True)
    category_id = serializers.IntegerField()


class HomeSerializer(serializers.Serializer):
    """The home page: `categories` by channel group id, `contents` by slot key (index_lbt, index_kx …),
    `floor_brands` by floor number (only floors that have brands)."""

    categories = serializers.DictField(child=ChannelGroupSerializer())
    contents = serializers.DictField(child=ContentSerializer(many=True))
    floor_brands = serializers.DictField(child=FloorBrandSerializer(many=True))


class SKUFilterSerializer(serializers.Serializer):
    """Query parameters narrowing a category list: a price range in yuan (inclusive) and a brand id."""

    price_min = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal(0), required=False, help_text="Lowest price, e.g. 1000"
    )
    price_max = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal(0), required=False, help_text="Highest price, e.g. 2999.99"
    )
    brand = serializers.IntegerField(min_value=1, max_value=10**18 - 1, required=False, help_text="A brand id")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("price_min"), attrs.get("price_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"price_max": [_("The highest price is below the lowest.")]})
        return attrs


class SearchFilterSerializer(SKUFilterSerializer):
    """Search's narrowing: the category list's, and a category of any level."""

    category = serializers.IntegerField(
        min_value=1, max_value=10**18 - 1, required=False, help_text="A category id of any level"
    )
