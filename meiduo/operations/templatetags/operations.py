"""`{% change today yesterday %}`: the change from yesterday as a signed percentage (— when yesterday was zero)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.simple_tag
def change(today: int | Decimal, yesterday: int | Decimal) -> str:
    """ "+25%", "-10%", "0%", or "—" when there is nothing to compare with."""
    if not yesterday:
        return "—"
    percent = (Decimal(today) - Decimal(yesterday)) * 100 / Decimal(yesterday)
    sign = "+" if percent > 0 else ""
    return f"{sign}{number_format(percent, 0)}%"
