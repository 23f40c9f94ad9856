"""Category list pages are read in index order: no sort of a whole category, whatever its size."""

import pytest
from django.db import connection

from meiduo.goods import selectors
from meiduo.goods.tests.conftest import PhoneCatalog


@pytest.mark.parametrize("ordering", list(selectors.SKU_ORDERINGS))
def test_each_list_ordering_walks_an_index_without_sorting(phone_catalog: PhoneCatalog, ordering: str) -> None:
    if connection.vendor != "sqlite":  # PostgreSQL plans by table statistics: a tiny table is simply scanned
        pytest.skip("the plan is pinned on SQLite")
    with connection.cursor() as cursor:
        statement = selectors.category_page_statement(ordering)
        cursor.execute(f"EXPLAIN QUERY PLAN {statement}", [phone_catalog.cat3.pk, 20, 40])
        plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING INDEX sku_cat_" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
