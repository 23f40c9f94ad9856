"""`manage.py generate_catalog --skus N`: add a large synthetic catalog (bulk inserts, progress bar), then index it."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from meiduo.demo.synthetic import synthetic_catalog_generate
from meiduo.goods.caching import catalog_version_bump
from meiduo.goods.models import SKU
from meiduo.search.services import search_index_rebuild


class Command(BaseCommand):
    """Generate N synthetic SKUs (4 per SPU) under a 精选 copy of the demo category tree."""

    help = "Add a large synthetic catalog for benchmarks and rebuild the search index."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--skus", type=int, default=10_000, help="How many SKUs to add (default 10000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same catalog).")
        parser.add_argument("--no-index", action="store_true", help="Skip rebuilding the search index.")

    def handle(self, *args: Any, **options: Any) -> None:
        with tqdm(total=options["skus"], unit="SKU", desc="catalog", file=self.stderr) as bar:
            added = synthetic_catalog_generate(skus=options["skus"], seed=options["seed"], progress=bar.update)
        if not options["no_index"]:
            with tqdm(total=SKU.objects.count(), unit="SKU", desc="search index", file=self.stderr) as bar:
                search_index_rebuild(progress=bar.update)
        catalog_version_bump()
        self.stdout.write(self.style.SUCCESS(f"Added {added} SKUs ({SKU.objects.count()} in the catalog)."))
