"""Fixtures of the area tests: the division tree, reloaded if a transactional test flushed it."""

import pytest

from meiduo.areas.dataset import dataset_read
from meiduo.areas.models import Area
from meiduo.areas.services import area_tree_import


@pytest.fixture
def division_tree(db: None) -> None:
    """The full tree from the data file (the data migration loads it; a flush may have removed it)."""
    if not Area.objects.filter(pk=440305).exists():
        area_tree_import(rows=dataset_read()["rows"])
