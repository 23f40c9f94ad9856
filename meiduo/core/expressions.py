"""Query expressions the apps' services share."""

from django.db.models import F, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Greatest


def decreased(field: str, count: int) -> CombinedExpression:
    """The field less `count`, never below zero: `GREATEST(field, count) - count`.

    Never `GREATEST(field - count, 0)`: its `field - count` is a negative number on the way, which MySQL refuses
    for an unsigned column (PositiveIntegerField) in strict mode ("BIGINT UNSIGNED value is out of range").
    """
    return Greatest(F(field), Value(count)) - count
