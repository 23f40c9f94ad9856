"""The admin site of the shop: Django's admin whose index shows the operations dashboard to staff who may see it."""

from datetime import timedelta
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meiduo.goods.models import SKU
from meiduo.operations import exports, selectors
from meiduo.operations.forms import ExportForm

DASHBOARD_PERMISSION = "orders.view_orderinfo"
# What each export needs; the orders export carries addresses and mobiles only for members who handle orders.
EXPORT_PERMISSIONS = {"orders": "orders.view_orderinfo", "sales": "goods.view_sku"}
ADDRESS_PERMISSIONS = ("orders.ship_orderinfo", "orders.cancel_orderinfo")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class OperationsAdminSite(admin.AdminSite):
    """`admin.site`: the index is the dashboard (figures, charts, lists) above the models the member may use."""

    site_header = _("Meiduo Mall operations")
    site_title = _("Meiduo Mall operations")
    index_title = _("Dashboard")
    index_template = "admin/operations/index.html"

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        """The admin index, with the dashboard's figures for members who may see orders (every role)."""
        context = dict(extra_context or {})
        if request.user.has_perm(DASHBOARD_PERMISSION):
            figures = selectors.dashboard_figures()
            context["dashboard"] = figures
            context["dashboard_chart"] = {
                **figures["chart"],  # type: ignore[dict-item]
                "labels": {
                    "new_users": str(_("New users")),
                    "orders_placed": str(_("Orders placed")),
                    "revenue_paid": str(_("Revenue paid (¥)")),
                },
            }
        return super().index(request, extra_context=context)

    def get_urls(self) -> list[URLResolver | URLPattern]:
        exports_page = path("operations/exports/", self.admin_view(self.exports_view), name="operations_exports")
        history = path(
            "operations/stock-history/<int:sku_id>/", self.admin_view(self.stock_history_view), name="stock_history"
        )
        return [exports_page, history, *super().get_urls()]

    def stock_history_view(self, request: HttpRequest, sku_id: int) -> HttpResponse:
        """One SKU's stock changes and placements together, newest first (members who may see the ledger)."""
        if not request.user.has_perm("stock.view_stockledgerentry"):
            return HttpResponseForbidden()
        sku = get_object_or_404(SKU.objects.only("id", "name", "stock"), pk=sku_id)
        context = {
            **self.each_context(request),
            "title": _("Stock history of %(name)s") % {"name": sku.name},
            "sku": sku,
            "rows": selectors.stock_history(sku_id=sku_id),
        }
        return TemplateResponse(request, "admin/operations/stock_history.html", context)

    def exports_view(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        """The export form; with its fields filled in, the file, streamed (403 for an export the role may not make)."""
        allowed = [kind for kind, permission in EXPORT_PERMISSIONS.items() if request.user.has_perm(permission)]
        if not allowed:
            return HttpResponseForbidden()
        today = timezone.localdate()
        form = ExportForm(request.GET or None, initial={"date_from": today - timedelta(days=29), "date_to": today})
        if not request.GET or not form.is_valid():
            context = {**self.each_context(request), "title": _("Exports"), "form": form, "allowed": allowed}
            return TemplateResponse(
                request, "admin/operations/exports.html", context, status=400 if request.GET else 200
            )
        data = form.cleaned_data
        if data["kind"] not in allowed:
            return HttpResponseForbidden()
        if data["kind"] == "orders":
            with_address = any(request.user.has_perm(permission) for permission in ADDRESS_PERMISSIONS)
            columns = exports.order_columns(with_address=with_address)
            rows = exports.order_rows(
                date_from=data["date_from"], date_to=data["date_to"], status=data["status"], with_address=with_address
            )
        else:
            columns = exports.sales_columns()
            rows = exports.sales_rows(date_from=data["date_from"], date_to=data["date_to"])
        stream = exports.csv_stream(columns, rows) if data["format"] == "csv" else exports.xlsx_stream(columns, rows)
        response = StreamingHttpResponse(stream, content_type=CONTENT_TYPES[data["format"]])
        name = f"{data['kind']}-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.{data['format']}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
