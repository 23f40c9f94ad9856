"""Order-placement benchmark: many buyers placing orders over HTTP against a real shop; orders/s and oversold units.

It starts its own shop (gunicorn on a free loopback port, the same settings as
`make run`) on a fresh temporary data folder, so it needs nothing running:

    .venv/bin/python bench/orders_bench.py                    # embedded engines (SQLite)
    scripts/test-services.sh .venv/bin/python bench/orders_bench.py   # PostgreSQL + Redis

With DATABASE_URL set the shop uses that database (it is migrated and filled
with a few rows named "bench-…"). The run:

1. creates buyers (each with an address and an access token), one hot SKU with
   little stock and many SKUs with plenty;
2. measures a baseline in the same run: GET /healthz with the same concurrency;
3. lets every client thread, for a bounded time, put one SKU in a buyer's cart
   (the hot one with --hot-share probability) and place an order (cash or
   online payment), as a shop front would;
4. checks the database afterwards: units sold per SKU never pass the starting
   stock (oversold must be 0) and stock + sold equals the starting stock.

Figures are printed as absolute numbers and as ratios to the baseline.
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Tally:
    """What the client threads saw, merged under a lock."""

    counts: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: str, seconds: float | None = None) -> None:
        with self.lock:
            self.counts[outcome] += 1
            if seconds is not None:
                self.latencies.append(seconds)


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def setup_django(data_dir: Path) -> None:
    """Point Django at the benchmark's data folder (and DATABASE_URL, if any) and migrate."""
    os.environ["MEIDUO_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def create_data(*, buyers: int, skus: int, hot_stock: int) -> dict[str, Any]:
    """Buyers with an address and a token, a hot SKU with `hot_stock` units and `skus` SKUs with plenty."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from rest_framework_simplejwt.tokens import AccessToken

    from meiduo.addresses.models import Address
    from meiduo.areas.models import Area
    from meiduo.goods.models import SKU, SPU, Brand, GoodsCategory
    from meiduo.users.models import User

    run = f"bench-{int(time.time())}-{os.getpid()}"
    unusable = make_password(None)  # buyers use access tokens, never a password
    with transaction.atomic():
        province, _ = Area.objects.get_or_create(id=44, defaults={"name": "广东省"})
        city, _ = Area.objects.get_or_create(id=4403, defaults={"name": "深圳市", "parent": province})
        district, _ = Area.objects.get_or_create(id=440305, defaults={"name": "南山区", "parent": city})
        cat1 = GoodsCategory.objects.create(name=f"{run}-1")
        cat2 = GoodsCategory.objects.create(name=f"{run}-2", parent=cat1)
        cat3 = GoodsCategory.objects.create(name=f"{run}-3", parent=cat2)
        brand = Brand.objects.create(name="bench", first_letter="B")
        spu = SPU.objects.create(name=run, brand=brand, category1=cat1, category2=cat2, category3=cat3)

        def sku(name: str, stock: int) -> SKU:
            price = Decimal("99.00")
            return SKU(
                name=name, spu=spu, category=cat3, price=price, cost_price=price, market_price=price, stock=stock
            )

        hot = sku(f"{run}-hot", hot_stock)
        others = [sku(f"{run}-{index}", 1_000_000) for index in range(skus)]
        SKU.objects.bulk_create([hot, *others])
        users = User.objects.bulk_create(
            User(username=f"{run[-12:]}-{index}", mobile=None, password=unusable) for index in range(buyers)
        )
        if not all(user.pk for user in users):  # backends that do not return ids from bulk inserts
            users = list(User.objects.filter(username__startswith=f"{run[-12:]}-").order_by("id"))
        addresses = Address.objects.bulk_create(
            Address(
                user=user,
                title="家",
                receiver="压测",
                province=province,
                city=city,
                district=district,
                place="科技园",
                mobile="13800138000",
            )
            for user in users
        )
        if not all(address.pk for address in addresses):
            addresses = list(Address.objects.filter(user__in=users).order_by("user_id"))
    sku_ids = {sku.name: sku.pk for sku in SKU.objects.filter(spu=spu)}
    return {
        "spu_id": spu.pk,
        "hot_id": sku_ids[f"{run}-hot"],
        "hot_stock": hot_stock,
        "other_ids": [sku_ids[f"{run}-{index}"] for index in range(skus)],
        "buyers": [
            {"token": str(AccessToken.for_user(user)), "address": address.pk}
            for user, address in zip(users, addresses, strict=True)
        ],
    }


def start_shop(data_dir: Path, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    """gunicorn with the shop's own config on 127.0.0.1:port; its log goes to the data folder."""
    env = {
        **os.environ,
        "MEIDUO_DATA_DIR": str(data_dir),
        "MEIDUO_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": str(threads),
        "GUNICORN_LOG_LEVEL": "warning",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }
    log = (data_dir / "gunicorn.log").open("wb")
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--access-logfile",
        "/dev/null",
        "config.wsgi",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(base: str, timeout: float = 60) -> None:
    """Wait until /readyz answers 200 (database and cache reachable)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    sys.exit("the shop did not become ready in time (see gunicorn.log in the data folder)")


def run_threads(count: int, seconds: float, work: Callable[[int, float], None]) -> float:
    """Run `work(thread_index, deadline)` in `count` threads; the wall time they took."""
    start = time.monotonic()
    deadline = start + seconds
    threads = [threading.Thread(target=work, args=(index, deadline)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - start


def baseline(base: str, clients: int, seconds: float) -> float:
    """GET /healthz requests per second at this concurrency."""
    tally = Tally()

    def work(_index: int, deadline: float) -> None:
        session = requests.Session()
        while time.monotonic() < deadline:
            ok = session.get(f"{base}/healthz", timeout=30).status_code == 200
            tally.add("ok" if ok else "error")

    elapsed = run_threads(clients, seconds, work)
    return tally.counts["ok"] / elapsed


def place_orders(base: str, data: dict[str, Any], clients: int, seconds: float, hot_share: float) -> dict[str, Any]:
    """Every client thread owns some buyers and keeps placing one-line orders with them until the deadline."""
    tally = Tally()
    buyers = data["buyers"]

    def work(index: int, deadline: float) -> None:
        rng = random.Random(index)
        mine = buyers[index::clients]
        session = requests.Session()
        turn = 0
        while time.monotonic() < deadline:
            buyer = mine[turn % len(mine)]
            turn += 1
            headers = {"Authorization": f"JWT {buyer['token']}"}
            sku_id = data["hot_id"] if rng.random() < hot_share else rng.choice(data["other_ids"])
            added = session.post(f"{base}/api/v1/carts/", json={"sku_id": sku_id, "count": 1}, headers=headers)
            if added.status_code == 400 and sku_id == data["hot_id"]:  # sold out: the shopper picks another
                tally.add("cart_hot_sold_out")
                sku_id = rng.choice(data["other_ids"])
                added = session.post(f"{base}/api/v1/carts/", json={"sku_id": sku_id, "count": 1}, headers=headers)
            if added.status_code != 201:
                tally.add(f"cart_{added.status_code}")
                continue
            body = {"address": buyer["address"], "pay_method": rng.choice((1, 2))}
            start = time.monotonic()
            placed = session.post(f"{base}/api/v1/orders/", json=body, headers=headers)
            took = time.monotonic() - start
            if placed.status_code == 201:
                tally.add("order_201", took)
            elif placed.status_code == 400:
                tally.add("order_400_short" if "message" in placed.json() else "order_400_other", took)
                session.delete(f"{base}/api/v1/carts/", json={"sku_id": sku_id}, headers=headers)
            else:
                tally.add(f"order_{placed.status_code}", took)

    elapsed = run_threads(clients, seconds, work)
    latencies = sorted(tally.latencies)
    return {
        "elapsed": elapsed,
        "counts": dict(tally.counts),
        "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else None,
        "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)] if latencies else None,
    }


def check_stock(data: dict[str, Any]) -> dict[str, int]:
    """Units sold per SKU against its starting stock: oversold units and inconsistent SKUs (both must be 0)."""
    from django.db.models import Sum

    from meiduo.goods.models import SKU
    from meiduo.orders.models import OrderGoods, OrderInfo

    sold = dict(
        OrderGoods.objects.filter(sku__spu_id=data["spu_id"])
        .exclude(order__status=OrderInfo.Status.CANCELLED)
        .values("sku_id")
        .annotate(units=Sum("count"))
        .values_list("sku_id", "units")
    )
    oversold = inconsistent = 0
    for sku_id, stock, sales in SKU.objects.filter(spu_id=data["spu_id"]).values_list("id", "stock", "sales"):
        start = data["hot_stock"] if sku_id == data["hot_id"] else 1_000_000
        units = sold.get(sku_id, 0)
        oversold += max(0, units - start)
        inconsistent += int(stock + units != start or sales != units)
    return {
        "oversold_units": oversold,
        "inconsistent_skus": inconsistent,
        "hot_sold": sold.get(data["hot_id"], 0),
        "orders_in_db": OrderInfo.objects.filter(lines__sku__spu_id=data["spu_id"]).distinct().count(),
    }


def report(
    args: argparse.Namespace, vendor: str, healthz_rate: float, placed: dict[str, Any], stock: dict[str, int]
) -> int:
    """Print the figures (absolute and as ratios to the baseline); the number of server errors seen."""
    counts = placed["counts"]
    orders_per_s = counts.get("order_201", 0) / placed["elapsed"]
    attempts = sum(value for key, value in counts.items() if key.startswith("order_"))
    failures = sum(value for key, value in counts.items() if key.startswith(("order_5", "cart_5")))
    figures = {
        "database": vendor,
        "clients": args.clients,
        "gunicorn": f"{args.workers} workers × {args.threads} threads",
        "baseline_healthz_per_s": round(healthz_rate, 1),
        "orders_per_s": round(orders_per_s, 1),
        "orders_per_s_vs_baseline": round(orders_per_s / healthz_rate, 4) if healthz_rate else None,
        "order_attempts_per_s": round(attempts / placed["elapsed"], 1),
        "order_p50_ms": placed["p50_ms"] and round(placed["p50_ms"], 1),
        "order_p95_ms": placed["p95_ms"] and round(placed["p95_ms"], 1),
        "server_errors": failures,
        "counts": counts,
        **stock,
    }
    print(f"Order placement on {figures['database']}, {args.clients} clients, {figures['gunicorn']}, "
          f"{args.buyers} buyers, hot SKU {args.hot_stock} units ({args.hot_share:.0%} of orders) + {args.skus} SKUs, "
          f"{placed['elapsed']:.1f} s")  # fmt: skip
    print(f"  baseline GET /healthz:  {healthz_rate:8.1f} req/s")
    print(f"  orders placed:          {orders_per_s:8.1f} /s  ({figures['orders_per_s_vs_baseline']} × baseline)")
    print(f"  order latency:          p50 {figures['order_p50_ms']} ms, p95 {figures['order_p95_ms']} ms")
    print(f"  outcomes:               {json.dumps(counts, sort_keys=True)}")
    print(f"  hot SKU sold:           {stock['hot_sold']} of {args.hot_stock}")
    print(f"  oversold units:         {stock['oversold_units']}   inconsistent SKUs: {stock['inconsistent_skus']}   "
          f"server errors: {failures}")  # fmt: skip
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    return failures


def main() -> None:
    """Set up, start the shop, measure the baseline and the order phase, check stock, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=200, help="buyers (default 200)")
    parser.add_argument("--skus", type=int, default=500, help="SKUs besides the hot one (default 500)")
    parser.add_argument("--hot-stock", type=int, default=100, help="units of the hot SKU (default 100)")
    parser.add_argument("--hot-share", type=float, default=0.5, help="share of orders for the hot SKU (default 0.5)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent client threads (default 32)")
    parser.add_argument("--seconds", type=float, default=20, help="length of the order phase (default 20)")
    parser.add_argument("--baseline-seconds", type=float, default=5, help="length of the baseline (default 5)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="meiduo-orders-bench-"))
    shop: subprocess.Popen[bytes] | None = None
    try:
        setup_django(data_dir)
        from django.db import connection

        data = create_data(buyers=args.buyers, skus=args.skus, hot_stock=args.hot_stock)
        connection.close()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        shop = start_shop(data_dir, port, args.workers, args.threads)
        wait_ready(base)
        baseline(base, args.clients, 1)  # warm-up: workers, connections, code paths
        healthz_rate = baseline(base, args.clients, args.baseline_seconds)
        placed = place_orders(base, data, args.clients, args.seconds, args.hot_share)
        stock = check_stock(data)
        vendor = connection.vendor
    finally:
        if shop is not None:
            shop.send_signal(signal.SIGTERM)
            try:
                shop.wait(timeout=20)
            except subprocess.TimeoutExpired:
                shop.kill()
                shop.wait()

    failures = report(args, vendor, healthz_rate, placed, stock)
    if stock["oversold_units"] or stock["inconsistent_skus"] or failures:
        sys.exit(f"FAILED: the shop's log is in {data_dir}")
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
