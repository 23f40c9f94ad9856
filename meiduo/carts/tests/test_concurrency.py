"""Real concurrency: one shopper's requests (another tab, a double click) adding to one cart line at once.

Each thread has its own database connection (transactional tests), on SQLite and PostgreSQL alike.
"""

from collections import Counter

import pytest
from rest_framework.test import APIClient

from meiduo.carts.models import CartLine
from meiduo.core import sql
from meiduo.goods.tests.factories import SKUFactory
from meiduo.users.models import User
from tests.support import run_together

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 12


@pytest.mark.parametrize("upserts", [True, False], ids=["upsert", "in steps"])
def test_racing_adds_make_one_line_within_the_stock(monkeypatch: pytest.MonkeyPatch, upserts: bool) -> None:
    if not upserts:
        monkeypatch.setattr(sql, "upserts", lambda **kwargs: False)
    shopper = User.objects.create_user(username="racer", password="password123", mobile="13800000009")
    sku = SKUFactory.create(stock=5)

    def add() -> int:
        client = APIClient()
        client.force_authenticate(shopper)
        return int(client.post("/api/v1/carts/", {"sku_id": sku.id, "count": 1}, format="json").status_code)

    statuses = Counter(run_together([add] * REQUESTS))

    assert statuses == {201: 5, 400: REQUESTS - 5}
    assert list(CartLine.objects.values_list("user_id", "sku_id", "count")) == [(shopper.id, sku.id, 5)]
