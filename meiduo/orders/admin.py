"""Operator admin of orders: read-only records filtered by status and date, lines inline, ship and cancel actions.

Orders their buyer removed from their list stay here, marked in the "removed from the buyer's list" column.

Operators never edit an order's fields or status by hand: every status change
goes through meiduo.orders.lifecycle, which enforces the allowed transitions.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meiduo.orders import lifecycle
from meiduo.orders.forms import ShipForm
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.users.models import User


class OrderGoodsInline(admin.TabularInline):
    """The lines of the order with their reviews."""

    model = OrderGoods
    extra = 0
    can_delete = False
    fields = ("sku", "count", "price", "is_commented", "score", "comment", "is_anonymous", "comment_time")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderGoods]:
        return super().get_queryset(request).select_related("sku")  # one query for the lines, however many


@admin.register(OrderInfo)
class OrderInfoAdmin(admin.ModelAdmin):
    """Orders, newest first; "Ship" moves unsent orders to unreceived, "Cancel" cancels (refunding paid ones)."""

    list_display = (
        "order_id",
        "user",
        "status",
        "pay_method",
        "total_count",
        "total_amount",
        "create_time",
        "is_hidden",
    )
    list_filter = ("status", "pay_method", "is_hidden", "create_time")
    date_hierarchy = "create_time"
    search_fields = ("order_id", "user__username", "user__mobile", "receiver", "mobile")
    list_select_related = ("user",)
    inlines = (OrderGoodsInline,)
    change_form_template = "admin/orders/orderinfo/change_form.html"
    actions = ("ship", "cancel")
    fieldsets = (
        (None, {"fields": ("order_id", "user", "status", "pay_method", "is_hidden")}),
        (_("Amounts"), {"fields": ("total_count", "freight", "total_amount")}),
        (_("Address"), {"fields": ("receiver", "province", "city", "district", "place", "mobile", "tel", "email")}),
        (
            _("History"),
            {"fields": ("create_time", "pay_time", "send_time", "receive_time", "finish_time", "cancel_time")},
        ),
        (_("Shipment"), {"fields": ("carrier", "tracking_number")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in OrderInfo._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> Any:
        """The order page, offering "Ship…" to members who may ship."""
        context = {"can_ship": self.has_ship_permission(request), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context=context)

    def save_model(self, request: HttpRequest, obj: OrderInfo, form: Any, change: bool) -> None:
        """Nothing on the page is editable: saving it must not write back a status a payment or job just changed."""

    def has_ship_permission(self, request: HttpRequest) -> bool:
        """Shipping is the warehouse's: `orders.ship_orderinfo`."""
        return request.user.has_perm("orders.ship_orderinfo")

    def has_cancel_permission(self, request: HttpRequest) -> bool:
        """Cancelling (and refunding) is customer service's: `orders.cancel_orderinfo`."""
        return request.user.has_perm("orders.cancel_orderinfo")

    @admin.action(description=_("Ship the selected orders (unsent → unreceived)"), permissions=["ship"])
    def ship(self, request: HttpRequest, queryset: QuerySet[OrderInfo]) -> TemplateResponse | None:
        """A page asking each unsent order's carrier and tracking number; once all are valid, ship them."""
        orders = list(queryset.filter(status=OrderInfo.Status.UNSENT).order_by("create_time", "order_id"))
        applied = "apply" in request.POST
        forms = [(order, ShipForm(request.POST if applied else None, prefix=order.order_id)) for order in orders]
        if not applied or not all(form.is_valid() for _order, form in forms):
            context = {
                **self.admin_site.each_context(request),
                "title": _("Ship orders"),
                "opts": self.opts,
                "forms": forms,
                "selected": queryset.values_list("order_id", flat=True),
                "skipped": queryset.count() - len(orders),
            }
            return TemplateResponse(request, "admin/orders/orderinfo/ship.html", context)
        shipped = sum(lifecycle.order_ship(order_id=order.order_id, **form.cleaned_data) for order, form in forms)
        skipped = queryset.count() - shipped
        self._report(
            request,
            (shipped, ngettext("%(count)d order shipped.", "%(count)d orders shipped.", shipped)),
            (
                skipped,
                ngettext(
                    "%(count)d order was not unsent and was left as it was.",
                    "%(count)d orders were not unsent and were left as they were.",
                    skipped,
                ),
            ),
        )
        return None

    @admin.action(description=_("Cancel the selected orders (paid ones are refunded in full)"), permissions=["cancel"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[OrderInfo]) -> None:
        order_ids = list(queryset.values_list("order_id", flat=True))
        staff = request.user
        assert isinstance(staff, User)  # noqa: S101 - the admin only lets signed-in staff run actions
        cancelled = sum(lifecycle.order_cancel_by_staff(staff=staff, order_id=order_id) for order_id in order_ids)
        skipped = len(order_ids) - cancelled
        self._report(
            request,
            (cancelled, ngettext("%(count)d order cancelled.", "%(count)d orders cancelled.", cancelled)),
            (
                skipped,
                ngettext(
                    "%(count)d order was already shipped or closed and was left as it was.",
                    "%(count)d orders were already shipped or closed and were left as they were.",
                    skipped,
                ),
            ),
        )

    def _report(self, request: HttpRequest, done: tuple[int, str], skipped: tuple[int, str]) -> None:
        """Tell the operator how many orders an action changed (success) and how many it left alone (warning)."""
        for (count, message), level in ((done, messages.SUCCESS), (skipped, messages.WARNING)):
            if count:
                self.message_user(request, message % {"count": count}, level)
