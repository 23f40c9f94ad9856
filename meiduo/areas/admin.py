"""Operator admin for areas (read-mostly: the tree comes from the data file)."""

from django.contrib import admin

from meiduo.areas.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    """Browse and search the division tree."""

    list_display = ("id", "name", "parent")
    search_fields = ("=id", "name")
    raw_id_fields = ("parent",)
