"""The catalog scenarios of `make bench`: their paths on the catalog in use, and queries per request of each.

Run in the data folder of a generated catalog (the suite, bench/suite.py, does this for every catalog size):

    MEIDUO_DATA_DIR=var/bench/100000 .venv/bin/python bench/catalog_bench.py > scenarios.json

It picks the ids the paths need (the third-level category holding the most on-sale SKUs, one of its SKUs, a
province), then counts the SQL statements one uncached request of each path runs, in process through the whole
Django stack (django.test.Client, the catalog cache off and its version bumped first). It prints a JSON object:
{"skus": N, "throughput": [{"name", "path", "queries"}], "latency": [{"name", "path", "queries"}]}. The
throughput paths are measured against the ceiling at 16 connections; the latency paths with one client at every
catalog size (search: the fixed term list of bench/search_latency.py, first page and page 20, where it exists).
"""

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ["CATALOG_CACHE_TIMEOUT"] = "0"

import django

django.setup()

from django.db import connections  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402

from bench.search_latency import PAGE_SIZE, PAGES, QUERIES  # noqa: E402
from meiduo.areas.models import Area  # noqa: E402
from meiduo.goods.caching import catalog_version_bump  # noqa: E402
from meiduo.goods.models import SKU, GoodsCategory  # noqa: E402

API = "/api/v1"


def count_queries(run: Callable[[], object]) -> int:
    """How many SQL statements (on every database) one call of `run` executes."""
    executed = 0

    def counter(execute: Callable[..., object], *args: object) -> object:
        nonlocal executed
        executed += 1
        return execute(*args)

    wrappers = [connection.execute_wrapper(counter) for connection in connections.all()]
    for wrapper in wrappers:
        wrapper.__enter__()
    try:
        run()
    finally:
        for wrapper in wrappers:
            wrapper.__exit__(None, None, None)
    return executed


def scenarios() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(name, path) of the throughput scenarios and of the one-client latency scenarios."""
    category = (
        GoodsCategory.objects.filter(parent__parent__isnull=False)
        .annotate(n=Count("skus", filter=Q(skus__is_launched=True)))
        .order_by("-n", "id")
        .first()
    )
    sku = SKU.objects.filter(is_launched=True, category=category).order_by("id").first()
    province = Area.objects.filter(parent__isnull=True).order_by("id").first()
    if category is None or sku is None or province is None:
        sys.exit("No catalog or areas here: run `manage.py migrate` and `manage.py generate_catalog` first.")
    listing = f"{API}/categories/{category.id}/skus/"
    throughput = [
        ("home", f"{API}/home/"),
        ("category list p3 by price", f"{listing}?{urlencode({'page': 3, 'page_size': 20, 'ordering': 'price'})}"),
        ("hot SKUs", f"{API}/categories/{category.id}/hotskus/"),
        ("SKU detail", f"{API}/skus/{sku.id}/"),
        ("search 手机", f"{API}/skus/search/?{urlencode({'text': '手机', 'page_size': PAGE_SIZE})}"),
        ("areas: provinces", f"{API}/areas/"),
        ("areas: one province's cities", f"{API}/areas/{province.id}/"),
    ]
    latency = [
        ("list p3 by price", f"{listing}?{urlencode({'page': 3, 'page_size': 20, 'ordering': 'price'})}"),
        ("list p50 by sales", f"{listing}?{urlencode({'page': 50, 'page_size': 20, 'ordering': '-sales'})}"),
        ("detail", f"{API}/skus/{sku.id}/"),
    ] + [
        (
            f"search {label} ({text}) p{page}",
            f"{API}/skus/search/?{urlencode({'text': text, 'page': page, 'page_size': PAGE_SIZE})}",
        )
        for label, text in QUERIES
        for page in PAGES
    ]
    return throughput, latency


def main() -> None:
    """Print the scenarios of this catalog with their queries per uncached request."""
    client = Client()
    throughput, latency = scenarios()

    def described(pairs: list[tuple[str, str]]) -> list[dict[str, object]]:
        rows = []
        for name, path in pairs:
            if client.get(path).status_code != 200:  # also warms connections, the word segmenter, code paths
                continue  # e.g. page 20 of a query with fewer hits
            catalog_version_bump()
            queries = count_queries(lambda path=path: client.get(path))  # type: ignore[misc]
            rows.append({"name": name, "path": path, "queries": queries})
        return rows

    print(json.dumps({"skus": SKU.objects.count(), "throughput": described(throughput), "latency": described(latency)}))


if __name__ == "__main__":
    main()
