"""The admin's order page: lines, payment, refund, shipment, in a number of queries that does not grow."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from meiduo.goods.tests.factories import SKUFactory
from meiduo.operations.tests.factories import order_make
from meiduo.orders import lifecycle
from meiduo.orders.models import OrderInfo
from meiduo.payments.models import Refund
from meiduo.users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss() -> Client:
    User.objects.create_superuser(username="boss", password="boss-pass-123", email="boss@example.com")
    client = Client()
    client.login(username="boss", password="boss-pass-123")
    return client


@pytest.fixture
def buyer() -> User:
    return User.objects.create_user(username="buyer", password="password123", mobile="13900000001")


def page(order: OrderInfo) -> str:
    return f"/admin/orders/orderinfo/{order.pk}/change/"


def test_order_page_shows_lines_payment_refund_and_shipment(boss: Client, buyer: User) -> None:
    phone = SKUFactory.create(name="测试手机", price=Decimal("999.00"))
    order = order_make(user=buyer, when=timezone.now(), lines=[(phone, 2)])
    lifecycle.order_ship(order_id=order.pk, carrier="sf", tracking_number="SF1234567890")
    html = boss.get(page(order)).text
    assert "测试手机" in html
    assert f"T{order.pk}" in html
    assert "¥2008.00" in html
    assert "顺丰速运" in html and "SF1234567890" in html
    assert "退款" in html and 'class="ship-one"' not in html  # shipped: no ship button
    cancelled = order_make(user=buyer, when=timezone.now(), lines=[(phone, 1)], status=OrderInfo.Status.CANCELLED)
    Refund.objects.create(
        payment=cancelled.payment,
        out_request_no=f"R{cancelled.pk}",
        amount=cancelled.total_amount,
        reason=Refund.Reason.CANCELLED_BY_STAFF,
    )
    html = boss.get(page(cancelled)).text
    assert f"R{cancelled.pk}" in html and "/admin/payments/refund/" in html


def test_order_page_shows_the_stock_its_cancel_gave_back(boss: Client, buyer: User) -> None:
    phone = SKUFactory.create(name="测试手机", stock=4)
    order = order_make(user=buyer, when=timezone.now(), lines=[(phone, 2)], status=OrderInfo.Status.UNPAID, paid=False)
    assert lifecycle.order_cancel(order_id=order.pk) is True
    html = boss.get(page(order)).text
    assert f"SKU {phone.pk} +2 → 6 · 订单取消" in html


def test_order_page_queries_do_not_grow_with_lines(boss: Client, buyer: User, django_assert_num_queries) -> None:
    small = order_make(user=buyer, when=timezone.now(), lines=[(SKUFactory.create(), 1)])
    big = order_make(user=buyer, when=timezone.now(), lines=[(SKUFactory.create(), 1) for _ in range(8)])
    boss.get(page(small))
    with django_assert_num_queries(8) as small_queries:
        boss.get(page(small))
    with django_assert_num_queries(len(small_queries)):
        assert boss.get(page(big)).status_code == 200
