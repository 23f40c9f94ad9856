"""User center through the API: e-mail verification, password change, the forgotten-password flow."""

import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.core import mail, signing
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from meiduo.core.securitycache import security_cache
from meiduo.users.models import User
from meiduo.users.services.email import EMAIL_VERIFY_SALT
from meiduo.users.services.passwords import RESET_PASSWORD_SALT
from meiduo.users.services.sessions import user_sessions_end_all
from meiduo.verifications import services as verifications
from meiduo.verifications.tests.captcha import solved_captcha
from tests.support import error_fields

pytestmark = pytest.mark.django_db

PASSWORD = "Meiduo-2026!"
NEW_PASSWORD = "Shenzhen#8866"
MOBILE = "13911112222"
LINK = re.compile(r"http://127\.0\.0\.1:8000/success_verify_email\.html\?token=(?P<token>[\w:.\-%]+)")


@pytest.fixture
def shopper() -> User:
    return User.objects.create_user(username="lihua2026", password=PASSWORD, mobile=MOBILE)


@pytest.fixture
def stranger() -> User:
    return User.objects.create_user(username="wangwu2026", password=PASSWORD, mobile="13700001111")


def login(account: str, password: str = PASSWORD) -> dict[str, str]:
    response = APIClient().post("/api/v1/authorizations/", {"username": account, "password": password}, format="json")
    return {"status": response.status_code, **(response.json() if response.status_code == 200 else {})}


def signed_in(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"JWT {token}")
    return client


@pytest.fixture
def session(shopper: User) -> dict[str, str]:
    """A real login of the shopper: its access and refresh tokens."""
    tokens = login("lihua2026")
    assert tokens["status"] == 200
    return tokens


@pytest.fixture
def put_email(django_capture_on_commit_callbacks: Callable[..., object]) -> Callable[..., object]:
    """`put_email(token, email, **extra)`: PUT email/ and run what it scheduled after commit (the mail task)."""

    def put(token: str, email: str, **extra: Any) -> object:
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
            return signed_in(token).put("/api/v1/email/", {"email": email}, format="json", **extra)

    return put


def verification_token(message: mail.EmailMessage) -> str:
    match = LINK.search(str(message.body))
    assert match, message.body
    return unquote(match["token"])


# --- e-mail ------------------------------------------------------------------------------------------------


def test_put_email_stores_it_and_mails_a_signed_link(
    put_email: Callable[..., Any], session: dict[str, str], shopper: User
) -> None:
    api = signed_in(session["token"])
    response = put_email(session["token"], "lihua@example.com")
    assert response.status_code == 200
    assert response.json() == {"id": shopper.pk, "email": "lihua@example.com"}
    assert api.get("/api/v1/user/").json()["email_active"] is False

    [message] = mail.outbox
    assert message.to == ["lihua@example.com"]
    assert "美多商城" in message.subject
    assert "lihua2026" in str(message.body)
    assert LINK.search(message.alternatives[0][0])  # type: ignore[attr-defined]

    token = verification_token(message)
    verified = APIClient().get("/api/v1/emails/verification/", {"token": token})
    assert verified.status_code == 200
    assert verified.json() == {"message": "OK"}
    assert api.get("/api/v1/user/").json() == {
        "id": shopper.pk,
        "username": "lihua2026",
        "mobile": MOBILE,
        "email": "lihua@example.com",
        "email_active": True,
        "nickname": "",
        "real_name": "",
        "birthday": None,
        "gender": 0,
    }


def test_mail_is_in_english_when_asked_in_english(put_email: Callable[..., Any], session: dict[str, str]) -> None:
    put_email(session["token"], "a@example.com", HTTP_ACCEPT_LANGUAGE="en")
    assert mail.outbox[0].subject == "Verify your e-mail address for Meiduo Mall"


