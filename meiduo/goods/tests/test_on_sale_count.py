"""A category's count of on-sale SKUs (what a list page's `count` reads) stays exact through every kind of write.

The count is kept by database triggers (goods migration 0004); these tests
write SKUs by every path the shop has — services, the admin, bulk loads,
queryset updates, deletes, stock and sales updates — and compare each
category's kept count with a real COUNT(*) and with the list answer.
"""

import threading
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django.test import Client

from meiduo.goods import services
from meiduo.goods.models import SKU, GoodsCategory
from meiduo.goods.tests.conftest import PhoneCatalog, admin_rename_form
from meiduo.goods.tests.factories import CategoryFactory, SKUFactory
from meiduo.users.models import User


def assert_kept_counts_are_exact() -> None:
    counted = dict(
        GoodsCategory.objects.annotate(n=Count("skus", filter=Q(skus__is_launched=True))).values_list("id", "n")
    )
    kept = dict(GoodsCategory.objects.values_list("id", "on_sale_skus"))
    assert kept == counted


def test_the_count_follows_creation_off_sale_and_back(phone_catalog: PhoneCatalog) -> None:
    phone_catalog.cat3.refresh_from_db()
    assert phone_catalog.cat3.on_sale_skus == 3  # four SKUs, one off sale

    services.sku_update(sku=phone_catalog.black_256, is_launched=False)
    assert_kept_counts_are_exact()
    services.sku_update(sku=phone_catalog.white_512_off_sale, is_launched=True)
    services.sku_update(sku=phone_catalog.black_256, is_launched=True)
    assert_kept_counts_are_exact()
    phone_catalog.cat3.refresh_from_db()
    assert phone_catalog.cat3.on_sale_skus == 4


def test_the_count_follows_moves_deletes_bulk_loads_and_queryset_updates(phone_catalog: PhoneCatalog) -> None:
    other = CategoryFactory.create(name="老人机", parent=phone_catalog.cat2)

    services.sku_update(sku=phone_catalog.white_256, category=other)
    assert_kept_counts_are_exact()
    services.sku_update(sku=phone_catalog.white_512_off_sale, category=other)  # off sale: no count moves
    assert_kept_counts_are_exact()
    services.catalog_objects_delete(objs=[phone_catalog.black_512])
    assert_kept_counts_are_exact()
    spu = phone_catalog.spu
    SKU.objects.bulk_create(
        [SKUFactory.build(spu=spu, category=other, is_launched=index % 3 != 0) for index in range(7)]
    )
    assert_kept_counts_are_exact()
    SKU.objects.filter(category=other).update(is_launched=False)
    assert_kept_counts_are_exact()
    SKU.objects.filter(category=other).update(is_launched=True, category=phone_catalog.cat3)
    assert_kept_counts_are_exact()


def test_stock_and_sales_updates_leave_the_count_alone(phone_catalog: PhoneCatalog) -> None:
    SKU.objects.filter(category=phone_catalog.cat3).update(stock=F("stock") - 1, sales=F("sales") + 1)
    phone_catalog.black_256.save()  # a whole-row save with the same state

    assert_kept_counts_are_exact()


def test_saving_a_category_loaded_earlier_keeps_the_count(phone_catalog: PhoneCatalog) -> None:
    category = GoodsCategory.objects.get(pk=phone_catalog.cat3.pk)
    services.sku_update(sku=phone_catalog.white_512_off_sale, is_launched=True)  # the count moves meanwhile

    category.name = "智能手机"
    services.catalog_object_save(obj=category)

    assert_kept_counts_are_exact()
    assert GoodsCategory.objects.get(pk=category.pk).name == "智能手机"


def test_an_admin_edit_keeps_the_count_and_the_list_shows_it(
    api: Any, phone_catalog: PhoneCatalog, admin_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    browser = Client()
    browser.force_login(admin_user)
    form = {**admin_rename_form(phone_catalog.black_256), "is_launched": ""}  # unticked: taken off sale
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"/admin/goods/sku/{phone_catalog.black_256.id}/change/", form)
    assert response.status_code == 302

    assert_kept_counts_are_exact()
    answer = api.get(f"/api/v1/categories/{phone_catalog.cat3.id}/skus/").json()
    assert answer["count"] == len(answer["results"]) == 2


@pytest.mark.django_db(transaction=True)
def test_the_count_is_exact_after_committed_writes_from_several_threads() -> None:
    parent = CategoryFactory.create(parent=CategoryFactory.create())
    category = CategoryFactory.create(parent=parent)
    skus = [SKUFactory.create(spu__category3=category, category=category) for _ in range(8)]

    def toggle(sku: SKU) -> None:
        try:
            for launched in (False, True, False):
                SKU.objects.filter(pk=sku.pk).update(is_launched=launched)
        finally:
            connection.close()

    threads = [threading.Thread(target=toggle, args=(sku,)) for sku in skus]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert_kept_counts_are_exact()
    assert GoodsCategory.objects.get(pk=category.pk).on_sale_skus == 0
