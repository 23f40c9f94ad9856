"""The memory tier in front of Django (meiduo.core.fronttier) on catalog answers, called as gunicorn calls it.

A hit must be indistinguishable from Django's own answer (status, every
header, bytes), never reach Django or the database, and an edit must show
within CATALOG_VERSION_CHECK_INTERVAL (0 in tests: the very next request).
A miss built by the view without Django's middleware must be Django's answer
too, and anything else (errors, outages) Django's own.
"""

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.test import Client
from freezegun import freeze_time
from rest_framework.test import APIClient
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import AccessToken

from config.wsgi import application as shop_application
from config.wsgi import django_application
from meiduo.core.fronttier import FrontCache
from meiduo.core.frontwrite import FrontWrites
from meiduo.goods import selectors, services
from meiduo.goods.caching import CATALOG_ROUTES
from meiduo.goods.tests.conftest import PhoneCatalog, admin_rename_form
from meiduo.goods.tests.factories import CategoryFactory
from meiduo.users.models import User
from tests.support import CountingApp, WSGIAnswer, searching, wsgi_call

pytestmark = pytest.mark.django_db


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def django_app() -> CountingApp:
    return CountingApp(django_application)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def front(django_app: CountingApp, clock: Clock) -> FrontCache:
    """A fresh worker process's memory tier over the real Django application."""
    return FrontCache(django_app, routes=CATALOG_ROUTES, clock=clock)


def _urls(catalog: PhoneCatalog) -> list[str]:
    return [
        "/api/v1/home/",
        f"/api/v1/categories/{catalog.cat3.id}/",
        f"/api/v1/categories/{catalog.cat3.id}/skus/?ordering=price&page_size=2",
        f"/api/v1/categories/{catalog.cat3.id}/hotskus/",
        f"/api/v1/skus/{catalog.black_256.id}/",
        "/api/v1/skus/search/?text=%E6%89%8B%E6%9C%BA&page=1",
    ]


def _hit(front: FrontCache, django_app: CountingApp, url: str, **kwargs: Any) -> WSGIAnswer:
    """Ask the tier for an answer it must give itself: no Django, no query."""
    before = django_app.calls
    answer = wsgi_call(front, url, **kwargs)
    assert django_app.calls == before, f"{url} reached Django"
    return answer


HEADER_VARIANTS = [
    {},
    {"Accept-Language": "en-US,en;q=0.9"},
    {"Cookie": f"django_language=en; csrftoken={'a' * 32}"},
    {"Origin": "http://127.0.0.1:8080"},  # an allowed origin: CORS headers
    {"Origin": "http://evil.example"},
    {"Accept": "application/json, text/plain, */*"},
]


@pytest.mark.parametrize(
    "headers", HEADER_VARIANTS, ids=["plain", "english", "cookie-en", "cors", "other-origin", "accept"]
)
def test_a_hit_sends_exactly_what_django_sends(
    front: FrontCache,
    django_app: CountingApp,
    phone_catalog: PhoneCatalog,
    headers: dict[str, str],
    django_assert_num_queries,
):
    for url in _urls(phone_catalog):
        django_answer = wsgi_call(django_application, url, headers=headers)
        wsgi_call(front, url, headers=headers)  # a miss: Django answers and the tier keeps it

        with django_assert_num_queries(0):
            hit = _hit(front, django_app, url, headers=headers)

        assert django_answer.status == 200
        assert (hit.status, hit.headers, hit.body) == (django_answer.status, django_answer.headers, django_answer.body)


def test_the_headers_of_a_hit_include_security_cors_and_language(
    front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog
):
    url = f"/api/v1/skus/{phone_catalog.black_256.id}/"
    headers = {"Origin": "http://127.0.0.1:8080", "Accept-Language": "en"}
    wsgi_call(front, url, headers=headers)

    hit = _hit(front, django_app, url, headers=headers)

    assert hit.header("X-Content-Type-Options") == "nosniff"
    assert hit.header("Referrer-Policy") == "same-origin"
    assert hit.header("X-Frame-Options") == "DENY"
    assert hit.header("Access-Control-Allow-Origin") == "http://127.0.0.1:8080"
    assert hit.header("Access-Control-Allow-Credentials") == "true"
    assert hit.header("Content-Language") == "en"
    assert "Accept-Language" in (hit.header("Vary") or "")
    assert hit.json()["id"] == phone_catalog.black_256.id


