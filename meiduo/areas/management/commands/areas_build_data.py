"""Rebuild meiduo/areas/data/areas.json from a china-division `pca-code.json` (used when upgrading the data)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meiduo.areas.dataset import DATA_FILE, dataset_from_pca_code, dataset_write


class Command(BaseCommand):
    """`manage.py areas_build_data package/dist/pca-code.json --dataset-version 2.7.0`."""

    help = "Convert china-division's dist/pca-code.json into the committed compact area data file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pca_code_json", type=Path)
        parser.add_argument("--dataset-version", dest="dataset_version", required=True, help="china-division version")
        parser.add_argument("--output", type=Path, default=DATA_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        tree = json.loads(options["pca_code_json"].read_text(encoding="utf-8"))
        dataset = dataset_from_pca_code(tree, version=options["dataset_version"])
        dataset_write(dataset, options["output"])
        self.stdout.write(f"{len(dataset['rows'])} divisions written to {options['output']}")
