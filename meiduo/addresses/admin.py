"""Operator admin for addresses."""

from django.contrib import admin

from meiduo.addresses.models import Address


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    """Addresses with their owner; deleted ones are kept and shown."""

    list_display = ("id", "user", "title", "receiver", "mobile", "is_deleted", "update_time")
    list_filter = ("is_deleted",)
    search_fields = ("user__username", "receiver", "mobile")
    raw_id_fields = ("user", "province", "city", "district")
