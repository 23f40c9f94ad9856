"""Accounts through the API: counts, registration, login by username or mobile, refresh, logout, user/."""

from datetime import timedelta

import pytest
from freezegun import freeze_time
from rest_framework.test import APIClient

from meiduo.users.models import User
from meiduo.verifications.tests.captcha import solved_captcha
from tests.support import error_fields, run_together

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"
PASSWORD = "Meiduo-2026!"


def registration(get_code, **overrides):
    body = {
        "username": "xiaoming_01",
        "password": PASSWORD,
        "password2": PASSWORD,
        "mobile": MOBILE,
        "allow": "true",
    }
    body.update(overrides)
    if "sms_code" not in body:
        body["sms_code"] = get_code(body["mobile"])
    return body


@pytest.fixture
def shopper(db) -> User:
    return User.objects.create_user(username="lihua2026", password=PASSWORD, mobile="13911112222")


def login(api, account, password=PASSWORD):
    return api.post("/api/v1/authorizations/", {"username": account, "password": password}, format="json")


# --- counts ---------------------------------------------------------------------------------------------


def test_username_and_mobile_counts(api, shopper):
    assert api.get("/api/v1/usernames/lihua2026/count/").json() == {"username": "lihua2026", "count": 1}
    assert api.get("/api/v1/usernames/nobody_here/count/").json() == {"username": "nobody_here", "count": 0}
    assert api.get("/api/v1/mobiles/13911112222/count/").json() == {"mobile": "13911112222", "count": 1}
    assert api.get("/api/v1/mobiles/13911110000/count/").json() == {"mobile": "13911110000", "count": 0}


@pytest.mark.parametrize("mobile", ["12345", "13911112222%0A", "1391111222２", "1391111222%EF%BC%92"])
def test_mobile_count_rejects_a_malformed_mobile(api, mobile):
    response = api.get(f"/api/v1/mobiles/{mobile}/count/")
    assert response.status_code == 400
    assert "mobile" in response.json()


def test_a_nul_character_in_a_looked_up_name_is_no_account_not_an_outage(api, shopper):
    """PostgreSQL refuses NUL in text: such a name cannot exist, so it is not looked up (it was a 503)."""
    assert api.get("/api/v1/usernames/lihua%002026/count/").json() == {"username": "lihua\x002026", "count": 0}
    response = api.get("/api/v1/accounts/lihua%002026/password/token/", {"sms_code": "123456"})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_count_lookups_are_rate_limited_per_client(api):
    with freeze_time("2026-11-21 10:00:05+08:00", tick=True):  # all 61 inside one one-minute window
        statuses = [api.get(f"/api/v1/usernames/user_{i:04d}/count/").status_code for i in range(61)]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429


@pytest.mark.parametrize(
    "ask",
    [
        # Step 3 of the forgotten password answers 404 for an unknown account, 400 for a known one.
        lambda api, i: api.get(f"/api/v1/accounts/user_{i:04d}/password/token/", {"sms_code": "123456"}),
        # Registration says "username taken" before it looks at the SMS code.
        lambda api, i: api.post(
            "/api/v1/users/",
            {
                "username": f"user_{i:04d}",
                "password": PASSWORD,
                "password2": PASSWORD,
                "mobile": "13911112222",
                "sms_code": "123456",
                "allow": "true",
            },
            format="json",
        ),
    ],
    ids=["password-reset-step3", "registration"],
)
def test_other_answers_that_reveal_accounts_share_the_lookup_limit(api, ask):
    with freeze_time("2026-11-21 10:00:05+08:00", tick=True):  # all 61 inside one one-minute window
        statuses = [ask(api, i).status_code for i in range(61)]
    assert 429 not in statuses[:60]
    assert statuses[60] == 429


# --- registration ---------------------------------------------------------------------------------------


def test_register_creates_a_user_and_logs_in(api, sms_code):
    response = api.post("/api/v1/users/", registration(sms_code), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "username", "mobile", "token", "refresh"}
    assert body["username"] == "xiaoming_01" and body["mobile"] == MOBILE
    user = User.objects.get(id=body["id"])
    assert user.password.startswith("argon2$")
    me = api.get("/api/v1/user/", HTTP_AUTHORIZATION=f"JWT {body['token']}")
    assert me.json() == {
        "id": user.id,
        "username": "xiaoming_01",
        "mobile": MOBILE,
        "email": "",
        "email_active": False,
        "nickname": "",
        "real_name": "",
        "birthday": None,
        "gender": 0,
    }


