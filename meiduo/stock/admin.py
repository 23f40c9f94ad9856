"""The SKU admin page with stock editing: a changed stock is applied as a difference, through meiduo.stock."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Field, Model
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meiduo.goods import models
from meiduo.goods.admin import SKUAdmin
from meiduo.stock.services import stock_adjust

admin.site.unregister(models.SKU)


@admin.register(models.SKU)
class StockSKUAdmin(SKUAdmin):
    """The catalog's SKU page, whose stock field may be edited."""

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        return ("sales", "comments")

    def formfield_for_dbfield(self, db_field: "Field[Any, Any]", request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "stock" and formfield is not None:
            formfield.show_hidden_initial = True  # the stock the page showed: an edit is a change from it
        return formfield

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        """Save the SKU; a changed stock is applied as the difference from what the page showed.

        Orders take stock while the page is open, so writing the number typed
        would give their units back (oversell); adding the difference keeps them.
        """
        super().save_model(request, obj, form, change)
        if not change or "stock" not in form.changed_data:
            return
        delta = form.cleaned_data["stock"] - self._stock_shown(form)
        if delta and not stock_adjust(sku_id=obj.pk, delta=delta):
            left = models.SKU.objects.filter(pk=obj.pk).values_list("stock", flat=True).first() or 0
            message = _(
                "The stock was not changed: orders took units while the page was open and only %(stock)d are "
                "left. Enter the stock again."
            )
            self.message_user(request, message % {"stock": left}, messages.ERROR)

    @staticmethod
    def _stock_shown(form: ModelForm) -> int:
        """The stock the change page showed (its hidden initial value), else the stock when the form was read."""
        try:
            shown = form.fields["stock"].to_python(form.data.get(form.add_initial_prefix("stock")))
        except ValidationError:
            shown = None
        return int(form.initial["stock"] if shown is None else shown)
