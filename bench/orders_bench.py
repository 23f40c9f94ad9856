"""Order-placement benchmark: buyers placing orders over HTTP, against the order ceiling, side by side in one run.

It starts its own shop (gunicorn with deploy/gunicorn.conf.py and `make run`'s
2 web workers, on a free loopback port) on a fresh temporary data folder, so
it needs nothing running:

    .venv/bin/python bench/orders_bench.py                    # embedded engines (SQLite)
    scripts/test-services.sh .venv/bin/python bench/orders_bench.py   # PostgreSQL + Redis

With DATABASE_URL set the shop uses that database (it is migrated and filled
with a few rows named "bench-…"). The run:

1. creates buyers (each with an address and an access token), one hot SKU and
   many SKUs with plenty of stock, and the order ceiling's tables
   (bench/order_ceiling.py) with the same SKUs;
2. starts the shop and the order ceiling (a bare Django view doing the
   conditional stock update, the order row and the line row in one
   transaction) under the same gunicorn configuration;
3. alternates wrk runs (bench/wrk_orders.lua, 16 connections, one per wrk
   thread) against each, in two scenarios of the shop: through the cart (every
   order a cart add then the order) and "buy now" (one POST orders/ naming the
   SKU, the cart untouched); the ceiling takes one request per order; half the
   orders go to the hot SKU; each ratio is the median of shop/ceiling orders
   per second of the same alternation. The ceiling run shows what the same
   generator can drive;
4. sells out a scarce SKU (100 units, half the orders) on the shop in each
   scenario, then checks the database: units sold per SKU never pass the
   starting stock (oversold must be 0) and stock + sold equals the starting stock.

`--json-out FILE` writes the rows `make bench` (bench/suite.py) puts in its table.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import AbstractContextManager
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.suite import started, worker_rss_mb  # noqa: E402 - after the path is set

PLENTY = 1_000_000
CONNECTIONS = 16  # one per wrk thread, so each buyer's cart add and order follow each other
LUA = ROOT / "bench" / "wrk_orders.lua"
# The shop's scenarios (bench/wrk_orders.lua's modes) and their names in the table.
SCENARIOS = {"shop": "cart add + order", "buy": "buy now (one request)"}
DATA_VARIABLES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    import socket

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


def create_data(*, buyers: int, skus: int, scarce_stock: int) -> dict[str, Any]:
    """Buyers with an address and a token, a hot SKU, two scarce ones with `scarce_stock` units (one per
    scenario), `skus` SKUs more."""
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

        hot = sku(f"{run}-hot", PLENTY)
        scarce = [sku(f"{run}-scarce-{scenario}", scarce_stock) for scenario in SCENARIOS]
        others = [sku(f"{run}-{index}", PLENTY) for index in range(skus)]
        SKU.objects.bulk_create([hot, *scarce, *others])
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
        "scarce_ids": {scenario: sku_ids[f"{run}-scarce-{scenario}"] for scenario in SCENARIOS},
        "start": {sku_id: scarce_stock if "-scarce-" in name else PLENTY for name, sku_id in sku_ids.items()},
        "other_ids": [sku_ids[f"{run}-{index}"] for index in range(skus)],
        "buyers": [
            {"token": str(AccessToken.for_user(user)), "address": address.pk, "id": user.pk}
            for user, address in zip(users, addresses, strict=True)
        ],
    }


def write_wrk_data(data: dict[str, Any], hot: int, others: list[int], buyer_ids: bool, path: Path) -> Path:
    """The file bench/wrk_orders.lua reads: the hot SKU, the others, then "token address buyer" per buyer."""
    lines = [str(hot), " ".join(map(str, others))]
    lines += [f"{buyer['token']} {buyer['address']} {buyer['id'] if buyer_ids else 0}" for buyer in data["buyers"]]
    path.write_text("\n".join(lines) + "\n")
    return path


def wrk(base: str, mode: str, data_file: Path, seconds: float, hot_share: float) -> dict[str, float]:
    """One wrk run of bench/wrk_orders.lua; its JSON report."""
    command = [
        "wrk", f"-t{CONNECTIONS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA), base,
        "--", mode, str(data_file), str(hot_share), str(CONNECTIONS),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    for line in result.stdout.splitlines():
        if line.startswith("WRKJSON "):
            return dict(json.loads(line[len("WRKJSON ") :]))
    raise RuntimeError(f"wrk printed no report:\n{result.stdout}\n{result.stderr}")


def server(app: str, data_dir: Path, port: int, log: Path) -> AbstractContextManager[int]:
    """gunicorn with the shop's configuration (make run's workers and worker class) serving `app`."""
    env = {
        **os.environ,
        "MEIDUO_DATA_DIR": str(data_dir),
        "MEIDUO_BIND": f"127.0.0.1:{port}",
        "GUNICORN_LOG_LEVEL": "warning",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        # The load generator's buyers all come from loopback: exempt it from the API's default request rates.
        "THROTTLE_EXEMPT_IPS": "127.0.0.1",
    }
    command = [str(Path(sys.executable).parent / "gunicorn"), "--config", "deploy/gunicorn.conf.py", app]
    health = f"http://127.0.0.1:{port}/{'readyz' if app == 'config.wsgi' else 'healthz'}"
    return started(command, env, health, log)


def check_stock(data: dict[str, Any]) -> dict[str, int]:
    """Units sold per SKU against its starting stock: oversold units and inconsistent SKUs (both must be 0), and
    the units sold of each scenario's scarce SKU."""
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
        start = data["start"][sku_id]
        units = sold.get(sku_id, 0)
        oversold += max(0, units - start)
        inconsistent += int(stock + units != start or sales != units)
    scarce_sold = {scenario: sold.get(sku_id, 0) for scenario, sku_id in data["scarce_ids"].items()}
    return {"oversold": oversold, "inconsistent_skus": inconsistent, "scarce_sold": scarce_sold}


