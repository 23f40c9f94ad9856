"""In a real browser: a shopper cancels a paid order and sees 退款中, then 已退款 once the refund job has run."""

import pytest
from celery import current_app
from playwright.sync_api import Page, expect

from meiduo.addresses.models import Address
from meiduo.areas.models import Area
from meiduo.carts.models import CartLine
from meiduo.demo.models import DemoTrade
from meiduo.goods.models import SKU
from meiduo.payments.tasks import refunds_retry
from meiduo.users.models import User
from tests.browser.test_storefront import Snap, checkout, order_card, pay_on_the_demo_gateway

pytestmark = pytest.mark.browser

PASSWORD = "Meiduo-2024!"


def shopper_with_a_phone_in_the_cart() -> User:
    """A shopper with one address and one selected phone in the cart (as earlier visits would leave them)."""
    user = User.objects.create_user(username="shopper_wang", password=PASSWORD, mobile="13912340000")
    district = Area.objects.filter(parent__parent__isnull=False).select_related("parent__parent").first()
    assert district is not None and district.parent is not None and district.parent.parent is not None
    address = Address.objects.create(
        user=user,
        title="家",
        receiver="王小美",
        province=district.parent.parent,
        city=district.parent,
        district=district,
        place="中关村大街 1 号",
        mobile="13912340000",
    )
    User.objects.filter(pk=user.pk).update(default_address=address)
    sku = SKU.objects.filter(is_launched=True, stock__gte=1, name__contains="手机").order_by("id").first()
    assert sku is not None
    CartLine.objects.create(user=user, sku=sku, count=1, selected=True)
    return user


def test_a_cancelled_paid_order_shows_refunding_then_refunded(
    page: Page, snap: Snap, script_errors: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shopper_with_a_phone_in_the_cart()
    page.goto("/login?next=/cart")
    page.fill("#login-username", "shopper_wang")
    page.fill("#login-password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.locator(".who")).to_contain_text("shopper_wang")
    order_id = checkout(page, "pay-alipay")
    pay_on_the_demo_gateway(page, order_id)

    # From here jobs go to the queue as in production, where no worker runs until the refund job below.
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    card = order_card(page, order_id)
    amount = card.locator(".price").inner_text().lstrip("¥")
    cancel = card.get_by_test_id("order-cancel")
    expect(cancel).to_have_text("取消并退款")
    cancel.click()
    expect(card.get_by_test_id("order-status")).to_have_text("已取消")
    expect(card.get_by_test_id("order-refund")).to_have_text(f"退款中 ¥{amount}")
    expect(card.get_by_test_id("order-cancel")).to_have_count(0)
    snap(page, "orders_refund")

    assert refunds_retry() == 1  # the beat job issues the refund at the demo gateway
    assert DemoTrade.objects.get(out_trade_no=order_id).refunded_amount == float(amount)
    page.reload()
    expect(card.get_by_test_id("order-refund")).to_have_text(f"已退款 ¥{amount}")
    page.get_by_test_id("lang").click()
    expect(card.get_by_test_id("order-refund")).to_have_text(f"Refunded ¥{amount}")
    assert script_errors == []
