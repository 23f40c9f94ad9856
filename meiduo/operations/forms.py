"""The export form of the operations admin: what to export, over which days, in which format."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meiduo.orders.models import OrderInfo

MAX_DAYS = 366


class ExportForm(forms.Form):
    """Orders (optionally of one status) or sales per SKU, from one shop day to another, as CSV or Excel."""

    KINDS = [("orders", _("orders")), ("sales", _("sales per SKU"))]
    FORMATS = [("csv", "CSV"), ("xlsx", "Excel (.xlsx)")]

    kind = forms.ChoiceField(label=_("export"), choices=KINDS)
    date_from = forms.DateField(label=_("from"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    date_to = forms.DateField(label=_("to"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    status = forms.TypedChoiceField(
        label=_("status (orders)"),
        choices=[("", _("every status")), *OrderInfo.Status.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    format = forms.ChoiceField(label=_("format"), choices=FORMATS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The first day is after the last."))
            if end - start > timedelta(days=MAX_DAYS):
                raise forms.ValidationError(_("At most 366 days at a time."))
            if start > timezone.localdate():
                raise forms.ValidationError(_("The first day is in the future."))
        return data
