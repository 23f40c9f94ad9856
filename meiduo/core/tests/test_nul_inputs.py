"""PostgreSQL refuses NUL in text (a DataError, now a 500): no input of the API may carry one to a query."""

import pytest
from rest_framework.test import APIClient

from meiduo.users.models import User

NUL = "%00"


@pytest.fixture
def shopper_api() -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.create_user(username="nul_tester", password="x" * 12))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", f"/api/v1/orders/2026{NUL}1/", None),
        ("put", f"/api/v1/orders/2026{NUL}1/cancel/", None),
        ("get", f"/api/v1/orders/2026{NUL}1/uncommentgoods/", None),
        ("get", f"/api/v1/orders/2026{NUL}1/payment/", None),
        ("get", f"/api/v1/skus/search/?text=手机{NUL}", None),
        ("get", f"/api/v1/mobiles/1380013{NUL}8000/count/", None),
        ("get", f"/api/v1/oauth/q{NUL}q/authorization/", None),
        (
            "get",
            f"/api/v1/accounts/li{NUL}hua/sms/token/?image_code_id=0b1c0d26-0d0b-4e43-8a57-1c4e3e1f7b3a&text=abcd",
            None,
        ),
        ("get", f"/api/v1/accounts/li{NUL}hua/password/token/?sms_code=123456", None),
        ("get", f"/api/v1/emails/verification/?token=a{NUL}b", None),
        ("get", f"/api/v1/payment/status/?out_trade_no=a{NUL}b&trade_no=c", None),
        ("post", "/api/v1/authorizations/", {"username": "li\x00hua", "password": "x\x00" * 5}),
        ("post", "/api/v1/addresses/", {"title": "a\x00", "receiver": "b\x00", "place": "c", "mobile": "13800138000"}),
        ("put", "/api/v1/email/", {"email": "a\x00@example.com"}),
    ],
)
def test_a_nul_in_any_text_input_is_answered_never_a_500(shopper_api, method, path, data):
    response = getattr(shopper_api, method)(path, data, format="json") if data else getattr(shopper_api, method)(path)
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert isinstance(response.json()["code"], str)
