"""The write tier (meiduo.core.frontwrite): a signed-in shopper's cart writes and order placements answered
without Django's middleware once Django has answered one like them — with the very answer Django gives (status,
headers in order, body), each view run once whatever happens, and nothing of the checks left out (token, rate
limit, language, CORS)."""

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import OperationalError
from freezegun import freeze_time
from rest_framework_simplejwt.tokens import AccessToken

from config.wsgi import django_application
from meiduo.carts.models import CartLine
from meiduo.core.frontwrite import FrontWrites
from meiduo.goods.models import SKU
from meiduo.goods.tests.factories import SKUFactory
from meiduo.orders import views as order_views
from meiduo.orders.models import OrderInfo
from meiduo.orders.tests.conftest import Buyer, make_buyer, nanshan  # noqa: F401 - fixtures
from meiduo.users.models import User
from tests.support import CountingApp, WSGIAnswer, wsgi_call

pytestmark = pytest.mark.django_db

CARTS, ORDERS = "/api/v1/carts/", "/api/v1/orders/"
ORIGIN = "http://127.0.0.1:8080"  # an allowed CORS origin of the default settings


@pytest.fixture
def django_app() -> CountingApp:
    return CountingApp(django_application)


@pytest.fixture
def tier(django_app: CountingApp) -> FrontWrites:
    """A fresh web worker's write tier."""
    return FrontWrites(django_app)


@pytest.fixture
def buyer(make_buyer: Buyer) -> User:  # noqa: F811 - fixture
    return make_buyer("writer")


@pytest.fixture
def phone(db: None) -> SKU:
    return SKUFactory.create(stock=10, price=Decimal("100.00"))


def token(user: User) -> str:
    return str(AccessToken.for_user(user))


def send(application: Any, method: str, path: str, body: dict[str, Any], *, auth: str, **headers: str) -> WSGIAnswer:
    return wsgi_call(
        application,
        path,
        method=method,
        headers={"Authorization": f"JWT {auth}", **headers},
        data=json.dumps(body),
        content_type="application/json",
    )


