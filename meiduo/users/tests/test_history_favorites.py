"""Browse history and favourites through the API: sku-cards, order, no duplicates, limits, ownership."""

from functools import partial
from typing import Any

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from meiduo.core.errors import NotFoundError
from meiduo.goods.models import SKU
from meiduo.goods.tests.factories import SKUFactory
from meiduo.users.models import BrowseHistory, Favorite, User
from meiduo.users.services.browsing import browse_history_add, favorite_add, favorite_remove
from tests.support import run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper() -> User:
    return User.objects.create_user(username="lihua2026", password="Meiduo-2026!", mobile="13911112222")


def signed_in(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"JWT {AccessToken.for_user(user)}")
    return client


@pytest.fixture
def me(shopper: User) -> APIClient:
    return signed_in(shopper)


@pytest.fixture
def skus() -> list[SKU]:
    return SKUFactory.create_batch(7)


def card(sku: SKU) -> dict[str, Any]:
    return {
        "id": sku.pk,
        "name": sku.name,
        "price": str(sku.price),
        "default_image_url": f"/media/{sku.default_image.name}",
        "comments": sku.comments,
    }


def visit(api: APIClient, sku: SKU) -> int:
    return int(api.post("/api/v1/browse_histories/", {"sku_id": sku.pk}, format="json").status_code)


# --- browse history ------------------------------------------------------------------------------------------


def test_history_is_newest_first_sku_cards(me: APIClient, skus: list[SKU]) -> None:
    response = me.post("/api/v1/browse_histories/", {"sku_id": skus[0].pk}, format="json")
    assert response.status_code == 201
    assert response.json() == {"sku_id": skus[0].pk}
    assert visit(me, skus[1]) == 201
    body = me.get("/api/v1/browse_histories/").json()
    assert body == [card(skus[1]), card(skus[0])]


def test_history_keeps_five_without_duplicates(me: APIClient, skus: list[SKU], shopper: User) -> None:
    for sku in [skus[0], skus[1], skus[2], skus[0], skus[3], skus[4], skus[5], skus[6], skus[3]]:
        assert visit(me, sku) == 201
    ids = [item["id"] for item in me.get("/api/v1/browse_histories/").json()]
    assert ids == [skus[3].pk, skus[6].pk, skus[5].pk, skus[4].pk, skus[0].pk]
    assert BrowseHistory.objects.filter(user=shopper).count() == 5


def test_history_is_per_user(me: APIClient, skus: list[SKU]) -> None:
    visit(me, skus[0])
    other = signed_in(User.objects.create_user(username="wangwu2026", password="x", mobile="13700001111"))
    assert other.get("/api/v1/browse_histories/").json() == []
    visit(other, skus[1])
    assert [item["id"] for item in me.get("/api/v1/browse_histories/").json()] == [skus[0].pk]


def test_history_is_shared_by_every_process(me: APIClient, skus: list[SKU], shopper: User) -> None:
    """It lives in the database, not in a process: a fresh query (as another web host would) sees it."""
    visit(me, skus[0])
    visit(me, skus[1])
    rows = BrowseHistory.objects.filter(user=shopper).order_by("-visit_time")
    assert list(rows.values_list("sku_id", flat=True)) == [skus[1].pk, skus[0].pk]


@pytest.mark.parametrize("sku_id", [999999, 0, -1, "abc", ""])
def test_history_of_an_unknown_sku_is_400(me: APIClient, skus: list[SKU], sku_id: object) -> None:
    response = me.post("/api/v1/browse_histories/", {"sku_id": sku_id}, format="json")
    assert response.status_code == 400
    assert "sku_id" in response.json()
    assert not BrowseHistory.objects.exists()


def test_history_of_an_off_sale_sku_is_400(me: APIClient) -> None:
    sku = SKUFactory.create(is_launched=False)
    assert visit(me, sku) == 400


def test_history_needs_login(api: APIClient, skus: list[SKU]) -> None:
    assert api.get("/api/v1/browse_histories/").status_code == 401
    assert visit(api, skus[0]) == 401


def test_history_query_count(me: APIClient, skus: list[SKU], django_assert_max_num_queries: Any) -> None:
    for sku in skus:
        visit(me, sku)
    with django_assert_max_num_queries(2):
        assert len(me.get("/api/v1/browse_histories/").json()) == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_visits_of_one_sku_leave_one_row() -> None:
    shopper = User.objects.create_user(username="racer2026", password="x", mobile="13600001111")
    sku = SKUFactory.create()
    outcomes = run_together([lambda: browse_history_add(user=shopper, sku_id=sku.pk) for _ in range(5)])
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert errors == []
    assert BrowseHistory.objects.filter(user=shopper, sku=sku).count() == 1


# --- favourites ----------------------------------------------------------------------------------------------


