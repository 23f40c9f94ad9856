"""Staff roles: what each of 运营, 客服 and 仓库 may open and do in the admin, and the command that makes staff."""

from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from meiduo.goods.tests.factories import SKUFactory
from meiduo.operations.roles import Role
from meiduo.operations.services import staff_create
from meiduo.operations.tests.factories import order_make
from meiduo.orders.models import OrderInfo
from meiduo.users.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "staff-pass-123"
StaffClient = Callable[[Role], Client]
OPS, SERVICE, WAREHOUSE = Role.OPERATIONS, Role.SERVICE, Role.WAREHOUSE


@pytest.fixture
def staff_client() -> StaffClient:
    """`staff_client(role)`: an admin client signed in as a new staff member with that role."""

    def make(role: Role) -> Client:
        user = staff_create(username=f"staff-{role.name.lower()}", password=PASSWORD, role=role)
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return make


@pytest.fixture
def unsent_order() -> OrderInfo:
    buyer = User.objects.create_user(username="buyer", password="password123", mobile="13900000001")
    return order_make(user=buyer, when=timezone.now(), lines=[(SKUFactory.create(stock=5), 1)])


# (page, roles that may open it); the others get 403.
PAGES = [
    ("/admin/", {OPS, SERVICE, WAREHOUSE}),
    ("/admin/orders/orderinfo/", {OPS, SERVICE, WAREHOUSE}),
    ("/admin/goods/sku/", {OPS, WAREHOUSE}),
    ("/admin/goods/sku/add/", {OPS}),
    ("/admin/goods/brand/add/", {OPS}),
    ("/admin/goods/content/", {OPS}),
    ("/admin/payments/refund/", {SERVICE}),
    ("/admin/payments/payment/", {SERVICE}),
    ("/admin/users/user/", {SERVICE}),
    ("/admin/auth/group/", set()),
    ("/admin/carts/cartline/", set()),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("page", "allowed"), PAGES)
def test_pages_per_role(staff_client: StaffClient, role: Role, page: str, allowed: set[Role]) -> None:
    response = staff_client(role).get(page)
    assert response.status_code == (200 if role in allowed else 403), (role, page)


@pytest.mark.parametrize(
    ("role", "action", "status"),
    [
        (WAREHOUSE, "ship", OrderInfo.Status.UNRECEIVED),
        (SERVICE, "ship", OrderInfo.Status.UNSENT),
        (OPS, "ship", OrderInfo.Status.UNSENT),
        (SERVICE, "cancel", OrderInfo.Status.CANCELLED),
        (WAREHOUSE, "cancel", OrderInfo.Status.UNSENT),
        (OPS, "cancel", OrderInfo.Status.UNSENT),
    ],
)
def test_order_actions_per_role(
    staff_client: StaffClient, unsent_order: OrderInfo, role: Role, action: str, status: int
) -> None:
    client = staff_client(role)
    listed = client.get("/admin/orders/orderinfo/").text
    assert (f'value="{action}"' in listed) == (status != OrderInfo.Status.UNSENT)
    shipment = {
        f"{unsent_order.pk}-carrier": "zto",
        f"{unsent_order.pk}-tracking_number": "ZT20261205001",
        "apply": "1",
    }
    client.post("/admin/orders/orderinfo/", {"action": action, "_selected_action": [unsent_order.pk], **shipment})
    unsent_order.refresh_from_db()
    assert unsent_order.status == status


def test_warehouse_cannot_edit_the_catalog(staff_client: StaffClient) -> None:
    sku = SKUFactory.create(name="原名", stock=5)
    client = staff_client(WAREHOUSE)
    assert 'name="name"' not in client.get(f"/admin/goods/sku/{sku.pk}/change/").text  # stock only (see stock tests)
    client.post(f"/admin/goods/sku/{sku.pk}/change/", {"name": "改名", "stock": 5, "initial-stock": 5})
    sku.refresh_from_db()
    assert sku.name == "原名"


def test_command_creates_staff_with_a_role(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    call_command("staff_create", "cangku1", role="warehouse", mobile="13700000001")
    user = User.objects.get(username="cangku1")
    assert user.is_staff and not user.is_superuser and user.mobile == "13700000001"
    assert [group.name for group in user.groups.all()] == ["仓库"]
    assert user.has_perm("orders.ship_orderinfo") and not user.has_perm("orders.cancel_orderinfo")
    client = Client()
    assert client.login(username="cangku1", password=PASSWORD)
    assert client.get("/admin/orders/orderinfo/").status_code == 200


def test_command_refuses_a_weak_password_or_a_taken_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFF_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("staff_create", "kefu1", role="客服")
    assert not User.objects.filter(username="kefu1").exists()
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    call_command("staff_create", "kefu1", role="客服")
    with pytest.raises(CommandError):
        call_command("staff_create", "kefu1", role="运营")
    assert [group.name for group in User.objects.get(username="kefu1").groups.all()] == ["客服"]
