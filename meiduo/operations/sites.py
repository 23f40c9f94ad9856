"""The admin site of the shop: Django's admin whose index shows the operations dashboard to staff who may see it."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from meiduo.operations import selectors

DASHBOARD_PERMISSION = "orders.view_orderinfo"


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