def test_favorites_add_is_idempotent_and_lists_sku_cards(me: APIClient, skus: list[SKU], shopper: User) -> None:
    first = me.post("/api/v1/favorites/", {"sku_id": skus[0].pk}, format="json")
    assert first.status_code == 201
    assert first.json() == card(skus[0])
    again = me.post("/api/v1/favorites/", {"sku_id": skus[0].pk}, format="json")
    assert again.status_code == 200
    assert again.json() == card(skus[0])
    me.post("/api/v1/favorites/", {"sku_id": skus[1].pk}, format="json")
    assert Favorite.objects.filter(user=shopper).count() == 2
    assert me.get("/api/v1/favorites/").json() == [card(skus[1]), card(skus[0])]


def test_favorite_remove(me: APIClient, skus: list[SKU]) -> None:
    me.post("/api/v1/favorites/", {"sku_id": skus[0].pk}, format="json")
    assert me.delete(f"/api/v1/favorites/{skus[0].pk}/").status_code == 204
    assert me.get("/api/v1/favorites/").json() == []
    response = me.delete(f"/api/v1/favorites/{skus[0].pk}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_favorites_are_per_user(me: APIClient, skus: list[SKU], shopper: User) -> None:
    me.post("/api/v1/favorites/", {"sku_id": skus[0].pk}, format="json")
    other = signed_in(User.objects.create_user(username="wangwu2026", password="x", mobile="13700001111"))
    assert other.get("/api/v1/favorites/").json() == []
    assert other.delete(f"/api/v1/favorites/{skus[0].pk}/").status_code == 404
    assert Favorite.objects.filter(user=shopper, sku=skus[0]).exists()


@pytest.mark.parametrize("sku_id", [999999, "abc", None])
def test_favorite_of_an_unknown_sku_is_400(me: APIClient, skus: list[SKU], sku_id: object) -> None:
    response = me.post("/api/v1/favorites/", {"sku_id": sku_id}, format="json")
    assert response.status_code == 400
    assert "sku_id" in response.json()


def test_favorites_need_login(api: APIClient, skus: list[SKU]) -> None:
    assert api.get("/api/v1/favorites/").status_code == 401
    assert api.post("/api/v1/favorites/", {"sku_id": skus[0].pk}, format="json").status_code == 401
    assert api.delete(f"/api/v1/favorites/{skus[0].pk}/").status_code == 401


def test_favorites_query_count(me: APIClient, skus: list[SKU], django_assert_max_num_queries: Any) -> None:
    for sku in skus:
        me.post("/api/v1/favorites/", {"sku_id": sku.pk}, format="json")
    with django_assert_max_num_queries(2):
        assert len(me.get("/api/v1/favorites/").json()) == 7


def test_sku_ids_beyond_any_column_are_not_errors(me: APIClient) -> None:
    huge = 10**30
    assert me.delete(f"/api/v1/favorites/{huge}/").status_code == 404
    assert me.post("/api/v1/favorites/", {"sku_id": huge}, format="json").status_code == 400
    assert me.post("/api/v1/browse_histories/", {"sku_id": huge}, format="json").status_code == 400


# --- a SKU's favourite count -----------------------------------------------------------


def _favorites(sku: SKU) -> int:
    return SKU.objects.values_list("favorites", flat=True).get(pk=sku.pk)


def test_favouriting_counts_each_shopper_once(me: APIClient, shopper: User, skus: list[SKU]) -> None:
    sku = skus[0]
    other = signed_in(User.objects.create_user(username="wangwu2026", password="Meiduo-2026!", mobile="13911113333"))

    assert me.post("/api/v1/favorites/", {"sku_id": sku.id}, format="json").status_code == 201
    assert me.post("/api/v1/favorites/", {"sku_id": sku.id}, format="json").status_code == 200  # again: no change
    assert other.post("/api/v1/favorites/", {"sku_id": sku.id}, format="json").status_code == 201
    assert _favorites(sku) == 2
    assert me.delete(f"/api/v1/favorites/{sku.id}/").status_code == 204
    assert me.delete(f"/api/v1/favorites/{sku.id}/").status_code == 404  # not saved any more: no change
    assert _favorites(sku) == 1


@pytest.mark.django_db(transaction=True)
def test_the_favourite_count_is_exact_under_concurrency() -> None:
    sku = SKUFactory.create()
    shoppers = [
        User.objects.create_user(username=f"racer{n:04d}", password="Meiduo-2026!", mobile=f"1390000{n:04d}")
        for n in range(6)
    ]
    # Every shopper adds twice at the same moment (a double click): each counts once.
    run_together([partial(favorite_add, user=user, sku_id=sku.id) for user in shoppers for _ in range(2)])
    assert _favorites(sku) == Favorite.objects.filter(sku=sku).count() == 6
    # Half remove twice at the same moment, the others add again: only the removals count.
    removals = [partial(favorite_remove, user=user, sku_id=sku.id) for user in shoppers[:3] for _ in range(2)]
    results = run_together([*removals, *(partial(favorite_add, user=user, sku_id=sku.id) for user in shoppers[3:])])
    assert sum(isinstance(result, NotFoundError) for result in results) == 3
    assert _favorites(sku) == Favorite.objects.filter(sku=sku).count() == 3