def test_console_backend_prints_the_link(
    put_email: Callable[..., Any], session: dict[str, str], settings: Any, capsys: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    put_email(session["token"], "lihua@example.com")
    printed = capsys.readouterr().out
    assert "To: lihua@example.com" in printed
    link = LINK.search(printed)
    assert link
    assert APIClient().get("/api/v1/emails/verification/", {"token": unquote(link["token"])}).status_code == 200
    assert User.objects.get(username="lihua2026").email_active is True


def test_tampered_token_is_400(put_email: Callable[..., Any], session: dict[str, str], shopper: User) -> None:
    put_email(session["token"], "lihua@example.com")
    token = verification_token(mail.outbox[0])
    payload, _sep, _signature = token.rpartition(":")
    forged = signing.dumps({"user_id": shopper.pk, "email": "evil@example.com"}, salt="wrong-salt")
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "nonsense", payload):
        response = APIClient().get("/api/v1/emails/verification/", {"token": bad})
        assert response.status_code == 400, bad
        assert "message" in response.json()
    assert User.objects.get(pk=shopper.pk).email_active is False


def test_expired_token_is_400(put_email: Callable[..., Any], session: dict[str, str], shopper: User) -> None:
    put_email(session["token"], "lihua@example.com")
    token = verification_token(mail.outbox[0])
    with freeze_time(timezone.now() + timedelta(hours=24, seconds=5)):
        response = APIClient().get("/api/v1/emails/verification/", {"token": token})
    assert response.status_code == 400
    assert User.objects.get(pk=shopper.pk).email_active is False
    with freeze_time(timezone.now() + timedelta(hours=23, minutes=59)):
        assert APIClient().get("/api/v1/emails/verification/", {"token": token}).status_code == 200


def test_token_of_a_replaced_address_does_not_verify_the_new_one(
    put_email: Callable[..., Any], session: dict[str, str], shopper: User
) -> None:
    put_email(session["token"], "old@example.com")
    old_token = verification_token(mail.outbox[0])
    security_cache.clear()  # let the second mail go out at once
    put_email(session["token"], "new@example.com")
    assert APIClient().get("/api/v1/emails/verification/", {"token": old_token}).status_code == 400
    assert User.objects.get(pk=shopper.pk).email_active is False


def test_missing_token_is_400(api: APIClient) -> None:
    response = api.get("/api/v1/emails/verification/")
    assert response.status_code == 400
    assert "token" in response.json()


@pytest.mark.parametrize("email", ["", "not-an-email", "a@", "@example.com", "x" * 250 + "@example.com"])
def test_bad_email_is_400(put_email: Callable[..., Any], session: dict[str, str], email: str) -> None:
    response = put_email(session["token"], email)
    assert response.status_code == 400
    assert "email" in response.json()
    assert mail.outbox == []


def test_email_needs_login(api: APIClient) -> None:
    assert api.put("/api/v1/email/", {"email": "a@example.com"}, format="json").status_code == 401


def test_mails_are_rate_limited(put_email: Callable[..., Any], session: dict[str, str]) -> None:
    assert put_email(session["token"], "a@example.com").status_code == 200
    response = put_email(session["token"], "b@example.com")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert len(mail.outbox) == 1


def test_email_url_configures_smtp_and_rejects_unknown_schemes(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, "
        "s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "MEIDUO_DATA_DIR": str(tmp_path)}
    smtp = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "EMAIL_URL": "smtp://shop%40example.com:p%40ss@smtp.example.com:587?tls=1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert smtp.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.com",
        "587",
        "shop@example.com",
        "p@ss",
        "True",
        "False",
    ]
    bad = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "EMAIL_URL": "carrier-pigeon://x"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode != 0
    assert "EMAIL_URL has an unknown scheme" in bad.stderr


# --- password change -----------------------------------------------------------------------------------------


def change(token: str, user_id: int, **overrides: str) -> object:
    body = {"old_password": PASSWORD, "password": NEW_PASSWORD, "password2": NEW_PASSWORD, **overrides}
    return signed_in(token).put(f"/api/v1/users/{user_id}/password/", body, format="json")


