"""In a real browser: the operations dashboard (charts drawn by the vendored Chart.js under the strict policy) and
one action per staff role — 运营 edits a SKU and exports sales, 仓库 ships an order with a tracking number (which the
shopper then sees in the user center) and uploads stock, 客服 cancels an order — each refused what is not theirs."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, FilePayload, Page, expect

from meiduo.goods.models import SKU
from meiduo.operations.roles import Role
from meiduo.operations.services import staff_create
from meiduo.operations.tests.factories import order_make
from meiduo.orders.models import OrderInfo
from meiduo.users.models import User
from tests.browser.conftest import DESKTOP
from tests.browser.test_storefront import order_card

pytestmark = pytest.mark.browser

PASSWORD = "Staff-2024!pass"
SignIn = Callable[[Role], Page]


@pytest.fixture
def sign_in(browser: Browser, shop: str, script_errors: list[str]) -> SignIn:
    """`sign_in(role)`: a Chinese-speaking browser tab signed in to the admin as a new staff member of that role."""

    if Group.objects.filter(name__in=Role.values).count() < len(Role):
        # The roles are rows a data migration writes; an earlier live-server test flushed them (as the shop
        # fixture reloads the areas): run the roles' migrations again.
        call_command("migrate", "operations", "zero", verbosity=0)
        call_command("migrate", "operations", verbosity=0)

    def open_as(role: Role) -> Page:
        username = f"staff_{role.name.lower()}"
        staff_create(username=username, password=PASSWORD, role=role)
        context = browser.new_context(base_url=shop, viewport=DESKTOP, locale="zh-CN")
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("pageerror", lambda error: script_errors.append(str(error)))
        page.on("console", lambda m: script_errors.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto("/admin/login/?next=/admin/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.locator("input[type=submit]").click()
        expect(page.locator("#dashboard")).to_be_visible()
        return page

    return open_as


@pytest.fixture
def orders(shop: str) -> dict[str, OrderInfo]:
    """A shopper with a paid unsent order and an unpaid one, among the demo catalog."""
    shopper = User.objects.create_user(username="shopper_li", password=PASSWORD, mobile="13912345678")
    skus = list(SKU.objects.filter(is_launched=True, stock__gte=5).order_by("id")[:2])
    now = timezone.now()
    return {
        "paid": order_make(user=shopper, when=now, lines=[(skus[0], 1)]),
        "unpaid": order_make(user=shopper, when=now, lines=[(skus[1], 2)], status=OrderInfo.Status.UNPAID, paid=False),
    }


Snap = Callable[[Page, str], None]


def operations_role(sign_in: SignIn, snap: Snap) -> SKU:
    """运营: the dashboard with its three charts, a price change on an SKU page, a sales export; no order actions."""
    ops = sign_in(Role.OPERATIONS)
    expect(ops.locator("canvas[data-drawn=true]")).to_have_count(3)
    expect(ops.locator('tr[data-figure="orders_placed"] td').first).to_have_text("2")
    expect(ops.get_by_text("近 30 天支付金额")).to_be_visible()
    snap(ops, "admin_dashboard")
    sku = SKU.objects.filter(is_launched=True).order_by("id").first()
    assert sku is not None
    ops.goto(f"/admin/goods/sku/{sku.pk}/change/")
    expect(ops.locator("input[name=stock]")).to_have_count(0)  # stock is the warehouse's
    ops.fill("#id_price", "1234.50")
    ops.locator("input[name=_save]").click()
    expect(ops.locator(".messagelist .success")).to_be_visible()
    assert SKU.objects.get(pk=sku.pk).price == Decimal("1234.50")
    ops.goto("/admin/orders/orderinfo/")
    expect(ops.locator("select[name=action] option[value=ship]")).to_have_count(0)
    ops.goto("/admin/")
    ops.locator("#exports-link").click()
    ops.select_option("#id_kind", "sales")
    with ops.expect_download() as download:
        ops.locator("#export-form input[type=submit]").click()
    sales = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert sales.splitlines()[0] == "商品SKU,名称,销量（件）,销售额（元）,订单数" and len(sales.splitlines()) == 3
    return sku


def warehouse_role(sign_in: SignIn, snap: Snap, paid: str, sku: SKU) -> None:
    """仓库: ships the paid order from its page with a carrier and tracking number, is refused refunds, and sets the
    SKU's stock by CSV upload (every line or none, each in the ledger)."""
    warehouse = sign_in(Role.WAREHOUSE)
    warehouse.goto(f"/admin/orders/orderinfo/{paid}/change/")
    warehouse.locator(".ship-one input[type=submit]").click()
    warehouse.select_option(f"select[name='{paid}-carrier']", "sf")
    warehouse.fill(f"input[name='{paid}-tracking_number']", "SF1234567890")
    snap(warehouse, "admin_ship")
    warehouse.locator("#ship-form input[type=submit]").click()
    expect(warehouse.locator(".messagelist .success")).to_contain_text("已发货 1 个订单")
    assert OrderInfo.objects.get(pk=paid).status == OrderInfo.Status.UNRECEIVED
    refused = warehouse.goto("/admin/payments/refund/")
    assert refused is not None and refused.status == 403
    warehouse.goto("/admin/stock/stockledgerentry/")
    warehouse.get_by_text("上传库存（CSV）").click()
    upload: FilePayload = {
        "name": "stock.csv",
        "mimeType": "text/csv",
        "buffer": f"sku_id,stock,delta,reason\n{sku.pk},88,,盘点\n".encode(),
    }
    warehouse.set_input_files("#id_file", files=[upload])
    snap(warehouse, "admin_stock_upload")
    warehouse.locator("#stock-upload input[type=submit]").click()
    expect(warehouse.locator(".messagelist .success")).to_contain_text("已变更 1 个库存")
    expect(warehouse.locator("#result_list")).to_contain_text("盘点")
    assert SKU.objects.get(pk=sku.pk).stock == 88


def service_role(sign_in: SignIn, unpaid: str) -> None:
    """客服: cancels the unpaid order from the list; cannot ship."""
    service = sign_in(Role.SERVICE)
    service.goto("/admin/orders/orderinfo/")
    expect(service.locator("select[name=action] option[value=ship]")).to_have_count(0)
    service.locator(f"input[name=_selected_action][value='{unpaid}']").check()
    service.select_option("select[name=action]", "cancel")
    service.locator("button[name=index]").click()
    expect(service.locator(".messagelist .success")).to_contain_text("1 个订单已取消")
    assert OrderInfo.objects.get(pk=unpaid).status == OrderInfo.Status.CANCELLED


def test_dashboard_and_one_action_per_role(
    sign_in: SignIn, orders: dict[str, OrderInfo], snap: Snap, page: Page, script_errors: list[str]
) -> None:
    sku = operations_role(sign_in, snap)
    paid = orders["paid"].order_id
    warehouse_role(sign_in, snap, paid, sku)
    service_role(sign_in, orders["unpaid"].order_id)
    # The shopper sees the carrier and tracking number on the order's card in the user center.
    page.goto("/login?next=/user/orders")
    page.fill("#login-username", "shopper_li")
    page.fill("#login-password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(order_card(page, paid).get_by_test_id("order-shipment")).to_have_text("顺丰速运 运单号 SF1234567890")
    snap(page, "orders_shipment")
    assert script_errors == []
