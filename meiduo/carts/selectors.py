"""Cart reads: the lines of a cart with their SKUs at current prices."""

from dataclasses import dataclass

from meiduo.carts.stores import CartStore
from meiduo.goods.models import SKU

CART_SKU_FIELDS = ("id", "name", "price", "default_image", "stock", "is_launched")


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