def check_ceiling(skus: int, scarce: int, scarce_stock: int) -> dict[str, int]:
    """The same check on the ceiling's tables."""
    from bench.order_ceiling import sold

    oversold = inconsistent = scarce_sold = 0
    for sku in range(1, skus + 1):
        stock, sales, units = sold(sku)
        start = scarce_stock if sku == scarce else PLENTY
        oversold += max(0, units - start)
        inconsistent += int(stock + units != start or sales != units)
        scarce_sold += units if sku == scarce else 0
    return {"oversold": oversold, "inconsistent_skus": inconsistent, "scarce_sold": scarce_sold}


def measure(args: argparse.Namespace, work: Path) -> list[dict[str, Any]]:
    """Set up, start shop and ceiling, alternate the wrk runs, sell out the scarce SKUs, check stock."""
    from django.db import connection

    from bench.order_ceiling import create_tables

    data = create_data(buyers=args.buyers, skus=args.skus, scarce_stock=args.scarce_stock)
    # The ceiling's SKUs are numbered 1..n: 1 the hot one, 2 the scarce one, the rest plenty.
    create_tables(skus=args.skus + 2, stock={2: args.scarce_stock})
    engine = connection.vendor
    connection.close()
    shop_file = write_wrk_data(data, data["hot_id"], data["other_ids"], False, work / "shop.txt")
    ceiling_file = write_wrk_data(data, 1, list(range(3, args.skus + 3)), True, work / "ceiling.txt")
    data_dir = Path(os.environ["MEIDUO_DATA_DIR"])
    shop_port, ceiling_port = args.ports or (free_port(), free_port())
    shop_base, ceiling_base = f"http://127.0.0.1:{shop_port}", f"http://127.0.0.1:{ceiling_port}"
    runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in (*SCENARIOS, "ceiling")}
    sellouts: dict[str, dict[str, float]] = {}
    with (
        server("config.wsgi", data_dir, shop_port, work / "shop.log") as shop_pid,
        server("bench.order_ceiling:application", data_dir, ceiling_port, work / "ceiling.log"),
    ):
        for mode in SCENARIOS:  # warm-up: workers, connections, code paths
            wrk(shop_base, mode, shop_file, 1, args.hot_share)
        wrk(ceiling_base, "ceiling", ceiling_file, 1, args.hot_share)
        for _ in range(args.alternations):
            for mode in SCENARIOS:
                runs[mode].append(wrk(shop_base, mode, shop_file, args.seconds, args.hot_share))
            runs["ceiling"].append(wrk(ceiling_base, "ceiling", ceiling_file, args.seconds, args.hot_share))
            rates = ", ".join(f"{mode} {runs[mode][-1]['orders_per_s']:.0f}" for mode in runs)
            print(f"orders/s on {engine}: {rates}", flush=True)
        # The sell-out: half the orders on a SKU with a few units, on both.
        for mode in SCENARIOS:
            scarce = write_wrk_data(
                data, data["scarce_ids"][mode], data["other_ids"], False, work / f"scarce-{mode}.txt"
            )
            sellouts[mode] = wrk(shop_base, mode, scarce, args.sellout_seconds, args.hot_share)
        scarce_ceiling = write_wrk_data(data, 2, list(range(3, args.skus + 3)), True, work / "scarce-ceiling.txt")
        sellouts["ceiling"] = wrk(ceiling_base, "ceiling", scarce_ceiling, args.sellout_seconds, args.hot_share)
        rss = worker_rss_mb(shop_pid)
    stock = check_stock(data)
    ceiling_stock = check_ceiling(args.skus + 2, 2, args.scarce_stock)
    connection.close()

    def errors(mode: str) -> int:
        return sum(int(run["server_errors"] + run["socket_errors"]) for run in [*runs[mode], sellouts[mode]])

    ceiling_rates = [run["orders_per_s"] for run in runs["ceiling"]]
    rows = []
    for mode, name in SCENARIOS.items():
        rates = [run["orders_per_s"] for run in runs[mode]]
        rows.append(
            {
                "scenario": f"orders: {name}, {CONNECTIONS} buyers, {args.hot_share:.0%} on one hot SKU",
                "engine": engine,
                "shop_rps": statistics.median(rates),
                "ceiling_rps": statistics.median(ceiling_rates),
                "ratio": statistics.median(
                    mine / theirs for mine, theirs in zip(rates, ceiling_rates, strict=True) if theirs
                ),
                "p50_ms": statistics.median(run["p50_ms"] for run in runs[mode]),
                "p99_ms": statistics.median(run["p99_ms"] for run in runs[mode]),
                "worker_rss_mb": rss,
                # Both scenarios and the ceiling share the database: its stock is checked once, for all.
                "oversold": stock["oversold"] + ceiling_stock["oversold"],
                "inconsistent_skus": stock["inconsistent_skus"] + ceiling_stock["inconsistent_skus"],
                "server_errors": errors(mode),
                "ceiling_server_errors": errors("ceiling"),
                "scarce_sold": (
                    f"shop {stock['scarce_sold'][mode]}, ceiling {ceiling_stock['scarce_sold']} of {args.scarce_stock}"
                ),
                "runs": {
                    "shop": runs[mode],
                    "ceiling": runs["ceiling"],
                    "sellout": [sellouts[mode], sellouts["ceiling"]],
                },
            }
        )
    return rows


