"""The search document of each SKU: its words, segmented once, which the search backends index."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """Space-separated words of an SKU (name, caption, SPU, brand, category) as jieba segments them.

    SQLite indexes this table with an FTS5 virtual table kept in step by triggers;
    PostgreSQL with a GIN index on its `to_tsvector('simple', text)`. Both are
    created by this app's migrations for their own database only.
    """

    sku = models.OneToOneField(
        "goods.SKU", on_delete=models.CASCADE, primary_key=True, related_name="search_document", verbose_name=_("SKU")
    )
    text = models.TextField(_("segmented words"))

    class Meta:
        db_table = "tb_search_document"
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"{self.sku_id}: {self.text[:40]}"