def test_register_accepts_form_encoded_bodies(api, sms_code):
    response = api.post("/api/v1/users/", registration(sms_code))
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("username", "abcd"),  # too short
        ("username", "a" * 21),  # too long
        ("username", "1234567"),  # all digits
        ("username", "bad name!"),  # forbidden characters
        ("password", "short1"),  # under 8
        ("password", "p" * 21),  # over 20
        ("password2", "Different-2026!"),  # mismatch
        ("mobile", "12345678901"),
        ("mobile", "13８12345678"),  # a full-width digit
        ("sms_code", "12ab56"),
        ("allow", "false"),
    ],
)
def test_register_rejects_each_bad_field_with_its_own_message(api, sms_code, field, value):
    overrides = {field: value} if field != "mobile" else {field: value, "sms_code": "123456"}
    body = registration(sms_code, **overrides)
    response = api.post("/api/v1/users/", body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not User.objects.exists()


@pytest.mark.parametrize("missing", ["username", "password", "password2", "mobile", "sms_code", "allow"])
def test_register_requires_every_field(api, sms_code, missing):
    body = registration(sms_code)
    del body[missing]
    response = api.post("/api/v1/users/", body, format="json")
    assert response.status_code == 400
    assert missing in response.json()
    assert not User.objects.exists()


def test_register_rejects_a_common_password(api, sms_code):
    response = api.post("/api/v1/users/", registration(sms_code, password="password1", password2="password1"))
    assert response.status_code == 400
    assert "password" in response.json()


def test_register_with_a_wrong_sms_code_is_400_and_creates_nobody(api, sms_code):
    real = sms_code(MOBILE)
    wrong = "000000" if real != "000000" else "111111"
    response = api.post("/api/v1/users/", registration(sms_code, sms_code=wrong), format="json")
    assert response.status_code == 400
    assert "sms_code" in response.json()
    assert not User.objects.exists()


def test_taken_username_and_mobile_are_400(api, sms_code, shopper):
    taken_name = api.post("/api/v1/users/", registration(sms_code, username="lihua2026"), format="json")
    assert taken_name.status_code == 400 and "username" in taken_name.json()
    taken_mobile = api.post("/api/v1/users/", registration(sms_code, mobile="13911112222"), format="json")
    assert taken_mobile.status_code == 400 and "mobile" in taken_mobile.json()
    assert User.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_of_one_mobile_make_exactly_one_user(sms_code):
    code = sms_code(MOBILE)
    bodies = [registration(sms_code, username=f"racer_{i:02d}", sms_code=code) for i in range(8)]
    responses = run_together(
        [lambda body=body: APIClient().post("/api/v1/users/", body, format="json") for body in bodies]
    )
    assert sorted(r.status_code for r in responses) == [201] + [400] * 7
    assert User.objects.filter(mobile=MOBILE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_of_one_username_make_exactly_one_user(sms_code):
    mobiles = [f"1350000000{i}" for i in range(6)]
    bodies = [registration(sms_code, username="same_name", mobile=mobile) for mobile in mobiles]
    responses = run_together(
        [lambda body=body: APIClient().post("/api/v1/users/", body, format="json") for body in bodies]
    )
    assert sorted(r.status_code for r in responses) == [201] + [400] * 5
    assert User.objects.filter(username="same_name").count() == 1


# --- login ----------------------------------------------------------------------------------------------


def test_login_by_username_and_by_mobile(api, shopper):
    for account in ("lihua2026", "13911112222"):
        response = login(api, account)
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"token", "refresh", "user_id", "username"}
        assert body["user_id"] == shopper.id and body["username"] == "lihua2026"


def test_wrong_password_and_unknown_account_get_the_same_answer(api, shopper):
    wrong = login(api, "lihua2026", "not-the-password")
    unknown = login(api, "no_such_user", "not-the-password")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json() == {"message": "用户名或密码错误", "code": "rejected"}


def test_login_missing_fields_is_400(api):
    response = api.post("/api/v1/authorizations/", {}, format="json")
    assert response.status_code == 400
    assert set(error_fields(response.json())) == {"username", "password"}


LOGIN_FAILED = {"message": "用户名或密码错误", "code": "rejected"}


def captcha_asked(response) -> bool:
    return response.status_code == 400 and response.json().get("code") == "captcha_required"


def test_after_three_failures_login_needs_a_captcha(api, shopper):
    assert [login(api, "lihua2026", "wrong-password").json() for _ in range(3)] == [LOGIN_FAILED] * 3
    asked = login(api, "lihua2026")  # even the right password: a captcha first
    assert captcha_asked(asked)
    assert asked.json() == {"text": ["请输入图片验证码"], "code": "captcha_required"}
    body = {"username": "lihua2026", "password": PASSWORD, **solved_captcha(api)}
    assert api.post("/api/v1/authorizations/", body, format="json").status_code == 200
    assert login(api, "lihua2026").status_code == 200  # the success cleared the account's failures


def test_a_wrong_captcha_checks_no_password_and_is_used_up(api, shopper):
    for _ in range(3):
        login(api, "lihua2026", "wrong-password")
    fields = solved_captcha(api)
    wrong = {"username": "lihua2026", "password": PASSWORD, **fields, "text": "zzzz"}
    answer = api.post("/api/v1/authorizations/", wrong, format="json")
    assert answer.status_code == 400 and set(answer.json()) >= {"text"}
    again = {"username": "lihua2026", "password": PASSWORD, **fields}  # the right text, too late
    assert api.post("/api/v1/authorizations/", again, format="json").status_code == 400


def test_a_stranger_cannot_lock_the_owner_out(shopper):
    # A determined stranger, from many networks, solving every captcha: 40 wrong guesses in one window.
    with freeze_time("2026-11-21 10:00:05+08:00"):
        for i in range(40):
            stranger = APIClient(REMOTE_ADDR=f"10.9.{i}.1")
            guess = {"username": "lihua2026", "password": "wrong-password", **solved_captcha(stranger)}
            assert stranger.post("/api/v1/authorizations/", guess, format="json").status_code == 400
        owner = APIClient(REMOTE_ADDR="10.8.0.1")
        assert captcha_asked(login(owner, "lihua2026"))
        body = {"username": "lihua2026", "password": PASSWORD, **solved_captcha(owner)}
        assert owner.post("/api/v1/authorizations/", body, format="json").status_code == 200


def test_repeated_failures_from_one_client_are_slowed_not_the_owners(shopper):
    with freeze_time("2026-11-21 10:00:05+08:00"):
        guesser = APIClient(REMOTE_ADDR="10.7.0.1")

        def guess():
            body = {"username": "lihua2026", "password": "wrong-password", **solved_captcha(guesser)}
            return guesser.post("/api/v1/authorizations/", body, format="json")

        assert [guess().status_code for _ in range(6)] == [400] * 6
        slowed = guess()
        assert slowed.status_code == 429 and int(slowed["Retry-After"]) >= 1
        owner = APIClient(REMOTE_ADDR="10.7.0.2")
        body = {"username": "lihua2026", "password": PASSWORD, **solved_captcha(owner)}
        assert owner.post("/api/v1/authorizations/", body, format="json").status_code == 200


def test_username_and_mobile_share_one_failure_count(shopper):
    """Guessing by username, then by mobile, is still one account's guesses: no second allowance."""
    for i in range(3):
        assert login(APIClient(REMOTE_ADDR=f"10.0.0.{i}"), "lihua2026", "wrong-password").json() == LOGIN_FAILED
    assert captcha_asked(login(APIClient(REMOTE_ADDR="10.0.1.1"), "13911112222", "wrong-password"))
    assert captcha_asked(login(APIClient(REMOTE_ADDR="10.0.1.2"), "13911112222"))


def test_failures_per_ip_are_refused(api, settings, shopper):
    settings.LOGIN_FAILURES_PER_IP = 3
    for i in range(3):
        assert login(api, f"someone_{i}", "wrong-password").status_code == 400
    assert login(api, "lihua2026").status_code == 429
    assert login(APIClient(REMOTE_ADDR="10.1.2.3"), "lihua2026").status_code == 200


def test_successful_login_clears_the_failures(api, shopper):
    for _ in range(3):
        login(api, "lihua2026", "wrong-password")
    body = {"username": "lihua2026", "password": PASSWORD, **solved_captcha(api)}
    assert api.post("/api/v1/authorizations/", body, format="json").status_code == 200
    for _ in range(3):  # a fresh allowance: no captcha asked before the next three failures
        assert login(api, "lihua2026", "wrong-password").json() == LOGIN_FAILED


def test_inactive_user_cannot_log_in(api, shopper):
    shopper.is_active = False
    shopper.save()
    assert login(api, "lihua2026").status_code == 400


# --- tokens ---------------------------------------------------------------------------------------------


def test_jwt_and_bearer_prefixes_both_work(api, shopper):
    token = login(api, "lihua2026").json()["token"]
    for prefix in ("JWT", "Bearer"):
        assert api.get("/api/v1/user/", HTTP_AUTHORIZATION=f"{prefix} {token}").status_code == 200


def test_user_requires_authentication(api):
    response = api.get("/api/v1/user/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_tampered_token_is_401(api, shopper):
    token = login(api, "lihua2026").json()["token"]
    head, payload, signature = token.split(".")
    tampered = f"{head}.{payload}.{signature[:-4]}AAAA"
    assert api.get("/api/v1/user/", HTTP_AUTHORIZATION=f"JWT {tampered}").status_code == 401


def test_token_errors_speak_the_active_language(api, shopper):
    """simplejwt's own messages (bad access token, reused refresh) are user-facing too: zh-hans by default."""
    bad_access = api.get("/api/v1/user/", HTTP_AUTHORIZATION="JWT not-a-token")
    assert bad_access.status_code == 401
    assert bad_access.json()["detail"] == "此令牌对任何类型的令牌无效"
    refresh = login(api, "lihua2026").json()["refresh"]
    assert api.post("/api/v1/authorizations/refresh/", {"refresh": refresh}, format="json").status_code == 200
    reused = api.post("/api/v1/authorizations/refresh/", {"refresh": refresh}, format="json")
    assert reused.status_code == 401
    assert reused.json()["detail"] == "令牌已被加入黑名单"
    english = api.get("/api/v1/user/", HTTP_AUTHORIZATION="JWT not-a-token", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Given token not valid for any token type"


def test_expired_access_token_is_401(api, shopper):
    with freeze_time() as frozen:
        token = login(api, "lihua2026").json()["token"]
        frozen.tick(timedelta(minutes=31))
        response = api.get("/api/v1/user/", HTTP_AUTHORIZATION=f"JWT {token}")
    assert response.status_code == 401


def test_access_token_of_a_deactivated_or_deleted_account_is_refused(api, shopper):
    token = login(api, "lihua2026").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"JWT {token}", HTTP_ACCEPT_LANGUAGE="en")
    assert api.get("/api/v1/user/").status_code == 200
    User.objects.filter(pk=shopper.pk).update(is_active=False)  # an operator disables the account
    refused = api.get("/api/v1/user/")
    assert (refused.status_code, refused.json()["detail"]) == (401, "User is inactive")
    # The cart treats such a token as no token: a guest cart, nothing written into the account's cart.
    assert api.get("/api/v1/carts/").json() == []
    User.objects.filter(pk=shopper.pk).update(is_active=True)
    assert api.get("/api/v1/user/").status_code == 200
    shopper.delete()
    gone = api.get("/api/v1/user/")
    assert (gone.status_code, gone.json()["detail"]) == (401, "User not found")


def test_access_token_issued_before_a_password_change_is_refused(api, shopper):
    token = login(api, "lihua2026").json()["token"]
    shopper.set_password("Another-Pass-2026")
    shopper.save()
    response = api.get("/api/v1/user/", HTTP_AUTHORIZATION=f"JWT {token}", HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.json()["detail"]) == (401, "The user's password has been changed.")


def test_an_authenticated_request_reads_the_user_in_one_fixed_statement(
    api, shopper, django_assert_num_queries, monkeypatch
):
    from rest_framework.test import APIRequestFactory
    from rest_framework_simplejwt.authentication import JWTAuthentication

    from meiduo.core.tokenauth import SessionJWTAuthentication

    token = login(api, "lihua2026").json()["token"]
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"JWT {token}")

    def queryset_lookup(*args, **kwargs):
        raise AssertionError("simplejwt's lookup (a queryset) is only for tokens it refuses")

    monkeypatch.setattr(JWTAuthentication, "get_user", queryset_lookup)
    with django_assert_num_queries(1):
        user, _token = SessionJWTAuthentication().authenticate(request)
    stored = User.objects.get(pk=shopper.pk)
    assert user.__dict__.keys() - {"_state"} == stored.__dict__.keys() - {"_state"}
    for name, value in vars(stored).items():
        if name != "_state":
            assert getattr(user, name) == value, name
    assert user.last_login is not None and user.last_login.tzinfo is not None  # aware, as the ORM gives it


def test_refresh_rotates_and_the_old_refresh_stops_working(api, shopper):
    first = login(api, "lihua2026").json()
    rotated = api.post("/api/v1/authorizations/refresh/", {"refresh": first["refresh"]}, format="json")
    assert rotated.status_code == 200
    pair = rotated.json()
    assert set(pair) == {"token", "refresh"} and pair["refresh"] != first["refresh"]
    assert api.get("/api/v1/user/", HTTP_AUTHORIZATION=f"JWT {pair['token']}").status_code == 200
    reuse = api.post("/api/v1/authorizations/refresh/", {"refresh": first["refresh"]}, format="json")
    assert reuse.status_code == 401
    assert api.post("/api/v1/authorizations/refresh/", {"refresh": pair["refresh"]}, format="json").status_code == 200


def test_expired_refresh_is_401(api, shopper):
    with freeze_time() as frozen:
        refresh = login(api, "lihua2026").json()["refresh"]
        frozen.tick(timedelta(days=15))
        response = api.post("/api/v1/authorizations/refresh/", {"refresh": refresh}, format="json")
    assert response.status_code == 401


def test_access_token_is_not_a_refresh_token(api, shopper):
    token = login(api, "lihua2026").json()["token"]
    assert api.post("/api/v1/authorizations/refresh/", {"refresh": token}, format="json").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_concurrent_reuse_of_one_refresh_token_succeeds_once(shopper):
    refresh = login(APIClient(), "lihua2026").json()["refresh"]
    responses = run_together(
        [lambda: APIClient().post("/api/v1/authorizations/refresh/", {"refresh": refresh}, format="json")] * 6
    )
    assert sorted(r.status_code for r in responses) == [200] + [401] * 5


def test_logout_blacklists_the_refresh_token(api, shopper):
    refresh = login(api, "lihua2026").json()["refresh"]
    response = api.delete("/api/v1/authorizations/", {"refresh": refresh}, format="json")
    assert response.status_code == 204
    after = api.post("/api/v1/authorizations/refresh/", {"refresh": refresh}, format="json")
    assert after.status_code == 401


def test_logout_ends_the_access_tokens_of_the_session_at_once(shopper):
    answer = login(APIClient(), "lihua2026").json()
    sent, other_tab = APIClient(), APIClient()
    sent.credentials(HTTP_AUTHORIZATION=f"JWT {answer['token']}")
    other_tab.credentials(HTTP_AUTHORIZATION=f"JWT {answer['token']}")
    assert sent.get("/api/v1/user/").status_code == 200
    assert sent.delete("/api/v1/authorizations/", {"refresh": answer["refresh"]}, format="json").status_code == 204
    # The access token sent with the logout, and every copy of it (another tab, a stolen one), stop working.
    assert sent.get("/api/v1/user/").status_code == 401
    assert other_tab.get("/api/v1/user/").status_code == 401


def test_logout_without_the_access_token_still_ends_the_sessions_access_tokens(shopper):
    answer = login(APIClient(), "lihua2026").json()
    assert (
        APIClient().delete("/api/v1/authorizations/", {"refresh": answer["refresh"]}, format="json").status_code == 204
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"JWT {answer['token']}")
    assert client.get("/api/v1/user/").status_code == 401


def test_logout_leaves_the_accounts_other_sessions_alone(shopper):
    phone, laptop = login(APIClient(), "lihua2026").json(), login(APIClient(), "lihua2026").json()
    assert (
        APIClient().delete("/api/v1/authorizations/", {"refresh": phone["refresh"]}, format="json").status_code == 204
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"JWT {laptop['token']}")
    assert client.get("/api/v1/user/").status_code == 200


def test_access_token_renewed_by_refresh_ends_with_the_session(shopper):
    first = login(APIClient(), "lihua2026").json()
    renewed = APIClient().post("/api/v1/authorizations/refresh/", {"refresh": first["refresh"]}, format="json").json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"JWT {renewed['token']}")
    assert client.delete("/api/v1/authorizations/", {"refresh": renewed["refresh"]}, format="json").status_code == 204
    assert client.get("/api/v1/user/").status_code == 401