def test_a_revalidation_gets_the_same_304_as_from_django(
    front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog
):
    url = f"/api/v1/categories/{phone_catalog.cat3.id}/skus/"
    etag = wsgi_call(front, url).header("ETag")
    assert etag

    django_answer = wsgi_call(django_application, url, headers={"If-None-Match": etag})
    hit = _hit(front, django_app, url, headers={"If-None-Match": etag})

    assert django_answer.status == 304
    assert (hit.status, hit.headers, hit.body) == (django_answer.status, django_answer.headers, django_answer.body)
    assert _hit(front, django_app, url, headers={"If-None-Match": '"stale"'}).status == 200


@pytest.mark.parametrize(
    ("cookie", "sent"),
    [("sessionid=expired", "sessionid="), ("csrftoken=malformed", "csrftoken=")],  # dropped / replaced by Django
)
def test_a_request_whose_cookies_change_djangos_headers_gets_djangos_own_answer(
    front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog, cookie: str, sent: str
):
    url = "/api/v1/home/"
    wsgi_call(front, url)

    answer = wsgi_call(front, url, headers={"Cookie": cookie})

    assert django_app.calls == 2
    assert sent in (answer.header("Set-Cookie") or "")
    assert not any(name == "Set-Cookie" for name, _value in wsgi_call(front, url).headers)


def test_a_revalidation_reaching_a_fresh_process_fills_it_and_gets_djangos_304(
    front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog
):
    url = f"/api/v1/skus/{phone_catalog.black_256.id}/"
    etag = wsgi_call(django_application, url).header("ETag") or ""  # the browser's copy, from another process
    django_answer = wsgi_call(django_application, url, headers={"If-None-Match": etag})

    first = wsgi_call(front, url, headers={"If-None-Match": etag})
    again = _hit(front, django_app, url, headers={"If-None-Match": etag})

    assert django_answer.status == 304
    for answer in (first, again):
        assert (answer.status, answer.headers, answer.body) == (304, django_answer.headers, b"")
    assert _hit(front, django_app, url).body == wsgi_call(django_application, url).body


def test_head_is_answered_like_django_answers_it(
    front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog
):
    url = "/api/v1/home/"
    wsgi_call(front, url)

    hit = _hit(front, django_app, url, method="HEAD")

    django_answer = wsgi_call(django_application, url, method="HEAD")
    assert (hit.status, hit.headers, hit.body) == (django_answer.status, django_answer.headers, django_answer.body)


@pytest.mark.parametrize(
    ("headers", "language"),
    [
        ({}, "zh-hans"),
        ({"Accept-Language": "en-US,en;q=0.9"}, "en"),
        ({"Accept-Language": "fr-FR,fr;q=0.9"}, "zh-hans"),  # not offered: the default
        ({"Accept-Language": "en", "Cookie": "django_language=zh-hans"}, "zh-hans"),  # the cookie wins
        ({"Cookie": "theme=dark; django_language=en"}, "en"),
    ],
)
def test_the_language_is_chosen_as_django_chooses_it(
    front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog, headers: dict[str, str], language: str
):
    url = f"/api/v1/skus/{phone_catalog.black_256.id}/"
    # Fill the tier with both languages first, so a hit in the wrong one would show.
    wsgi_call(front, url, headers={"Accept-Language": "en"})
    wsgi_call(front, url, headers={"Accept-Language": "zh-hans"})
    wsgi_call(front, url, headers=headers)

    assert _hit(front, django_app, url, headers=headers).header("Content-Language") == language
    assert wsgi_call(django_application, url, headers=headers).header("Content-Language") == language


