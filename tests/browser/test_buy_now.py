"""In a real browser: 立即购买 (buy now) on a product page orders that product alone and leaves the cart as it was."""

import re

import pytest
from playwright.sync_api import Page, expect

from meiduo.carts.models import CartLine
from meiduo.goods.models import SKU
from meiduo.orders.models import OrderInfo
from meiduo.users.models import User
from tests.browser.test_refunds import PASSWORD, shopper_with_a_phone_in_the_cart
from tests.browser.test_storefront import Snap

pytestmark = pytest.mark.browser


def a_product_not_in_the_cart(user: User | None = None) -> SKU:
    """An on-sale SKU with stock for two, other than the ones in the user's cart."""
    in_cart = CartLine.objects.filter(user=user).values("sku_id") if user else []
    sku = SKU.objects.filter(is_launched=True, stock__gte=2).exclude(pk__in=in_cart).order_by("id").first()
    assert sku is not None
    return sku


def cart_of(user: User) -> list[tuple[int, int, bool]]:
    """The user's cart lines as (sku_id, count, selected)."""
    return list(CartLine.objects.filter(user=user).order_by("sku_id").values_list("sku_id", "count", "selected"))


def sign_in(page: Page, username: str) -> None:
    """On the login page: sign in with the password; wait for the header to greet the user."""
    page.fill("#login-username", username)
    page.fill("#login-password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.locator(".who")).to_contain_text(username)


def test_buy_now_orders_one_product_and_keeps_the_cart(page: Page, snap: Snap, script_errors: list[str]) -> None:
    shopper = shopper_with_a_phone_in_the_cart()
    unselected = a_product_not_in_the_cart(shopper)
    CartLine.objects.create(user=shopper, sku=unselected, count=3, selected=False)
    held = cart_of(shopper)
    sku = a_product_not_in_the_cart(shopper)
    stock = sku.stock

    page.goto("/login?next=/cart")
    sign_in(page, "shopper_wang")
    expect(page.get_by_test_id("cart-count")).to_have_text("4")
    page.goto(f"/detail/{sku.pk}")
    expect(page.get_by_test_id("sku-name")).to_have_text(sku.name)
    page.locator(".qty input").fill("2")
    page.locator(".qty input").press("Tab")
    page.get_by_test_id("buy-now").click()

    expect(page).to_have_url(re.compile(rf"/place_order\?sku_id={sku.pk}&count=2$"))
    goods = page.locator(".goods li")
    expect(goods).to_have_count(1)
    expect(goods).to_contain_text(sku.name)
    expect(goods).to_contain_text("× 2")
    expect(page.get_by_test_id("buy-now-hint")).to_be_visible()
    page.get_by_test_id("pay-cod").check()
    snap(page, "place_order-buy_now")
    page.get_by_test_id("place-order").click()

    expect(page).to_have_url(re.compile(r"/order_success\?"))
    expect(page.get_by_test_id("result-title")).to_have_text("订单提交成功")
    order_id = page.get_by_test_id("success-order-id").inner_text().split("：")[-1].strip()
    order = OrderInfo.objects.get(order_id=order_id, user=shopper)
    assert list(order.lines.values_list("sku_id", "count")) == [(sku.pk, 2)]
    assert SKU.objects.get(pk=sku.pk).stock == stock - 2
    assert cart_of(shopper) == held  # the phone (selected) and the other line (unselected) are still there
    expect(page.get_by_test_id("cart-count")).to_have_text("4")
    page.goto("/cart")
    expect(page.get_by_test_id("cart-line")).to_have_count(2)
    assert script_errors == []


def test_a_visitor_signs_in_first_and_comes_back_to_the_product(page: Page, script_errors: list[str]) -> None:
    User.objects.create_user(username="visitor_zhao", password=PASSWORD, mobile="13912340001")
    sku = a_product_not_in_the_cart()

    page.goto(f"/detail/{sku.pk}")
    page.get_by_test_id("buy-now").click()
    expect(page).to_have_url(re.compile(rf"/login\?next=(/|%2F)detail(/|%2F){sku.pk}$"))
    sign_in(page, "visitor_zhao")
    expect(page).to_have_url(re.compile(rf"^[^?]*/detail/{sku.pk}$"))
    page.get_by_test_id("buy-now").click()
    expect(page).to_have_url(re.compile(rf"/place_order\?sku_id={sku.pk}&count=1$"))
    expect(page.locator(".goods li")).to_contain_text(sku.name)

    SKU.objects.filter(pk=sku.pk).update(is_launched=False)  # taken off sale meanwhile: the API's 400 is shown
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("商品已下架")
    expect(page.get_by_test_id("place-order")).to_have_count(0)
    expect(page.get_by_test_id("back-to-product")).to_have_attribute("href", f"/detail/{sku.pk}")
    assert script_errors == []
