"""Catalog admin: an operator's save never overwrites the stock, sales or reviews that orders changed meanwhile."""

import re

import pytest
from django.db import transaction
from django.test import Client

from meiduo.goods.models import SKU, SPU
from meiduo.goods.tests.conftest import PhoneCatalog
from meiduo.stock.services import stock_take
from meiduo.users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(admin_user: User) -> Client:
    browser = Client()
    browser.force_login(admin_user)
    return browser


def _sku_form(browser: Client, sku: SKU, **changes: object) -> dict[str, object]:
    """The SKU change form as the operator's browser would post it, from the page it rendered earlier."""
    page = browser.get(f"/admin/goods/sku/{sku.id}/change/").content.decode()
    shown_stock = re.search(r'name="initial-stock" value="(\d+)"', page)
    form: dict[str, object] = {
        "name": sku.name,
        "caption": sku.caption,
        "spu": sku.spu_id,
        "category": sku.category_id,
        "price": str(sku.price),
        "cost_price": str(sku.cost_price),
        "market_price": str(sku.market_price),
        "stock": sku.stock,
        "is_launched": "on",
        "specs-TOTAL_FORMS": 0,
        "specs-INITIAL_FORMS": 0,
        "images-TOTAL_FORMS": 0,
        "images-INITIAL_FORMS": 0,
    }
    if shown_stock:
        form["initial-stock"] = shown_stock.group(1)
    form.update(changes)
    return form


def _sell(sku: SKU, count: int) -> None:
    with transaction.atomic():
        stock_take(counts={sku.id: count})


def test_editing_an_sku_keeps_the_units_sold_while_the_page_was_open(
    operator: Client, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks
):
    sku = phone_catalog.black_256
    form = _sku_form(operator, sku, price="5299.00")
    _sell(sku, 3)  # buyers order while the operator edits the price

    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(f"/admin/goods/sku/{sku.id}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    sku.refresh_from_db()
    assert (sku.price, sku.stock, sku.sales) == (5299, 17, 3)


def test_restocking_adds_to_what_is_left_after_concurrent_orders(
    operator: Client, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks
):
    sku = phone_catalog.black_256
    form = _sku_form(operator, sku, stock=50)  # the page showed 20: the operator adds 30
    _sell(sku, 2)

    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(f"/admin/goods/sku/{sku.id}/change/", form)

    assert response.status_code == 302
    sku.refresh_from_db()
    assert (sku.stock, sku.sales) == (48, 2)


def test_lowering_stock_below_what_concurrent_orders_left_is_refused_with_a_message(
    operator: Client, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks
):
    sku = phone_catalog.black_256
    form = _sku_form(operator, sku, stock=0, price="5299.00")  # take all 20 shown off sale
    _sell(sku, 5)

    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(f"/admin/goods/sku/{sku.id}/change/", form, follow=True)

    sku.refresh_from_db()
    assert (sku.price, sku.stock, sku.sales) == (5299, 15, 5)
    messages = [str(message) for message in response.context["messages"]]
    assert any("15" in message for message in messages), messages


def test_switching_an_sku_off_sale_from_the_list_keeps_its_counters(
    operator: Client, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks
):
    sku = phone_catalog.black_256
    stale = SKU.objects.get(pk=sku.pk)
    _sell(sku, 4)
    SKU.objects.filter(pk=sku.pk).update(comments=7)

    from meiduo.goods import services

    stale.is_launched = False
    with django_capture_on_commit_callbacks(execute=True):
        services.catalog_object_save(obj=stale)  # what the admin does with the row it loaded

    sku.refresh_from_db()
    assert (sku.is_launched, sku.stock, sku.sales, sku.comments) == (False, 16, 4, 7)


def test_spu_list_shows_the_units_sold_of_all_its_skus(operator: Client, phone_catalog: PhoneCatalog) -> None:
    """An SPU keeps no sales count of its own: the admin adds up its SKUs' sales, sorted by it on request."""
    _sell(phone_catalog.black_256, 3)
    _sell(phone_catalog.white_256, 2)
    other = SPU.objects.create(
        name="华为 Mate 50", brand=phone_catalog.spu.brand, category1=phone_catalog.cat1,
        category2=phone_catalog.cat2, category3=phone_catalog.cat3,
    )  # fmt: skip

    page = operator.get("/admin/goods/spu/?o=5").content.decode()  # column 5: sales, fewest first

    names = re.findall(r'<td class="field-name">([^<]+)</td>', page)
    sales = re.findall(r'<td class="field-sales">(\d+)</td>', page)
    assert list(zip(names, sales, strict=True)) == [(other.name, "0"), (phone_catalog.spu.name, "5")]


def test_spu_page_shows_the_units_sold_of_its_skus_read_only(operator: Client, phone_catalog: PhoneCatalog) -> None:
    _sell(phone_catalog.black_256, 3)
    _sell(phone_catalog.white_256, 2)

    response = operator.get(f"/admin/goods/spu/{phone_catalog.spu.id}/change/")

    assert response.status_code == 200
    row = response.content.decode().split('field-sales">', 1)[1].split('class="form-row', 1)[0]
    assert re.findall(r'<div class="readonly">(\d+)</div>', row) == ["5"]
    assert operator.get("/admin/goods/spu/add/").status_code == 200
