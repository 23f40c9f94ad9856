"""A real PostgreSQL streaming replica: reads that may lag go to it, every decision is made on the primary.

`REPLICA=1 scripts/test-services.sh scripts/pytest.sh -m replica` (a phase of scripts/test.sh) starts a hot
standby of the test PostgreSQL; the replica alias reads the standby's copy of the test database, which the
standby replays from the primary's WAL (its creation, migrations and every commit of these transactional tests).
Pausing the standby's replay makes it lag as long as a test wants; stopping it takes it down. Without a
replica the tests are skipped.
"""

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import psycopg
import pytest
import requests
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from meiduo.compat.services import static_pages_export
from meiduo.core import dbrouter
from meiduo.goods import selectors, services
from meiduo.goods.models import SKU
from meiduo.goods.tests.conftest import PhoneCatalog, phone_catalog
from meiduo.goods.tests.factories import BrandFactory, SPUFactory
from meiduo.orders.models import OrderInfo
from meiduo.orders.tests.conftest import fill_cart, nanshan
from meiduo.payments.tests.conftest import alipay_server, fake_alipay, keys
from meiduo.payments.tests.fake_alipay import FakeAlipay
from meiduo.users.models import User

__all__ = ["alipay_server", "fake_alipay", "keys", "nanshan", "phone_catalog"]

REPLICAS = [alias for alias in settings.DATABASES if alias.startswith("replica")]
REPLICA = REPLICAS[0] if REPLICAS else ""
pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(not REPLICAS, reason="needs a streaming replica: REPLICA=1 scripts/test-services.sh"),
    pytest.mark.django_db(transaction=True, databases=["default", *REPLICAS]),
    pytest.mark.usefixtures("nanshan"),  # the division tree, which a transactional test's flush empties
]
PASSWORD = "Replica-2026!"


