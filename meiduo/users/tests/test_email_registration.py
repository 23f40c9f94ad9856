"""Registration by e-mail through the API: the inactive account, the activation link (signed, 24 h, single use),
login before activation, sending the link again, and the limits on mails."""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import pytest
from django.core import mail, signing
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.test import APIClient

from meiduo.core import ratelimit
from meiduo.users.models import User
from meiduo.users.services import activation
from meiduo.users.services.activation import ACTIVATION_SALT
from tests.support import run_together

pytestmark = pytest.mark.django_db

PASSWORD = "Meiduo-2026!"
REGISTER = "/api/v1/registrations/email/"
ACTIVATE = "/api/v1/registrations/email/activation/"
RESEND = "/api/v1/registrations/email/resend/"
LINK = re.compile(r"http://testserver/activate\?token=(?P<token>[^\s\"<]+)")
NOT_ACTIVATED = {
    "message": "账号尚未激活：请打开激活邮件中的链接，或重新发送激活邮件。",
    "code": "not_activated",
}
WRONG_LOGIN = {"message": "用户名或密码错误", "code": "rejected"}


@pytest.fixture(autouse=True)
def _activation_url(settings) -> None:
    settings.ACCOUNT_ACTIVATION_URL = "http://testserver/activate"


@pytest.fixture
def mails_run(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    """`mails_run(call)`: make the request and run the mail job it scheduled after commit."""

    def run(call: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def body(**overrides: str) -> dict[str, str]:
    data = {
        "username": "alice_hk",
        "email": "Alice@Example.COM",
        "password": PASSWORD,
        "password2": PASSWORD,
        "allow": "true",
    }
    data.update(overrides)
    return data


def register(api: APIClient, mails_run: Callable[..., Any], **overrides: str) -> Any:
    return mails_run(lambda: api.post(REGISTER, body(**overrides), format="json"))


def link_token(message: mail.EmailMessage) -> str:
    match = LINK.search(str(message.body))
    assert match, message.body
    return unquote(match["token"])


def login(username: str = "alice_hk", password: str = PASSWORD) -> Any:
    return APIClient().post("/api/v1/authorizations/", {"username": username, "password": password}, format="json")


def test_registering_makes_an_inactive_account_and_mails_its_link(api, mails_run):
    response = register(api, mails_run)
    assert response.status_code == 201, response.content
    user = User.objects.get(username="alice_hk")
    assert response.json() == {"id": user.pk, "username": "alice_hk", "email": "Alice@example.com"}
    assert (user.is_active, user.activation_pending, user.email_active, user.mobile) == (False, True, False, None)
    assert user.check_password(PASSWORD)
    [message] = mail.outbox
    assert message.to == ["Alice@example.com"]
    assert message.subject == "激活您的美多商城账号"
    assert "alice_hk" in str(message.body) and "24" in str(message.body)
    assert LINK.search(message.alternatives[0][0])


def test_the_link_activates_once_and_the_account_then_logs_in(api, mails_run):
    register(api, mails_run)
    token = link_token(mail.outbox[0])
    assert login().json() == NOT_ACTIVATED
    response = api.post(ACTIVATE, {"token": token}, format="json")
    assert response.json() == {"message": "OK", "username": "alice_hk"}
    user = User.objects.get(username="alice_hk")
    assert (user.is_active, user.activation_pending, user.email_active) == (True, False, True)
    assert login().status_code == 200
    again = api.post(ACTIVATE, {"token": token}, format="json")
    assert again.status_code == 400
    assert again.json() == {"token": ["该激活链接已使用过，或其账号已无需激活。"], "code": "invalid"}


def test_before_activation_only_the_right_password_learns_why(api, mails_run):
    register(api, mails_run)
    assert login(password="Wrong-password-1").json() == WRONG_LOGIN  # what any wrong password gets
    assert login(username="nobody_at_all").json() == WRONG_LOGIN
    assert login().json() == NOT_ACTIVATED
    assert login().status_code == 400


def test_a_link_older_than_a_day_is_refused(api, mails_run):
    register(api, mails_run)
    token = link_token(mail.outbox[0])
    with freeze_time(timezone.now() + timedelta(hours=24, minutes=1)):
        response = api.post(ACTIVATE, {"token": token}, format="json")
    assert response.json() == {"token": ["链接或令牌已过期，请重新开始"], "code": "invalid"}
    assert User.objects.get(username="alice_hk").activation_pending


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"user_id": 1, "email": "alice@example.com"}, salt="another.salt"),
        signing.dumps(["not", "a", "dict"], salt=ACTIVATION_SALT),
        signing.dumps({"user_id": "1", "email": "alice@example.com"}, salt=ACTIVATION_SALT),
    ],
)
def test_forged_or_foreign_tokens_are_400_and_activate_nothing(api, mails_run, token):
    register(api, mails_run)
    response = api.post(ACTIVATE, {"token": token}, format="json")
    assert response.status_code == 400 and "token" in response.json()
    assert User.objects.get(username="alice_hk").activation_pending


def test_a_link_cannot_revive_an_account_an_operator_disabled(api):
    user = User.objects.create_user(username="disabled1", password=PASSWORD, email="d@example.com", is_active=False)
    token = signing.dumps({"user_id": user.pk, "email": "d@example.com"}, salt=ACTIVATION_SALT)
    assert api.post(ACTIVATE, {"token": token}, format="json").status_code == 400
    user.refresh_from_db()
    assert user.is_active is False
    assert login("disabled1").json() == WRONG_LOGIN


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "ab"}, "username"),
        ({"username": "12345678"}, "username"),
        ({"email": "not-an-address"}, "email"),
        ({"password": "short", "password2": "short"}, "password"),
        ({"password": "password123", "password2": "password123"}, "password"),  # too common
        ({"password2": "Other-password-1"}, "password2"),
        ({"allow": "false"}, "allow"),
    ],
)
def test_bad_fields_are_400_and_create_nobody(api, mails_run, overrides, field):
    response = register(api, mails_run, **overrides)
    assert response.status_code == 400
    assert field in response.json() and response.json()["code"] == "invalid"
    assert not User.objects.exists()
    assert mail.outbox == []


