"""Exports of the operations admin: orders (date range, status) and sales per SKU, as CSV or Excel, streamed.

Rows are read with a database iterator in chunks and written out as they come: CSV line by line into the
response; Excel through XlsxWriter in constant_memory mode (each row goes to a temporary file on disk, then the
finished workbook is streamed from disk in chunks), so 100k orders never sit in memory.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from meiduo.operations.selectors import day_start
from meiduo.orders.models import OrderGoods, OrderInfo

CHUNK_ROWS = 2000
FILE_CHUNK_BYTES = 64 * 1024


def order_columns(*, with_address: bool) -> list[str]:
    """Headings of the orders export; the address and mobile only for members who handle orders."""
    columns = [
        *(_("order number"), _("placed at"), _("status"), _("payment method"), _("number of items")),
        *(_("freight"), _("amount"), _("paid at"), _("shipped at"), _("carrier"), _("tracking number")),
    ]
    if with_address:
        columns += [_("receiver"), _("mobile"), _("address")]
    return columns


def order_rows(*, date_from: date, date_to: date, status: int | None, with_address: bool) -> Iterator[list[Any]]:
    """The orders placed from `date_from` to `date_to` (shop days, both included), oldest first, one list each.

    Labels are translated now, in the request's language; the rows are read as the response streams.
    """
    rows = OrderInfo.objects.filter(
        create_time__gte=day_start(date_from), create_time__lt=day_start(date_to + timedelta(days=1))
    )
    if status is not None:
        rows = rows.filter(status=status)
    labels = [
        {value: str(label) for value, label in choices}
        for choices in (OrderInfo.Status.choices, OrderInfo.PayMethod.choices, OrderInfo.Carrier.choices)
    ]
    fields = ["order_id", "create_time", "status", "pay_method", "total_count", "freight", "total_amount",
              "pay_time", "send_time", "carrier", "tracking_number"]  # fmt: skip
    if with_address:
        fields += ["receiver", "mobile", "province", "city", "district", "place"]
    found = rows.order_by("create_time", "order_id").values_list(*fields).iterator(chunk_size=CHUNK_ROWS)
    return (_order_row(row, labels, with_address=with_address) for row in found)


def _order_row(row: Sequence[Any], labels: list[dict[Any, str]], *, with_address: bool) -> list[Any]:
    statuses, methods, carriers = labels
    order_id, placed, status, method, count, freight, amount, paid, sent, carrier, tracking = row[:11]
    values = [order_id, _local(placed), statuses[status], methods[method], count, f"{freight:.2f}", f"{amount:.2f}",
              _local(paid), _local(sent), carriers.get(carrier, ""), tracking]  # fmt: skip
    if with_address:
        receiver, mobile, *address = row[11:]
        values += [receiver, mobile, " ".join(address)]
    return values


def sales_columns() -> list[str]:
    """Headings of the sales-per-SKU export."""
    return [_("SKU"), _("name"), _("units sold"), _("sales amount"), _("number of orders")]


def sales_rows(*, date_from: date, date_to: date) -> Iterator[list[Any]]:
    """Per SKU: units and amount of the order lines placed in the range (cancelled orders left out), most first."""
    lines = OrderGoods.objects.filter(
        order__create_time__gte=day_start(date_from),
        order__create_time__lt=day_start(date_to + timedelta(days=1)),
    ).exclude(order__status=OrderInfo.Status.CANCELLED)
    grouped = (
        lines.values("sku_id", "sku__name")
        .annotate(units=Sum("count"), amount=Sum(F("count") * F("price")), orders=Count("order_id"))
        .order_by("-units", "sku_id")
        .values_list("sku_id", "sku__name", "units", "amount", "orders")
    )
    for sku_id, name, units, amount, orders in grouped.iterator(chunk_size=CHUNK_ROWS):
        yield [sku_id, name, units, f"{amount:.2f}", orders]


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


class _Line:
    """A file-like object whose write returns the line: csv.writer then yields CSV text, one line at a time."""

    def write(self, text: str) -> str:
        return text


def csv_stream(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text (UTF-8 with a byte order mark, so Excel reads the Chinese), line by line."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(columns)
    for row in rows:
        yield writer.writerow(row)


def xlsx_stream(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The Excel workbook, written row by row to disk (constant_memory) and then read back in chunks."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as target:
        import xlsxwriter  # here: only an Excel export needs it (2.6 MB in every web worker otherwise)

        workbook = xlsxwriter.Workbook(target.name, {"constant_memory": True, "strings_to_numbers": False})
        sheet = workbook.add_worksheet()
        bold = workbook.add_format({"bold": True})
        sheet.write_row(0, 0, columns, bold)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, row)
        workbook.close()
        with open(target.name, "rb") as finished:
            while chunk := finished.read(FILE_CHUNK_BYTES):
                yield chunk
