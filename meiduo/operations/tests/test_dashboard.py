"""The dashboard on the admin index: its figures, its charts' data and lists, its query count, who sees it."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from meiduo.goods.models import SKU, GoodsVisitCount
from meiduo.goods.tests.factories import SKUFactory
from meiduo.operations.selectors import day_start
from meiduo.operations.tests.factories import order_make
from meiduo.orders.models import OrderInfo
from meiduo.users.models import User

pytestmark = pytest.mark.django_db

INDEX = "/admin/"


@pytest.fixture
def superuser_client() -> Client:
    User.objects.create_superuser(username="boss", password="boss-pass-123", email="boss@example.com")
    client = Client()
    client.login(username="boss", password="boss-pass-123")
    return client


@pytest.fixture
def shop() -> dict[str, SKU]:
    """Two SKUs, users joined today and yesterday, orders placed and paid today, yesterday and 10 days ago."""
    today = day_start(timezone.localdate())
    phone = SKUFactory.create(name="测试手机", price=Decimal("1000.00"), stock=50)
    case = SKUFactory.create(name="手机壳", price=Decimal("20.00"), stock=3, category=phone.category)
    buyers = [
        User.objects.create_user(username=f"b{i}", password="password123", mobile=f"1390000{i:04d}") for i in range(4)
    ]
    User.objects.filter(pk__in=[buyers[2].pk, buyers[3].pk]).update(date_joined=today - timedelta(hours=5))
    order_make(user=buyers[0], when=today + timedelta(hours=1), lines=[(phone, 2)])
    order_make(user=buyers[1], when=today + timedelta(hours=2), lines=[(case, 5)], status=1, paid=False)
    order_make(user=buyers[2], when=today - timedelta(hours=3), lines=[(phone, 1), (case, 1)])
    order_make(user=buyers[3], when=today - timedelta(days=10), lines=[(case, 9)])
    order_make(user=buyers[3], when=today - timedelta(hours=4), lines=[(case, 40)], status=6, paid=False)
    GoodsVisitCount.objects.create(category=phone.category, date=timezone.localdate(), count=17)
    return {"phone": phone, "case": case}


def table(html: str, table_id: str) -> str:
    found = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S)
    assert found, table_id
    return found[1]


def figure_row(html: str, name: str) -> list[str]:
    row = re.search(rf'<tr data-figure="{name}">(.*?)</tr>', html, re.S)
    assert row, name
    return re.findall(r"<td>(.*?)</td>", row[1])


def test_index_shows_today_and_yesterday_with_the_change(superuser_client: Client, shop: dict[str, SKU]) -> None:
    html = superuser_client.get(INDEX).text
    # 4 buyers + the superuser joined "now" (today); two moved to yesterday.
    assert figure_row(html, "new_users") == ["3", "2", "+50%"]
    # Active today: the superuser signed in, two buyers ordered; yesterday: one ordered (cancelled orders count too).
    assert figure_row(html, "active_users") == ["3", "2", "+50%"]
    assert figure_row(html, "orders_placed") == ["2", "2", "0%"]
    assert figure_row(html, "orders_paid") == ["1", "1", "0%"]
    assert figure_row(html, "revenue_paid") == ["2010.00", "1030.00", "+95%"]


def test_index_charts_30_days_and_lists(superuser_client: Client, shop: dict[str, SKU]) -> None:
    html = superuser_client.get(INDEX).text
    script = re.search(r'<script id="dashboard-chart" type="application/json">(.*?)</script>', html)
    assert script
    data = json.loads(script[1])
    assert len(data["days"]) == 30 and data["days"][-1] == timezone.localdate().isoformat()
    assert data["orders_placed"][-1] == 2 and data["orders_placed"][-2] == 2 and data["orders_placed"][-11] == 1
    assert data["revenue_paid"][-11] == "190.00"
    assert sum(data["new_users"]) == 5
    assert data["labels"]["orders_placed"] == "下单数"
    assert '<script src="/static/operations/vendor/chart.umd.js" defer>' in html
    top = table(html, "top-skus")
    # 7 days: 手机壳 5 + 1 (the cancelled 40 and the 9 of 10 days ago left out), 测试手机 2 + 1.
    assert re.findall(r">([^<>]+)</a></th><td>(\d+)</td>", top) == [("手机壳", "6"), ("测试手机", "3")]
    statuses = dict(re.findall(r"<th scope=\"row\">(.*?)</th><td>(\d+)</td>", table(html, "orders-by-status")))
    assert (
        statuses["待发货"] == "3"
        and statuses["待支付"] == "1"
        and statuses["已取消"] == "1"
        and statuses["已完成"] == "0"
    )
    assert "17" in table(html, "category-visits")
    low = table(html, "low-stock")
    assert "1 个 SKU 库存不超过 10 件" in low and "手机壳" in low and "测试手机" not in low


def test_index_queries_do_not_grow_with_the_data(
    superuser_client: Client, shop: dict[str, SKU], django_assert_num_queries
) -> None:
    # 12: the session, the member, the 9 figures' queries, the recent-actions list.
    with django_assert_num_queries(12):
        assert superuser_client.get(INDEX).status_code == 200
    buyer = User.objects.get(username="b0")
    today = day_start(timezone.localdate())
    for day in range(20):
        order_make(
            user=buyer, when=today - timedelta(days=day, hours=-1), lines=[(shop["phone"], 1), (shop["case"], 2)]
        )
    SKUFactory.create_batch(5, stock=1)
    with django_assert_num_queries(12):
        assert superuser_client.get(INDEX).status_code == 200


def test_english_dashboard(superuser_client: Client, shop: dict[str, SKU]) -> None:
    html = superuser_client.get(INDEX, headers={"accept-language": "en"}).text
    assert "Orders placed" in html and "1 SKU at or below 10 units" in html


def test_staff_without_order_access_see_no_figures(shop: dict[str, SKU]) -> None:
    User.objects.create_user(username="clerk", password="clerk-pass-123", is_staff=True)
    client = Client()
    client.login(username="clerk", password="clerk-pass-123")
    html = client.get(INDEX).text
    assert 'id="dashboard"' not in html
    clerk = User.objects.get(username="clerk")
    clerk.user_permissions.add(Permission.objects.get(codename="view_orderinfo"))
    assert 'id="dashboard"' in client.get(INDEX).text


def test_shoppers_are_sent_to_the_login(shop: dict[str, SKU]) -> None:
    client = Client()
    client.login(username="b0", password="password123")
    response = client.get(INDEX)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert OrderInfo.objects.count() == 5
