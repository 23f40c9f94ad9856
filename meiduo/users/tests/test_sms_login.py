"""Login by SMS code through the API: the code's purpose, the sending limits, tries, no account enumeration."""

import time

import pytest
from rest_framework.test import APIClient

from meiduo.carts.models import CartLine
from meiduo.goods.tests.factories import SKUFactory
from meiduo.users.models import User
from meiduo.verifications.tests.captcha import solved_captcha
from tests.support import run_together

pytestmark = pytest.mark.django_db

MOBILE = "13911112222"
UNKNOWN = "13911113333"
SEND = "/api/v1/authorizations/sms_codes/"
LOGIN = "/api/v1/authorizations/sms/"
WRONG_ANSWER = {"sms_code": ["手机号或短信验证码错误，或验证码已过期。"], "code": "invalid"}


@pytest.fixture
def shopper(db) -> User:
    return User.objects.create_user(username="lihua2026", password="Meiduo-2026!", mobile=MOBILE)


@pytest.fixture
def no_captcha(settings) -> None:
    settings.SMS_CAPTCHA_REQUIRED = False


def send(api: APIClient, mobile: str, **extra: str):
    return api.post(SEND, {"mobile": mobile, **extra}, format="json")


def login(api: APIClient, mobile: str, code: str):
    return api.post(LOGIN, {"mobile": mobile, "sms_code": code}, format="json")


def other_than(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_a_login_code_signs_the_account_in_with_the_login_answer_once(api, shopper, sms_outbox):
    assert send(api, MOBILE, **solved_captcha(api)).json() == {"message": "OK"}
    code = sms_outbox(MOBILE)[-1]
    response = login(api, MOBILE, code)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"token", "refresh", "user_id", "username"}
    assert (body["user_id"], body["username"]) == (shopper.pk, "lihua2026")
    me = APIClient(HTTP_AUTHORIZATION=f"JWT {body['token']}").get("/api/v1/user/")
    assert me.json()["mobile"] == MOBILE
    assert login(api, MOBILE, code).json() == WRONG_ANSWER  # used up


def test_sending_needs_the_captcha_unless_disabled(api, shopper, sms_outbox):
    response = send(api, MOBILE)
    assert response.status_code == 400
    assert set(response.json()) >= {"image_code_id", "text"}
    wrong = send(api, MOBILE, image_code_id=solved_captcha(api)["image_code_id"], text="ZZZZ")
    assert wrong.status_code == 400 and "text" in wrong.json()
    assert sms_outbox(MOBILE) == []


def test_the_login_merges_the_visitors_cart(api, shopper, sms_outbox, no_captcha):
    sku = SKUFactory.create(stock=10)
    assert api.post("/api/v1/carts/", {"sku_id": sku.id, "count": 2}, format="json").status_code == 201
    send(api, MOBILE)
    response = login(api, MOBILE, sms_outbox(MOBILE)[-1])
    assert response.status_code == 200
    assert list(CartLine.objects.filter(user=shopper).values_list("sku_id", "count")) == [(sku.id, 2)]


def test_a_registration_code_cannot_log_in_and_a_login_code_cannot_register(api, shopper, sms_code, sms_outbox):
    registration_code = sms_code(MOBILE)  # GET sms_codes/{mobile}/: a code that proves a mobile
    assert login(api, MOBILE, registration_code).json() == WRONG_ANSWER

    newcomer = "13911114444"
    User.objects.create_user(username="newcomer01", password="Meiduo-2026!", mobile=newcomer)
    send(APIClient(), newcomer)
    login_code = sms_outbox(newcomer)[-1]
    User.objects.filter(mobile=newcomer).delete()  # the mobile is free again, the login code still live
    registration = {
        "username": "newcomer02",
        "password": "Meiduo-2026!",
        "password2": "Meiduo-2026!",
        "mobile": newcomer,
        "sms_code": login_code,
        "allow": "true",
    }
    response = APIClient().post("/api/v1/users/", registration, format="json")
    assert response.json() == {"sms_code": ["短信验证码错误"], "code": "invalid"}
    assert not User.objects.filter(mobile=newcomer).exists()


