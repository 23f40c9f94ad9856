"""Search latency: one client, uncached, p50/p95/p99 of a fixed list of queries on the catalog in use.

In process (the whole Django stack through django.test.Client, catalog cache
off) against MEIDUO_DATA_DIR's database:

    MEIDUO_DATA_DIR=var/bench-1m .venv/bin/python bench/search_latency.py --json-out search.json

or over HTTP against a running shop started with CATALOG_CACHE_TIMEOUT=0:

    .venv/bin/python bench/search_latency.py --url http://127.0.0.1:8000 --json-out search.json

The queries cover a very common word (手机), a less common one (冰箱), a rare
one (典藏版, 0.1% of the SPUs of `generate_catalog`), a multi-word query, a
brand + model and a word with no hit; first page and page 20 (20 per page).
Page 20 is skipped where the query has fewer than 400 results. `--json-out`
writes a JSON list of rows {"scenario", "skus", "p50_ms", "p95_ms", "p99_ms"}
(what `make bench` merges into its table); a Markdown table goes to stdout.
"""

import argparse
import http.client
import json
import os
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

PAGE_SIZE = 20
QUERIES = [
    ("common", "手机"),
    ("less common", "冰箱"),
    ("rare", "典藏版"),
    ("multi-word", "华为 手机"),
    ("brand + model", "小米 Max 53"),
    ("no hit", "潜水艇"),
]
PAGES = (1, 20)


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 of the samples (milliseconds)."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[94], cuts[98]


def in_process_getter() -> tuple[Callable[[str], tuple[int, bytes]], int]:
    """A GET through the Django stack in this process (catalog cache off), and the catalog's SKU count."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["CATALOG_CACHE_TIMEOUT"] = "0"
    import django

    django.setup()
    from django.test import Client

    from meiduo.goods.models import SKU
    from meiduo.search.segment import warm_up

    warm_up()
    client = Client()

    def get(path: str) -> tuple[int, bytes]:
        response = client.get(path)
        return response.status_code, response.content

    return get, SKU.objects.count()


def http_getter(base: str) -> Callable[[str], tuple[int, bytes]]:
    """A GET over one kept-alive HTTP connection to the shop at `base`."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80, timeout=30)

    def get(path: str) -> tuple[int, bytes]:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()

    return get


def measure(get: Callable[[str], tuple[int, bytes]], path: str, requests: int, warmup: int) -> list[float]:
    """Wall times (ms) of `requests` GETs of `path`, after `warmup` unmeasured ones; every answer must be a 200."""
    for _ in range(warmup):
        get(path)
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        status, body = get(path)
        samples.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status} {body[:200]!r}")
    return samples


def main() -> None:
    """Measure every query of the list and print/write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="base URL of a running shop (default: in process, MEIDUO_DATA_DIR's database)")
    parser.add_argument("--skus", type=int, help="catalog size to report (default: counted; required with --url)")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per query (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests first (default 20)")
    parser.add_argument("--quick", action="store_true", help="50 requests per query, 5 to warm up")
    parser.add_argument("--json-out", type=Path, help="write the rows to this JSON file")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.warmup = 50, 5
    if args.url:
        if args.skus is None:
            parser.error("--skus is required with --url")
        get, skus = http_getter(args.url), args.skus
    else:
        get, counted = in_process_getter()
        skus = args.skus if args.skus is not None else counted

    rows = []
    print("| scenario | SKUs | results | p50 ms | p95 ms | p99 ms |\n| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, text in QUERIES:
        first = "/api/v1/skus/search/?" + urllib.parse.urlencode({"text": text, "page_size": PAGE_SIZE})
        status, body = get(first)
        count = json.loads(body)["count"] if status == 200 else 0
        for page in PAGES:
            if (page - 1) * PAGE_SIZE >= max(count, 1):
                continue
            path = f"{first}&page={page}"
            p50, p95, p99 = percentiles(measure(get, path, args.requests, args.warmup))
            scenario = f"search {label} ({text}) page {page}"
            rows.append({"scenario": scenario, "skus": skus, "p50_ms": round(p50, 2), "p95_ms": round(p95, 2),
                         "p99_ms": round(p99, 2)})  # fmt: skip
            print(f"| {scenario} | {skus} | {count} | {p50:.2f} | {p95:.2f} | {p99:.2f} |", flush=True)
    if args.json_out:
        args.json_out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
