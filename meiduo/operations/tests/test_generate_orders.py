"""`manage.py generate_orders` (demo), the data the dashboard was measured on: orders spread over the last days,
with lines, and payments for the paid ones."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from meiduo.goods.tests.factories import SKUFactory
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.payments.models import Payment

pytestmark = pytest.mark.django_db


def test_generates_orders_over_the_days() -> None:
    SKUFactory.create_batch(5)
    call_command("generate_orders", orders=60, days=10, stdout=StringIO(), stderr=StringIO())
    assert OrderInfo.objects.count() == 60
    assert OrderGoods.objects.values("order_id").distinct().count() == 60
    paid = OrderInfo.objects.exclude(status__in=[1, 6])
    assert Payment.objects.count() == paid.count() > 0
    oldest = OrderInfo.objects.order_by("create_time").first()
    assert oldest is not None and oldest.create_time < timezone.now() - timedelta(days=1)  # times kept, not "now"
    assert set(Payment.objects.values_list("create_time", flat=True)) == set(paid.values_list("create_time", flat=True))
    assert OrderInfo._meta.get_field("create_time").auto_now_add
