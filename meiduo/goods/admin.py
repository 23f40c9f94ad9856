"""Operator admin of the catalog; every save and delete goes through the catalog services.

The services refresh the search documents of the SKUs concerned and invalidate
the cached catalog answers once the change commits, so operators see their
edit on the storefront at once.
"""

from typing import Any

from django.contrib import admin
from django.db.models import Model, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meiduo.goods import models, services


class CatalogAdmin(admin.ModelAdmin):
    """Saves/deletes through the catalog services; a change to inline rows counts as a change of the parent."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        services.catalog_object_save(obj=obj)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        services.catalog_object_save(obj=form.instance)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        services.catalog_objects_delete(objs=[obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        services.catalog_objects_delete(objs=list(queryset))


class SubCategoryInline(admin.TabularInline):
    """Child categories edited inside their parent."""

    model = models.GoodsCategory
    fk_name = "parent"
    extra = 0
    fields = ("name",)
    show_change_link = True


@admin.register(models.GoodsCategory)
class GoodsCategoryAdmin(CatalogAdmin):
    """The three-level category tree."""

    list_display = ("id", "name", "parent")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name",)
    autocomplete_fields = ("parent",)
    inlines = (SubCategoryInline,)


class ChannelInline(admin.TabularInline):
    """Channels edited inside their group."""

    model = models.GoodsChannel
    extra = 0
    autocomplete_fields = ("category",)


@admin.register(models.GoodsChannelGroup)
class GoodsChannelGroupAdmin(CatalogAdmin):
    """Channel groups (rows of the home menu) with their channels."""

    list_display = ("id", "name")
    search_fields = ("name",)
    inlines = (ChannelInline,)


@admin.register(models.GoodsChannel)
class GoodsChannelAdmin(CatalogAdmin):
    """Home menu channels."""

    list_display = ("id", "group", "category", "url", "sequence")
    list_filter = ("group",)
    list_select_related = ("group", "category")
    autocomplete_fields = ("category",)


@admin.register(models.Brand)
class BrandAdmin(CatalogAdmin):
    """Brands."""

    list_display = ("id", "name", "first_letter")
    list_filter = ("first_letter",)
    search_fields = ("name",)


class SpecificationInline(admin.TabularInline):
    """Specifications edited inside their SPU."""

    model = models.SPUSpecification
    extra = 0
    show_change_link = True


@admin.register(models.SPU)
class SPUAdmin(CatalogAdmin):
    """SPUs with their specifications; counters are read-only."""

    list_display = ("id", "name", "brand", "category3", "sales", "comments")
    list_filter = ("brand", ("category3", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("brand", "category3")
    search_fields = ("name", "brand__name")
    autocomplete_fields = ("brand", "category1", "category2", "category3")
    readonly_fields = ("sales", "comments")
    inlines = (SpecificationInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[models.SPU]:
        """SPUs with `sold`: the sum of their SKUs' sales (an SPU keeps no count of its own)."""
        sold = models.SKU.objects.filter(spu=OuterRef("pk")).values("spu").annotate(units=Sum("sales")).values("units")
        return super().get_queryset(request).annotate(sold=Coalesce(Subquery(sold), 0))

    @admin.display(description=_("sales"), ordering="sold")
    def sales(self, spu: models.SPU) -> int:
        """Units of the SPU's SKUs sold (cancelled orders give theirs back); 0 for one being added."""
        return int(getattr(spu, "sold", 0))


class OptionInline(admin.TabularInline):
    """Options edited inside their specification."""

    model = models.SpecificationOption
    extra = 1


@admin.register(models.SPUSpecification)
class SPUSpecificationAdmin(CatalogAdmin):
    """Specifications with their options."""

    list_display = ("id", "spu", "name")
    list_select_related = ("spu",)
    search_fields = ("name", "spu__name")
    autocomplete_fields = ("spu",)
    inlines = (OptionInline,)


@admin.register(models.SpecificationOption)
class SpecificationOptionAdmin(CatalogAdmin):
    """Specification options."""

    list_display = ("id", "spec", "value")
    list_select_related = ("spec__spu",)
    search_fields = ("value", "spec__name", "spec__spu__name")
    autocomplete_fields = ("spec",)


class SKUImageInline(admin.TabularInline):
    """Gallery images edited inside their SKU."""

    model = models.SKUImage
    extra = 1


class SKUSpecificationInline(admin.TabularInline):
    """The option of each specification, edited inside the SKU."""

    model = models.SKUSpecification
    extra = 0
    autocomplete_fields = ("spec", "option")


@admin.register(models.SKU)
class SKUAdmin(CatalogAdmin):
    """SKUs with their options and images; counters are read-only (orders change them atomically).

    Stock is read-only here too: meiduo.stock's admin registers the SKU page with stock editing.
    """

    list_display = ("id", "name", "price", "stock", "sales", "comments", "is_launched")
    list_filter = ("is_launched", ("category", admin.RelatedOnlyFieldListFilter), "spu__brand")
    search_fields = ("name", "caption", "spu__name")
    autocomplete_fields = ("spu", "category")
    readonly_fields = ("stock", "sales", "comments", "views", "favorites")
    list_editable = ("is_launched",)
    inlines = (SKUSpecificationInline, SKUImageInline)


class ContentInline(admin.TabularInline):
    """Items edited inside their home page slot."""

    model = models.Content
    extra = 0


@admin.register(models.ContentCategory)
class ContentCategoryAdmin(CatalogAdmin):
    """Home page slots (index_lbt …) with their items."""

    list_display = ("id", "name", "key")
    search_fields = ("name", "key")
    inlines = (ContentInline,)


@admin.register(models.Content)
class ContentAdmin(CatalogAdmin):
    """Home page items (banners, ads, news)."""

    list_display = ("id", "category", "title", "sequence", "status")
    list_filter = ("category", "status")
    list_select_related = ("category",)
    search_fields = ("title", "text")
    list_editable = ("sequence", "status")


@admin.register(models.FloorBrand)
class FloorBrandAdmin(CatalogAdmin):
    """The brands each home floor shows (logo and name, linking to the brand's goods in a category)."""

    list_display = ("id", "floor", "sequence", "brand", "category")
    list_filter = ("floor",)
    list_select_related = ("brand", "category")
    list_editable = ("sequence",)
    autocomplete_fields = ("brand", "category")


@admin.register(models.GoodsVisitCount)
class GoodsVisitCountAdmin(admin.ModelAdmin):
    """Daily category visits, read-only (counted by the storefront)."""

    list_display = ("date", "category", "count")
    list_filter = ("date",)
    list_select_related = ("category",)
    date_hierarchy = "date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