def without_length(answer: WSGIAnswer) -> list[tuple[str, str]]:
    return [(name, value) for name, value in answer.headers if name.lower() != "content-length"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_cart_writes_answered_in_the_tier_are_djangos_answers(
    tier: FrontWrites, django_app: CountingApp, buyer: User, phone: SKU, language: str
):
    auth, headers = token(buyer), {"Accept-Language": language, "Origin": ORIGIN}
    first = send(tier, "POST", CARTS, {"sku_id": phone.id, "count": 1}, auth=auth, **headers)
    assert (first.status, django_app.calls) == (201, 1)

    second = send(tier, "POST", CARTS, {"sku_id": phone.id, "count": 1}, auth=auth, **headers)
    assert django_app.calls == 1  # answered by the tier
    by_django = send(django_application, "POST", CARTS, {"sku_id": phone.id, "count": 1}, auth=auth, **headers)
    assert (second.status, second.json()) == (201, {"sku_id": phone.id, "count": 2, "selected": True})
    assert by_django.json() == {"sku_id": phone.id, "count": 3, "selected": True}
    assert second.headers == by_django.headers  # the same headers, in the same order
    assert second.header("Content-Language") == language
    assert second.header("Access-Control-Allow-Origin") == ORIGIN

    for method, body, status in [("PUT", {"sku_id": phone.id, "count": 5}, 200), ("DELETE", {"sku_id": phone.id}, 204)]:
        send(tier, method, CARTS, body, auth=auth, **headers)  # Django answers the first of each method
        calls = django_app.calls
        in_tier = send(tier, method, CARTS, body, auth=auth, **headers)
        assert django_app.calls == calls
        assert in_tier.status == status
        assert in_tier.headers == send(django_application, method, CARTS, body, auth=auth, **headers).headers
    assert not CartLine.objects.filter(user=buyer).exists()


def test_an_order_placed_in_the_tier_is_placed_once_with_djangos_answer(
    tier: FrontWrites, django_app: CountingApp, buyer: User, phone: SKU
):
    auth, address = token(buyer), buyer.addresses.get()
    order = {"address": address.id, "pay_method": 2}
    answers = []
    for application in (tier, tier, django_application):
        assert send(application, "POST", CARTS, {"sku_id": phone.id, "count": 1}, auth=auth).status == 201
        answers.append(send(application, "POST", ORDERS, order, auth=auth))
    assert django_app.calls == 2  # the first cart add and the first order; the second pair ran in the tier
    assert [answer.status for answer in answers] == [201, 201, 201]
    assert without_length(answers[1]) == without_length(answers[2])
    placed = {answer.json()["order_id"] for answer in answers}
    assert set(OrderInfo.objects.filter(user=buyer).values_list("order_id", flat=True)) == placed
    phone.refresh_from_db()
    assert (phone.stock, phone.sales) == (7, 3)


def test_a_refusal_after_the_tier_took_over_is_djangos_refusal_and_changes_nothing(
    tier: FrontWrites, django_app: CountingApp, buyer: User, phone: SKU
):
    auth = token(buyer)
    send(tier, "POST", CARTS, {"sku_id": phone.id, "count": 1}, auth=auth)  # Django's 201: the tier takes over
    calls = django_app.calls
    english = {"Accept-Language": "en"}
    too_many = send(tier, "POST", CARTS, {"sku_id": phone.id, "count": 50}, auth=auth, **english)
    assert django_app.calls == calls + 1  # no template for a 400 yet: Django answered the view's outcome
    by_django = send(django_application, "POST", CARTS, {"sku_id": phone.id, "count": 50}, auth=auth, **english)
    assert too_many.status == by_django.status == 400
    assert "left in stock" in too_many.json()["message"]
    assert too_many.headers == by_django.headers
    again = send(tier, "POST", CARTS, {"sku_id": phone.id, "count": 50}, auth=auth, **english)
    assert (again.status, django_app.calls) == (400, calls + 1)  # now from the tier's template for 400
    assert again.headers == too_many.headers
    assert CartLine.objects.get(user=buyer, sku=phone).count == 1


def test_an_outage_in_the_tier_is_answered_by_django_without_running_the_view_again(
    tier: FrontWrites, django_app: CountingApp, buyer: User, phone: SKU, monkeypatch: pytest.MonkeyPatch
):
    auth, address = token(buyer), buyer.addresses.get()
    order = {"address": address.id, "pay_method": 2}
    assert send(tier, "POST", ORDERS, order, auth=auth).status == 400  # empty cart: Django answers, tier takes over
    runs = []

    def failing(**kwargs: Any) -> None:
        runs.append(kwargs)
        raise OperationalError("database is locked")

    monkeypatch.setattr(order_views.services, "order_place", failing)
    send(tier, "POST", CARTS, {"sku_id": phone.id, "count": 1}, auth=auth)
    calls = django_app.calls
    answer = send(tier, "POST", ORDERS, order, auth=auth)
    assert (answer.status, answer.json()["code"]) == (503, "unavailable")
    assert (len(runs), django_app.calls) == (1, calls + 1)  # Django answered the outcome of the tier's one run
    monkeypatch.undo()

    placed = send(tier, "POST", ORDERS, order, auth=auth)  # a 201, which the tier has no template for yet
    assert placed.status == 201
    assert list(OrderInfo.objects.filter(user=buyer).values_list("order_id", flat=True)) == [placed.json()["order_id"]]
    phone.refresh_from_db()
    assert phone.stock == 9


def test_an_exception_drf_does_not_answer_is_raised_again_inside_django_not_run_again(
    tier: FrontWrites, django_app: CountingApp, buyer: User, phone: SKU, monkeypatch: pytest.MonkeyPatch
):
    auth = token(buyer)
    send(tier, "POST", CARTS, {"sku_id": phone.id, "count": 1}, auth=auth)  # Django's 201: the tier takes over
    runs = []

    def broken(**kwargs: Any) -> None:
        runs.append(kwargs)
        raise RuntimeError("a defect")

    monkeypatch.setattr("meiduo.carts.views.services.cart_add", broken)
    calls = django_app.calls
    answer = send(tier, "POST", CARTS, {"sku_id": phone.id, "count": 1}, auth=auth)
    assert (answer.status, len(runs), django_app.calls) == (500, 1, calls + 1)  # Django's handler answered it


def test_the_tier_checks_tokens_and_rate_limits_as_django_does(
    tier: FrontWrites, django_app: CountingApp, buyer: User, phone: SKU, settings: Any
):
    auth, address = token(buyer), buyer.addresses.get()
    order = {"address": address.id, "pay_method": 2}
    send(tier, "POST", ORDERS, order, auth=auth)  # Django's 400 (empty cart): the tier takes over
    forged = send(tier, "POST", ORDERS, order, auth=auth[:-2] + "xx")
    assert (forged.status, forged.json()["code"]) == (401, "token_not_valid")
    assert forged.headers == send(django_application, "POST", ORDERS, order, auth=auth[:-2] + "xx").headers

    with freeze_time(tick=True) as clock:
        clock.tick(3600)  # the access token (30 minutes) has expired, though this process checked it before
        expired = send(tier, "POST", ORDERS, order, auth=auth)
    assert (expired.status, expired.json()["code"]) == (401, "token_not_valid")

    settings.THROTTLE_EXEMPT_IPS = []
    settings.API_RATE_PER_USER = "3/min"
    with freeze_time("2026-11-21 10:00:05+08:00", tick=True):  # all inside one one-minute window
        fresh = token(buyer)
        statuses = [send(tier, "POST", ORDERS, order, auth=fresh).status for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_a_token_the_cart_refuses_goes_to_django_and_fills_the_visitor_cookie_cart(
    tier: FrontWrites, django_app: CountingApp, buyer: User, phone: SKU
):
    auth = token(buyer)
    send(tier, "POST", CARTS, {"sku_id": phone.id, "count": 1}, auth=auth)
    calls = django_app.calls
    visitor = send(tier, "POST", CARTS, {"sku_id": phone.id, "count": 2}, auth="not.a.token")
    assert (visitor.status, django_app.calls) == (201, calls + 1)  # a cookie set: Django answered
    assert visitor.header("Set-Cookie")
    assert CartLine.objects.get(user=buyer, sku=phone).count == 1


def test_a_request_djangos_middleware_refuses_never_runs_a_view_in_the_tier(
    tier: FrontWrites, django_app: CountingApp, buyer: User, phone: SKU
):
    auth, foreign = token(buyer), {"Host": "shop.attacker.example"}  # not in ALLOWED_HOSTS
    for attempt in (1, 2, 3):
        answer = send(tier, "POST", CARTS, {"sku_id": phone.id, "count": 1}, auth=auth, **foreign)
        assert (answer.status, django_app.calls) == (400, attempt)  # Django refused each one before the view
    assert not CartLine.objects.filter(user=buyer).exists()