def _recorded(calls: list[str], name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return method(*args, **kwargs)

    return call


@pytest.mark.usefixtures("phone_catalog")
def test_a_hit_costs_one_cache_read_and_none_within_the_check_interval(
    front: FrontCache, django_app: CountingApp, settings, clock: Clock, monkeypatch
):
    url = "/api/v1/home/"
    wsgi_call(front, url)
    calls: list[str] = []
    cache = caches["default"]
    for name in ("get", "set", "add", "incr", "delete", "get_many", "has_key"):
        monkeypatch.setattr(cache, name, _recorded(calls, name, getattr(cache, name)))

    _hit(front, django_app, url)
    assert calls == ["get"]  # the catalog version (CATALOG_VERSION_CHECK_INTERVAL = 0)

    settings.CATALOG_VERSION_CHECK_INTERVAL = 5
    calls.clear()
    clock.now += 5
    _hit(front, django_app, url)
    clock.now += 4
    _hit(front, django_app, url)
    assert calls == ["get"]  # read once, then trusted for 5 s


def test_another_worker_reuses_the_shared_bytes_without_a_query(
    django_app: CountingApp, phone_catalog: PhoneCatalog, django_assert_num_queries
):
    url = f"/api/v1/skus/{phone_catalog.black_256.id}/"
    first_worker = FrontCache(django_app, routes=CATALOG_ROUTES)
    built = wsgi_call(first_worker, url)

    second_worker = FrontCache(django_app, routes=CATALOG_ROUTES)
    with django_assert_num_queries(0):
        reused = wsgi_call(second_worker, url)

    assert django_app.calls == 2  # the second worker asked Django, which found the bytes in the shared cache
    assert (reused.headers, reused.body) == (built.headers, built.body)


# --- edits show on the next request ---------------------------------------------------


def test_price_and_name_changes_show_on_the_next_request(
    front: FrontCache, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks
):
    sku = phone_catalog.black_256
    detail, listing = f"/api/v1/skus/{sku.id}/", f"/api/v1/categories/{phone_catalog.cat3.id}/skus/"
    old_etag = wsgi_call(front, detail).header("ETag")
    wsgi_call(front, listing)

    with django_capture_on_commit_callbacks(execute=True):
        services.sku_update(sku=sku, price=Decimal("4999.00"), name="华为 Mate 60 特惠")

    answer = wsgi_call(front, detail, headers={"If-None-Match": old_etag or ""})
    assert answer.status == 200
    assert (answer.json()["price"], answer.json()["name"]) == ("4999.00", "华为 Mate 60 特惠")
    cards = {card["id"]: card for card in wsgi_call(front, listing).json()["results"]}
    assert (cards[sku.id]["price"], cards[sku.id]["name"]) == ("4999.00", "华为 Mate 60 特惠")


def test_taking_an_sku_off_sale_shows_on_the_next_request(
    front: FrontCache, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks
):
    sku = phone_catalog.black_512
    listing = f"/api/v1/categories/{phone_catalog.cat3.id}/skus/"
    assert wsgi_call(front, f"/api/v1/skus/{sku.id}/").status == 200
    assert sku.id in [card["id"] for card in wsgi_call(front, listing).json()["results"]]

    with django_capture_on_commit_callbacks(execute=True):
        services.sku_update(sku=sku, is_launched=False)

    assert wsgi_call(front, f"/api/v1/skus/{sku.id}/").status == 404
    assert sku.id not in [card["id"] for card in wsgi_call(front, listing).json()["results"]]


def test_a_category_change_shows_on_the_next_request(
    front: FrontCache, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks
):
    sku = phone_catalog.white_256
    other = CategoryFactory.create(name="老人机", parent=phone_catalog.cat2)
    old_listing, new_listing = (f"/api/v1/categories/{category.id}/skus/" for category in (phone_catalog.cat3, other))
    assert sku.id in [card["id"] for card in wsgi_call(front, old_listing).json()["results"]]
    assert wsgi_call(front, new_listing).json()["results"] == []

    with django_capture_on_commit_callbacks(execute=True):
        services.sku_update(sku=sku, category=other)

    assert sku.id not in [card["id"] for card in wsgi_call(front, old_listing).json()["results"]]
    assert [card["id"] for card in wsgi_call(front, new_listing).json()["results"]] == [sku.id]
    assert wsgi_call(front, f"/api/v1/skus/{sku.id}/").json()["breadcrumb"]["cat3"]["name"] == "老人机"


@searching
def test_an_admin_edit_shows_on_the_next_request(
    front: FrontCache, phone_catalog: PhoneCatalog, admin_user: User, django_capture_on_commit_callbacks
):
    sku = phone_catalog.black_256
    search = "/api/v1/skus/search/?text=%E8%BF%90%E8%90%A5%E6%94%B9%E5%90%8D"  # 运营改名
    assert wsgi_call(front, f"/api/v1/skus/{sku.id}/").json()["name"] == sku.name
    assert wsgi_call(front, search).json()["results"] == []
    browser = Client()
    browser.force_login(admin_user)
    form = admin_rename_form(sku)
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post(f"/admin/goods/sku/{sku.id}/change/", form).status_code == 302

    body = wsgi_call(front, f"/api/v1/skus/{sku.id}/").json()
    assert (body["name"], body["price"]) == ("华为 Mate 60 运营改名", "5299.00")
    assert [card["id"] for card in wsgi_call(front, search).json()["results"]] == [sku.id]


def test_with_a_check_interval_an_edit_shows_once_it_has_passed(
    front: FrontCache, phone_catalog: PhoneCatalog, settings, clock: Clock, django_capture_on_commit_callbacks
):
    settings.CATALOG_VERSION_CHECK_INTERVAL = 30
    url = f"/api/v1/skus/{phone_catalog.black_256.id}/"
    assert wsgi_call(front, url).json()["price"] == "5499.00"

    with django_capture_on_commit_callbacks(execute=True):
        services.sku_update(sku=phone_catalog.black_256, price=Decimal("4999.00"))

    clock.now += 29
    assert wsgi_call(front, url).json()["price"] == "5499.00"  # within the documented bound
    clock.now += 1
    assert wsgi_call(front, url).json()["price"] == "4999.00"


# --- what is (not) kept ---------------------------------------------------------------


def test_junk_query_parameters_share_one_entry_and_never_reach_the_answer(
    front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog
):
    base = f"/api/v1/categories/{phone_catalog.cat3.id}/skus/"
    first = wsgi_call(front, f"{base}?ordering=price&page=1&page_size=2")
    keys = len(list(_default_cache_keys()))

    for junk in range(20):
        answer = _hit(front, django_app, f"{base}?utm_source=ad{junk}&page_size=2&_={junk}&page=1&ordering=price")
        assert answer.body == first.body

    assert len(list(_default_cache_keys())) == keys
    assert len(front._entries) == 1
    assert "utm_source" not in first.json()["next"] and "page=2" in first.json()["next"]


def test_junk_query_parameters_add_no_shared_entry_on_the_django_path(api: APIClient, phone_catalog: PhoneCatalog):
    url = "/api/v1/skus/search/"
    first = api.get(url, {"text": "手机"})
    keys = len(list(_default_cache_keys()))

    for junk in range(20):
        assert api.get(url, {"text": "手机", "junk": str(junk)}).content == first.content

    assert len(list(_default_cache_keys())) == keys


def _default_cache_keys() -> Iterator[Any]:
    cache = caches["default"]
    if hasattr(cache, "directory"):  # diskcache
        yield from cache._cache  # type: ignore[attr-defined]
    else:  # django-redis
        yield from cache.keys("*")  # type: ignore[attr-defined]


def test_a_token_does_not_change_a_catalog_answer(
    front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog, admin_user: User
):
    url = f"/api/v1/skus/{phone_catalog.black_256.id}/"
    anonymous = wsgi_call(front, url)
    for authorization in (f"JWT {AccessToken.for_user(admin_user)}", "JWT not-a-token"):
        answer = _hit(front, django_app, url, headers={"Authorization": authorization})
        assert (answer.status, answer.headers, answer.body) == (anonymous.status, anonymous.headers, anonymous.body)
        through_django = wsgi_call(django_application, url, headers={"Authorization": authorization})
        assert (through_django.status, through_django.body) == (200, anonymous.body)


@pytest.mark.parametrize(
    "url",
    ["/api/v1/skus/999999/", "/api/v1/categories/1/skus/?ordering=bogus", "/api/v1/skus/search/?text=x&page=9"],
)
def test_errors_are_never_kept(front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog, url: str):
    statuses = [wsgi_call(front, url).status for _ in range(3)]

    assert statuses[0] in {400, 404} and len(set(statuses)) == 1
    assert django_app.calls == 3
    assert not front._entries


def test_other_methods_and_paths_go_to_django(front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog):
    url = f"/api/v1/categories/{phone_catalog.cat3.id}/visits/"
    assert wsgi_call(front, url, method="POST").status == 204
    assert wsgi_call(front, "/api/v1/home/", method="POST").status == 405
    assert wsgi_call(front, f"/api/v1/skus/{phone_catalog.black_256.id}/comments/").status == 200
    assert wsgi_call(front, f"/api/v1/skus/{phone_catalog.black_256.id}/comments/").status == 200
    assert django_app.calls == 4
    assert not front._entries


@searching
def test_the_memory_tier_is_bounded(django_app: CountingApp, phone_catalog: PhoneCatalog):
    front = FrontCache(django_app, routes=CATALOG_ROUTES, max_bytes=4_000)
    for size in range(1, 31):
        wsgi_call(front, f"/api/v1/skus/search/?text=%E6%89%8B%E6%9C%BA&page_size={size}")

    assert 0 < front._bytes <= 4_000
    assert front._bytes == sum(len(entry.body) for entry in front._entries.values())
    assert len(front._entries) < 30


def test_the_shop_is_served_through_the_memory_tier():
    assert isinstance(shop_application, FrontCache)
    assert isinstance(shop_application.app, FrontWrites)  # the write tier (meiduo.core.frontwrite), then Django
    assert shop_application.app.app is django_application
    assert {route.pattern for route in CATALOG_ROUTES} <= {route.pattern for route in shop_application.routes}


# --- misses answered by the view without Django's middleware ------------------------------


def _other_urls(catalog: PhoneCatalog) -> list[str]:
    """Another answer of each route of _urls: other path or query, the same request inputs."""
    return [
        "/api/v1/home/",
        f"/api/v1/categories/{catalog.cat3.id}/",
        f"/api/v1/categories/{catalog.cat3.id}/skus/?ordering=-price&page=2&page_size=1",
        f"/api/v1/categories/{catalog.cat3.id}/hotskus/",
        f"/api/v1/skus/{catalog.white_256.id}/",
        "/api/v1/skus/search/?text=%E5%8D%8E%E4%B8%BA&page_size=1",  # 华为
    ]


@pytest.mark.parametrize(
    "headers", HEADER_VARIANTS, ids=["plain", "english", "cookie-en", "cors", "other-origin", "accept"]
)
def test_uncached_a_miss_is_built_by_the_view_with_exactly_djangos_answer(
    front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog, headers: dict[str, str], settings
):
    settings.CATALOG_CACHE_TIMEOUT = 0  # every answer built again: the database really read
    for url in _urls(phone_catalog):
        assert wsgi_call(front, url, headers=headers).status == 200  # Django answers; its headers become the template
    learned = django_app.calls

    for url in _urls(phone_catalog) + _other_urls(phone_catalog):
        built = wsgi_call(front, url, headers=headers)
        django_answer = wsgi_call(django_application, url, headers=headers)

        assert django_answer.status == 200
        assert (built.status, built.headers, built.body) == (
            django_answer.status,
            django_answer.headers,
            django_answer.body,
        ), url
    assert django_app.calls == learned  # none of them went through Django's stack
    assert not front._entries  # and nothing was kept: CATALOG_CACHE_TIMEOUT = 0


def test_uncached_an_edit_shows_on_the_next_view_built_answer(
    front: FrontCache,
    django_app: CountingApp,
    phone_catalog: PhoneCatalog,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.CATALOG_CACHE_TIMEOUT = 0
    sku = phone_catalog.black_256
    wsgi_call(front, f"/api/v1/skus/{phone_catalog.white_256.id}/")  # learns the detail route's headers
    with django_capture_on_commit_callbacks(execute=True):
        services.sku_update(sku=sku, price=Decimal("4999.00"))

    assert wsgi_call(front, f"/api/v1/skus/{sku.id}/").json()["price"] == "4999.00"
    assert django_app.calls == 1


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/skus/999999/", 404),
        ("/api/v1/categories/{cat3}/skus/?ordering=bogus", 400),
        ("/api/v1/categories/{cat3}/skus/?page=9", 400),
        ("/api/v1/skus/search/?text=x&page=9", 400),
    ],
)
def test_an_error_of_the_view_is_answered_by_django_in_full(
    front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog, url: str, status: int
):
    for learn in _urls(phone_catalog):
        wsgi_call(front, learn)
    calls = django_app.calls
    url = url.format(cat3=phone_catalog.cat3.id)

    answer = wsgi_call(front, url)

    assert django_app.calls == calls + 1
    django_answer = wsgi_call(django_application, url)
    assert (answer.status, answer.headers, answer.body) == (status, django_answer.headers, django_answer.body)