def main() -> None:
    """Run the benchmark on the configured database; print the figures; write --json-out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=200, help="buyers (default 200)")
    parser.add_argument("--skus", type=int, default=500, help="SKUs besides the hot and the scarce one (default 500)")
    parser.add_argument("--scarce-stock", type=int, default=100, help="units of the SKU sold out at the end (100)")
    parser.add_argument("--hot-share", type=float, default=0.5, help="share of orders for the hot SKU (default 0.5)")
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run (default 8)")
    parser.add_argument("--sellout-seconds", type=int, default=4, help="length of the sell-out run (default 4)")
    parser.add_argument("--alternations", type=int, default=3, help="shop/ceiling alternations (default 3)")
    parser.add_argument("--quick", action="store_true", help="one 3-second alternation")
    parser.add_argument(
        "--ports",
        type=lambda text: tuple(int(port) for port in text.split(",")),
        help="SHOP,CEILING: the loopback ports to serve on (default: free ones), on a machine with assigned ports",
    )
    parser.add_argument("--json-out", type=Path, help="write the rows for bench/suite.py here")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.alternations, args.sellout_seconds = 3, 1, 2

    work = Path(tempfile.mkdtemp(prefix="meiduo-orders-bench-"))
    setup_django(work)
    started_at = time.monotonic()
    rows = measure(args, work)
    for row in rows:
        print(json.dumps({key: value for key, value in row.items() if key != "runs"}, ensure_ascii=False))
    print(f"orders bench took {time.monotonic() - started_at:.0f} s", flush=True)
    if args.json_out:
        args.json_out.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    if any(row["oversold"] or row["inconsistent_skus"] or row["server_errors"] for row in rows):
        sys.exit(f"FAILED: oversold, inconsistent stock or server errors (the logs are in {work})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
