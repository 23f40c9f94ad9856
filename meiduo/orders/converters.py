"""The `order_id` path converter: order numbers are digits, so anything else (a NUL, which PostgreSQL refuses in
a query, or junk) is the JSON 404 of unknown paths before any query runs."""

from django.urls import register_converter


class OrderIdConverter:
    """An order number: 1 to 32 digits (the column's length; the shop makes 23 or 25)."""

    regex = "[0-9]{1,32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(OrderIdConverter, "order_id")

# The path segment of an order number, for the routes of orders and payments.
ORDER_ID = "<order_id:order_id>"