def _sql(alias: str, statement: str, *params: object) -> Any:
    """The single value of a statement run on the alias's server in a connection of its own (not Django's)."""
    server = connections[alias].settings_dict
    with psycopg.connect(
        host=server["HOST"],
        port=server["PORT"],
        user=server["USER"],
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        row = connection.execute(statement, params).fetchone()
        return row[0] if row else None


class Standby:
    """The standby server behind the replica alias: its replay, its lag, and its life."""

    def caught_up(self) -> None:
        """Wait until the standby has replayed everything the primary has committed so far."""
        target = _sql("default", "SELECT pg_current_wal_insert_lsn()::text")
        deadline = time.monotonic() + 30
        while not _sql(REPLICA, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", target):
            assert time.monotonic() < deadline, "the standby did not catch up in 30 s"
            time.sleep(0.02)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The standby receives the primary's WAL but replays none of it: its data stay as they are now."""
        self.caught_up()
        _sql(REPLICA, "SELECT pg_wal_replay_pause()")
        while _sql(REPLICA, "SELECT pg_get_wal_replay_pause_state()") != "paused":
            time.sleep(0.01)
        try:
            yield
        finally:
            _sql(REPLICA, "SELECT pg_wal_replay_resume()")

    down = False

    def stop(self) -> None:
        subprocess.run([os.environ["MEIDUO_TEST_STANDBY_CTL"], "stop"], check=True)
        self.down = True

    def start(self) -> None:
        subprocess.run([os.environ["MEIDUO_TEST_STANDBY_CTL"], "start"], check=True)
        self.down = False


@pytest.fixture
def standby(transactional_db: None, settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Standby]:
    """Catalog and search read the replica, uncached; no replica failed yet in this process. The standby is
    running again after the test, whatever happened in it."""
    settings.READ_REPLICAS = REPLICAS
    settings.CATALOG_CACHE_TIMEOUT = 0  # every catalog answer is read from the database
    monkeypatch.setattr(dbrouter, "_failed_at", {})
    standby = Standby()
    yield standby
    if standby.down:
        standby.start()


def _price(api: APIClient, sku: SKU) -> str:
    response = api.get(f"/api/v1/skus/{sku.id}/")
    assert response.status_code == 200, response.content
    return str(response.json()["price"])


def _search(api: APIClient, text: str) -> list[tuple[int, str]]:
    response = api.get("/api/v1/skus/search/", {"text": text})
    assert response.status_code == 200, response.content
    return [(card["id"], card["price"]) for card in response.json()["results"]]


def _buyer_api() -> tuple[User, APIClient, int]:
    """A shopper with an address, logged in: (user, client, address id)."""
    user = User.objects.create_user(username="replica_buyer", password=PASSWORD, mobile="13900001111")
    address = user.addresses.create(
        title="家",
        receiver="张三",
        province_id=44,
        city_id=4403,
        district_id=440305,
        place="科技园南区 1 号",
        mobile="13800138000",
    )
    client = APIClient()
    client.force_authenticate(user)
    return user, client, address.id


# --- reads that may lag go to the replica ----------------------------------------


def test_catalog_and_search_answers_are_read_on_the_replica(api, standby: Standby, phone_catalog: PhoneCatalog):
    sku = phone_catalog.black_256
    cards = f"/api/v1/categories/{phone_catalog.cat3.id}/skus/"
    with standby.paused():
        services.sku_update(sku=sku, price=Decimal("4999.00"))  # committed on the primary
        with transaction.atomic():
            honor = services.sku_create(
                spu=SPUFactory.create(
                    name="荣耀 Magic 6", brand=BrandFactory.create(name="荣耀"), category3=sku.category
                ),
                name="荣耀 Magic 6 手机",
                price=Decimal("3999.00"),
                stock=5,
            )
        assert SKU.objects.get(pk=sku.pk).price == Decimal("4999.00")

        # The replica has not replayed either write yet: every catalog and search answer is its.
        assert _price(api, sku) == "5499.00"
        assert (sku.id, "5499.00") in [(card["id"], card["price"]) for card in api.get(cards).json()["results"]]
        assert honor.id not in [card["id"] for card in api.get(cards).json()["results"]]
        assert _search(api, "荣耀") == []
        assert (sku.id, "5499.00") in _search(api, "雅丹黑")

    standby.caught_up()
    assert _price(api, sku) == "4999.00"
    assert _search(api, "荣耀") == [(honor.id, "3999.00")]
    assert api.get(f"/api/v1/skus/{honor.id}/").json()["stock"] == 5


def test_a_catalog_read_inside_a_write_or_an_export_reads_the_primary(
    standby: Standby, phone_catalog: PhoneCatalog, tmp_path, settings
):
    settings.COMPAT_STATIC_DIR = str(tmp_path)
    sku = phone_catalog.black_256
    with standby.paused():
        services.sku_update(sku=sku, price=Decimal("4999.00"))
        assert selectors.sku_detail(sku_id=sku.id)["price"] == "5499.00"  # a lag-tolerant read: the replica
        with transaction.atomic():  # part of a write: the primary
            assert selectors.sku_detail(sku_id=sku.id)["price"] == "4999.00"
        # The static pages keep what they are written with: they are exported from the primary.
        assert static_pages_export(sku_ids=[sku.id]) == 1
    assert '"4999.00"' in (tmp_path / "goods" / f"{sku.id}.js").read_text()


# --- while the replica lags, every decision is made on the primary ---------------


def test_while_the_replica_lags_cart_and_order_placement_see_the_stock_of_the_primary(
    api, standby: Standby, phone_catalog: PhoneCatalog
):
    sku = phone_catalog.black_256
    user, buyer, address = _buyer_api()
    fill_cart(user, (sku, 2))
    with standby.paused():
        SKU.objects.filter(pk=sku.pk).update(stock=1)  # sold elsewhere: the replica still says 20

        assert api.get(f"/api/v1/skus/{sku.id}/").json()["stock"] == 20
        added = buyer.post("/api/v1/carts/", {"sku_id": sku.id, "count": 1}, format="json")
        assert (added.status_code, added.json()["code"]) == (400, "stock_short")
        placed = buyer.post("/api/v1/orders/", {"address": address, "pay_method": 1}, format="json")
        assert (placed.status_code, placed.json()["code"]) == (400, "stock_short")
        assert not OrderInfo.objects.exists()
        assert SKU.objects.values_list("stock", flat=True).get(pk=sku.pk) == 1

        SKU.objects.filter(pk=sku.pk).update(stock=2)  # restocked: placement succeeds at once
        placed = buyer.post("/api/v1/orders/", {"address": address, "pay_method": 1}, format="json")
        assert placed.status_code == 201, placed.content
        assert SKU.objects.values_list("stock", flat=True).get(pk=sku.pk) == 0


def test_while_the_replica_lags_a_new_shopper_logs_in_and_pays_a_new_order_at_once(
    api, standby: Standby, phone_catalog: PhoneCatalog, sms_code: Callable[[str], str], fake_alipay: FakeAlipay
):
    sku = phone_catalog.black_256
    with standby.paused():
        mobile = "13912345678"
        registration = {"username": "replica_01", "password": PASSWORD, "password2": PASSWORD, "mobile": mobile}
        registered = api.post("/api/v1/users/", {**registration, "allow": "true", "sms_code": sms_code(mobile)})
        assert registered.status_code == 201, registered.content

        login = APIClient().post("/api/v1/authorizations/", {"username": "replica_01", "password": PASSWORD})
        assert login.status_code == 200, login.content
        buyer = APIClient()
        buyer.credentials(HTTP_AUTHORIZATION=f"JWT {login.json()['token']}")
        assert buyer.get("/api/v1/user/").json()["username"] == "replica_01"

        assert buyer.post("/api/v1/carts/", {"sku_id": sku.id, "count": 1}, format="json").status_code == 201
        user = User.objects.get(username="replica_01")
        address = user.addresses.create(
            title="家", receiver="张三", province_id=44, city_id=4403, district_id=440305, place="1 号", mobile=mobile
        )
        placed = buyer.post("/api/v1/orders/", {"address": address.id, "pay_method": 2}, format="json")
        assert placed.status_code == 201, placed.content
        order_id = placed.json()["order_id"]

        payment = buyer.get(f"/api/v1/orders/{order_id}/payment/")
        assert payment.status_code == 200, payment.content
        assert requests.get(payment.json()["alipay_url"], timeout=5).status_code == 200  # Alipay checks the request
        fake_alipay.pay(order_id)
        notify = APIClient().post(
            "/api/v1/payment/alipay/notify/",
            urlencode(fake_alipay.notify_params(order_id)),
            content_type="application/x-www-form-urlencoded",
        )
        assert (notify.status_code, notify.content) == (200, b"success")
        assert OrderInfo.objects.get(pk=order_id).status == OrderInfo.Status.UNSENT


# --- a write never goes to the replica --------------------------------------------


def test_the_replica_refuses_writes(standby: Standby, phone_catalog: PhoneCatalog):
    sku = phone_catalog.black_256
    standby.caught_up()
    with pytest.raises(DatabaseError, match="read-only transaction"):
        SKU.objects.using(REPLICA).filter(pk=sku.pk).update(stock=0)
    with pytest.raises(DatabaseError, match="read-only transaction"), connections[REPLICA].cursor() as cursor:
        cursor.execute("INSERT INTO tb_brand (name, logo, first_letter) VALUES ('x', '', 'X')")
    assert SKU.objects.values_list("stock", flat=True).get(pk=sku.pk) == 20


def test_shopping_sends_no_statement_to_the_replica_and_browsing_only_reads(
    api, standby: Standby, phone_catalog: PhoneCatalog
):
    sku = phone_catalog.black_256
    standby.caught_up()
    with CaptureQueriesContext(connections[REPLICA]) as shopping:
        _user, buyer, address = _buyer_api()
        assert buyer.post("/api/v1/carts/", {"sku_id": sku.id, "count": 2}, format="json").status_code == 201
        assert buyer.post("/api/v1/orders/", {"address": address, "pay_method": 1}, format="json").status_code == 201
        login = api.post("/api/v1/authorizations/", {"username": "replica_buyer", "password": PASSWORD})
        assert login.status_code == 200
    assert shopping.captured_queries == []

    with CaptureQueriesContext(connections[REPLICA]) as browsing:
        assert _price(api, sku) == "5499.00"
        assert _search(api, "雅丹黑")
    assert browsing.captured_queries
    assert all(query["sql"].lstrip().upper().startswith("SELECT") for query in browsing.captured_queries)


# --- a replica that is down -----------------------------------------------------------


def test_while_the_replica_is_down_the_primary_answers_until_it_is_back(
    standby: Standby, phone_catalog: PhoneCatalog, settings, monkeypatch, caplog
):
    api, sku = APIClient(), phone_catalog.black_256
    standby.caught_up()
    assert _price(api, sku) == "5499.00"  # the replica's connection is open
    replica = connections[REPLICA]
    connects: list[str] = []
    connect = replica.get_new_connection
    monkeypatch.setattr(replica, "get_new_connection", lambda params: connects.append(REPLICA) or connect(params))

    standby.stop()
    services.sku_update(sku=sku, price=Decimal("4999.00"))  # only the primary has it
    assert _price(api, sku) == "4999.00"  # the broken connection failed the read: the primary answered
    assert (sku.id, "4999.00") in _search(api, "雅丹黑")
    assert api.get("/readyz").status_code == 200
    assert f"replica {REPLICA} failed, reading the primary" in caplog.text
    assert connects == []  # the replica is left alone for DATABASE_REPLICA_RETRY_SECONDS

    settings.DATABASE_REPLICA_RETRY_SECONDS = 0  # time to try it again: refused, the primary answers
    assert _price(api, sku) == "4999.00"
    assert connects and set(connects) == {REPLICA}
    tries = len(connects)

    standby.start()
    standby.caught_up()
    with standby.paused():
        services.sku_update(sku=sku, price=Decimal("3999.00"))
        assert _price(api, sku) == "4999.00"  # the replica answers again (it has not replayed the new price)
    assert len(connects) == tries + 1  # one new connection to it, kept
