"""The stock ledger as orders see it: placements write no ledger row (their lines record them); a cancel, an
expiry and a refunded cancel each write one naming the order; operators racing buyers never oversell."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from meiduo.addresses.models import Address
from meiduo.goods.models import SKU
from meiduo.goods.tests.factories import SKUFactory
from meiduo.orders import lifecycle
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.orders.tests.conftest import Buyer, fill_cart, place
from meiduo.orders.tests.test_concurrency import order_request
from meiduo.stock.models import StockLedgerEntry
from meiduo.stock.services import stock_adjust, stock_set
from meiduo.users.models import User
from tests.support import run_together

Source = StockLedgerEntry.Source


@pytest.mark.django_db
def test_placement_writes_no_ledger_row_and_a_cancel_writes_one(
    buyer_api: APIClient, buyer: User, address: Address, phone: SKU
) -> None:
    fill_cart(buyer, (phone, 3))
    order_id = place(buyer_api, address, pay_method=1)
    assert StockLedgerEntry.objects.count() == 0
    assert buyer_api.put(f"/api/v1/orders/{order_id}/cancel/").status_code == 200
    entry = StockLedgerEntry.objects.get()
    assert (entry.sku_id, entry.delta, entry.stock_after, entry.source, entry.order_id, entry.actor) == (
        phone.id,
        3,
        10,
        Source.CANCEL,
        order_id,
        buyer,
    )


@pytest.mark.django_db
def test_expiry_and_refunded_cancel_are_named_in_the_ledger(
    buyer_api: APIClient, buyer: User, address: Address, phone: SKU, case: SKU
) -> None:
    fill_cart(buyer, (phone, 1))
    expiring = place(buyer_api, address, pay_method=2)
    OrderInfo.objects.filter(pk=expiring).update(create_time=timezone.now() - timedelta(hours=2))
    assert lifecycle.order_cancel_if_expired(order_id=expiring) is True
    fill_cart(buyer, (case, 2))
    paid = place(buyer_api, address, pay_method=2)
    lifecycle.order_mark_paid(order_id=paid)
    staff = User.objects.create_user(username="kefu", password="x-pass-12345", is_staff=True)
    assert lifecycle.order_cancel_by_staff(staff=staff, order_id=paid) is True
    rows = {e.order_id: (e.sku_id, e.delta, e.source, e.actor_id) for e in StockLedgerEntry.objects.all()}
    assert rows == {expiring: (phone.id, 1, Source.EXPIRY, None), paid: (case.id, 2, Source.REFUND, staff.pk)}


@pytest.mark.django_db(transaction=True)
def test_operators_racing_buyers_never_oversell_and_the_ledger_adds_up(make_buyer: Buyer) -> None:
    hot = SKUFactory.create(stock=10)
    buyers = [make_buyer() for _ in range(12)]
    for buyer in buyers:
        fill_cart(buyer, (hot, 1))
    operator = User.objects.create_user(username="cangku", password="x-pass-12345", is_staff=True)

    def take_off(units: int) -> object:
        return lambda: stock_adjust(sku_id=hot.pk, delta=-units, actor_id=operator.pk, reason="破损")

    def count_to(stock: int) -> object:
        return lambda: stock_set(sku_id=hot.pk, stock=stock, actor_id=operator.pk, reason="盘点")

    jobs = [order_request(buyer) for buyer in buyers] + [take_off(3), take_off(4), count_to(6), take_off(2)]
    results = run_together(jobs)  # type: ignore[arg-type]

    placed = Counter(status for status, _body in results[: len(buyers)])
    assert set(placed) <= {201, 400}
    stock = SKU.objects.get(pk=hot.pk).stock
    assert stock >= 0
    sold = sum(OrderGoods.objects.filter(sku=hot).values_list("count", flat=True))
    assert sold == placed[201] == OrderInfo.objects.count()
    changes = sum(StockLedgerEntry.objects.filter(sku=hot).values_list("delta", flat=True))
    assert 10 + changes - sold == stock  # every unit accounted for: ledger rows and order lines
    for entry in StockLedgerEntry.objects.filter(sku=hot):
        assert entry.stock_after >= 0
