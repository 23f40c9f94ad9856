"""Two web hosts, one Celery worker and one beat, sharing only PostgreSQL, Redis and S3 (issue 17, item 2).

Shoppers register, sign in, fill carts, order and pay with the demo gateway through both hosts alternately (each
request to the other host than the one before) for LOAD_SECONDS, half their orders on one hot SKU with little
stock; some orders are left unpaid to expire. Then: every accepted order exists once, stock + sold equals the
start for every SKU, every payment is recorded once, every order unpaid past its deadline was cancelled once (its
stock back once), the rate limits were one budget across the hosts, a session made on one host works (and ends)
on the other, and no request got a server error. The figures are printed (docs/operations.md quotes them).
"""

import html
import itertools
import json
import os
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import psycopg
import pytest
import requests

from meiduo.verifications.tests import aliyun_fake
from tests.scaleout.fleet import Fleet, database_create, database_drop, two_hosts, wait_for, with_path
from tests.support import S3_ACCESS_KEY_ID, S3_REGION, S3_SECRET_ACCESS_KEY, loopback_s3, loopback_server

pytestmark = pytest.mark.scaleout

LOAD_SECONDS = 30
SHOPPERS = 6  # client threads
ORDERS_PER_SHOPPER = 4  # then the thread registers a new shopper
HOT_STOCK = 12
OTHER_STOCK = 1000
PAY_TIMEOUT = 12  # ORDER_PAY_TIMEOUT, seconds
EXPIRY_INTERVAL = 2  # ORDER_EXPIRY_INTERVAL: the beat job's period
CLIENT_WRITES_PER_HOUR = 30  # API_RATE_PER_CLIENT, the budget the rate-limit check spends
PASSWORD = "Meiduo-2026-scale"
BUCKET = "meiduo-media"
INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


class Unexpected(Exception):
    """An answer the flow did not expect (recorded; the shopper starts over)."""