def test_change_password_ends_every_other_session(session: dict[str, str], shopper: User) -> None:
    other_device = login(MOBILE)
    response = change(session["token"], shopper.pk)
    assert response.status_code == 200  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["message"] == "OK"

    assert login("lihua2026")["status"] == 400
    assert login("lihua2026", NEW_PASSWORD)["status"] == 200
    # the other device: neither its access token nor its refresh token works any more
    assert signed_in(other_device["token"]).get("/api/v1/user/").status_code == 401
    refresh = APIClient().post("/api/v1/authorizations/refresh/", {"refresh": other_device["refresh"]}, format="json")
    assert refresh.status_code == 401
    # nor do the old tokens of the session that changed it; the new pair it received does
    assert signed_in(session["token"]).get("/api/v1/user/").status_code == 401
    assert signed_in(body["token"]).get("/api/v1/user/").status_code == 200
    renewed = APIClient().post("/api/v1/authorizations/refresh/", {"refresh": body["refresh"]}, format="json")
    assert renewed.status_code == 200


def test_someone_elses_password_is_404_and_unchanged(session: dict[str, str], stranger: User) -> None:
    response = change(session["token"], stranger.pk)
    assert response.status_code == 404  # type: ignore[attr-defined]
    assert User.objects.get(pk=stranger.pk).check_password(PASSWORD)
    assert login("wangwu2026")["status"] == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"old_password": "Wrong-pass-1"}, "old_password"),
        ({"old_password": ""}, "old_password"),
        ({"password2": "Something-else-1"}, "password2"),
        ({"password": "Ab1!", "password2": "Ab1!"}, "password"),
        ({"password": "x" * 21, "password2": "x" * 21}, "password"),
        ({"password": "password123", "password2": "password123"}, "password"),  # too common
        ({"password": "8736452910", "password2": "8736452910"}, "password"),  # all digits
    ],
)
def test_bad_password_change_is_400_and_changes_nothing(
    session: dict[str, str], shopper: User, overrides: dict[str, str], field: str
) -> None:
    response = change(session["token"], shopper.pk, **overrides)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert field in response.json()  # type: ignore[attr-defined]
    assert User.objects.get(pk=shopper.pk).check_password(PASSWORD)
    assert signed_in(session["token"]).get("/api/v1/user/").status_code == 200


