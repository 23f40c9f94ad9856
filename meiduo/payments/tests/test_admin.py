"""The payments admin: operators list, filter and search payments but cannot change them."""

from decimal import Decimal

import pytest
from django.test import Client

from meiduo.payments.models import Payment
from meiduo.users.models import User


@pytest.fixture
def operator(db: None) -> Client:
    admin = User.objects.create_superuser(username="operator", password="password123", mobile="13700000000")
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def payment(order) -> Payment:
    return Payment.objects.create(
        order=order,
        gateway="demo",
        trade_id="2024050122001400000000000009",
        amount=Decimal("3398.00"),
        source="notify",
        raw={"trade_status": "TRADE_SUCCESS"},
    )


def test_operators_list_filter_and_search_payments(operator: Client, payment: Payment):
    listing = operator.get("/admin/payments/payment/")
    assert listing.status_code == 200
    page = listing.content.decode()
    for shown in (payment.order_id, payment.trade_id, "3398.00"):
        assert shown in page
    assert payment.trade_id in operator.get("/admin/payments/payment/", {"q": payment.order_id}).content.decode()
    assert payment.trade_id not in operator.get("/admin/payments/payment/", {"q": "nothing"}).content.decode()
    assert payment.trade_id in operator.get("/admin/payments/payment/", {"gateway": "demo"}).content.decode()
    assert payment.trade_id not in operator.get("/admin/payments/payment/", {"gateway": "alipay"}).content.decode()


def test_payments_are_read_only(operator: Client, payment: Payment):
    assert operator.get("/admin/payments/payment/add/").status_code == 403
    detail = operator.get(f"/admin/payments/payment/{payment.pk}/change/")
    assert detail.status_code == 200
    assert b'name="trade_id"' not in detail.content
    operator.post(f"/admin/payments/payment/{payment.pk}/change/", {"trade_id": "forged", "amount": "0.01"})
    operator.post(f"/admin/payments/payment/{payment.pk}/delete/", {"post": "yes"})
    payment.refresh_from_db()
    assert (payment.trade_id, payment.amount) == ("2024050122001400000000000009", Decimal("3398.00"))
