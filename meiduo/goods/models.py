"""Catalog data: categories, channels, brands, SPUs/SKUs with specifications and images, home content, visits."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from meiduo.core.links import validate_safe_link


class TimestampedModel(models.Model):
    """Abstract base giving every catalog row a creation and a last-change time."""

    create_time = models.DateTimeField(_("created"), auto_now_add=True)
    update_time = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class GoodsCategory(TimestampedModel):
    """A node of the three-level category tree (手机通讯 > 手机 > 手机); goods hang on the third level."""

    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="subs",
        null=True,
        blank=True,
        verbose_name=_("parent category"),
    )
    # How many on-sale SKUs hang here: kept by the database itself (triggers of migration 0004 on every insert,
    # delete and on-sale or category change of an SKU, whatever the path), so a list page reads its count
    # instead of counting the category's SKUs. Never written by the application (see save()).
    on_sale_skus = models.PositiveIntegerField(_("on-sale SKUs"), default=0, editable=False)

    class Meta:
        db_table = "tb_goods_category"
        ordering = ["id"]
        verbose_name = _("goods category")
        verbose_name_plural = _("goods categories")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; an existing row without its on-sale count, which the loaded value would set back to a stale one."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "on_sale_skus"
            ]
        super().save(*args, **kwargs)


class GoodsChannelGroup(TimestampedModel):
    """A group of navigation channels shown together in one row of the home page menu."""

    name = models.CharField(_("name"), max_length=20)

    class Meta:
        db_table = "tb_channel_group"
        ordering = ["id"]
        verbose_name = _("channel group")
        verbose_name_plural = _("channel groups")

    def __str__(self) -> str:
        return self.name


class GoodsChannel(TimestampedModel):
    """A home page navigation entry: a top-level category shown in a group, linking to `url`."""

    group = models.ForeignKey(
        GoodsChannelGroup, on_delete=models.CASCADE, related_name="channels", verbose_name=_("channel group")
    )
    category = models.ForeignKey(
        GoodsCategory, on_delete=models.CASCADE, related_name="channels", verbose_name=_("top-level category")
    )
    url = models.CharField(_("link"), max_length=200, validators=[validate_safe_link])
    sequence = models.IntegerField(_("position in the group"), default=0)

    class Meta:
        db_table = "tb_goods_channel"
        ordering = ["group_id", "sequence", "id"]
        verbose_name = _("goods channel")
        verbose_name_plural = _("goods channels")

    def __str__(self) -> str:
        return self.category.name


class Brand(TimestampedModel):
    """A brand (华为, Apple …)."""

    name = models.CharField(_("name"), max_length=20)
    logo = models.ImageField(_("logo"), upload_to="brands/", blank=True)
    first_letter = models.CharField(_("first letter"), max_length=1)

    class Meta:
        db_table = "tb_brand"
        ordering = ["first_letter", "id"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self) -> str:
        return self.name


class SPU(TimestampedModel):
    """A standard product unit (华为 Mate 60): the shared description of all its SKUs."""

    name = models.CharField(_("name"), max_length=50)
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="spus", verbose_name=_("brand"))
    category1 = models.ForeignKey(
        GoodsCategory, on_delete=models.PROTECT, related_name="cat1_spus", verbose_name=_("first-level category")
    )
    category2 = models.ForeignKey(
        GoodsCategory, on_delete=models.PROTECT, related_name="cat2_spus", verbose_name=_("second-level category")
    )
    category3 = models.ForeignKey(
        GoodsCategory, on_delete=models.PROTECT, related_name="cat3_spus", verbose_name=_("third-level category")
    )
    # No sales column: an SPU's sales are the sum of its SKUs' (the admin adds them up), so an order never
    # writes the SPU row, which every order of any of its SKUs would otherwise wait for (docs/orders.md).
    comments = models.PositiveIntegerField(_("reviews"), default=0)
    desc_detail = models.TextField(_("detailed description"), blank=True, default="")
    desc_pack = models.TextField(_("packing list"), blank=True, default="")
    desc_service = models.TextField(_("after-sales service"), blank=True, default="")

    class Meta:
        db_table = "tb_spu"
        ordering = ["id"]
        verbose_name = _("SPU")
        verbose_name_plural = _("SPUs")

    def __str__(self) -> str:
        return self.name


class SPUSpecification(TimestampedModel):
    """A specification an SPU varies by (颜色, 内存 …)."""

    spu = models.ForeignKey(SPU, on_delete=models.CASCADE, related_name="specs", verbose_name=_("SPU"))
    name = models.CharField(_("name"), max_length=20)

    class Meta:
        db_table = "tb_spu_specification"
        ordering = ["id"]
        verbose_name = _("SPU specification")
        verbose_name_plural = _("SPU specifications")

    def __str__(self) -> str:
        return f"{self.spu.name}: {self.name}"


class SpecificationOption(TimestampedModel):
    """One value of a specification (颜色 → 曜石黑)."""

    spec = models.ForeignKey(
        SPUSpecification, on_delete=models.CASCADE, related_name="options", verbose_name=_("specification")
    )
    value = models.CharField(_("value"), max_length=20)

    class Meta:
        db_table = "tb_specification_option"
        ordering = ["id"]
        verbose_name = _("specification option")
        verbose_name_plural = _("specification options")

    def __str__(self) -> str:
        return f"{self.spec.name}: {self.value}"


# The on-sale SKUs: the part of the table the storefront lists (its indexes are partial on it).
_LAUNCHED = models.Q(is_launched=True)


class SKU(TimestampedModel):
    """A stock keeping unit: one sellable combination of options of an SPU, with its price and stock."""

    name = models.CharField(_("name"), max_length=100)
    caption = models.CharField(_("caption"), max_length=100, blank=True, default="")
    spu = models.ForeignKey(SPU, on_delete=models.PROTECT, related_name="skus", verbose_name=_("SPU"))
    category = models.ForeignKey(
        GoodsCategory, on_delete=models.PROTECT, related_name="skus", verbose_name=_("third-level category")
    )
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    cost_price = models.DecimalField(_("cost price"), max_digits=10, decimal_places=2)
    market_price = models.DecimalField(_("market price"), max_digits=10, decimal_places=2)
    stock = models.PositiveIntegerField(_("stock"), default=0)
    sales = models.PositiveIntegerField(_("sales"), default=0)
    comments = models.PositiveIntegerField(_("reviews"), default=0)
    # Product page views (batched by goods.services.sku_views_add) and shoppers who saved it (users' favourites).
    views = models.PositiveBigIntegerField(_("views"), default=0, editable=False)
    favorites = models.PositiveIntegerField(_("favourites"), default=0, editable=False)
    is_launched = models.BooleanField(_("on sale"), default=True)
    default_image = models.ImageField(_("default image"), upload_to="goods/", max_length=255, blank=True)

    class Meta:
        db_table = "tb_sku"
        ordering = ["id"]
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")
        indexes = [
            # Partial indexes: a list's `WHERE category_id = ? AND is_launched` matches them as written (SQLite
            # cannot use a bare boolean column of a composite index as an equality), so a page of a category
            # holding 30,000 SKUs is read in index order instead of sorting them all.
            models.Index(fields=["category", "create_time", "id"], name="sku_cat_time_idx", condition=_LAUNCHED),
            models.Index(fields=["category", "price", "id"], name="sku_cat_price_idx", condition=_LAUNCHED),
            models.Index(fields=["category", "sales", "id"], name="sku_cat_sales_idx", condition=_LAUNCHED),
            models.Index(fields=["category", "views", "id"], name="sku_cat_views_idx", condition=_LAUNCHED),
            models.Index(fields=["category", "favorites", "id"], name="sku_cat_favorites_idx", condition=_LAUNCHED),
            # The operations dashboard's low-stock list (stock <= LOW_STOCK_THRESHOLD) reads a range of it instead of
            # scanning every SKU (0.38 s at 1M SKUs); stock changes update it, a small write per order line.
            models.Index(fields=["stock", "id"], name="sku_stock_idx", condition=_LAUNCHED),
        ]

    def __str__(self) -> str:
        return f"{self.id}: {self.name}"


class SKUImage(TimestampedModel):
    """One picture of an SKU shown in the detail page gallery."""

    sku = models.ForeignKey(SKU, on_delete=models.CASCADE, related_name="images", verbose_name=_("SKU"))
    image = models.ImageField(_("image"), upload_to="goods/", max_length=255)

    class Meta:
        db_table = "tb_sku_image"
        ordering = ["id"]
        verbose_name = _("SKU image")
        verbose_name_plural = _("SKU images")

    def __str__(self) -> str:
        return f"{self.sku_id}: {self.image.name}"


class SKUSpecification(TimestampedModel):
    """The option an SKU has for one specification of its SPU (SKU 3 is 颜色 = 曜石黑)."""

    sku = models.ForeignKey(SKU, on_delete=models.CASCADE, related_name="specs", verbose_name=_("SKU"))
    spec = models.ForeignKey(SPUSpecification, on_delete=models.PROTECT, verbose_name=_("specification"))
    option = models.ForeignKey(SpecificationOption, on_delete=models.PROTECT, verbose_name=_("option"))

    class Meta:
        db_table = "tb_sku_specification"
        ordering = ["spec_id", "id"]
        verbose_name = _("SKU specification")
        verbose_name_plural = _("SKU specifications")
        constraints = [models.UniqueConstraint(fields=["sku", "spec"], name="sku_spec_unique")]

    def __str__(self) -> str:
        return f"{self.sku_id}: {self.spec_id} = {self.option_id}"


class ContentCategory(TimestampedModel):
    """A content slot of the home page identified by its key (index_lbt is the carousel)."""

    name = models.CharField(_("name"), max_length=50)
    key = models.CharField(_("key"), max_length=50, unique=True)

    class Meta:
        db_table = "tb_content_category"
        ordering = ["id"]
        verbose_name = _("content slot")
        verbose_name_plural = _("content slots")

    def __str__(self) -> str:
        return self.name


class Content(TimestampedModel):
    """One item of a home page slot: a banner, an ad or a news line."""

    category = models.ForeignKey(
        ContentCategory, on_delete=models.PROTECT, related_name="contents", verbose_name=_("content slot")
    )
    title = models.CharField(_("title"), max_length=100)
    url = models.CharField(_("link"), max_length=300, validators=[validate_safe_link])
    image = models.ImageField(_("image"), upload_to="contents/", max_length=255, blank=True)
    text = models.TextField(_("text"), blank=True, default="")
    sequence = models.IntegerField(_("position"), default=0)
    status = models.BooleanField(_("shown"), default=True)

    class Meta:
        db_table = "tb_content"
        ordering = ["category_id", "sequence", "id"]
        verbose_name = _("content")
        verbose_name_plural = _("contents")

    def __str__(self) -> str:
        return f"{self.category.name}: {self.title}"


class FloorBrand(TimestampedModel):
    """A brand shown on a floor of the home page (floor n is the content slots index_{n}f_*), linking to its goods."""

    floor = models.PositiveSmallIntegerField(_("floor"), help_text=_("1 for the slots index_1f_*, 2 for index_2f_* …"))
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+", verbose_name=_("brand"))
    category = models.ForeignKey(
        GoodsCategory,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("The link lists this brand's goods at or below this category (any level)."),
    )
    sequence = models.IntegerField(_("position"), default=0)

    class Meta:
        db_table = "tb_floor_brand"
        ordering = ["floor", "sequence", "id"]
        constraints = [models.UniqueConstraint(fields=["floor", "brand"], name="floor_brand_uniq")]
        verbose_name = _("floor brand")
        verbose_name_plural = _("floor brands")

    def __str__(self) -> str:
        return f"{self.floor}F: {self.brand}"


class GoodsVisitCount(TimestampedModel):
    """How many times a category list page was visited on one day (operations statistics)."""

    category = models.ForeignKey(
        GoodsCategory, on_delete=models.CASCADE, related_name="visit_counts", verbose_name=_("category")
    )
    date = models.DateField(_("date"))
    count = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        db_table = "tb_goods_visit"
        ordering = ["-date", "category_id"]
        verbose_name = _("category visits")
        verbose_name_plural = _("category visits")
        constraints = [models.UniqueConstraint(fields=["category", "date"], name="goods_visit_unique_day")]

    def __str__(self) -> str:
        return f"{self.category_id} {self.date}: {self.count}"