def test_a_logged_out_session_stays_ended_when_the_caches_are_flushed(shopper):
    from django.core.cache import caches

    answer = login(APIClient(), "lihua2026").json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"JWT {answer['token']}")
    assert client.delete("/api/v1/authorizations/", {"refresh": answer["refresh"]}, format="json").status_code == 204
    for alias in ("default", "security"):  # an operator flushing Redis, or a cache folder lost
        caches[alias].clear()
    assert client.get("/api/v1/user/").status_code == 401


def test_a_logout_the_database_fails_half_way_can_be_tried_again(shopper, monkeypatch):
    from django.db.utils import OperationalError

    from meiduo.users.services import sessions

    answer = login(APIClient(), "lihua2026").json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"JWT {answer['token']}")
    real_deny = sessions.tokens_deny

    def deny_fails(expiries):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(sessions, "tokens_deny", deny_fails)
    assert client.delete("/api/v1/authorizations/", {"refresh": answer["refresh"]}, format="json").status_code == 503
    monkeypatch.setattr(sessions, "tokens_deny", real_deny)
    # The refresh token was not left blacklisted with its access tokens still working: logging out again ends both.
    assert client.delete("/api/v1/authorizations/", {"refresh": answer["refresh"]}, format="json").status_code == 204
    assert client.get("/api/v1/user/").status_code == 401


