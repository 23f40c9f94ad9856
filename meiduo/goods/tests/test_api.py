"""Catalog API: shapes of API.md, orderings, pagination, bad input, query counts and cache behaviour."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.test import APIClient

from meiduo.goods import services
from meiduo.goods.models import GoodsVisitCount
from meiduo.goods.tests.conftest import PhoneCatalog, admin_rename_form
from meiduo.goods.tests.factories import (
    BrandFactory,
    ChannelFactory,
    ContentCategoryFactory,
    ContentFactory,
    SKUFactory,
    SPUFactory,
)
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.users.models import User
from tests.support import error_fields, run_together, searching

pytestmark = pytest.mark.django_db

CARD_KEYS = {"id", "name", "price", "default_image_url", "comments"}


# --- home --------------------------------------------------------------------


def test_home_lists_channels_by_group_with_two_levels_of_sub_categories(api, phone_catalog: PhoneCatalog):
    ContentFactory.create(category=ContentCategoryFactory.create(key="index_lbt"), title="大促", sequence=2)
    ContentFactory.create(category=ContentCategoryFactory.create(key="index_lbt"), title="新品", sequence=1)
    ContentFactory.create(category=ContentCategoryFactory.create(key="index_lbt"), title="隐藏", status=False)
    ContentCategoryFactory.create(key="index_kx")

    response = api.get("/api/v1/home/")

    assert response.status_code == 200
    body = response.json()
    group_id = str(phone_catalog.cat1.channels.get().group_id)
    assert body["categories"] == {
        group_id: {
            "channels": [{"id": phone_catalog.cat1.id, "name": "手机通讯", "url": "http://shouji.jd.com"}],
            "sub_cats": [
                {
                    "id": phone_catalog.cat2.id,
                    "name": "手机",
                    "sub_cats": [{"id": phone_catalog.cat3.id, "name": "手机"}],
                }
            ],
        }
    }
    assert [item["title"] for item in body["contents"]["index_lbt"]] == ["新品", "大促"]
    assert body["contents"]["index_lbt"][0]["image_url"].startswith("/media/contents/")
    assert body["contents"]["index_kx"] == []


def test_home_query_count_is_constant(api, phone_catalog: PhoneCatalog, django_assert_max_num_queries):
    for _ in range(5):
        ChannelFactory.create(group=phone_catalog.cat1.channels.get().group)
        ContentFactory.create()
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/home/").status_code == 200


# --- breadcrumb ----------------------------------------------------------------


def test_category_breadcrumb(api, phone_catalog: PhoneCatalog):
    response = api.get(f"/api/v1/categories/{phone_catalog.cat3.id}/")

    assert response.status_code == 200
    assert response.json() == {
        "cat1": {"id": phone_catalog.cat1.id, "name": "手机通讯", "url": "http://shouji.jd.com"},
        "cat2": {"id": phone_catalog.cat2.id, "name": "手机"},
        "cat3": {"id": phone_catalog.cat3.id, "name": "手机"},
    }


@pytest.mark.parametrize("suffix", ["", "skus/", "hotskus/"])
def test_first_second_level_and_unknown_categories_are_404(api, phone_catalog: PhoneCatalog, suffix):
    upper_levels = [] if suffix == "skus/" else [phone_catalog.cat1.id, phone_catalog.cat2.id]  # lists: see filters
    for category_id in (*upper_levels, 999999, 10**17):
        response = api.get(f"/api/v1/categories/{category_id}/{suffix}")
        assert response.status_code == 404, category_id
        assert "detail" in response.json()
    assert api.get(f"/api/v1/categories/{10**30}/{suffix}").status_code == 404


# --- category SKU list -----------------------------------------------------------


def _ids(response):
    return [card["id"] for card in response.json()["results"]]


def test_list_shows_on_sale_sku_cards_newest_first(api, phone_catalog: PhoneCatalog):
    response = api.get(f"/api/v1/categories/{phone_catalog.cat3.id}/skus/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["next"] is None and body["previous"] is None
    assert _ids(response) == [phone_catalog.white_256.id, phone_catalog.black_512.id, phone_catalog.black_256.id]
    first = body["results"][0]
    assert set(first) == CARD_KEYS
    assert first == {
        "id": phone_catalog.white_256.id,
        "name": "华为 Mate 60 手机 白沙银 256GB",
        "price": "5499.00",
        "default_image_url": "/media/goods/mate60.png",
        "comments": 0,
    }


def test_list_orderings(api, phone_catalog: PhoneCatalog):
    catalog = phone_catalog
    catalog.black_256.__class__.objects.filter(pk=catalog.black_512.pk).update(sales=9)
    catalog.black_256.__class__.objects.filter(pk=catalog.white_256.pk).update(sales=3)
    url = f"/api/v1/categories/{catalog.cat3.id}/skus/"
    expected = {
        "create_time": [catalog.black_256.id, catalog.black_512.id, catalog.white_256.id],
        "-create_time": [catalog.white_256.id, catalog.black_512.id, catalog.black_256.id],
        "price": [catalog.black_256.id, catalog.white_256.id, catalog.black_512.id],
        "-price": [catalog.black_512.id, catalog.white_256.id, catalog.black_256.id],
        "sales": [catalog.black_256.id, catalog.white_256.id, catalog.black_512.id],
        "-sales": [catalog.black_512.id, catalog.white_256.id, catalog.black_256.id],
    }
    for ordering, ids in expected.items():
        response = api.get(url, {"ordering": ordering})
        assert response.status_code == 200
        assert _ids(response) == ids, ordering


@pytest.mark.parametrize("ordering", ["name", "-id", "price; DROP TABLE tb_sku", "create_time,price"])
def test_bad_ordering_is_400(api, phone_catalog: PhoneCatalog, ordering):
    response = api.get(f"/api/v1/categories/{phone_catalog.cat3.id}/skus/", {"ordering": ordering})

    assert response.status_code == 400
    assert error_fields(response.json()) == ["ordering"]


def test_pagination_page_size_and_bad_pages(api, phone_catalog: PhoneCatalog):
    for _ in range(120):
        SKUFactory.create(spu=phone_catalog.spu)
    url = f"/api/v1/categories/{phone_catalog.cat3.id}/skus/"

    page2 = api.get(url, {"page": 2, "page_size": 50}).json()
    assert page2["count"] == 123
    assert len(page2["results"]) == 50
    assert "page=3" in page2["next"] and "page_size=50" in page2["next"]
    assert len(api.get(url, {"page_size": 1000}).json()["results"]) == 100  # capped
    assert len(api.get(url, {"page_size": "many"}).json()["results"]) == 10  # default
    assert len(api.get(url, {"page_size": -3}).json()["results"]) == 10
    for page in ("99", "0", "abc", "-1"):
        response = api.get(url, {"page": page})
        assert response.status_code == 400, page
        assert "page" in response.json()


@pytest.mark.parametrize("page_size", [1, 50])
def test_list_query_count_is_constant(api, phone_catalog: PhoneCatalog, page_size, django_assert_max_num_queries):
    for _ in range(60):
        SKUFactory.create(spu=phone_catalog.spu)
    with django_assert_max_num_queries(2):  # category with its kept count, page
        response = api.get(f"/api/v1/categories/{phone_catalog.cat3.id}/skus/", {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


# --- hot SKUs ----------------------------------------------------------------


def test_hot_skus_are_the_two_best_selling_on_sale(api, phone_catalog: PhoneCatalog, django_assert_max_num_queries):
    sku_model = phone_catalog.black_256.__class__
    sku_model.objects.filter(pk=phone_catalog.white_512_off_sale.pk).update(sales=100)
    sku_model.objects.filter(pk=phone_catalog.white_256.pk).update(sales=50)
    sku_model.objects.filter(pk=phone_catalog.black_512.pk).update(sales=20)

    with django_assert_max_num_queries(2):
        response = api.get(f"/api/v1/categories/{phone_catalog.cat3.id}/hotskus/")

    assert response.status_code == 200
    assert [card["id"] for card in response.json()] == [phone_catalog.white_256.id, phone_catalog.black_512.id]
    assert set(response.json()[0]) == CARD_KEYS


# --- visits --------------------------------------------------------------------


def test_visits_are_counted_once_per_client_category_and_day(phone_catalog: PhoneCatalog):
    url = f"/api/v1/categories/{phone_catalog.cat3.id}/visits/"
    visitor, another = APIClient(REMOTE_ADDR="10.3.0.1"), APIClient(REMOTE_ADDR="10.3.0.2")
    with freeze_time("2026-11-21 10:00:00+08:00") as frozen:
        # The same visitor reloading the page (or a script posting in a loop) counts once a day.
        assert [visitor.post(url).status_code for _ in range(20)] == [204] * 20
        assert another.post(url).status_code == 204
        assert GoodsVisitCount.objects.get(category=phone_catalog.cat3).count == 2
        frozen.tick(timedelta(days=1))
        assert visitor.post(url).status_code == 204
    days = dict(GoodsVisitCount.objects.filter(category=phone_catalog.cat3).values_list("date", "count"))
    assert days == {date(2026, 11, 21): 2, date(2026, 11, 22): 1}


@pytest.mark.django_db(transaction=True)
def test_concurrent_visits_of_one_client_count_once(phone_catalog: PhoneCatalog):
    url = f"/api/v1/categories/{phone_catalog.cat3.id}/visits/"
    responses = run_together([lambda: APIClient(REMOTE_ADDR="10.3.1.1").post(url)] * 8)
    assert [response.status_code for response in responses] == [204] * 8
    assert GoodsVisitCount.objects.get(category=phone_catalog.cat3).count == 1


def test_visits_of_unknown_or_upper_level_category_are_404(api, phone_catalog: PhoneCatalog):
    for category_id in (phone_catalog.cat1.id, 424242):
        assert api.post(f"/api/v1/categories/{category_id}/visits/").status_code == 404
    assert not GoodsVisitCount.objects.exists()


# --- SKU detail ------------------------------------------------------------------


def test_sku_detail(api, phone_catalog: PhoneCatalog):
    catalog = phone_catalog
    catalog.black_256.images.create(image="goods/mate60-1.png")
    catalog.black_256.images.create(image="goods/mate60-2.png")

    response = api.get(f"/api/v1/skus/{catalog.black_256.id}/")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == catalog.black_256.id
    assert body["price"] == "5499.00"
    assert body["market_price"] == "5499.00"
    assert body["stock"] == 20 and body["sales"] == 0 and body["comments"] == 0
    assert body["images"] == ["/media/goods/mate60-1.png", "/media/goods/mate60-2.png"]
    assert body["breadcrumb"]["cat3"] == {"id": catalog.cat3.id, "name": "手机"}
    assert body["spu"] == {
        "id": catalog.spu.id,
        "name": "华为 Mate 60",
        "desc_detail": "<p>详情</p>",
        "desc_pack": "",
        "desc_service": "",
    }
    colour, memory = body["specs"]
    assert colour["name"] == "颜色" and memory["name"] == "内存"
    assert [(o["value"], o["sku_id"]) for o in colour["options"]] == [
        ("雅丹黑", catalog.black_256.id),
        ("白沙银", catalog.white_256.id),
    ]
    assert [(o["value"], o["sku_id"]) for o in memory["options"]] == [
        ("256GB", catalog.black_256.id),
        ("512GB", catalog.black_512.id),
    ]


def test_sibling_that_is_off_sale_has_no_sku_id(api, phone_catalog: PhoneCatalog):
    body = api.get(f"/api/v1/skus/{phone_catalog.white_256.id}/").json()

    memory = body["specs"][1]
    assert [(o["value"], o["sku_id"]) for o in memory["options"]] == [
        ("256GB", phone_catalog.white_256.id),
        ("512GB", None),
    ]


def test_sku_detail_of_unknown_or_off_sale_sku_is_404(api, phone_catalog: PhoneCatalog):
    for sku_id in (phone_catalog.white_512_off_sale.id, 987654, 10**17, 10**25):
        response = api.get(f"/api/v1/skus/{sku_id}/")
        assert response.status_code == 404, sku_id


def test_sku_detail_query_count_is_constant(api, phone_catalog: PhoneCatalog, django_assert_max_num_queries):
    for index in range(8):
        phone_catalog.black_256.images.create(image=f"goods/extra{index}.png")
        spec = phone_catalog.spu.specs.create(name=f"规格{index}")
        spec.options.create(value="A")
        spec.options.create(value="B")
    # sku+spu+breadcrumb with the channel url, images, specs with their options, sibling options
    with django_assert_max_num_queries(4):
        assert api.get(f"/api/v1/skus/{phone_catalog.black_256.id}/").status_code == 200


# --- comments ------------------------------------------------------------------


def test_comments_of_sku_without_reviews_is_empty_and_unknown_is_404(api, phone_catalog: PhoneCatalog):
    response = api.get(f"/api/v1/skus/{phone_catalog.black_256.id}/comments/")
    assert response.status_code == 200
    assert response.json() == []
    assert api.get("/api/v1/skus/777777/comments/").status_code == 404


def _review(sku, username, *, comment, score, anonymous, minutes_ago, commented=True):
    user = User.objects.create_user(username=username, password="x" * 12, mobile=None)
    order = OrderInfo.objects.create(
        order_id=f"20260101000000{user.id:09d}", user=user,
        receiver="张三", province="北京市", city="北京市", district="海淀区", place="中关村",
        mobile="13800000000", total_count=1, total_amount=sku.price, freight=Decimal("10.00"), pay_method=2, status=5,
    )  # fmt: skip
    OrderGoods.objects.create(
        order=order, sku=sku, count=1, price=sku.price, comment=comment, score=score, is_anonymous=anonymous,
        is_commented=commented, comment_time=timezone.now() - timedelta(minutes=minutes_ago) if commented else None,
    )  # fmt: skip


def test_comments_newest_first_with_anonymous_names_masked(api, phone_catalog: PhoneCatalog):
    sku = phone_catalog.black_256
    _review(sku, "zhangsan", comment="手机很好用，拍照清晰", score=5, anonymous=False, minutes_ago=30)
    _review(sku, "lisi2024", comment="物流很快，包装完好", score=4, anonymous=True, minutes_ago=5)
    _review(sku, "wangwu", comment="", score=5, anonymous=False, minutes_ago=1, commented=False)
    _review(phone_catalog.white_256, "zhaoliu", comment="另一款的评价", score=3, anonymous=False, minutes_ago=2)

    body = api.get(f"/api/v1/skus/{sku.id}/comments/").json()

    assert [(c["username"], c["comment"], c["score"]) for c in body] == [
        ("l***4", "物流很快，包装完好", 4),
        ("zhangsan", "手机很好用，拍照清晰", 5),
    ]
    assert body[0]["create_time"] > body[1]["create_time"]


# --- caching -------------------------------------------------------------------


def test_catalog_answers_carry_etag_and_revalidate_with_304(api, phone_catalog: PhoneCatalog):
    url = f"/api/v1/skus/{phone_catalog.black_256.id}/"
    first = api.get(url)
    assert first["ETag"]
    assert "must-revalidate" in first["Cache-Control"] and "public" in first["Cache-Control"]

    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_cached_answers_are_served_without_queries(api, phone_catalog: PhoneCatalog, django_assert_num_queries):
    url = f"/api/v1/categories/{phone_catalog.cat3.id}/skus/"
    api.get(url)
    with django_assert_num_queries(0):
        assert api.get(url).status_code == 200


def test_an_edit_is_visible_on_the_next_request(api, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks):
    detail = f"/api/v1/skus/{phone_catalog.black_256.id}/"
    listing = f"/api/v1/categories/{phone_catalog.cat3.id}/skus/"
    old_etag = api.get(detail)["ETag"]
    api.get(listing)

    with django_capture_on_commit_callbacks(execute=True):
        services.sku_update(sku=phone_catalog.black_256, price=Decimal("4999.00"), name="华为 Mate 60 特惠")

    response = api.get(detail, HTTP_IF_NONE_MATCH=old_etag)
    assert response.status_code == 200
    assert response.json()["price"] == "4999.00"
    assert response["ETag"] != old_etag
    cards = {card["id"]: card for card in api.get(listing).json()["results"]}
    assert cards[phone_catalog.black_256.id]["name"] == "华为 Mate 60 特惠"


def test_taking_an_sku_off_sale_removes_it_from_list_and_detail(
    api, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks
):
    api.get(f"/api/v1/skus/{phone_catalog.black_512.id}/")
    with django_capture_on_commit_callbacks(execute=True):
        services.sku_update(sku=phone_catalog.black_512, is_launched=False)

    assert api.get(f"/api/v1/skus/{phone_catalog.black_512.id}/").status_code == 404
    listing = api.get(f"/api/v1/categories/{phone_catalog.cat3.id}/skus/").json()
    assert phone_catalog.black_512.id not in [card["id"] for card in listing["results"]]


@searching
def test_admin_edit_is_visible_on_the_next_request(
    api, phone_catalog: PhoneCatalog, admin_user, django_capture_on_commit_callbacks
):
    sku = phone_catalog.black_256
    assert api.get(f"/api/v1/skus/{sku.id}/").json()["name"] == sku.name
    browser = Client()
    browser.force_login(admin_user)
    form = admin_rename_form(sku)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"/admin/goods/sku/{sku.id}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]

    body = api.get(f"/api/v1/skus/{sku.id}/").json()
    assert body["name"] == "华为 Mate 60 运营改名"
    assert body["price"] == "5299.00"
    found = api.get("/api/v1/skus/search/", {"text": "运营改名"}).json()
    assert [card["id"] for card in found["results"]] == [sku.id]


def test_a_stale_token_does_not_block_browsing(api, phone_catalog: PhoneCatalog):
    api.credentials(HTTP_AUTHORIZATION="JWT not-a-token")
    assert api.get("/api/v1/home/").status_code == 200
    assert api.get(f"/api/v1/skus/{phone_catalog.black_256.id}/").status_code == 200


def test_sku_without_image_has_null_image_url(api, phone_catalog: PhoneCatalog):
    sku = SKUFactory.create(spu=SPUFactory.create(category3=phone_catalog.cat3), default_image="")
    cards = api.get(f"/api/v1/categories/{phone_catalog.cat3.id}/skus/").json()["results"]
    assert {card["id"]: card for card in cards}[sku.id]["default_image_url"] is None


def test_error_messages_follow_the_language(api, phone_catalog: PhoneCatalog):
    url = f"/api/v1/categories/{phone_catalog.cat3.id}/skus/"

    chinese = api.get(url, {"ordering": "name"}).json()["ordering"][0]
    english = api.get(url, {"ordering": "name"}, HTTP_ACCEPT_LANGUAGE="en").json()["ordering"][0]

    assert chinese.startswith("请从以下选项中选择")
    assert english.startswith("Choose one of: create_time")


# --- brands of the home floors ------------------------------------------------------


def test_home_floors_show_the_brands_operators_chose(
    api, phone_catalog: PhoneCatalog, admin_user, django_capture_on_commit_callbacks
):
    assert api.get("/api/v1/home/").json()["floor_brands"] == {}
    huawei = phone_catalog.spu.brand
    other = BrandFactory.create(name="荣耀", logo="brands/honor.png")
    browser = Client()
    browser.force_login(admin_user)
    for brand, sequence in ((other, 2), (huawei, 1)):
        form = {"floor": 1, "brand": brand.id, "category": phone_catalog.cat1.id, "sequence": sequence}
        with django_capture_on_commit_callbacks(execute=True):
            assert browser.post("/admin/goods/floorbrand/add/", form).status_code == 302

    floors = api.get("/api/v1/home/").json()["floor_brands"]  # shown on the next request

    top = phone_catalog.cat1.id
    assert floors == {
        "1": [
            {"id": huawei.id, "name": "华为", "logo_url": None, "category_id": top},
            {"id": other.id, "name": "荣耀", "logo_url": "/media/brands/honor.png", "category_id": top},
        ]
    }
    listing = api.get(f"/api/v1/categories/{phone_catalog.cat1.id}/skus/", {"brand": huawei.id}).json()
    assert listing["count"] == 3  # where the brand's link leads: its on-sale goods below the category
    duplicate = {"floor": 1, "brand": huawei.id, "category": phone_catalog.cat3.id, "sequence": 3}
    assert browser.post("/admin/goods/floorbrand/add/", duplicate).status_code == 200  # once per floor: refused
