"""Admin forms of stock: the SKU page's reason for a stock change, and the stock upload (CSV)."""

import csv
import io
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meiduo.stock.services import StockRow

MAX_UPLOAD_BYTES = 1_000_000
MAX_UPLOAD_ROWS = 10_000
COLUMNS = ("sku_id", "stock", "delta", "reason")


class StockUploadForm(forms.Form):
    """A CSV file (UTF-8, header `sku_id,stock,delta,reason`): per line a new stock or a change, and why."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Header sku_id,stock,delta,reason; per line either stock (the new stock) or delta (+/- units)."),
    )

    def clean_file(self) -> list[StockRow]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 1 MB."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("The file is not UTF-8 text.")) from error
        reader = csv.DictReader(io.StringIO(text))
        if tuple(name.strip() for name in reader.fieldnames or ()) != COLUMNS:
            raise ValidationError(_("The first line must be: sku_id,stock,delta,reason"))
        rows, errors = [], []
        for line, record in enumerate(reader, start=2):
            try:
                rows.append(_row(line, record))
            except ValueError as error:
                errors.append(_("line %(line)d: %(error)s") % {"line": line, "error": error})
            if len(rows) > MAX_UPLOAD_ROWS:
                raise ValidationError(_("At most 10000 lines at a time."))
        if errors:
            raise ValidationError(errors)
        if not rows:
            raise ValidationError(_("The file has no lines after the header."))
        return rows


def _row(line: int, record: dict[str, Any]) -> StockRow:
    """One line as a StockRow; ValueError saying what is wrong with it."""
    values = {key: (record.get(key) or "").strip() for key in COLUMNS}
    if not values["sku_id"].isdigit():
        raise ValueError(_("sku_id must be a number"))
    if bool(values["stock"]) == bool(values["delta"]):
        raise ValueError(_("give either stock or delta"))
    stock = delta = None
    if values["stock"]:
        if not values["stock"].isdigit():
            raise ValueError(_("stock must be a whole number, 0 or more"))
        stock = int(values["stock"])
    else:
        try:
            delta = int(values["delta"])
        except ValueError:
            raise ValueError(_("delta must be a whole number such as 5 or -3")) from None
        if delta == 0:
            raise ValueError(_("delta must not be 0"))
    if len(values["reason"]) > 200:
        raise ValueError(_("the reason is longer than 200 characters"))
    return StockRow(line=line, sku_id=int(values["sku_id"]), stock=stock, delta=delta, reason=values["reason"])
