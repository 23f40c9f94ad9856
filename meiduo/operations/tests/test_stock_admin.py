"""Stock from the admin per role: the warehouse sets stock on the SKU page and by CSV upload (all lines or none),
every change in the ledger with who and why; operations edits the catalog but not stock; customer service neither."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import Form
from django.test import Client, RequestFactory
from django.utils import timezone

from meiduo.goods.models import SKU
from meiduo.goods.tests.factories import SKUFactory
from meiduo.operations.roles import Role
from meiduo.operations.services import staff_create
from meiduo.operations.tests.factories import order_make
from meiduo.stock.models import StockLedgerEntry
from meiduo.stock.services import stock_adjust
from meiduo.users.models import User

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/stock/stockledgerentry/upload/"
LEDGER = "/admin/stock/stockledgerentry/"
StaffClient = Callable[[Role], Client]


@pytest.fixture
def staff_client() -> StaffClient:
    def make(role: Role) -> Client:
        staff_create(username=f"s-{role.name.lower()}", password="staff-pass-123", role=role)
        client = Client()
        client.login(username=f"s-{role.name.lower()}", password="staff-pass-123")
        return client

    return make


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("stock.csv", text.encode("utf-8"), content_type="text/csv")


def test_warehouse_sets_stock_on_the_sku_page_with_a_reason(staff_client: StaffClient) -> None:
    sku = SKUFactory.create(name="原名", stock=5)
    client = staff_client(Role.WAREHOUSE)
    page = client.get(f"/admin/goods/sku/{sku.pk}/change/").text
    assert 'name="stock"' in page and 'name="name"' not in page  # the warehouse edits stock only
    form = {"stock": 12, "initial-stock": 5, "stock_reason": "到货", "name": "改名"}
    response = client.post(f"/admin/goods/sku/{sku.pk}/change/", form)
    assert response.status_code == 302
    sku.refresh_from_db()
    assert (sku.stock, sku.name) == (12, "原名")
    entry = StockLedgerEntry.objects.get()
    assert (entry.delta, entry.stock_after, entry.reason, entry.source, entry.actor.username) == (  # type: ignore[union-attr]
        7,
        12,
        "到货",
        "operator",
        "s-warehouse",
    )


def test_operations_sees_stock_read_only_and_customer_service_no_sku_page(staff_client: StaffClient) -> None:
    sku = SKUFactory.create(stock=5)
    page = staff_client(Role.OPERATIONS).get(f"/admin/goods/sku/{sku.pk}/change/").text
    assert 'name="name"' in page and 'name="stock"' not in page
    assert staff_client(Role.SERVICE).get(f"/admin/goods/sku/{sku.pk}/change/").status_code == 403


def test_upload_applies_every_line(staff_client: StaffClient) -> None:
    first, second = SKUFactory.create(stock=5), SKUFactory.create(stock=5)
    client = staff_client(Role.WAREHOUSE)
    text = f"sku_id,stock,delta,reason\n{first.pk},40,,盘点\n{second.pk},,-2,破损\n"
    response = client.post(UPLOAD, {"file": csv_file(text)})
    assert response.status_code == 302 and response["Location"] == LEDGER
    assert dict(SKU.objects.values_list("id", "stock")) == {first.pk: 40, second.pk: 3}
    rows = set(StockLedgerEntry.objects.values_list("sku_id", "delta", "stock_after", "reason", "source"))
    assert rows == {(first.pk, 35, 40, "盘点", "upload"), (second.pk, -2, 3, "破损", "upload")}
    assert "盘点" in client.get(LEDGER).text


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        ("{a},40,,盘点\n999999,1,,x\n", "line 3"),  # unknown SKU
        ("{a},40,,盘点\n{b},,-9,破损\n", "line 3"),  # below zero
        ("{a},40,3,两个都写\n", "line 2"),
        ("{a},abc,,x\n", "line 2"),
    ],
)
def test_a_bad_line_changes_nothing_and_is_named(staff_client: StaffClient, lines: str, error: str) -> None:
    first, second = SKUFactory.create(stock=5), SKUFactory.create(stock=5)
    client = staff_client(Role.WAREHOUSE)
    text = "sku_id,stock,delta,reason\n" + lines.format(a=first.pk, b=second.pk)
    response = client.post(UPLOAD, {"file": csv_file(text)}, headers={"accept-language": "en"})
    assert response.status_code == 200 and error in response.text
    assert dict(SKU.objects.values_list("id", "stock")) == {first.pk: 5, second.pk: 5}
    assert not StockLedgerEntry.objects.exists()


def test_upload_is_the_warehouses(staff_client: StaffClient) -> None:
    sku = SKUFactory.create(stock=5)
    for role in (Role.SERVICE, Role.OPERATIONS):
        client = staff_client(role)
        assert (
            client.post(UPLOAD, {"file": csv_file(f"sku_id,stock,delta,reason\n{sku.pk},40,,x\n")}).status_code == 403
        )
        if role == Role.SERVICE:
            assert client.get(LEDGER).status_code == 403
    assert SKU.objects.get(pk=sku.pk).stock == 5


def test_stock_history_shows_ledger_rows_and_placements_together(
    staff_client: StaffClient, django_assert_max_num_queries
) -> None:
    sku = SKUFactory.create(name="测试手机", stock=10)
    buyer = User.objects.create_user(username="buyer", password="password123", mobile="13900000001")
    order = order_make(user=buyer, when=timezone.now(), lines=[(sku, 2)])
    stock_adjust(sku_id=sku.pk, delta=5, actor_id=None, reason="到货")
    client = staff_client(Role.WAREHOUSE)
    assert "/admin/operations/stock-history/" in client.get(LEDGER).text
    with django_assert_max_num_queries(8):
        html = client.get(f"/admin/operations/stock-history/{sku.pk}/").text
    rows = html[html.index('id="stock-history"') :]
    assert rows.index("到货") < rows.index(order.pk)  # newest first: the arrival came after the order
    assert "<td>+5</td>" in rows and "<td>-2</td>" in rows and "下单" in rows
    assert staff_client(Role.SERVICE).get(f"/admin/operations/stock-history/{sku.pk}/").status_code == 403


def test_ledger_list_queries_do_not_grow_with_the_rows(staff_client: StaffClient, django_assert_num_queries) -> None:
    skus = SKUFactory.create_batch(3, stock=50)
    client = staff_client(Role.WAREHOUSE)
    stock_adjust(sku_id=skus[0].pk, delta=1, actor_id=None)
    client.get(LEDGER)
    with django_assert_num_queries(9) as few:
        client.get(LEDGER)
    for sku in skus:
        for units in range(1, 8):
            stock_adjust(sku_id=sku.pk, delta=-units, actor_id=None, reason="破损")
    with django_assert_num_queries(len(few)):
        assert client.get(LEDGER).text.count("破损") == 21


def test_a_new_skus_first_stock_enters_through_the_ledger(rf: RequestFactory) -> None:
    boss = User.objects.create_superuser(username="boss", password="boss-pass-123", email="boss@example.com")
    template = SKUFactory.create(stock=0)
    request = rf.post("/admin/goods/sku/add/")
    request.user = boss
    new = SKU(spu=template.spu, category=template.category, name="新品", price=Decimal("9.90"), stock=30)
    new.cost_price = new.market_price = Decimal("9.90")
    form = Form()
    form.cleaned_data = {"stock": 30, "stock_reason": "首批到货"}
    admin.site._registry[SKU].save_model(request, new, form, change=False)
    assert SKU.objects.get(pk=new.pk).stock == 30
    entry = StockLedgerEntry.objects.get(sku=new)
    assert (entry.delta, entry.stock_after, entry.reason, entry.actor) == (30, 30, "首批到货", boss)
