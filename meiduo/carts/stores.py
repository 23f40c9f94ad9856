"""Where a cart lives: database lines for a signed-in user, a signed token for an anonymous visitor.

Both stores have the same small interface, so the cart services never ask
which one they hold. The visitor's cart is a token: its lines as compact JSON,
signed with django.core.signing (JSON, never pickle; a salt of its own) and
URL-safe base64, so it is a valid RFC 6265 cookie value that every HTTP client
sends back unchanged. Browsers carry it in the `cart` cookie; clients without
cookies (mobile apps) in the `X-Cart-Token` header, which every answer that
changes the cart sets. A token that is tampered with, signed by another site or
salt, expired, malformed or too large reads as an empty cart. The cookie format
of before (the quoted JSON of `set_signed_cookie`, which some clients rewrite)
is still read, and replaced by a token on the next change.
"""

import json
from dataclasses import dataclass
from typing import Literal, Protocol, cast

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser as User  # the shop user; carts sit below users
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from meiduo.carts.models import CartLine
from meiduo.core import sql

COOKIE_NAME = "cart"
COOKIE_SALT = "meiduo.carts.cookie"
TOKEN_HEADER = "X-Cart-Token"  # noqa: S105 - a header name, not a secret
# A count no real cart reaches; bounds what a decoded cookie may claim.
MAX_COUNT = 1_000_000


@dataclass(frozen=True)
class Line:
    """One SKU of a cart."""

    sku_id: int
    count: int
    selected: bool


class CartStore(Protocol):
    """The operations the cart services need from any store."""

    def lines(self) -> list[Line]: ...

    def get(self, sku_id: int) -> Line | None: ...

    def has_room_for(self, sku_id: int) -> bool:
        """False when a new line for this SKU would pass the store's size limit."""

    def add(self, *, sku_id: int, count: int, selected: bool, limit: int) -> Line | None:
        """Add `count` to the line (creating it); None, changing nothing, if the total would pass `limit`."""

    def add_on_sale(self, *, sku_id: int, count: int, selected: bool) -> Line | None:
        """`add` with the SKU's rules checked in the same step (it exists, is on sale, the total within its stock),
        where the store can; None, changing nothing, when a rule fails or the store cannot (the caller then
        checks the SKU and uses `add`, which also says which rule failed)."""

    def put(self, *, sku_id: int, count: int, selected: bool) -> Line: ...

    def remove(self, *, sku_id: int) -> None: ...

    def select_all(self, *, selected: bool) -> None: ...

    def save(self, response: HttpResponse) -> None:
        """Persist what is not persisted yet onto the response (the cookie store only)."""


# Add to the user's line of an SKU, creating it, as long as the total stays within the limit (the parameter
# after the six values: the limit minus the count added); no row comes back when it would not.
_ADD = """
    INSERT INTO "tb_cart_line" ("user_id", "sku_id", "count", "selected", "create_time", "update_time")
    VALUES (%s, %s, %s, %s, %s, %s)
    ON CONFLICT ("user_id", "sku_id") DO UPDATE
    SET "count" = "tb_cart_line"."count" + excluded."count", "selected" = excluded."selected",
        "update_time" = excluded."update_time"
    WHERE "tb_cart_line"."count" <= %s
    RETURNING "count"
"""
# `_ADD` for an on-sale SKU only, with its stock as the limit, in one statement: the SKU's row is the row inserted
# (none when it is missing, off sale or has less stock than the count) and the line's new total is compared with
# its stock. Parameters: user, count, selected, create and update time, SKU.
_ADD_ON_SALE = """
    INSERT INTO "tb_cart_line" ("user_id", "sku_id", "count", "selected", "create_time", "update_time")
    SELECT %s, "id", %s, %s, %s, %s FROM "tb_sku" WHERE "id" = %s AND "is_launched" AND "stock" >= %s
    ON CONFLICT ("user_id", "sku_id") DO UPDATE
    SET "count" = "tb_cart_line"."count" + excluded."count", "selected" = excluded."selected",
        "update_time" = excluded."update_time"
    WHERE "tb_cart_line"."count" + excluded."count" <= (SELECT "stock" FROM "tb_sku" WHERE "id" = excluded."sku_id")
    RETURNING "count"
"""


