"""Operator admin of payments: a read-only list of confirmed payments."""

from django.contrib import admin
from django.http import HttpRequest

from meiduo.payments.models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Payments are written only by the payment services; operators look them up."""

    list_display = ["order", "gateway", "trade_id", "amount", "source", "create_time"]
    list_filter = ["gateway", "source", "create_time"]
    search_fields = ["order__order_id", "trade_id", "order__user__username"]
    date_hierarchy = "create_time"
    list_select_related = ["order"]
    readonly_fields = ["order", "gateway", "trade_id", "amount", "source", "raw", "create_time"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False
