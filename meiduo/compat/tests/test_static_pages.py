"""Static export of the notes' index.html and goods/<id>.html: content from the v1 answers, regenerated on change."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from meiduo.compat import services, tasks
from meiduo.goods import services as goods_services
from meiduo.goods.tests.conftest import PhoneCatalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(settings: Any, tmp_path: Path) -> Path:
    settings.COMPAT_STATIC_DIR = tmp_path / "pages"
    return tmp_path / "pages"


def test_command_writes_home_and_every_on_sale_detail_page(
    folder: Path, api: APIClient, phone_catalog: PhoneCatalog
) -> None:
    call_command("export_static_pages")

    on_sale = [phone_catalog.black_256, phone_catalog.black_512, phone_catalog.white_256]
    assert sorted(path.name for path in (folder / "goods").glob("*.html")) == sorted(f"{s.id}.html" for s in on_sale)
    sku = phone_catalog.black_256
    v1 = api.get(f"/api/v1/skus/{sku.id}/").json()
    page = (folder / "goods" / f"{sku.id}.html").read_text()
    assert v1["name"] in page
    assert v1["price"] in page
    assert v1["breadcrumb"]["cat1"]["name"] in page
    assert f'src="{sku.id}.js"' in page and 'src="/js/detail.js"' in page
    # The sibling SKUs of the spec matrix link to their own pages.
    assert f'href="/goods/{phone_catalog.black_512.id}.html"' in page
    assert (folder / "goods" / f"{sku.id}.js").read_text() == (
        f'var price = "{v1["price"]}";\nvar cat = {v1["breadcrumb"]["cat3"]["id"]};\n'
    )
    home = (folder / "index.html").read_text()
    assert phone_catalog.cat3.name in home and f"/list.html?cat={phone_catalog.cat3.id}" in home
    assert "<script>" not in page + home  # no inline script: the pages pass a strict Content-Security-Policy
    assert "加入购物车" in page and f"{v1['comments']}人评价" in page and "商品分类" in home  # the shop's language


def test_pages_follow_the_shop_language(folder: Path, phone_catalog: PhoneCatalog, settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    services.static_pages_export(sku_ids=[phone_catalog.black_256.id])

    page = (folder / "goods" / f"{phone_catalog.black_256.id}.html").read_text()
    assert "Add to cart" in page and '<html lang="en">' in page


def test_catalog_text_is_never_run_as_script_or_template(folder: Path, phone_catalog: PhoneCatalog) -> None:
    sku = phone_catalog.black_256
    goods_services.sku_update(sku=sku, name="[[ constructor.constructor('alert(1)')() ]] <b>x</b>")
    sku.spu.desc_detail = '<p onclick="steal()">好<script>steal()</script></p>'
    sku.spu.save()

    services.static_pages_export(sku_ids=[sku.id])

    page = (folder / "goods" / f"{sku.id}.html").read_text()
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    assert "<div v-pre><h3>[[ constructor" in page  # Vue skips the element
    assert "<p>好</p>" in page
    assert "steal" not in page


def test_off_sale_sku_page_is_removed(folder: Path, phone_catalog: PhoneCatalog) -> None:
    sku = phone_catalog.black_256
    services.static_pages_export()
    assert (folder / "goods" / f"{sku.id}.html").exists()

    goods_services.sku_update(sku=sku, is_launched=False)
    services.static_pages_export()

    assert not (folder / "goods" / f"{sku.id}.html").exists()
    assert not (folder / "goods" / f"{sku.id}.js").exists()


def test_refresh_runs_once_per_catalog_change(
    folder: Path, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks: Any
) -> None:
    assert services.static_pages_refresh() == 3
    assert services.static_pages_refresh() is None  # nothing changed: nothing written

    sku = phone_catalog.black_256
    with django_capture_on_commit_callbacks(execute=True):
        goods_services.sku_update(sku=sku, name="改名一")
    with django_capture_on_commit_callbacks(execute=True):
        goods_services.sku_update(sku=sku, name="改名二")

    assert services.static_pages_refresh() == 3  # two writes, one export
    assert "改名二" in (folder / "goods" / f"{sku.id}.html").read_text()
    assert services.static_pages_refresh() is None


def test_beat_task_runs_the_refresh(folder: Path, phone_catalog: PhoneCatalog, settings: Any) -> None:
    assert settings.CELERY_BEAT_SCHEDULE["compat-static-pages-refresh"]["task"] == tasks.static_pages_refresh.name

    assert tasks.static_pages_refresh.delay().get() == 3
    assert (folder / "index.html").exists()


def test_pages_are_served_under_compat_pages(folder: Path, phone_catalog: PhoneCatalog, client: Any) -> None:
    services.static_pages_export()

    response = client.get("/compat-pages/index.html")

    assert response.status_code == 200
    assert phone_catalog.cat3.name in b"".join(response.streaming_content).decode()


def test_a_detail_page_costs_a_fixed_number_of_queries(
    folder: Path, phone_catalog: PhoneCatalog, django_assert_num_queries: Any
) -> None:
    # The navigation is read once per export and handed to every page: a page costs its SKU's reads only.
    with django_assert_num_queries(4):
        assert services.static_sku_export(folder=folder, sku_id=phone_catalog.black_256.id, channels={})
