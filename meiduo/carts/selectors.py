"""Cart reads: the lines of a cart with their SKUs at current prices, and which SKUs may go in one."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from meiduo.carts.stores import CartStore
from meiduo.core.errors import FieldError
from meiduo.goods.models import SKU

CART_SKU_FIELDS = ("id", "name", "price", "default_image", "stock", "is_launched")


def sku_not_on_sale(*, exists: bool) -> FieldError:
    """The 400 on `sku_id` for an SKU that does not exist, or exists but is off sale (a cart add, a buy now)."""
    if not exists:
        return FieldError("sku_id", _("This product does not exist."))
    return FieldError("sku_id", _("This product is no longer on sale."))


@dataclass(frozen=True)
class CartItem:
    """A cart line joined with its SKU (read now, so the price is the current one)."""

    sku: SKU
    count: int
    selected: bool


def cart_items(*, cart: CartStore, selected_only: bool = False) -> list[CartItem]:
    """The cart's lines in the order they were added; lines of SKUs that no longer exist are left out."""
    lines = [line for line in cart.lines() if line.selected or not selected_only]
    skus = SKU.objects.only(*CART_SKU_FIELDS).in_bulk([line.sku_id for line in lines])
    return [CartItem(skus[line.sku_id], line.count, line.selected) for line in lines if line.sku_id in skus]
