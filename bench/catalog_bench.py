"""Catalog benchmark: query counts and median latency of the catalog endpoints, relative to a baseline.

Run against a database holding a generated catalog, e.g.:

    MEIDUO_DATA_DIR=/tmp/bench .venv/bin/python manage.py migrate
    MEIDUO_DATA_DIR=/tmp/bench .venv/bin/python manage.py generate_catalog --skus 100000
    MEIDUO_DATA_DIR=/tmp/bench .venv/bin/python bench/catalog_bench.py

Requests go through the whole Django stack in-process (django.test.Client).
"cold" requests miss the catalog cache (the catalog version is bumped before
each one), "warm" ones are served from it. The baseline, measured in the same
run, is GET /healthz (the stack with no database work); every figure is given
as a ratio to it plus its absolute median in milliseconds.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from meiduo.goods.caching import catalog_version_bump  # noqa: E402
from meiduo.goods.models import SKU, GoodsCategory  # noqa: E402


def count_queries(run: Callable[[], object]) -> int:
    """How many SQL statements one call of `run` executes."""
    executed = 0

    def counter(execute: Callable[..., object], *args: object) -> object:
        nonlocal executed
        executed += 1
        return execute(*args)

    with connection.execute_wrapper(counter):
        run()
    return executed


def median_ms(run: Callable[[], object], repeat: int, cold: bool) -> float:
    """Median wall time of `run` in milliseconds (the catalog cache invalidated first when cold)."""
    samples = []
    for _ in range(repeat):
        if cold:
            catalog_version_bump()
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    """Measure every catalog endpoint and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="requests per figure (default 30)")
    args = parser.parse_args()
    rng = random.Random(7)
    client = Client()

    skus = SKU.objects.count()
    biggest = (
        GoodsCategory.objects.filter(parent__parent__isnull=False)
        .annotate(n=Count("skus"))
        .order_by("-n")
        .values_list("id", "n")
        .first()
    )
    if not skus or biggest is None:
        sys.exit("No catalog: run `manage.py generate_catalog --skus N` first.")
    category_id, in_category = biggest
    sku_ids = list(SKU.objects.filter(is_launched=True).values_list("id", flat=True)[:5000])

    def get(path: str, params: dict[str, object] | None = None) -> Callable[[], object]:
        def run() -> object:
            response = client.get(path, params or {})
            assert response.status_code == 200, (path, response.status_code)  # noqa: S101
            return response

        return run

    def random_detail() -> object:
        return get(f"/api/v1/skus/{rng.choice(sku_ids)}/")()

    endpoints: list[tuple[str, Callable[[], object]]] = [
        ("home/", get("/api/v1/home/")),
        ("categories/{id}/ (breadcrumb)", get(f"/api/v1/categories/{category_id}/")),
        ("categories/{id}/skus/ page 1, 10/page", get(f"/api/v1/categories/{category_id}/skus/")),
        ("categories/{id}/skus/ page 1, 100/page -price", get(
            f"/api/v1/categories/{category_id}/skus/", {"page_size": 100, "ordering": "-price"})),
        ("categories/{id}/skus/ page 50, -sales", get(
            f"/api/v1/categories/{category_id}/skus/", {"page": 50, "ordering": "-sales"})),
        ("categories/{id}/hotskus/", get(f"/api/v1/categories/{category_id}/hotskus/")),
        ("skus/{id}/ (detail, random SKU)", random_detail),
        ("skus/search/ 手机", get("/api/v1/skus/search/", {"text": "手机"})),
        ("skus/search/ 华为 Pro 旗舰版", get("/api/v1/skus/search/", {"text": "华为 Pro 旗舰版"})),
        ("skus/search/ 冰箱 page 20", get("/api/v1/skus/search/", {"text": "冰箱", "page": 20})),
    ]  # fmt: skip

    for _name, run in endpoints:  # warm up connections, jieba, code paths
        run()
    baseline = median_ms(get("/healthz"), args.repeat * 3, cold=False)
    print(f"Catalog: {skus} SKUs; list category {category_id} holds {in_category} SKUs; "
          f"database {connection.vendor}; {args.repeat} requests per figure.\n")  # fmt: skip
    print(f"Baseline GET /healthz median: {baseline:.2f} ms\n")
    print("| endpoint | queries (cold) | cold median ms | cold ×baseline | warm median ms | warm ×baseline |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, run in endpoints:
        catalog_version_bump()
        queries = count_queries(run)
        cold = median_ms(run, args.repeat, cold=True)
        warm_run = get(f"/api/v1/skus/{sku_ids[0]}/") if run is random_detail else run
        warm = median_ms(warm_run, args.repeat, cold=False)
        print(f"| {name} | {queries} | {cold:.2f} | {cold / baseline:.1f} | {warm:.2f} | {warm / baseline:.1f} |")


if __name__ == "__main__":
    main()