def test_the_deny_list_forgets_tokens_once_they_have_all_expired(shopper):
    from meiduo.core.models import DeniedToken

    with freeze_time() as frozen:
        first = login(APIClient(), "lihua2026").json()
        APIClient().delete("/api/v1/authorizations/", {"refresh": first["refresh"]}, format="json")
        assert DeniedToken.objects.count() == 1
        frozen.tick(timedelta(minutes=31))  # past the access tokens' 30 minutes
        second = login(APIClient(), "lihua2026").json()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"JWT {second['token']}")
        assert (
            client.delete("/api/v1/authorizations/", {"refresh": second["refresh"]}, format="json").status_code == 204
        )
        # The first session's entry went; the second's sid and the access token sent with it stay.
        assert DeniedToken.objects.count() == 2
        assert client.get("/api/v1/user/").status_code == 401


def test_logout_with_a_tampered_refresh_is_401(api, shopper):
    refresh = login(api, "lihua2026").json()["refresh"]
    response = api.delete("/api/v1/authorizations/", {"refresh": refresh[:-3] + "abc"}, format="json")
    assert response.status_code == 401
    assert api.post("/api/v1/authorizations/refresh/", {"refresh": refresh}, format="json").status_code == 200


def test_token_lifetimes_come_from_settings(api, shopper, settings):
    from rest_framework_simplejwt.tokens import AccessToken

    token = AccessToken(login(api, "lihua2026").json()["token"])
    assert token["exp"] - token["iat"] == 30 * 60


def test_refresh_issued_before_a_password_change_no_longer_works(api, shopper):
    refresh = login(api, "lihua2026").json()["refresh"]
    # The password changes by some other way than the API (e.g. an operator in the admin).
    shopper.set_password("Another-Pass-2026")
    shopper.save()
    assert api.post("/api/v1/authorizations/refresh/", {"refresh": refresh}, format="json").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_concurrent_password_guesses_cannot_pass_the_captcha_limit(shopper, settings):
    # 20 guesses at once without a captcha: attempts are counted before any password is checked, so at
    # most LOGIN_FAILURES_BEFORE_CAPTCHA (3) reach the password check, whatever the interleaving.
    guesses = [lambda: login(APIClient(), "lihua2026", "wrong-password") for _ in range(20)]
    with freeze_time("2026-11-21 10:00:05+08:00", tick=True):  # well inside one 15-minute window
        responses = run_together(guesses)
        checked = [r for r in responses if r.json() == LOGIN_FAILED]
        assert 1 <= len(checked) <= settings.LOGIN_FAILURES_BEFORE_CAPTCHA
        assert all(r.json() == LOGIN_FAILED or captcha_asked(r) for r in responses)
        assert captcha_asked(login(APIClient(), "lihua2026"))
