"""Catalog reads (meiduo.core.dbrouter.lag_tolerant_rows): the backend's cursor when nobody counts statements,
Django's cursor (logged, counted) when someone does — the same rows and the same errors either way."""

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from meiduo.core.dbrouter import lag_tolerant_rows
from meiduo.goods.tests.factories import SKUFactory

STATEMENT = 'SELECT s.id, s.name, s.price FROM "tb_sku" s WHERE s.id IN (%s, %s) ORDER BY s.id'


@pytest.mark.django_db
def test_same_rows_whether_or_not_statements_are_counted() -> None:
    first, second = SKUFactory.create(), SKUFactory.create()
    uncounted = lag_tolerant_rows(STATEMENT, [first.id, second.id])
    with CaptureQueriesContext(connection) as counted_queries:
        counted = lag_tolerant_rows(STATEMENT, [first.id, second.id])
    assert uncounted == counted
    assert [row[:2] for row in counted] == [(first.id, first.name), (second.id, second.name)]
    assert len(counted_queries) == 1  # a counter sees the statement


@pytest.mark.django_db
def test_uncounted_statements_are_not_logged_and_errors_are_djangos() -> None:
    SKUFactory.create()
    connection.queries_log.clear()
    lag_tolerant_rows(STATEMENT, [1, 2])
    assert not connection.queries_log
    # A failing read raises Django's exception classes (what the replica fallback and the 503 handler catch).
    with pytest.raises(DatabaseError):
        lag_tolerant_rows('SELECT nothing FROM "tb_no_such_table"', [])
