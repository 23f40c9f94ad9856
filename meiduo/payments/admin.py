"""Operator admin of payments: a read-only list of confirmed payments, and refunds to watch, retry or mark."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meiduo.payments import services
from meiduo.payments.models import Payment, Refund


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


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    """Refunds, pending first: "Retry" asks the gateway now; "Mark refunded" records a refund made by hand.

    Nothing is edited by hand: the status only moves through the payment services.
    """

    list_display = [
        "out_request_no",
        "payment",
        "amount",
        "reason",
        "status",
        "attempts",
        "requested_by",
        "update_time",
    ]
    list_filter = ["status", "reason", "create_time"]
    search_fields = ["out_request_no", "payment__order__order_id", "payment__trade_id", "gateway_refund_id"]
    date_hierarchy = "create_time"
    list_select_related = ["payment", "requested_by"]
    actions = ["retry", "mark_refunded"]
    readonly_fields = [
        "payment",
        "out_request_no",
        "amount",
        "reason",
        "status",
        "requested_by",
        "gateway_refund_id",
        "attempts",
        "last_error",
        "raw",
        "create_time",
        "update_time",
        "refund_time",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Refund]:
        return super().get_queryset(request).order_by("-status", "-create_time")  # pending before marked/refunded

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Refund | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Refund, form: Any, change: bool) -> None:
        """Nothing on the page is editable: saving must not write back a status the refund job just changed."""

    def _report(self, request: HttpRequest, done: int, total: int, done_text: str, left_text: str) -> None:
        if done:
            self.message_user(request, done_text % {"count": done}, messages.SUCCESS)
        if total - done:
            self.message_user(request, left_text % {"count": total - done}, messages.WARNING)

    @admin.action(description=_("Retry the selected refunds at the gateway now"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Refund]) -> None:
        pending = list(queryset.filter(status=Refund.Status.PENDING).values_list("pk", flat=True))
        done = sum(services.refund_issue(refund_id=refund_id) for refund_id in pending)
        self._report(
            request,
            done,
            len(pending),
            ngettext("%(count)d refund confirmed by the gateway.", "%(count)d refunds confirmed by the gateway.", done),
            ngettext(
                "%(count)d refund is still pending: see its last error.",
                "%(count)d refunds are still pending: see their last errors.",
                len(pending) - done,
            ),
        )

    @admin.action(description=_("Mark the selected refunds as refunded by hand"), permissions=["change"])
    def mark_refunded(self, request: HttpRequest, queryset: QuerySet[Refund]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        username = request.user.get_username()
        done = sum(services.refund_mark(refund_id=refund_id, staff_username=username) for refund_id in ids)
        self._report(
            request,
            done,
            len(ids),
            ngettext("%(count)d refund marked refunded.", "%(count)d refunds marked refunded.", done),
            ngettext(
                "%(count)d refund was not pending and was left as it was.",
                "%(count)d refunds were not pending and were left as they were.",
                len(ids) - done,
            ),
        )
