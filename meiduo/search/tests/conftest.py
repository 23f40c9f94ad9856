"""Search fixtures: the catalog fixtures of the goods app."""

from meiduo.goods.tests.conftest import phone_catalog

__all__ = ["phone_catalog"]