def test_an_unknown_mobile_is_answered_like_a_known_one_and_gets_no_sms(api, shopper, sms_outbox, no_captcha):
    assert send(api, UNKNOWN).json() == send(api, MOBILE).json() == {"message": "OK"}
    assert sms_outbox(UNKNOWN) == []
    assert len(sms_outbox(MOBILE)) == 1
    # the same one-a-minute limit for both
    again_unknown, again_known = send(api, UNKNOWN), send(api, MOBILE)
    assert again_unknown.status_code == again_known.status_code == 429
    assert again_unknown.json() == again_known.json()
    # and the same answers to guesses: wrong code, then the burned code after five tries
    known_code = sms_outbox(MOBILE)[-1]
    answers = {
        mobile: [login(api, mobile, other_than(known_code)).json() for _ in range(6)] for mobile in (MOBILE, UNKNOWN)
    }
    assert answers[MOBILE] == answers[UNKNOWN]
    assert answers[MOBILE][:5] == [WRONG_ANSWER] * 5
    assert answers[MOBILE][5] == {"sms_code": ["验证码错误次数过多，请重新获取"], "code": "invalid"}


def test_a_disabled_account_gets_no_code_and_cannot_log_in(api, shopper, sms_outbox, no_captcha):
    send(api, MOBILE)
    code = sms_outbox(MOBILE)[-1]
    User.objects.filter(pk=shopper.pk).update(is_active=False)
    assert login(api, MOBILE, code).json() == WRONG_ANSWER


def test_a_code_burns_after_five_wrong_tries(api, shopper, sms_outbox, no_captcha):
    send(api, MOBILE)
    code = sms_outbox(MOBILE)[-1]
    for _ in range(5):
        assert login(api, MOBILE, other_than(code)).status_code == 400
    burned = login(api, MOBILE, code)
    assert burned.status_code == 400
    assert burned.json()["sms_code"] == ["验证码错误次数过多，请重新获取"]


def test_an_expired_code_is_the_wrong_code_answer(api, shopper, sms_outbox, settings, no_captcha):
    settings.SMS_CODE_TTL = 1
    send(api, MOBILE)
    code = sms_outbox(MOBILE)[-1]
    time.sleep(1.5)
    assert login(api, MOBILE, code).json() == WRONG_ANSWER


def test_the_sending_limits_of_registration_hold(api, shopper, settings, sms_outbox, no_captcha):
    settings.SMS_DAILY_LIMIT_PER_IP = 2
    assert send(api, MOBILE).status_code == 200
    assert send(api, "13911115555").status_code == 200
    capped = send(api, "13911116666")
    assert capped.status_code == 429 and capped["Retry-After"]
    assert capped.json()["code"] == "throttled"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mobile": "1391111222", "sms_code": "123456"}, "mobile"),
        ({"mobile": MOBILE, "sms_code": "12345"}, "sms_code"),
        ({"mobile": MOBILE, "sms_code": "１２３４５６"}, "sms_code"),
        ({"mobile": MOBILE}, "sms_code"),
    ],
)
def test_bad_input_is_400_naming_the_field(api, shopper, body, field):
    response = api.post(LOGIN, body, format="json")
    assert response.status_code == 400
    assert field in response.json() and response.json()["code"] == "invalid"


def test_failures_count_against_the_client_like_password_logins(api, shopper, settings):
    settings.LOGIN_FAILURES_PER_IP = 3
    for _ in range(3):
        assert login(api, UNKNOWN, "123456").status_code == 400
    refused = login(api, UNKNOWN, "123456")
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"


@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_cannot_pass_the_five_tries(shopper, sms_outbox, no_captcha):
    send(APIClient(), MOBILE)
    code = sms_outbox(MOBILE)[-1]
    results = run_together([lambda: login(APIClient(), MOBILE, other_than(code)).status_code for _ in range(12)])
    assert results == [400] * 12
    assert login(APIClient(), MOBILE, code).status_code == 400  # burned: five tries were all they had


@pytest.mark.django_db(transaction=True)
def test_concurrent_logins_with_the_right_code_sign_in_once(shopper, sms_outbox, no_captcha):
    send(APIClient(), MOBILE)
    code = sms_outbox(MOBILE)[-1]
    results = run_together([lambda: login(APIClient(), MOBILE, code).status_code for _ in range(6)])
    assert sorted(results) == [200] + [400] * 5
