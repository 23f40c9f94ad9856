"""In a real browser: a shopper removes a cancelled order from My orders; an order on its way has no such button."""

import pytest
from playwright.sync_api import Page, expect

from meiduo.carts.models import CartLine
from meiduo.orders import lifecycle, services
from meiduo.orders.models import OrderInfo
from tests.browser.test_refunds import PASSWORD, shopper_with_a_phone_in_the_cart
from tests.browser.test_storefront import order_card

pytestmark = pytest.mark.browser


def test_a_cancelled_order_leaves_my_orders(page: Page, script_errors: list[str]) -> None:
    user = shopper_with_a_phone_in_the_cart()
    address_id = user.addresses.get().pk
    cancelled = services.order_place(user=user, address_id=address_id, pay_method=2).order_id
    lifecycle.order_cancel(order_id=cancelled)
    CartLine.objects.create(user=user, sku_id=OrderInfo.objects.get(pk=cancelled).lines.get().sku_id, count=1)
    open_order = services.order_place(user=user, address_id=address_id, pay_method=1).order_id  # cash: unsent

    page.goto("/login?next=/user/orders")
    page.fill("#login-username", user.username)
    page.fill("#login-password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("order")).to_have_count(2)
    expect(order_card(page, open_order).get_by_test_id("order-hide")).to_have_count(0)
    remove = order_card(page, cancelled).get_by_test_id("order-hide")
    expect(remove).to_have_text("删除订单")
    remove.click()  # the page's confirm() is accepted
    expect(page.get_by_test_id("toast")).to_contain_text("订单已从列表中删除")
    expect(page.get_by_test_id("order")).to_have_count(1)
    expect(order_card(page, open_order)).to_be_visible()
    page.reload()
    expect(page.get_by_test_id("order")).to_have_count(1)
    page.get_by_test_id("lang").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Awaiting shipment")
    assert OrderInfo.objects.get(pk=cancelled).is_hidden is True  # kept, only flagged
    assert script_errors == []