def test_a_taken_username_or_verified_address_is_400_and_mails_nothing(api, mails_run):
    User.objects.create_user(username="alice_hk", password=PASSWORD, mobile="13800138000")
    User.objects.create_user(username="bob_cn", password=PASSWORD, email="alice@example.com", email_active=True)
    assert register(api, mails_run).json() == {"username": ["该用户名已被使用"], "code": "invalid"}
    taken = register(api, mails_run, username="alice_2")
    assert taken.json() == {"email": ["该邮箱已被其他账号使用"], "code": "invalid"}
    assert mail.outbox == []
    assert register(api, mails_run, username="alice_3", email="alice3@example.com").status_code == 201


def a_minute_passes(email: str = "alice@example.com") -> None:
    """The one-a-minute claim of the address ends (Redis keeps real time: a frozen clock would not end it)."""
    ratelimit.release(f"activation:interval:{email}")


def test_the_link_can_be_sent_again_once_a_minute(api, mails_run):
    register(api, mails_run)
    too_soon = mails_run(lambda: api.post(RESEND, {"email": "alice@example.com"}, format="json"))
    assert too_soon.status_code == 429 and too_soon.json()["code"] == "throttled" and too_soon["Retry-After"]
    a_minute_passes()
    again = mails_run(lambda: api.post(RESEND, {"email": "ALICE@example.com"}, format="json"))
    assert again.json() == {"message": "OK"}
    assert len(mail.outbox) == 2
    assert api.post(ACTIVATE, {"token": link_token(mail.outbox[1])}, format="json").status_code == 200


def test_resending_for_an_address_without_a_pending_account_answers_the_same_and_mails_nothing(api, mails_run):
    User.objects.create_user(username="carol_cn", password=PASSWORD, email="carol@example.com", email_active=True)
    for address in ("carol@example.com", "nobody@example.com"):
        response = mails_run(lambda address=address: api.post(RESEND, {"email": address}, format="json"))
        assert response.json() == {"message": "OK"}
    assert mail.outbox == []
    bad = api.post(RESEND, {"email": "nobody"}, format="json")
    assert bad.status_code == 400 and "email" in bad.json()


def test_mails_to_one_address_are_capped_per_day(api, mails_run):
    register(api, mails_run)
    answers = []
    for _ in range(11):
        a_minute_passes()
        answers.append(mails_run(lambda: api.post(RESEND, {"email": "alice@example.com"}, format="json")))
    assert [a.status_code for a in answers] == [200] * 9 + [429] * 2  # 10 a day with the registration's
    assert len(mail.outbox) == 10


def test_mails_from_one_client_are_capped_per_day(api, mails_run, monkeypatch):
    monkeypatch.setattr(activation, "ACTIVATION_MAILS_PER_IP_PER_DAY", 2)
    statuses = [register(api, mails_run, username=f"user_{n}", email=f"u{n}@example.com").status_code for n in range(3)]
    assert statuses == [201, 201, 429]
    assert not User.objects.filter(username="user_2").exists()
    assert len(mail.outbox) == 2


@pytest.fixture
def link(api: APIClient, mails_run: Callable[..., Any]) -> Iterator[str]:
    register(api, mails_run)
    yield link_token(mail.outbox[0])


@pytest.mark.django_db(transaction=True)
def test_concurrent_uses_of_one_link_activate_once(link):
    results = run_together([lambda: APIClient().post(ACTIVATE, {"token": link}, format="json").status_code] * 8)
    assert sorted(results) == [200] + [400] * 7


@pytest.mark.django_db(transaction=True)
def test_concurrent_resends_send_one_mail(link):
    mail.outbox.clear()
    a_minute_passes()
    results = run_together(
        [lambda: APIClient().post(RESEND, {"email": "alice@example.com"}, format="json").status_code] * 10
    )
    assert sorted(results) == [200] + [429] * 9
    assert len(mail.outbox) == 1


def test_operators_find_the_accounts_waiting_for_activation_in_the_admin(api, mails_run, admin_client):
    register(api, mails_run)
    User.objects.create_user(username="settled_1", password=PASSWORD, mobile="13800138001")
    page = admin_client.get("/admin/users/user/", {"activation_pending__exact": "1"})
    assert page.status_code == 200
    assert "alice_hk" in page.content.decode() and "settled_1" not in page.content.decode()


def test_a_broker_outage_on_resend_is_a_503_and_the_address_may_ask_again(api, mails_run, monkeypatch):
    register(api, mails_run)
    a_minute_passes()
    monkeypatch.setattr(activation, "job_start", lambda name, kwargs: False)  # the broker refuses every job
    refused = api.post(RESEND, {"email": "alice@example.com"}, format="json")
    assert refused.status_code == 503 and refused.json()["code"] == "unavailable"
    monkeypatch.undo()
    again = mails_run(lambda: api.post(RESEND, {"email": "alice@example.com"}, format="json"))
    assert again.json() == {"message": "OK"}  # the minute was given back
    assert len(mail.outbox) == 2


def test_an_account_an_operator_activated_by_hand_logs_in(api, mails_run):
    register(api, mails_run)
    User.objects.filter(username="alice_hk").update(is_active=True)  # the admin's "active" box, nothing else
    assert login().status_code == 200
