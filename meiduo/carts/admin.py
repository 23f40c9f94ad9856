"""Operator admin of carts: signed-in users' cart lines, read-only (what shoppers are about to buy)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from meiduo.carts.models import CartLine


@admin.register(CartLine)
class CartLineAdmin(admin.ModelAdmin):
    """Cart lines by user; anonymous carts live in browsers and are not listed."""

    list_display = ("user", "sku", "count", "selected", "update_time")
    list_filter = ("selected",)
    search_fields = ("user__username", "sku__name")
    list_select_related = ("user", "sku")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in CartLine._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
