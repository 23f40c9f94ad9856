"""Exports: orders (days, status) and sales per SKU as streamed CSV and Excel, per role, in constant queries."""

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.utils import timezone

from meiduo.goods.models import SKU
from meiduo.goods.tests.factories import SKUFactory
from meiduo.operations.roles import Role
from meiduo.operations.selectors import day_start
from meiduo.operations.services import staff_create
from meiduo.operations.tests.factories import order_make
from meiduo.orders import lifecycle
from meiduo.orders.models import OrderInfo
from meiduo.users.models import User

pytestmark = pytest.mark.django_db

EXPORTS = "/admin/operations/exports/"
StaffClient = Callable[[Role], Client]


@pytest.fixture
def staff_client() -> StaffClient:
    def make(role: Role) -> Client:
        staff_create(username=f"x-{role.name.lower()}", password="staff-pass-123", role=role)
        client = Client()
        client.login(username=f"x-{role.name.lower()}", password="staff-pass-123")
        return client

    return make


@pytest.fixture
def shop() -> dict[str, SKU]:
    """Orders today (phone ×2 shipped with SF; case ×3 unpaid), yesterday (phone ×1), 40 days ago (case ×7)."""
    phone = SKUFactory.create(name="测试手机", price=Decimal("1000.00"))
    case = SKUFactory.create(name="手机壳", price=Decimal("20.00"))
    buyer = User.objects.create_user(username="buyer", password="password123", mobile="13900000001")
    today = day_start(timezone.localdate())
    shipped = order_make(user=buyer, when=today + timedelta(hours=1), lines=[(phone, 2)])
    lifecycle.order_ship(order_id=shipped.pk, carrier="sf", tracking_number="SF1234567890")
    order_make(user=buyer, when=today + timedelta(hours=2), lines=[(case, 3)], status=1, paid=False)
    order_make(user=buyer, when=today - timedelta(hours=5), lines=[(phone, 1)])
    order_make(user=buyer, when=today - timedelta(days=40), lines=[(case, 7)])
    return {"phone": phone, "case": case}


def query(kind: str, fmt: str = "csv", days: int = 1, **extra: str | int) -> dict[str, str | int]:
    today = timezone.localdate()
    first = (today - timedelta(days=days)).isoformat()
    return {"kind": kind, "format": fmt, "date_from": first, "date_to": today.isoformat(), **extra}


def body(response: object) -> bytes:
    assert isinstance(response, StreamingHttpResponse) and response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


def csv_rows(response: object) -> list[list[str]]:
    text = body(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_service_exports_orders_with_addresses(staff_client: StaffClient, shop: dict[str, SKU]) -> None:
    client = staff_client(Role.SERVICE)
    rows = csv_rows(client.get(EXPORTS, query("orders")))
    assert rows[0][:3] == ["订单号", "下单时间", "订单状态"] and rows[0][-3:] == ["收货人", "手机号", "收货地址"]
    assert [row[2] for row in rows[1:]] == ["待发货", "待收货", "待支付"]  # yesterday's and today's, oldest first
    shipped = rows[2]
    assert shipped[4:7] == ["2", "10.00", "2010.00"] and shipped[9:11] == ["顺丰速运", "SF1234567890"]
    assert shipped[-1] == "广东省 深圳市 南山区 科技园"
    unpaid_only = csv_rows(client.get(EXPORTS, query("orders", status=1)))
    assert len(unpaid_only) == 2


def test_operations_exports_orders_without_personal_data(staff_client: StaffClient, shop: dict[str, SKU]) -> None:
    rows = csv_rows(staff_client(Role.OPERATIONS).get(EXPORTS, query("orders", days=60)))
    assert len(rows) == 5 and "手机号" not in rows[0] and "13800138000" not in str(rows)


def test_sales_per_sku_excel(staff_client: StaffClient, shop: dict[str, SKU]) -> None:
    response = staff_client(Role.WAREHOUSE).get(EXPORTS, query("sales", fmt="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = zipfile.ZipFile(io.BytesIO(body(response)))
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    strings = book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else sheet
    assert "测试手机" in strings and "手机壳" in strings
    assert "<v>3</v>" in sheet  # phone: 2 today + 1 yesterday (the unpaid case's 3 count too)


def test_sales_per_sku_csv_leaves_cancelled_orders_out(staff_client: StaffClient, shop: dict[str, SKU]) -> None:
    buyer = User.objects.get(username="buyer")
    order_make(
        user=buyer, when=timezone.now(), lines=[(shop["case"], 50)], status=OrderInfo.Status.CANCELLED, paid=False
    )
    rows = csv_rows(staff_client(Role.OPERATIONS).get(EXPORTS, query("sales")))
    assert rows[1:] == [
        [str(shop["phone"].pk), "测试手机", "3", "3000.00", "2"],
        [str(shop["case"].pk), "手机壳", "3", "60.00", "1"],
    ]


def test_the_form_offers_the_last_30_days_in_the_date_fields(staff_client: StaffClient) -> None:
    html = staff_client(Role.OPERATIONS).get(EXPORTS).text
    today = timezone.localdate()
    assert f'type="date" name="date_to" value="{today.isoformat()}"' in html
    assert f'value="{(today - timedelta(days=29)).isoformat()}"' in html


def test_service_may_not_export_sales(staff_client: StaffClient, shop: dict[str, SKU]) -> None:
    client = staff_client(Role.SERVICE)
    assert client.get(EXPORTS, query("sales")).status_code == 403
    assert client.get(EXPORTS).status_code == 200  # the form, for the orders export


@pytest.mark.parametrize(
    "bad",
    [
        {"date_from": "2026-02-01", "date_to": "2026-01-01"},
        {"date_from": "2020-01-01", "date_to": "2026-01-01"},
        {"date_from": "not a day"},
        {"format": "pdf"},
        {"status": "9"},
    ],
)
def test_bad_input_is_a_400_form(staff_client: StaffClient, shop: dict[str, SKU], bad: dict[str, str]) -> None:
    response = staff_client(Role.SERVICE).get(EXPORTS, {**query("orders"), **bad})
    assert response.status_code == 400 and not response.streaming and "errorlist" in response.text


def test_exports_queries_do_not_grow_with_the_orders(
    staff_client: StaffClient, shop: dict[str, SKU], django_assert_num_queries
) -> None:
    client = staff_client(Role.SERVICE)
    client.get(EXPORTS)
    with django_assert_num_queries(5) as few:  # session, member, its and its groups' permissions, the orders
        csv_rows(client.get(EXPORTS, query("orders", days=60)))
    buyer = User.objects.get(username="buyer")
    for hour in range(30):
        order_make(user=buyer, when=timezone.now() - timedelta(hours=hour), lines=[(shop["phone"], 1)])
    with django_assert_num_queries(len(few)):
        assert len(csv_rows(client.get(EXPORTS, query("orders", days=60)))) == 35
