"""Each search backend exercised directly on its own database; the other one is skipped with the reason."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from meiduo.goods.tests.conftest import PhoneCatalog
from meiduo.search.backends import MySQLFullTextBackend, PostgresFullTextBackend, SQLiteFTS5Backend, get_backend
from meiduo.search.segment import words_for_index, words_for_query
from tests.support import searching

pytestmark = searching


@pytest.mark.parametrize(
    "backend_class", [SQLiteFTS5Backend, PostgresFullTextBackend, MySQLFullTextBackend], ids=lambda cls: cls.vendor
)
def test_backend_finds_and_pages(backend_class, phone_catalog: PhoneCatalog):
    vendor = backend_class.vendor
    if connection.vendor != vendor:
        pytest.skip(f"the {vendor} backend needs DATABASE_URL to point at {vendor} (this run uses {connection.vendor})")
    backend = backend_class()

    everything = backend.ids(["华为"], 0, 10)
    assert backend.count(["华为", "手机"]) == 3
    assert len(everything) == 3
    assert backend.ids(["华为"], 0, 2) + backend.ids(["华为"], 2, 2) == everything
    assert backend.count(words_for_query("白沙银")) == 1  # the off-sale 白沙银 512GB is not counted
    assert backend.count(["不存在的词"]) == 0


def test_a_backend_refuses_the_wrong_database():
    other = PostgresFullTextBackend() if connection.vendor == "sqlite" else SQLiteFTS5Backend()
    with pytest.raises(ImproperlyConfigured):
        other.count(["手机"])


def test_unknown_backend_name_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        get_backend("elasticsearch")


def test_segmentation():
    assert words_for_query("华为手机") == ["华为", "手机"]
    assert {"华为", "手机"} <= set(words_for_index("华为手机 Mate60"))
    assert words_for_query("，。！ ") == []
    assert words_for_query("iPhone iPhone") == ["iphone"]