def test_a_database_outage_in_the_view_is_djangos_quick_503(
    front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog, settings, monkeypatch
):
    settings.CATALOG_CACHE_TIMEOUT = 0
    wsgi_call(front, f"/api/v1/skus/{phone_catalog.white_256.id}/")

    def refused(**kwargs: Any) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "sku_detail", refused)
    answer = wsgi_call(front, f"/api/v1/skus/{phone_catalog.black_256.id}/")

    assert (answer.status, answer.json()["code"]) == (503, "unavailable")
    assert django_app.calls == 2


def test_uncached_a_miss_skips_drfs_dispatch_but_not_its_throttles(
    front: FrontCache, django_app: CountingApp, phone_catalog: PhoneCatalog, settings, monkeypatch
):
    settings.CATALOG_CACHE_TIMEOUT = 0
    url = f"/api/v1/skus/{phone_catalog.black_256.id}/"
    wsgi_call(front, url)  # Django answers; the route's template is learned
    dispatched: list[str] = []
    original = APIView.dispatch

    def counted(self: APIView, request: Any, *args: Any, **kwargs: Any) -> Any:
        dispatched.append(request.path)
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(APIView, "dispatch", counted)
    assert wsgi_call(front, url).status == 200
    assert dispatched == [] and django_app.calls == 1

    settings.API_READ_RATE_PER_CLIENT = "1/min"  # the visitor's per-process read budget is spent: Django says 429
    with freeze_time("2026-12-05 10:00:05+08:00", tick=True):
        statuses = [wsgi_call(front, url).status for _ in range(2)]
    assert statuses == [200, 429]
