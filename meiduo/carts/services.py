"""Cart writes: add, change, remove and select lines (counts 1..stock, on-sale SKUs only), merge at login."""

from typing import NamedTuple

from django.contrib.auth.base_user import AbstractBaseUser as User  # the shop user; carts sit below users
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from meiduo.carts.selectors import sku_not_on_sale
from meiduo.carts.stores import CartStore, DatabaseCart, Line
from meiduo.core import sql
from meiduo.core.errors import ServiceError
from meiduo.goods.models import SKU
from meiduo.stock.services import StockShort


class _OnSale(NamedTuple):
    """What the cart needs of an SKU."""

    id: int
    name: str
    stock: int


def _sku_on_sale(sku_id: int) -> _OnSale:
    """The SKU, if it exists and is on sale; a 400 on `sku_id` otherwise."""
    found = sql.rows('SELECT "name", "stock", "is_launched" FROM "tb_sku" WHERE "id" = %s', [sku_id])
    if not found or not found[0][2]:
        raise sku_not_on_sale(exists=bool(found))
    name, stock, _is_launched = found[0]
    return _OnSale(sku_id, name, stock)


def _stock_short(sku: _OnSale) -> StockShort:
    message = _("Only %(stock)d of “%(name)s” left in stock.") % {"stock": sku.stock, "name": sku.name}
    return StockShort(sku_id=sku.id, name=sku.name, message=str(message))


def cart_add(*, cart: CartStore, sku_id: int, count: int, selected: bool = True) -> Line:
    """Add `count` of an on-sale SKU (to its line if there is one); the total may not pass the stock.

    A signed-in user's cart checks the SKU and adds in one statement; when that adds nothing, the SKU is read
    to say why (or, changed meanwhile, added to after all).
    """
    line = cart.add_on_sale(sku_id=sku_id, count=count, selected=selected)
    if line is not None:
        return line
    sku = _sku_on_sale(sku_id)
    if not cart.has_room_for(sku_id):
        raise ServiceError(_("Your cart is full; log in to keep more products in it."))
    line = cart.add(sku_id=sku_id, count=count, selected=selected, limit=sku.stock)
    if line is None:
        raise _stock_short(sku)
    return line


def cart_update(*, cart: CartStore, sku_id: int, count: int, selected: bool) -> Line:
    """Set the count (1..stock) and selection of an on-sale SKU's line, creating it if needed."""
    sku = _sku_on_sale(sku_id)
    if count > sku.stock:
        raise _stock_short(sku)
    if not cart.has_room_for(sku_id):
        raise ServiceError(_("Your cart is full; log in to keep more products in it."))
    return cart.put(sku_id=sku_id, count=count, selected=selected)


def cart_remove(*, cart: CartStore, sku_id: int) -> None:
    """Remove an SKU's line (nothing happens when the cart has none)."""
    cart.remove(sku_id=sku_id)


def cart_select_all(*, cart: CartStore, selected: bool) -> None:
    """Select or unselect every line."""
    cart.select_all(selected=selected)


@transaction.atomic
def cart_merge_cookie(*, user: User, lines: list[Line]) -> None:
    """Merge an anonymous cart into the user's: for the same SKU the cookie's count and selection win.

    Lines of SKUs that are gone, off sale or sold out are dropped; a count above
    the current stock is lowered to it.
    """
    if not lines:
        return
    skus = SKU.objects.filter(pk__in=[line.sku_id for line in lines], is_launched=True, stock__gt=0)
    stock = dict(skus.values_list("id", "stock"))
    cart = DatabaseCart(user)
    for line in lines:
        if line.sku_id in stock:
            cart.put(sku_id=line.sku_id, count=min(line.count, stock[line.sku_id]), selected=line.selected)