def test_password_change_needs_login(api: APIClient, shopper: User) -> None:
    body = {"old_password": PASSWORD, "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert api.put(f"/api/v1/users/{shopper.pk}/password/", body, format="json").status_code == 401


def test_old_password_guessing_is_limited(session: dict[str, str], shopper: User) -> None:
    statuses = [
        change(session["token"], shopper.pk, old_password=f"Guess-{i}-x").status_code  # type: ignore[attr-defined]
        for i in range(11)
    ]
    assert statuses == [400] * 10 + [429]


def test_sessions_end_all_blacklists_only_live_tokens(shopper: User) -> None:
    RefreshToken.for_user(shopper)
    RefreshToken.for_user(shopper)
    assert user_sessions_end_all(user=shopper) == 2
    assert user_sessions_end_all(user=shopper) == 0


# --- forgotten password ------------------------------------------------------------------------------------------


def step1(api: APIClient, account: str) -> object:
    return api.get(f"/api/v1/accounts/{account}/sms/token/", solved_captcha(api))


def test_forgotten_password_by_sms(
    api: APIClient, shopper: User, session: dict[str, str], sms_outbox: Callable[[str], list[str]]
) -> None:
    first = step1(api, "lihua2026")
    assert first.status_code == 200  # type: ignore[attr-defined]
    body = first.json()  # type: ignore[attr-defined]
    assert body["mobile"] == "139****2222"

    sent = api.get("/api/v1/sms_codes/", {"access_token": body["access_token"]})
    assert sent.status_code == 200
    assert sent.json() == {"message": "OK"}
    [code] = sms_outbox(MOBILE)

    third = api.get("/api/v1/accounts/lihua2026/password/token/", {"sms_code": code})
    assert third.status_code == 200
    assert third.json()["user_id"] == shopper.pk

    reset = {"password": NEW_PASSWORD, "password2": NEW_PASSWORD, "access_token": third.json()["access_token"]}
    done = api.post(f"/api/v1/users/{shopper.pk}/password/", reset, format="json")
    assert done.status_code == 200
    assert done.json() == {"message": "OK"}

    assert login("lihua2026", NEW_PASSWORD)["status"] == 200
    assert login("lihua2026")["status"] == 400
    assert signed_in(session["token"]).get("/api/v1/user/").status_code == 401
    other = {**reset, "password": "Other#Pass99", "password2": "Other#Pass99"}
    again = api.post(f"/api/v1/users/{shopper.pk}/password/", other, format="json")
    assert again.status_code == 400
    assert "access_token" in again.json()
    assert login("lihua2026", NEW_PASSWORD)["status"] == 200


def test_step1_by_mobile_and_with_a_stale_authorization_header(shopper: User) -> None:
    api = signed_in("stale-token")
    response = step1(api, MOBILE)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.json()["mobile"] == "139****2222"  # type: ignore[attr-defined]


def test_step1_wrong_captcha_is_400(api: APIClient, shopper: User) -> None:
    params = {**solved_captcha(api), "text": "ZZZZ"}
    response = api.get("/api/v1/accounts/lihua2026/sms/token/", params)
    assert response.status_code == 400
    assert "text" in response.json()
    assert "access_token" not in response.json()


def test_step1_captcha_is_required(api: APIClient, shopper: User) -> None:
    response = api.get("/api/v1/accounts/lihua2026/sms/token/")
    assert response.status_code == 400
    assert set(error_fields(response.json())) == {"image_code_id", "text"}


def test_step1_unknown_account_is_404(api: APIClient, shopper: User) -> None:
    assert step1(api, "nobody_here").status_code == 404  # type: ignore[attr-defined]
    assert step1(api, "13000000000").status_code == 404  # type: ignore[attr-defined]


@pytest.mark.parametrize("token_kind", ["garbage", "step3", "expired", "email"])
def test_step2_accepts_only_a_fresh_step1_token(
    api: APIClient, shopper: User, sms_outbox: Callable[[str], list[str]], token_kind: str
) -> None:
    fresh = step1(api, "lihua2026").json()["access_token"]  # type: ignore[attr-defined]
    tokens = {
        "garbage": "abc",
        "step3": signing.dumps({"user_id": shopper.pk, "mobile": MOBILE}, salt=RESET_PASSWORD_SALT),
        "email": signing.dumps({"user_id": shopper.pk, "mobile": MOBILE}, salt=EMAIL_VERIFY_SALT),
        "expired": fresh,
    }
    with freeze_time(timezone.now() + timedelta(seconds=601 if token_kind == "expired" else 0)):
        response = api.get("/api/v1/sms_codes/", {"access_token": tokens[token_kind]})
    assert response.status_code == 400
    assert "access_token" in response.json()
    assert sms_outbox(MOBILE) == []


def test_step2_has_the_sms_limits(api: APIClient, shopper: User, sms_outbox: Callable[[str], list[str]]) -> None:
    token = step1(api, "lihua2026").json()["access_token"]  # type: ignore[attr-defined]
    assert api.get("/api/v1/sms_codes/", {"access_token": token}).status_code == 200
    second = api.get("/api/v1/sms_codes/", {"access_token": token})
    assert second.status_code == 429
    assert "Retry-After" in second
    assert len(sms_outbox(MOBILE)) == 1


def test_step3_wrong_code_is_400_and_codes_burn(
    api: APIClient, shopper: User, sms_outbox: Callable[[str], list[str]]
) -> None:
    token = step1(api, "lihua2026").json()["access_token"]  # type: ignore[attr-defined]
    api.get("/api/v1/sms_codes/", {"access_token": token})
    [code] = sms_outbox(MOBILE)
    wrong = "000000" if code != "000000" else "111111"
    response = api.get("/api/v1/accounts/lihua2026/password/token/", {"sms_code": wrong})
    assert response.status_code == 400
    assert "sms_code" in response.json()
    assert api.get("/api/v1/accounts/lihua2026/password/token/", {"sms_code": "12ab"}).status_code == 400
    assert api.get("/api/v1/accounts/nobody_here/password/token/", {"sms_code": code}).status_code == 404
    assert api.get("/api/v1/accounts/lihua2026/password/token/", {"sms_code": code}).status_code == 200
    assert api.get("/api/v1/accounts/lihua2026/password/token/", {"sms_code": code}).status_code == 400


def step3_token(shopper: User) -> str:
    security_cache.set(
        f"sms:code:{MOBILE}", verifications._digest("sms", verifications.SmsPurpose.VERIFY, MOBILE, "123456"), 300
    )
    response = APIClient().get("/api/v1/accounts/lihua2026/password/token/", {"sms_code": "123456"})
    assert response.status_code == 200
    return str(response.json()["access_token"])


def test_step4_token_is_bound_to_its_user(api: APIClient, shopper: User, stranger: User) -> None:
    body = {"password": NEW_PASSWORD, "password2": NEW_PASSWORD, "access_token": step3_token(shopper)}
    response = api.post(f"/api/v1/users/{stranger.pk}/password/", body, format="json")
    assert response.status_code == 400
    assert "access_token" in response.json()
    assert User.objects.get(pk=stranger.pk).check_password(PASSWORD)
    assert api.post("/api/v1/users/999999/password/", body, format="json").status_code == 400
    assert api.post(f"/api/v1/users/{shopper.pk}/password/", body, format="json").status_code == 200


@pytest.mark.parametrize("token_kind", ["step1", "expired", "tampered"])
def test_step4_accepts_only_a_fresh_step3_token(api: APIClient, shopper: User, token_kind: str) -> None:
    step1_token = step1(api, "lihua2026").json()["access_token"]  # type: ignore[attr-defined]
    fresh = step3_token(shopper)
    token = {"step1": step1_token, "expired": fresh, "tampered": fresh[:-1] + ("x" if fresh[-1] != "x" else "y")}
    body = {"password": NEW_PASSWORD, "password2": NEW_PASSWORD, "access_token": token[token_kind]}
    with freeze_time(timezone.now() + timedelta(seconds=601 if token_kind == "expired" else 0)):
        response = api.post(f"/api/v1/users/{shopper.pk}/password/", body, format="json")
    assert response.status_code == 400
    assert "access_token" in response.json()
    assert User.objects.get(pk=shopper.pk).check_password(PASSWORD)


def test_step4_validates_the_new_password(api: APIClient, shopper: User) -> None:
    token = step3_token(shopper)
    mismatch = {"password": NEW_PASSWORD, "password2": "Another#Pass1", "access_token": token}
    assert "password2" in api.post(f"/api/v1/users/{shopper.pk}/password/", mismatch, format="json").json()
    short = {"password": "Ab1!", "password2": "Ab1!", "access_token": token}
    assert "password" in api.post(f"/api/v1/users/{shopper.pk}/password/", short, format="json").json()
    assert User.objects.get(pk=shopper.pk).check_password(PASSWORD)
    # a rejected attempt does not use the token up
    ok = {"password": NEW_PASSWORD, "password2": NEW_PASSWORD, "access_token": token}
    assert api.post(f"/api/v1/users/{shopper.pk}/password/", ok, format="json").status_code == 200
