"""The dashboard's low-stock list reads a range of the partial stock index, not every SKU of the catalog."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meiduo.operations import selectors


@pytest.mark.django_db
def test_low_stock_reads_the_stock_index() -> None:
    if connection.vendor != "sqlite":  # PostgreSQL plans by table statistics: a tiny table is simply scanned
        pytest.skip("the plan is pinned on SQLite")
    with CaptureQueriesContext(connection) as captured:
        selectors.low_stock_skus()
    (query,) = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
        plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING INDEX sku_stock_idx" in plan or "USING COVERING INDEX sku_stock_idx" in plan, plan
