"""The search document of each on-sale SKU: its words, segmented once, and its static rank."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """Space-separated words of an on-sale SKU as jieba segments them, and where it ranks.

    `terms` holds every word of the title (SKU name, SPU name, brand, category)
    and of the caption, plus each title word marked by segment.TITLE_MARK (so a
    query can ask for a word in the title). `rank_key` orders documents by sales
    (highest first), then SKU id: (2**30 - min(sales, 2**30)) * 2**32 + sku_id,
    so a search walks an index in result order instead of sorting its hits.
    Off-sale SKUs have no document. SQLite indexes this table with an FTS5 table
    whose rowid is `rank_key` (kept in step by triggers, which also index each pair
    of the document's words as one token: migration 0005); PostgreSQL with a GIN
    index on a generated tsvector column of the terms and a unique btree on
    `rank_key` that includes the tsvector (a walk in rank order never leaves the index);
    MySQL / MariaDB with an InnoDB FULLTEXT index on a column generated from the
    terms (backends.MySQLFullTextBackend). Each is created by this app's migrations
    for its own database only.
    """

    sku = models.OneToOneField(
        "goods.SKU", on_delete=models.CASCADE, primary_key=True, related_name="search_document", verbose_name=_("SKU")
    )
    terms = models.TextField(_("indexed words"))
    sales = models.PositiveIntegerField(_("sales when ranked"), default=0)
    rank_key = models.BigIntegerField(_("rank key"))  # unique by construction; indexed per vendor (migration 0003)

    class Meta:
        db_table = "tb_search_document"
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"{self.sku_id}: {self.terms[:40]}"
