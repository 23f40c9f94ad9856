"""Each search backend exercised directly on its own database; the other one is skipped with the reason."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from meiduo.goods import services
from meiduo.goods.models import SKU
from meiduo.goods.tests.conftest import PhoneCatalog
from meiduo.search.backends import (
    SKU_ID_MASK,
    MySQLFullTextBackend,
    PostgresFullTextBackend,
    SQLiteFTS5Backend,
    get_backend,
    match_all,
)
from meiduo.search.models import SearchDocument
from meiduo.search.segment import TITLE_MARK, words_for_index, words_for_query
from meiduo.search.services import search_ranks_refresh
from tests.support import searching

pytestmark = searching


def _ids(backend, words: list[str], offset: int, limit: int) -> list[int]:
    """The SKU ids of a page of the backend's matches, best first."""
    return [row[0] for row in backend.rows(words, offset, limit, columns="s.id")]


@pytest.mark.parametrize(
    "backend_class", [SQLiteFTS5Backend, PostgresFullTextBackend, MySQLFullTextBackend], ids=lambda cls: cls.vendor
)
def test_backend_finds_and_pages(backend_class, phone_catalog: PhoneCatalog):
    vendor = backend_class.vendor
    if connection.vendor != vendor:
        pytest.skip(f"the {vendor} backend needs DATABASE_URL to point at {vendor} (this run uses {connection.vendor})")
    backend = backend_class()

    everything = _ids(backend, ["华为"], 0, 10)
    assert backend.count(["华为", "手机"]) == 3
    assert backend.count(["华为", "mate", "60", "手机", "256gb"]) == 2  # past 4 words: SQLite's pairs of neighbours
    assert len(everything) == 3
    assert _ids(backend, ["华为"], 0, 2) + _ids(backend, ["华为"], 2, 2) == everything
    assert backend.count(words_for_query("白沙银")) == 1  # the off-sale 白沙银 512GB is not counted
    assert backend.count(["不存在的词"]) == 0


def test_sqlite_indexes_each_pair_of_a_documents_words_and_follows_its_changes(
    phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks
):
    if connection.vendor != "sqlite":
        pytest.skip(f"word pairs are indexed on SQLite only (this run uses {connection.vendor})")
    black = phone_catalog.black_256

    def pair_postings(first: str, second: str) -> list[int]:
        """The index's entries (rank keys) for the pair of title words: what a query of both words reads."""
        with connection.cursor() as cursor:
            token = f'"{TITLE_MARK}{min(first, second)}{TITLE_MARK}{max(first, second)}"'
            cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rowid", [token])
            return [row[0] for row in cursor.fetchall()]

    on_sale = {black.id, phone_catalog.black_512.id, phone_catalog.white_256.id}
    assert {key & SKU_ID_MASK for key in pair_postings("华为", "手机")} == on_sale
    with django_capture_on_commit_callbacks(execute=True):
        services.sku_update(sku=black, name="华为 Mate 60 典藏版")
    assert pair_postings("典藏版", "华为") == [SearchDocument.objects.get(sku_id=black.id).rank_key]

    SKU.objects.filter(id=black.id).update(sales=500)  # as orders do; the refresh moves the document
    assert search_ranks_refresh() == 1
    assert pair_postings("典藏版", "华为") == [SearchDocument.objects.get(sku_id=black.id).rank_key]
    assert _ids(SQLiteFTS5Backend(), ["典藏版", "华为"], 0, 10) == [black.id]

    with django_capture_on_commit_callbacks(execute=True):
        services.sku_update(sku=black, is_launched=False)
    assert pair_postings("典藏版", "华为") == []
    assert SQLiteFTS5Backend().count(["典藏版", "华为"]) == 0


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


def test_sqlite_asks_for_the_shortest_pairs_that_hold_every_word(phone_catalog: PhoneCatalog):
    if connection.vendor != "sqlite":
        pytest.skip(f"word pairs are indexed on SQLite only (this run uses {connection.vendor})")
    backend = SQLiteFTS5Backend()
    words = words_for_query("华为 手机 512GB")
    # 华为+手机 is in 3 on-sale documents, 512gb+华为 and 512gb+手机 in 1 each: those two hold every word.
    assert backend.pair_size("华为", "手机") == 3
    assert backend.pair_size("512gb", "华为") == backend.pair_size("512gb", "手机") == 1
    query = backend.render(match_all(words))
    assert "华为\ue000手机" not in query and "华为\ue001手机" not in query
    assert query.count("512gb") == 8  # two pairs, each any of its four marked tokens
    assert backend.count(words) == 1
    assert _ids(backend, words, 0, 10) == [phone_catalog.black_512.id]
    # Four words: two pairs hold them all, whichever they are; the answer is the documents holding every word.
    four = words_for_query("华为 Mate 手机 256GB")
    assert len(backend.render(match_all(four)).split(" AND ")) in (2, 3)
    assert sorted(_ids(backend, four, 0, 10)) == sorted([phone_catalog.black_256.id, phone_catalog.white_256.id])
