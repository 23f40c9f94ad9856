"""The SKU admin page with stock editing (a changed stock is applied as a difference, through meiduo.stock), the
stock ledger, and the stock upload (CSV).

Stock is changed by members with `stock.change_stock` (the warehouse); the rest of the SKU page by those with
`goods.change_sku` (operations). Each sees the other's fields read-only.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Field, Model
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meiduo.goods import models
from meiduo.goods.admin import SKUAdmin
from meiduo.stock.forms import StockUploadForm
from meiduo.stock.models import StockLedgerEntry
from meiduo.stock.services import StockBusy, StockUploadRejected, stock_adjust, stock_upload_apply

CHANGE_STOCK = "stock.change_stock"
CHANGE_SKU = "goods.change_sku"

admin.site.unregister(models.SKU)


class StockSKUForm(ModelForm):
    """The SKU form with the reason written to the ledger when the stock changes."""

    stock_reason = forms.CharField(label=_("reason for the stock change"), max_length=200, required=False)


@admin.register(models.SKU)
class StockSKUAdmin(SKUAdmin):
    """The catalog's SKU page, whose stock field may be edited by the warehouse."""

    form = StockSKUForm

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) or request.user.has_perm(CHANGE_STOCK)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        if obj is not None and not request.user.has_perm(CHANGE_SKU):  # the warehouse: stock only
            editable = {"stock", "stock_reason"}
            names = [field.name for field in self.model._meta.fields if field.name not in editable]
            return tuple(names)
        if not request.user.has_perm(CHANGE_STOCK):
            return ("sales", "comments", "stock")
        return ("sales", "comments")

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        fields = super().get_fields(request, obj)
        return fields if request.user.has_perm(CHANGE_STOCK) else [name for name in fields if name != "stock_reason"]

    def formfield_for_dbfield(self, db_field: "Field[Any, Any]", request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "stock" and formfield is not None:
            formfield.show_hidden_initial = True  # the stock the page showed: an edit is a change from it
        return formfield

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        """Save the SKU (members who may change it); a changed stock is applied as the difference from what the
        page showed, with a ledger row.

        Orders take stock while the page is open, so writing the number typed
        would give their units back (oversell); adding the difference keeps them.
        """
        reason = form.cleaned_data.get("stock_reason", "")
        if not change:  # a new SKU starts empty; its first stock enters through the ledger like any other
            first_stock, obj.stock = obj.stock, 0  # type: ignore[attr-defined]
            super().save_model(request, obj, form, change)
            if first_stock:
                stock_adjust(sku_id=obj.pk, delta=first_stock, actor_id=request.user.pk, reason=reason)
            return
        if request.user.has_perm(CHANGE_SKU):
            super().save_model(request, obj, form, change)
        if "stock" not in form.changed_data:
            return
        delta = form.cleaned_data["stock"] - self._stock_shown(form)
        if delta and not stock_adjust(sku_id=obj.pk, delta=delta, actor_id=request.user.pk, reason=reason):
            left = models.SKU.objects.filter(pk=obj.pk).values_list("stock", flat=True).first() or 0
            message = _(
                "The stock was not changed: orders took units while the page was open and only %(stock)d are "
                "left. Enter the stock again."
            )
            self.message_user(request, message % {"stock": left}, messages.ERROR)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        if request.user.has_perm(CHANGE_SKU):  # the warehouse changes stock only
            super().save_related(request, form, formsets, change)

    @staticmethod
    def _stock_shown(form: ModelForm) -> int:
        """The stock the change page showed (its hidden initial value), else the stock when the form was read."""
        try:
            shown = form.fields["stock"].to_python(form.data.get(form.add_initial_prefix("stock")))
        except ValidationError:
            shown = None
        return int(form.initial["stock"] if shown is None else shown)


@admin.register(StockLedgerEntry)
class StockLedgerAdmin(admin.ModelAdmin):
    """Every stock change but placements, newest first; "Upload stock (CSV)" changes many SKUs at once."""

    list_display = ("create_time", "sku", "delta", "stock_after", "source", "reason", "order_id", "actor")
    list_filter = ("source", "create_time")
    search_fields = ("=sku__id", "sku__name", "=order_id", "reason")
    list_select_related = ("sku", "actor")
    date_hierarchy = "create_time"
    change_list_template = "admin/stock/stockledgerentry/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="stock_stockledgerentry_upload")
        return [upload, *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        context = {"can_upload": request.user.has_perm(CHANGE_STOCK), **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """The upload page: every line applied, or none (the failing lines named)."""
        if not request.user.has_perm(CHANGE_STOCK):
            return HttpResponse(status=403)
        form = StockUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                entries = stock_upload_apply(rows=form.cleaned_data["file"], actor_id=request.user.pk)
            except StockUploadRejected as rejected:
                for line, error in rejected.errors:
                    form.add_error("file", _("line %(line)d: %(error)s") % {"line": line, "error": error})
            except StockBusy as busy:
                form.add_error("file", str(busy.message))
            else:
                count = len(entries)
                message = ngettext("%(count)d stock changed.", "%(count)d stocks changed.", count) % {"count": count}
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:stock_stockledgerentry_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Upload stock (CSV)"),
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "admin/stock/stockledgerentry/upload.html", context)
