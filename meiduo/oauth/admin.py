"""Operator admin for third-party bindings."""

from django.contrib import admin

from meiduo.oauth.models import OAuthAccount


@admin.register(OAuthAccount)
class OAuthAccountAdmin(admin.ModelAdmin):
    """Which provider account is bound to which user, and since when."""

    list_display = ("provider", "openid", "user", "create_time")
    list_filter = ("provider", "create_time")
    search_fields = ("openid", "user__username", "user__mobile")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    date_hierarchy = "create_time"
    readonly_fields = ("create_time",)