@dataclass
class Tally:
    """What the shoppers saw, shared by the client threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    per_host: Counter[str] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    registered: list[tuple[str, str]] = field(default_factory=list)  # (mobile, password)
    accepted: list[str] = field(default_factory=list)
    refused: int = 0
    paid: dict[str, str] = field(default_factory=dict)  # order id -> trade id the return page got
    left_unpaid: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)  # the order passed its deadline while the shopper paid

    def count(self, host: str, response: requests.Response) -> None:
        with self.lock:
            self.answers += 1
            self.statuses[response.status_code] += 1
            self.per_host[host] += 1
            if response.status_code >= 500:
                self.server_errors.append(f"{response.request.method} {response.url} {response.status_code}")


class Shopper:
    """One client thread: a fresh shopper (own client address) every few orders, each request to the other host."""

    def __init__(self, index: int, hosts: list[str], tally: Tally, skus: dict[str, Any]) -> None:
        self.index = index
        self.hosts = itertools.cycle(hosts[index % 2 :] + hosts[: index % 2])
        self.tally = tally
        self.skus = skus
        self.random = random.Random(index)
        self.http = requests.Session()
        self.headers: dict[str, str] = {}
        self.number = 0

    def call(self, method: str, path: str, *expected: int, host: str | None = None, **kwargs: Any) -> Any:
        """One request to the next host (or `host`) as nginx would pass it on; the answer if its status is expected."""
        base = host or next(self.hosts)
        headers = {**self.headers, **kwargs.pop("headers", {})}
        try:
            response = self.http.request(method, base + path, headers=headers, timeout=60, **kwargs)
        except requests.RequestException as exc:
            with self.tally.lock:
                self.tally.server_errors.append(f"{method} {base}{path}: {exc!r}")
            raise Unexpected(str(exc)) from exc
        self.tally.count(base, response)
        if response.status_code not in expected:
            raise Unexpected(f"{method} {path.partition('?')[0]} → {response.status_code} {response.text[:200]}")
        return response

    def register(self) -> None:
        """Ask for an SMS code on one host, register on the other with the code the worker sent, sign in again."""
        self.number += 1
        mobile = f"139{self.index:02d}{self.number:06d}"
        self.headers = {"X-Forwarded-For": f"10.{self.index}.{self.number // 250}.{self.number % 250 + 1}"}
        self.headers["X-Forwarded-Proto"] = "https"
        self.call("GET", f"/api/v1/sms_codes/{mobile}/", 200)
        wait_for(lambda: aliyun_fake.codes_sent(mobile), 30, f"the SMS code for {mobile}")
        body = {
            "username": f"shopper{self.index}x{self.number}",
            "password": PASSWORD,
            "password2": PASSWORD,
            "mobile": mobile,
            "sms_code": aliyun_fake.codes_sent(mobile)[-1],
            "allow": "true",
        }
        self.call("POST", "/api/v1/users/", 201, json=body)
        login = self.call("POST", "/api/v1/authorizations/", 200, json={"username": mobile, "password": PASSWORD})
        self.headers["Authorization"] = f"JWT {login.json()['token']}"
        with self.tally.lock:
            self.tally.registered.append((mobile, PASSWORD))
        address = {**self.skus["address"], "receiver": f"顾客{self.index}", "mobile": mobile, "place": "中关村1号"}
        self.address = self.call("POST", "/api/v1/addresses/", 201, json=address).json()["id"]

    def order(self) -> None:
        """Put one SKU in the cart (the hot one half the time) and order it; pay two orders in three."""
        sku = self.skus["hot"] if self.random.random() < 0.5 else self.random.choice(self.skus["others"])
        added = self.call("POST", "/api/v1/carts/", 201, 400, json={"sku_id": sku, "count": 1})
        if added.status_code == 400:  # the hot SKU is sold out: the cart refuses it already
            with self.tally.lock:
                self.tally.refused += 1
            return
        placed = self.call("POST", "/api/v1/orders/", 201, 400, json={"address": self.address, "pay_method": 2})
        if placed.status_code == 400:
            assert placed.json().get("code") == "stock_short", placed.text
            self.call("DELETE", "/api/v1/carts/", 204, json={"sku_id": sku})
            with self.tally.lock:
                self.tally.refused += 1
            return
        order_id = placed.json()["order_id"]
        with self.tally.lock:
            self.tally.accepted.append(order_id)
        if self.random.random() < 1 / 3:
            with self.tally.lock:
                self.tally.left_unpaid.append(order_id)
            return
        self.pay(order_id)

    def pay(self, order_id: str) -> None:
        """The shopper's way through the demo gateway: its page, the confirm button, back to the shop."""
        start = self.call("GET", f"/api/v1/orders/{order_id}/payment/", 200, 400)
        if start.status_code == 400:  # past its deadline on a slow machine: the expiry job cancels it
            with self.tally.lock:
                self.tally.late.append(order_id)
            return
        page_url = start.json()["alipay_url"]
        page = self.call("GET", page_url.removeprefix(self.hosts_of(page_url)), 200, host=self.hosts_of(page_url))
        form = {name: html.unescape(value) for name, value in INPUT.findall(page.text)}
        confirmed = self.call("POST", "/api/v1/payment/demo/pay/", 303, data=form, allow_redirects=False)
        back = urlsplit(confirmed.headers["Location"]).query
        answer = self.call("PUT", f"/api/v1/payment/status/?{back}", 200, 400)
        with self.tally.lock:
            if answer.status_code == 200:
                self.tally.paid[order_id] = answer.json()["trade_id"]
            else:  # cancelled at its deadline while the shopper paid: the payment is kept and refunded
                assert answer.json()["code"] == "payment_unverified", answer.text
                self.tally.late.append(order_id)

    @staticmethod
    def hosts_of(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def run(self, until: float) -> None:
        while time.monotonic() < until:
            try:
                self.register()
                for _ in range(ORDERS_PER_SHOPPER):
                    if time.monotonic() >= until:
                        break
                    self.order()
            except (Unexpected, AssertionError) as exc:
                with self.tally.lock:
                    self.tally.unexpected.append(str(exc))


def rows(db: str, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


def seed(db: str) -> dict[str, Any]:
    """Stock for the run (one hot SKU with little, a few with plenty) and an address's area codes."""
    skus = [sku for (sku,) in rows(db, "SELECT id FROM tb_sku WHERE is_launched ORDER BY id LIMIT 7")]
    hot, others = skus[0], skus[1:]
    with psycopg.connect(db) as connection:
        connection.execute("UPDATE tb_sku SET stock = %s WHERE id = %s", (HOT_STOCK, hot))
        connection.execute("UPDATE tb_sku SET stock = %s WHERE id = ANY(%s)", (OTHER_STOCK, others))
    [(district, city, province)] = rows(
        db,
        "SELECT d.id, c.id, c.parent_id FROM tb_areas d JOIN tb_areas c ON d.parent_id = c.id "
        "WHERE c.parent_id IS NOT NULL ORDER BY d.id LIMIT 1",
    )
    [(category,)] = rows(db, "SELECT category_id FROM tb_sku WHERE id = %s", hot)
    return {
        "hot": hot,
        "category": category,
        "others": others,
        "address": {"province_id": province, "city_id": city, "district_id": district},
        "start": dict(rows(db, "SELECT id, stock + sales FROM tb_sku")),
    }


def check_rate_limit_is_shared(hosts: list[str], category: int) -> dict[str, int]:
    """Twice the per-client budget of writes from one client address, alternately to both hosts: one budget.

    The budget is per clock hour; a burst that crosses the hour is repeated from another address."""
    for address in ("198.51.100.7", "198.51.100.9"):
        client = Shopper(99, hosts, Tally(), {})
        client.headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": "https"}
        hour = time.time() // 3600
        answers = [
            client.call("POST", f"/api/v1/categories/{category}/visits/", 204, 429).status_code
            for _ in range(2 * CLIENT_WRITES_PER_HOUR)
        ]
        if time.time() // 3600 == hour:
            break
    per_host = {host: Counter(answers[index::2]) for index, host in enumerate(hosts)}
    assert answers.count(204) == CLIENT_WRITES_PER_HOUR, per_host
    assert all(counts[204] and counts[429] for counts in per_host.values()), per_host
    return {"accepted": answers.count(204), "refused": answers.count(429)}


def check_sessions_cross_hosts(hosts: list[str], mobile: str, password: str) -> None:
    """Signed in on host 1: the token works on host 2; a refresh rotated on 2 is dead on 1; a logout on 1 holds on 2."""
    one, two = hosts
    client = Shopper(98, hosts, Tally(), {})
    client.headers = {"X-Forwarded-For": "198.51.100.8", "X-Forwarded-Proto": "https"}
    credentials = {"username": mobile, "password": password}
    login = client.call("POST", "/api/v1/authorizations/", 200, host=one, json=credentials)
    access, refresh = login.json()["token"], login.json()["refresh"]
    me = client.call("GET", "/api/v1/user/", 200, host=two, headers={"Authorization": f"JWT {access}"})
    assert me.json()["mobile"] == mobile
    rotated = client.call("POST", "/api/v1/authorizations/refresh/", 200, host=two, json={"refresh": refresh}).json()
    client.call("POST", "/api/v1/authorizations/refresh/", 401, host=one, json={"refresh": refresh})
    new_access = {"Authorization": f"JWT {rotated['token']}"}
    client.call("GET", "/api/v1/user/", 200, host=one, headers=new_access)
    client.call("DELETE", "/api/v1/authorizations/", 204, host=one, headers=new_access, json=rotated)
    client.call("POST", "/api/v1/authorizations/refresh/", 401, host=two, json={"refresh": rotated["refresh"]})
    client.call("GET", "/api/v1/user/", 401, host=two, headers=new_access)


def public_media_policy(endpoint: str) -> None:
    """The bucket policy docs/feedback.md prescribes: anyone may read media/*, nobody but the shop media/private/*."""
    objects = f"arn:aws:s3:::{BUCKET}/media"
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{objects}/*"},
            {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{objects}/private/*"},
        ],
    }
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS_KEY_ID,
        aws_secret_access_key=S3_SECRET_ACCESS_KEY,
    ).put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))


def check_media_from_s3(hosts: list[str], sku: int, endpoint: str) -> None:
    """Both hosts name the same picture in the bucket, and the bucket serves it."""
    urls = {requests.get(f"{host}/api/v1/skus/{sku}/", timeout=30).json()["default_image_url"] for host in hosts}
    [url] = urls
    assert url.startswith(f"{endpoint}/{BUCKET}/media/"), url
    picture = requests.get(url, timeout=30)
    assert picture.status_code == 200 and len(picture.content) > 100


def test_two_web_hosts_share_only_the_database_redis_and_s3(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    server_db = os.environ["DATABASE_URL"]
    redis = os.environ["REDIS_URL"]
    db = database_create(server_db)
    aliyun_fake.received.clear()
    try:
        with (
            loopback_s3(BUCKET) as s3,
            loopback_server(aliyun_fake.FakeAliyun) as sms,
        ):
            public_media_policy(s3)
            shared = {
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
                "ALLOWED_HOSTS": "127.0.0.1",
                "DATABASE_URL": db,
                # Databases of their own on the test's Redis (the pytest process clears the ones it uses).
                "REDIS_URL": with_path(redis, "10"),
                "CELERY_BROKER_URL": with_path(redis, "11"),
                "REDIS_SECURITY_URL": with_path(redis, "12"),
                "MEDIA_STORAGE": "s3",
                "S3_BUCKET": BUCKET,
                "S3_ENDPOINT_URL": s3,
                "S3_REGION": S3_REGION,
                "S3_ACCESS_KEY_ID": S3_ACCESS_KEY_ID,
                "S3_SECRET_ACCESS_KEY": S3_SECRET_ACCESS_KEY,
                "SMS_PROVIDER": "aliyun",
                "ALIYUN_SMS_ACCESS_KEY_ID": aliyun_fake.KEY_ID,
                "ALIYUN_SMS_ACCESS_KEY_SECRET": aliyun_fake.SECRET,
                "ALIYUN_SMS_SIGN_NAME": "美多商城",
                "ALIYUN_SMS_TEMPLATE_CODE": "SMS_000001",
                "ALIYUN_SMS_ENDPOINT": f"{sms}/",
                "SMS_CAPTCHA_REQUIRED": "false",
                "PAYMENT_GATEWAY": "demo",
                # The test is the proxy: it sends X-Forwarded-For and -Proto as nginx does, over plain HTTP.
                "NUM_PROXIES": "1",
                "SECURE_SSL_REDIRECT": "false",
                "ORDER_PAY_TIMEOUT": str(PAY_TIMEOUT),
                "ORDER_EXPIRY_INTERVAL": str(EXPIRY_INTERVAL),
                "API_RATE_PER_CLIENT": f"{CLIENT_WRITES_PER_HOUR}/h",
                "LOG_LEVEL": "WARNING",
            }
            with two_hosts(work=tmp_path, shared=shared) as fleet:
                figures = drive_and_check(fleet, db, s3)
    finally:
        database_drop(server_db)
    with capsys.disabled():
        print("\ntwo web hosts:", ", ".join(f"{key} {value}" for key, value in figures.items()))


def drive_and_check(fleet: Fleet, db: str, s3: str) -> dict[str, object]:
    skus = seed(db)
    hosts = fleet.hosts
    check_media_from_s3(hosts, skus["hot"], s3)
    tally = Tally()
    shoppers = [Shopper(index, hosts, tally, skus) for index in range(SHOPPERS)]
    started = time.monotonic()
    threads = [threading.Thread(target=s.run, args=(started + LOAD_SECONDS,)) for s in shoppers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=LOAD_SECONDS + 120)
    elapsed = time.monotonic() - started
    assert not any(thread.is_alive() for thread in threads), "a shopper did not finish"
    assert tally.server_errors == [], f"{tally.server_errors}\n{fleet.logs()}"
    assert tally.unexpected == [], f"{len(tally.unexpected)}: {tally.unexpected[:10]}\n{fleet.logs()}"
    assert tally.accepted and tally.paid and tally.left_unpaid and tally.refused, tally

    # Every unpaid order is cancelled by the one beat's job after its deadline (and late notifications settle).
    wait_for(
        lambda: not rows(db, "SELECT 1 FROM tb_order_info WHERE status = 1"),
        PAY_TIMEOUT + 4 * EXPIRY_INTERVAL + 60,
        "every unpaid order cancelled",
    )
    orders = {order_id: status for order_id, status in rows(db, "SELECT order_id, status FROM tb_order_info")}
    assert sorted(orders) == sorted(tally.accepted)  # each accepted order once, nothing else
    assert len(set(tally.accepted)) == len(tally.accepted)

    # Stock: for every SKU stock + sold is what it was; what left the stock is in the orders still standing.
    assert dict(rows(db, "SELECT id, stock + sales FROM tb_sku")) == skus["start"]
    taken = dict(
        rows(
            db,
            "SELECT g.sku_id, SUM(g.count) FROM tb_order_goods g JOIN tb_order_info o ON g.order_id = o.order_id "
            "WHERE o.status <> 6 GROUP BY g.sku_id",
        )
    )
    stock = dict(rows(db, "SELECT id, stock FROM tb_sku WHERE id = ANY(%s)", [skus["hot"], *skus["others"]]))
    start_stock = {skus["hot"]: HOT_STOCK, **dict.fromkeys(skus["others"], OTHER_STOCK)}
    assert {sku: start_stock[sku] - left for sku, left in stock.items()} == {sku: taken.get(sku, 0) for sku in stock}
    assert stock[skus["hot"]] >= 0

    # Payments: one per paid order, the one the shopper's return page named.
    payments = dict(rows(db, "SELECT order_id, trade_id FROM tb_payment"))
    assert len(rows(db, "SELECT 1 FROM tb_payment")) == len(payments)
    paid = {order_id for order_id, status in orders.items() if status == 2}
    refunds = "SELECT p.order_id FROM tb_payment_refund r JOIN tb_payment p ON r.payment_id = p.id"
    refunded = {order_id for (order_id,) in rows(db, refunds)}
    assert paid == set(payments) - refunded
    assert all(payments[order_id] == trade for order_id, trade in tally.paid.items())
    assert set(tally.paid) <= set(payments)

    # Expiry: every order left unpaid is cancelled, once, after its deadline, its units back once.
    cancelled = {order_id for order_id, status in orders.items() if status == 6}
    assert set(tally.left_unpaid) | set(tally.late) <= cancelled
    assert cancelled == set(orders) - paid
    ledger = rows(
        db,
        "SELECT l.order_id, l.sku_id, l.delta, l.source, l.create_time - o.create_time FROM tb_stock_ledger l "
        "JOIN tb_order_info o ON l.order_id = o.order_id",
    )
    lines = rows(db, "SELECT order_id, sku_id, count FROM tb_order_goods WHERE order_id = ANY(%s)", list(cancelled))
    assert sorted((order_id, sku, delta) for order_id, sku, delta, _s, _t in ledger) == sorted(lines)
    assert {source for *_rest, source, _t in ledger} <= {"expiry"}
    assert all(after >= timedelta(seconds=PAY_TIMEOUT) for *_rest, after in ledger)
    latest = max(after for *_rest, after in ledger).total_seconds() - PAY_TIMEOUT
    confirmed = dict(rows(db, "SELECT source, COUNT(*) FROM tb_payment GROUP BY source"))

    rate = check_rate_limit_is_shared(hosts, skus["category"])
    mobile, password = tally.registered[0]
    check_sessions_cross_hosts(hosts, mobile, password)
    for process in fleet.processes:
        assert process.popen.poll() is None, f"{process.name} exited:\n{process.output()}"
    return {
        "seconds": round(elapsed, 1),
        "requests": tally.answers,
        "requests/s": round(tally.answers / elapsed, 1),
        "per host": "/".join(str(tally.per_host[host]) for host in hosts),
        "by status": " ".join(f"{code}×{n}" for code, n in sorted(tally.statuses.items())),
        "shoppers registered": len(tally.registered),
        "orders accepted": len(tally.accepted),
        "refused (hot SKU sold out)": tally.refused,
        "paid": len(payments),
        "paid confirmed by return page/notification": f"{confirmed.get('return', 0)}/{confirmed.get('notify', 0)}",
        "left unpaid, cancelled at the deadline": len(cancelled),
        "latest cancel after its deadline (s)": round(latest, 1),
        "paid after the deadline, refunded": len(refunded),
        "hot SKU sold": HOT_STOCK - stock[skus["hot"]],
        "rate-limit burst accepted/refused": f"{rate['accepted']}/{rate['refused']}",
        "server errors": len(tally.server_errors),
    }
