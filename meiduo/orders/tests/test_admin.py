"""Admin tests: the order list with its filters, the order page with its lines, the ship action."""

import re

import pytest
from django.http import HttpRequest
from django.test import Client

from meiduo.addresses.models import Address
from meiduo.goods.models import SKU
from meiduo.orders import lifecycle, services
from meiduo.orders.models import OrderInfo
from meiduo.orders.tests.conftest import fill_cart
from meiduo.users.models import User

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/orders/orderinfo/"


@pytest.fixture
def operator_client() -> Client:
    User.objects.create_superuser(username="operator", password="operator-pass-123", email="op@example.com")
    client = Client()
    client.login(username="operator", password="operator-pass-123")
    return client


@pytest.fixture
def orders(address: Address, phone: SKU, case: SKU) -> dict[str, str]:
    fill_cart(address.user, (phone, 1))
    unpaid = services.order_place(user=address.user, address_id=address.id, pay_method=2).order_id
    fill_cart(address.user, (case, 2))
    unsent = services.order_place(user=address.user, address_id=address.id, pay_method=1).order_id
    return {"unpaid": unpaid, "unsent": unsent}


def test_order_list_filters_by_status_and_date(operator_client: Client, orders: dict[str, str]) -> None:
    response = operator_client.get(CHANGELIST)
    assert response.status_code == 200
    assert orders["unpaid"] in response.text
    assert orders["unsent"] in response.text
    unpaid_only = operator_client.get(CHANGELIST, {"status__exact": 1})
    assert orders["unpaid"] in unpaid_only.text
    assert orders["unsent"] not in unpaid_only.text
    today = OrderInfo.objects.get(pk=orders["unpaid"]).create_time
    by_day = operator_client.get(
        CHANGELIST, {"create_time__year": today.year, "create_time__month": today.month, "create_time__day": today.day}
    )
    assert by_day.status_code == 200


def test_order_page_shows_lines_and_cannot_edit(operator_client: Client, orders: dict[str, str], case: SKU) -> None:
    response = operator_client.get(f"{CHANGELIST}{orders['unsent']}/change/")
    assert response.status_code == 200
    assert case.name in response.text
    assert "南山区" in response.text
    assert operator_client.get(f"{CHANGELIST}add/").status_code == 403


def test_ship_action_moves_unsent_orders_only(operator_client: Client, orders: dict[str, str]) -> None:
    selected = {"action": "ship", "_selected_action": [orders["unpaid"], orders["unsent"]]}
    page = operator_client.post(CHANGELIST, selected)
    assert page.status_code == 200  # the carrier and tracking number of each unsent order are asked first
    assert f'data-order="{orders["unsent"]}"' in page.text and f'data-order="{orders["unpaid"]}"' not in page.text
    assert OrderInfo.objects.get(pk=orders["unsent"]).status == OrderInfo.Status.UNSENT
    shipment = {f"{orders['unsent']}-carrier": "sf", f"{orders['unsent']}-tracking_number": "SF1234567890"}
    response = operator_client.post(CHANGELIST, {**selected, "apply": "1", **shipment}, follow=True)
    assert response.status_code == 200
    statuses = dict(OrderInfo.objects.values_list("order_id", "status"))
    assert statuses == {orders["unpaid"]: 1, orders["unsent"]: 3}
    shipped = OrderInfo.objects.get(pk=orders["unsent"])
    assert shipped.send_time is not None
    assert (shipped.carrier, shipped.tracking_number) == ("sf", "SF1234567890")


def test_ship_needs_a_carrier_and_a_valid_tracking_number(operator_client: Client, orders: dict[str, str]) -> None:
    selected = {"action": "ship", "_selected_action": [orders["unsent"]], "apply": "1"}
    for carrier, number in (("", "SF1234567890"), ("sf", "12"), ("sf", "SF 123 <b>")):
        shipment = {f"{orders['unsent']}-carrier": carrier, f"{orders['unsent']}-tracking_number": number}
        page = operator_client.post(CHANGELIST, {**selected, **shipment})
        assert page.status_code == 200 and "errorlist" in page.text
    order = OrderInfo.objects.get(pk=orders["unsent"])
    assert (order.status, order.carrier, order.tracking_number) == (OrderInfo.Status.UNSENT, "", "")


def test_order_page_offers_ship_for_unsent_orders(operator_client: Client, orders: dict[str, str]) -> None:
    assert 'class="ship-one"' in operator_client.get(f"{CHANGELIST}{orders['unsent']}/change/").text
    assert 'class="ship-one"' not in operator_client.get(f"{CHANGELIST}{orders['unpaid']}/change/").text


def test_saving_the_order_page_never_writes_back_a_status_changed_meanwhile(
    operator_client: Client, orders: dict[str, str], monkeypatch: pytest.MonkeyPatch
):
    from meiduo.orders.admin import OrderInfoAdmin

    load = OrderInfoAdmin.get_object

    def load_then_get_paid(self: OrderInfoAdmin, request: HttpRequest, object_id: str, from_field: None = None):
        order = load(self, request, object_id, from_field)
        lifecycle.order_mark_paid(order_id=orders["unpaid"])  # the notification lands while the page saves
        return order

    page = operator_client.get(f"{CHANGELIST}{orders['unpaid']}/change/").content.decode()
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    monkeypatch.setattr(OrderInfoAdmin, "get_object", load_then_get_paid)
    response = operator_client.post(f"{CHANGELIST}{orders['unpaid']}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    order = OrderInfo.objects.get(pk=orders["unpaid"])
    assert order.status == OrderInfo.Status.UNSENT
    assert order.pay_time is not None


def test_an_order_removed_by_its_buyer_stays_in_the_admin_marked(
    operator_client: Client, orders: dict[str, str]
) -> None:
    lifecycle.order_cancel(order_id=orders["unpaid"])
    services.order_hide(user=OrderInfo.objects.get(pk=orders["unpaid"]).user, order_id=orders["unpaid"])
    removed = operator_client.get(CHANGELIST, {"is_hidden__exact": 1})
    assert orders["unpaid"] in removed.text
    assert orders["unsent"] not in removed.text
    page = operator_client.get(f"{CHANGELIST}{orders['unpaid']}/change/")
    assert page.status_code == 200
    assert "买家已从订单列表删除" in page.text
