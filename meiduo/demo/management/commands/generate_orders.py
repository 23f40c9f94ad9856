"""`manage.py generate_orders --orders N`: bulk-insert synthetic shoppers, orders (with lines and payments) spread
over the last days, to measure the operations dashboard and exports on a big database (docs/operations.md)."""

import random
from argparse import ArgumentParser
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from meiduo.goods.models import SKU
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.payments.models import Payment
from meiduo.users.models import User

BATCH = 2000
STATUSES = [1, 2, 2, 3, 3, 4, 5, 5, 5, 6]  # how often each status comes up


class Command(BaseCommand):
    """Orders of 1–3 lines from random SKUs, in every status, one user per 5 orders, over --days days."""

    help = "Add synthetic shoppers and orders (lines, payments) for measurements. Stock is not taken."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--orders", type=int, default=100_000)
        parser.add_argument("--days", type=int, default=60)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        step = max(1, SKU.objects.count() // 5000)
        sku_ids = list(SKU.objects.order_by("id").values_list("id", flat=True)[::step])
        plan = _Plan(
            rng=random.Random(options["seed"]),  # noqa: S311 - synthetic data, not secrets
            now=now,
            span=timedelta(days=options["days"]).total_seconds(),
            sku_ids=sku_ids,
            prices=dict(SKU.objects.filter(pk__in=sku_ids).values_list("id", "price")),
        )
        password = make_password(None)
        first_user = (User.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        users = [
            User(username=f"synth{first_user + n}", password=password, date_joined=plan.when(), last_login=plan.when())
            for n in range(options["orders"] // 5)
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        plan.user_ids = list(User.objects.filter(username__startswith="synth").values_list("id", flat=True))
        # The times are the point: bulk inserts keep them instead of stamping "now" (and the stamp comes back after).
        stamps = [model._meta.get_field("create_time") for model in (OrderInfo, Payment)]
        try:
            for stamp in stamps:
                stamp.auto_now_add = False
            with tqdm(total=options["orders"], unit="order", file=self.stderr) as bar:
                for start in range(0, options["orders"], BATCH):
                    _batch(plan, start, min(BATCH, options["orders"] - start))
                    bar.update(BATCH)
        finally:
            for stamp in stamps:
                stamp.auto_now_add = True
        self.stdout.write(self.style.SUCCESS(f"{OrderInfo.objects.count()} orders, {User.objects.count()} users."))


@dataclass
class _Plan:
    """What every batch draws from."""

    rng: random.Random
    now: datetime
    span: float
    sku_ids: list[int]
    prices: dict[int, Decimal]
    user_ids: list[int] = field(default_factory=list)

    def when(self) -> datetime:
        return self.now - timedelta(seconds=self.rng.random() * self.span)


@transaction.atomic
def _batch(plan: _Plan, start: int, size: int) -> None:
    """`size` orders numbered from `start`, with their lines and (paid ones) payments."""
    rng = plan.rng
    orders, lines, payments = [], [], []
    for n in range(start, start + size):
        when = plan.when()
        status = rng.choice(STATUSES)
        counts = {sku_id: rng.randint(1, 3) for sku_id in rng.sample(plan.sku_ids, rng.randint(1, 3))}
        amount = sum((plan.prices[sku_id] * count for sku_id, count in counts.items()), Decimal("10.00"))
        order_id = f"{when:%Y%m%d%H%M%S}9{n:08d}"
        paid = status not in (1, 6)
        orders.append(
            OrderInfo(
                order_id=order_id, user_id=rng.choice(plan.user_ids), receiver="收货人", province="广东省",
                city="深圳市", district="南山区", place="科技园", mobile="13800138000",
                total_count=sum(counts.values()), total_amount=amount, freight=Decimal("10.00"), pay_method=2,
                status=status, create_time=when, pay_time=when if paid else None,
            )
        )  # fmt: skip
        lines += [
            OrderGoods(order_id=order_id, sku_id=sku, count=count, price=plan.prices[sku])
            for sku, count in counts.items()
        ]
        if paid:
            payments.append(
                Payment(order_id=order_id, gateway="demo", trade_id=f"S{order_id}", amount=amount, source="notify",
                        create_time=when)
            )  # fmt: skip
    OrderInfo.objects.bulk_create(orders)
    OrderGoods.objects.bulk_create(lines)
    Payment.objects.bulk_create(payments)
