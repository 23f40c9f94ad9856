"""App configuration for goods: after every migrate, the on-sale count triggers are (re)installed."""

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from meiduo.goods.triggers import on_sale_count_install


def _triggers_installed(*, using: str, **kwargs: Any) -> None:
    on_sale_count_install(connections[using])


class GoodsConfig(AppConfig):
    """The catalog."""

    name = "meiduo.goods"
    label = "goods"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        post_migrate.connect(_triggers_installed, sender=self, dispatch_uid="goods-on-sale-count-triggers")