class DatabaseCart:
    """A signed-in user's cart: CartLine rows, changed only by atomic single-statement updates.

    Adding is one upsert (`_ADD`, or `_ADD_ON_SALE` checking the SKU too) where the database has them (SQLite,
    PostgreSQL), else an update or an insert.
    """

    def __init__(self, user: User) -> None:
        self.user_id = user.pk

    def _rows(self, sku_id: int | None = None) -> QuerySet[CartLine]:
        rows = CartLine.objects.filter(user_id=self.user_id)
        return rows if sku_id is None else rows.filter(sku_id=sku_id)

    def lines(self) -> list[Line]:
        return [Line(*row) for row in self._rows().order_by("id").values_list("sku_id", "count", "selected")]

    def get(self, sku_id: int) -> Line | None:
        row = self._rows(sku_id).values_list("sku_id", "count", "selected").first()
        return Line(*row) if row else None

    def has_room_for(self, sku_id: int) -> bool:
        return True

    def add(self, *, sku_id: int, count: int, selected: bool, limit: int) -> Line | None:
        if count > limit:
            return None
        if not sql.upserts():
            return self._add_in_steps(sku_id=sku_id, count=count, selected=selected, limit=limit)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        added = sql.rows(_ADD, [self.user_id, sku_id, count, selected, now, now, limit - count])
        return Line(sku_id, added[0][0], selected) if added else None

    def add_on_sale(self, *, sku_id: int, count: int, selected: bool) -> Line | None:
        if not sql.upserts():
            return None
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        added = sql.rows(_ADD_ON_SALE, [self.user_id, count, selected, now, now, sku_id, count])
        return Line(sku_id, added[0][0], selected) if added else None

    def _add_in_steps(self, *, sku_id: int, count: int, selected: bool, limit: int) -> Line | None:
        """`add` where the database has no `INSERT … ON CONFLICT … RETURNING` (MySQL): update, else insert."""
        rows = self._rows(sku_id)
        for _attempt in range(2):
            if rows.filter(count__lte=limit - count).update(count=F("count") + count, selected=selected):
                return self.get(sku_id)
            if rows.exists():
                return None
            try:
                with transaction.atomic():
                    CartLine.objects.create(user_id=self.user_id, sku_id=sku_id, count=count, selected=selected)
                return Line(sku_id, count, selected)
            except IntegrityError:  # a concurrent request created the line first: add onto it
                continue
        return None

    def put(self, *, sku_id: int, count: int, selected: bool) -> Line:
        if not self._rows(sku_id).update(count=count, selected=selected):
            try:
                with transaction.atomic():
                    CartLine.objects.create(user_id=self.user_id, sku_id=sku_id, count=count, selected=selected)
            except IntegrityError:  # a concurrent request created the line first: overwrite it
                self._rows(sku_id).update(count=count, selected=selected)
        return Line(sku_id, count, selected)

    def remove(self, *, sku_id: int) -> None:
        self._rows(sku_id).delete()

    def select_all(self, *, selected: bool) -> None:
        self._rows().update(selected=selected)

    def save(self, response: HttpResponse) -> None:
        return None


def _decode(raw: str | None) -> dict[int, Line]:
    """The lines of a verified cookie value; {} for anything that is not exactly what `_encode` writes."""
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict) or len(data) > settings.CART_COOKIE_MAX_LINES:
        return {}
    lines: dict[int, Line] = {}
    for key, value in data.items():
        if not (isinstance(key, str) and key.isdigit() and isinstance(value, list) and len(value) == 2):
            return {}
        count, selected = value
        if type(count) is not int or not 1 <= count <= MAX_COUNT or selected not in (0, 1):
            return {}
        lines[int(key)] = Line(int(key), count, bool(selected))
    return lines


