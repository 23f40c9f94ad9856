"""The order page of the admin with what other apps know of the order: its payment, its refund, and the stock
ledger rows it caused; the stock ledger with a link to each SKU's history (ledger rows and placements together)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from meiduo.orders.admin import OrderInfoAdmin
from meiduo.orders.models import OrderInfo
from meiduo.payments.models import Payment, Refund
from meiduo.stock.admin import StockLedgerAdmin
from meiduo.stock.models import StockLedgerEntry

admin.site.unregister(OrderInfo)


@admin.register(OrderInfo)
class OperationsOrderAdmin(OrderInfoAdmin):
    """Orders as meiduo.orders shows them, plus "Payment and refund" and "Stock" sections on the order page."""

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            *super().get_fieldsets(request, obj),
            (_("Payment and refund"), {"fields": ("payment_summary", "refund_summary")}),
            (_("Stock"), {"fields": ("stock_changes",)}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "payment_summary", "refund_summary", "stock_changes"]

    @admin.display(description=_("payment"))
    def payment_summary(self, order: OrderInfo) -> str:
        """Gateway, trade number, amount and time of the confirmed payment, or "—"."""
        try:
            payment = order.payment
        except Payment.DoesNotExist:
            return "—"
        return format_html(
            "{} · {} · ¥{} · {}",
            payment.get_gateway_display(),
            payment.trade_id,
            f"{payment.amount:.2f}",
            formats.date_format(payment.create_time, "DATETIME_FORMAT"),
        )

    @admin.display(description=_("refund"))
    def refund_summary(self, order: OrderInfo) -> str:
        """The refund of a cancelled paid order (status, amount, request number, linked), or "—"."""
        refund = Refund.objects.filter(payment__order_id=order.pk).first()
        if refund is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · {} · ¥{}',
            reverse("admin:payments_refund_change", args=[refund.pk]),
            refund.out_request_no,
            refund.get_status_display(),
            f"{refund.amount:.2f}",
        )

    @admin.display(description=_("stock ledger rows"))
    def stock_changes(self, order: OrderInfo) -> str:
        """The stock the order gave back (cancel, expiry, refund): one line per SKU, or "—". Its placement is its
        lines (above)."""
        rows = StockLedgerEntry.objects.filter(order_id=order.pk).order_by("id")
        lines = [
            (
                formats.date_format(row.create_time, "DATETIME_FORMAT"),
                row.sku_id,
                f"{row.delta:+d}",
                row.stock_after,
                row.get_source_display(),
            )
            for row in rows
        ]
        return format_html_join(mark_safe("<br>"), "{} · SKU {} {} → {} · {}", lines) or "—"


admin.site.unregister(StockLedgerEntry)


@admin.register(StockLedgerEntry)
class OperationsStockLedgerAdmin(StockLedgerAdmin):
    """The stock ledger with a link per row to its SKU's whole history (placements included)."""

    list_display: Any = (*StockLedgerAdmin.list_display, "history")

    @admin.display(description=_("history"))
    def history(self, entry: StockLedgerEntry) -> str:
        return format_html('<a href="{}">{}</a>', reverse("admin:stock_history", args=[entry.sku_id]), _("history"))