def _encode(lines: dict[int, Line]) -> str:
    """Compact JSON: `{"<sku_id>": [count, selected 0/1], ...}` in the order lines were added."""
    data = {str(line.sku_id): [line.count, int(line.selected)] for line in lines.values()}
    return json.dumps(data, separators=(",", ":"))


class CookieCart:
    """An anonymous visitor's cart, read from the signed cookie and written back by `save`."""

    def __init__(self, lines: dict[int, Line]) -> None:
        self._lines = lines
        self.changed = False

    @classmethod
    def from_request(cls, request: HttpRequest) -> "CookieCart":
        """The cart of the `X-Cart-Token` header if the request has one, else of the `cart` cookie."""
        header = request.headers.get(TOKEN_HEADER)
        if header is not None:
            return cls(_decode(_token_payload(header)))
        raw = request.COOKIES.get(COOKIE_NAME)
        payload = _token_payload(raw)
        if payload is not None or not raw:
            return cls(_decode(payload))
        age = settings.CART_COOKIE_AGE
        legacy = request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT, max_age=age)
        cart = cls(_decode(legacy))
        cart.changed = bool(cart._lines)  # written back as a token by the next answer that saves the cart
        return cart

    def lines(self) -> list[Line]:
        return list(self._lines.values())

    def get(self, sku_id: int) -> Line | None:
        return self._lines.get(sku_id)

    def has_room_for(self, sku_id: int) -> bool:
        return sku_id in self._lines or len(self._lines) < settings.CART_COOKIE_MAX_LINES

    def add(self, *, sku_id: int, count: int, selected: bool, limit: int) -> Line | None:
        current = self._lines.get(sku_id)
        total = count + (current.count if current else 0)
        if total > limit:
            return None
        return self.put(sku_id=sku_id, count=total, selected=selected)

    def add_on_sale(self, *, sku_id: int, count: int, selected: bool) -> Line | None:
        return None  # the SKU is checked by the caller

    def put(self, *, sku_id: int, count: int, selected: bool) -> Line:
        line = Line(sku_id, count, selected)
        self._lines[sku_id] = line
        self.changed = True
        return line

    def remove(self, *, sku_id: int) -> None:
        if self._lines.pop(sku_id, None) is not None:
            self.changed = True

    def select_all(self, *, selected: bool) -> None:
        self._lines = {sku_id: Line(sku_id, line.count, selected) for sku_id, line in self._lines.items()}
        self.changed = True

    def save(self, response: HttpResponse) -> None:
        if not self.changed:
            return
        if not self._lines:
            cart_cookie_delete(response)
            return
        token = signing.dumps(_encode(self._lines), salt=COOKIE_SALT, compress=True)
        response.set_cookie(
            COOKIE_NAME,
            token,
            max_age=settings.CART_COOKIE_AGE,
            httponly=True,
            secure=settings.CART_COOKIE_SECURE,
            samesite=cast(Literal["Lax", "Strict", "None"], settings.CART_COOKIE_SAMESITE),
        )
        response[TOKEN_HEADER] = token


def cart_cookie_read(request: HttpRequest) -> list[Line]:
    """The lines of the anonymous cart cookie this request carries (empty when absent or not trusted)."""
    return CookieCart.from_request(request).lines()


def cart_cookie_delete(response: HttpResponse) -> None:
    """Tell the browser to drop the anonymous cart cookie, and a cookie-less client its token (an empty header)."""
    samesite = cast(Literal["Lax", "Strict", "None"], settings.CART_COOKIE_SAMESITE)
    response.delete_cookie(COOKIE_NAME, samesite=samesite)
    response[TOKEN_HEADER] = ""


def _token_payload(token: str | None) -> str | None:
    """The JSON text a cart token carries, if it is one the shop signed and younger than CART_COOKIE_AGE."""
    if not token:
        return None
    try:
        payload = signing.loads(token, salt=COOKIE_SALT, max_age=settings.CART_COOKIE_AGE)
    except (signing.BadSignature, ValueError):  # tampered, expired, foreign, or not even base64/zlib
        return None
    return payload if isinstance(payload, str) else None
