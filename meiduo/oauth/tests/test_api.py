"""Third-party login end to end: the shop's real protocol code against fake QQ and Weibo on loopback."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core import signing
from freezegun import freeze_time
from rest_framework.test import APIClient

from meiduo.core.securitycache import security_cache
from meiduo.oauth.models import OAuthAccount
from meiduo.oauth.tests.conftest import CLIENT_ID, REDIRECT_URI, SETTING_PREFIX, Side, agree, start_login
from meiduo.oauth.tests.factories import OAuthAccountFactory
from meiduo.oauth.tokens import STATE_COOKIE, bind_token_issue
from meiduo.users.models import User
from tests.support import error_fields

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"
PASSWORD = "kiwi-Mango-42"


def snapshot() -> tuple[int, int]:
    """What must not change after a refused request: the number of users and of bindings."""
    return User.objects.count(), OAuthAccount.objects.count()


def callback(api: APIClient, provider: str, query: dict[str, str]):
    """The storefront's callback page posts what the provider appended to it."""
    return api.get(f"/api/v1/oauth/{provider}/user/", query)


def bind(api: APIClient, provider: str, **data: str):
    return api.post(f"/api/v1/oauth/{provider}/user/", data, format="json")


# --- authorization/ -----------------------------------------------------------------


def test_login_url_is_the_providers_authorize_page_with_a_state_bound_to_this_browser(api, side: Side):
    response = api.get(f"/api/v1/oauth/{side.name}/authorization/", {"next": "/orders/?page=2"})
    assert response.status_code == 200
    body = response.json()
    assert body["next"] == "/orders/?page=2"
    url = urlsplit(body["login_url"])
    assert f"{url.scheme}://{url.netloc}" == side.fake.url
    assert url.path == side.fake.authorize_path
    query = dict(parse_qsl(url.query))
    assert query["response_type"] == "code"
    assert query[side.fake.client_id_parameter] == CLIENT_ID  # WeChat calls it appid
    assert query["redirect_uri"] == REDIRECT_URI
    assert len(query["state"]) >= 32
    cookie = response.cookies[STATE_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/api/v1/oauth/"
    assert query["state"] not in cookie.value or cookie.value != query["state"]  # signed, not the bare state


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        ("qq", "https://graph.qq.com/oauth2.0/authorize"),
        ("sina", "https://api.weibo.com/oauth2/authorize"),
        ("weixin", "https://open.weixin.qq.com/connect/qrconnect"),
    ],
)
def test_by_default_the_login_url_is_the_real_providers(api, settings, provider, expected):
    prefix = SETTING_PREFIX[provider]
    for suffix, value in [("CLIENT_ID", "101"), ("CLIENT_SECRET", "s"), ("REDIRECT_URI", REDIRECT_URI)]:
        setattr(settings, f"{prefix}_{suffix}", value)
    response = api.get(f"/api/v1/oauth/{provider}/authorization/")
    assert response.status_code == 200
    assert response.json()["login_url"].startswith(expected + "?")
    assert response.json()["next"] == "/"


@pytest.mark.parametrize(
    "bad_next", ["//evil.example/", "http://evil.example/", "https://evil.example", "/\\evil", "x"]
)
def test_next_outside_this_site_is_400_and_sets_no_cookie(api, side: Side, bad_next):
    response = api.get(f"/api/v1/oauth/{side.name}/authorization/", {"next": bad_next})
    assert response.status_code == 400
    assert error_fields(response.json()) == ["next"]
    assert STATE_COOKIE not in response.cookies


def test_unknown_provider_is_404(api, configured):
    assert api.get("/api/v1/oauth/github/authorization/").status_code == 404
    assert api.get("/api/v1/oauth/github/user/", {"code": "c", "state": "s"}).status_code == 404


@pytest.mark.parametrize("provider", ["qq", "sina"])
def test_a_provider_without_credentials_is_400_not_configured_on_every_endpoint(api, settings, provider):
    prefix = {"qq": "QQ", "sina": "WEIBO"}[provider]
    setattr(settings, f"{prefix}_CLIENT_ID", "")
    before = snapshot()
    answers = [
        api.get(f"/api/v1/oauth/{provider}/authorization/"),
        api.get(f"/api/v1/oauth/{provider}/user/", {"code": "c", "state": "s"}),
        bind(api, provider, mobile=MOBILE, password=PASSWORD, sms_code="123456", access_token="t"),
    ]
    for response in answers:
        assert response.status_code == 400
        assert "未配置" in response.json()["message"]
    assert snapshot() == before


def test_not_configured_message_in_english_on_request(api):
    response = api.get("/api/v1/oauth/qq/authorization/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"message": "QQ login is not configured.", "code": "rejected"}


# --- the whole flow --------------------------------------------------------------------


def test_new_user_binds_a_new_mobile_then_logs_straight_in_the_second_time(api, side: Side, provider_login, sms_code):
    query = provider_login(api, side.name, "alice", "/cart/")
    response = callback(api, side.name, query)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"access_token", "next"}
    assert body["next"] == "/cart/"
    assert response.cookies[STATE_COOKIE].value == ""  # the state cookie is cleared

    code = sms_code(MOBILE)
    response = bind(api, side.name, mobile=MOBILE, password=PASSWORD, sms_code=code, access_token=body["access_token"])
    assert response.status_code == 200, response.content
    logged_in = response.json()
    assert set(logged_in) == {"token", "refresh", "user_id", "username", "next"}
    assert logged_in["next"] == "/cart/"
    user = User.objects.get(mobile=MOBILE)
    assert (logged_in["user_id"], logged_in["username"]) == (user.id, f"m{MOBILE}")
    assert user.check_password(PASSWORD)
    account = OAuthAccount.objects.get()
    assert (account.provider, account.openid, account.user_id) == (side.name, side.fake.account_id("alice"), user.id)
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"JWT {logged_in['token']}")
    assert me.get("/api/v1/user/").json()["mobile"] == MOBILE

    # Second time, in a fresh browser: straight in, no binding.
    browser = APIClient()
    response = callback(browser, side.name, provider_login(browser, side.name, "alice", "/orders/"))
    assert response.status_code == 200, response.content
    again = response.json()
    assert set(again) == {"token", "refresh", "user_id", "username", "next"}
    assert (again["user_id"], again["username"], again["next"]) == (user.id, user.username, "/orders/")
    assert snapshot() == (1, 1)


def second_sms_code(mobile: str, sms_code) -> str:
    """Another code for the same mobile: the one-per-minute sending limit is lifted for the test."""
    security_cache.delete(f"rl:claim:sms:interval:{mobile}")
    return sms_code(mobile)


def test_binding_a_known_mobile_needs_its_password(api, side: Side, provider_login, sms_code):
    owner = User.objects.create_user(username="owner_1", password=PASSWORD, mobile=MOBILE)
    token = callback(api, side.name, provider_login(api, side.name, "bob")).json()["access_token"]
    before = snapshot()

    code = sms_code(MOBILE)
    response = bind(api, side.name, mobile=MOBILE, password="not-the-password", sms_code=code, access_token=token)
    assert response.status_code == 400
    assert error_fields(response.json()) == ["password"]
    assert snapshot() == before

    code = second_sms_code(MOBILE, sms_code)
    response = bind(api, side.name, mobile=MOBILE, password=PASSWORD, sms_code=code, access_token=token)
    assert response.status_code == 200, response.content
    assert response.json()["user_id"] == owner.id
    assert OAuthAccount.objects.get().user == owner
    assert User.objects.count() == 1


def test_new_mobile_password_follows_the_registration_rules(api, side: Side, provider_login, sms_code):
    token = callback(api, side.name, provider_login(api, side.name, "carol")).json()["access_token"]
    before = snapshot()
    response = bind(api, side.name, mobile=MOBILE, password="1234567", sms_code="123456", access_token=token)
    assert response.status_code == 400
    assert error_fields(response.json()) == ["password"]
    assert snapshot() == before


def test_binding_does_not_tell_whether_a_mobile_is_registered_nor_spend_its_code_tries(
    api, side: Side, provider_login, sms_code
):
    User.objects.create_user(username="owner_2", password=PASSWORD, mobile=MOBILE)
    token = callback(api, side.name, provider_login(api, side.name, "frank")).json()["access_token"]
    code = sms_code(MOBILE)
    answers = set()
    for mobile in (MOBILE, "13912345679") * 4:  # a registered and a new mobile, probed with a weak password
        response = bind(api, side.name, mobile=mobile, password="1234567", sms_code="000000", access_token=token)
        answers.add((response.status_code, response.content))
    assert len(answers) == 1, answers  # one answer for both: nothing tells them apart
    # The probes spent none of the registered mobile's SMS-code tries: its owner still binds with the code.
    response = bind(api, side.name, mobile=MOBILE, password=PASSWORD, sms_code=code, access_token=token)
    assert response.status_code == 200, response.content


def test_binding_is_under_the_per_client_lookup_limit(api, side: Side, provider_login):
    token = callback(api, side.name, provider_login(api, side.name, "grace")).json()["access_token"]
    statuses = [
        bind(
            api, side.name, mobile=f"1391234{n:04d}", password="1234567", sms_code="000000", access_token=token
        ).status_code
        for n in range(61)
    ]
    assert statuses[:60] == [400] * 60
    assert statuses[60] == 429


def test_wrong_sms_code_is_400_and_creates_nothing(api, side: Side, provider_login, sms_code):
    token = callback(api, side.name, provider_login(api, side.name, "dave")).json()["access_token"]
    real = sms_code(MOBILE)
    before = snapshot()
    wrong = f"{(int(real) + 1) % 10**6:06d}"
    response = bind(api, side.name, mobile=MOBILE, password=PASSWORD, sms_code=wrong, access_token=token)
    assert response.status_code == 400
    assert error_fields(response.json()) == ["sms_code"]
    assert snapshot() == before


# --- state -------------------------------------------------------------------------------


def test_missing_code_or_state_is_400(api, side: Side, provider_login):
    query = provider_login(api, side.name, "erin")
    before = snapshot()
    for partial in ({"code": query["code"]}, {"state": query["state"]}, {}):
        response = callback(api, side.name, partial)
        assert response.status_code == 400
        assert set(error_fields(response.json())) <= {"code", "state"}
    assert snapshot() == before


def test_state_that_does_not_match_the_cookie_is_400(api, side: Side, provider_login):
    query = provider_login(api, side.name, "frank")
    response = callback(api, side.name, {**query, "state": query["state"][:-2] + "xx"})
    assert response.status_code == 400
    assert error_fields(response.json()) == ["state"]


def test_state_from_another_browser_is_400(api, side: Side, provider_login):
    query = provider_login(api, side.name, "grace")
    other_browser = APIClient()
    start_login(other_browser, side.name)  # has a cookie of its own
    before = snapshot()
    assert callback(other_browser, side.name, query).status_code == 400
    assert callback(APIClient(), side.name, query).status_code == 400  # no cookie at all
    assert snapshot() == before


def test_state_of_the_other_provider_is_400(api, configured):
    query = agree(start_login(api, "qq"), "heidi")
    response = callback(api, "sina", query)
    assert response.status_code == 400
    assert error_fields(response.json()) == ["state"]


def test_state_is_single_use_even_when_the_cookie_is_replayed(api, side: Side, provider_login):
    query = provider_login(api, side.name, "ivan")
    cookie = api.cookies[STATE_COOKIE].value
    assert callback(api, side.name, query).status_code == 200
    api.cookies[STATE_COOKIE] = cookie  # an attacker replays the old cookie with the old state
    response = callback(api, side.name, query)
    assert response.status_code == 400
    assert error_fields(response.json()) == ["state"]


def test_tampered_state_cookie_is_400(api, side: Side, provider_login):
    query = provider_login(api, side.name, "judy")
    api.cookies[STATE_COOKIE] = api.cookies[STATE_COOKIE].value[:-3] + "abc"
    assert callback(api, side.name, query).status_code == 400


def test_state_older_than_ten_minutes_is_400(api, side: Side):
    with freeze_time("2026-01-01 10:00:00"):
        login_url = start_login(api, side.name)
    query = agree(login_url, "ken")
    with freeze_time("2026-01-01 10:11:00"):
        response = callback(api, side.name, query)
    assert response.status_code == 400
    assert error_fields(response.json()) == ["state"]


# --- the provider's answers ----------------------------------------------------------------


def test_expired_code_is_400_and_nothing_changes(api, side: Side, provider_login):
    query = provider_login(api, side.name, "leo")
    side.fake.expire_codes()
    before = snapshot()
    response = callback(api, side.name, query)
    assert response.status_code == 400
    assert "message" in response.json()
    assert snapshot() == before


def test_reused_code_is_400(api, side: Side, provider_login, sms_code):
    OAuthAccountFactory(provider=side.name, openid=side.fake.account_id("mia"))
    query = provider_login(api, side.name, "mia")
    assert callback(api, side.name, query).status_code == 200
    # Same code again, with a fresh state of this browser: the provider refuses the code.
    fresh = agree(start_login(api, side.name), "mia")
    before = snapshot()
    response = callback(api, side.name, {"code": query["code"], "state": fresh["state"]})
    assert response.status_code == 400
    assert "message" in response.json()
    assert snapshot() == before


def test_code_the_provider_never_issued_gets_its_error_answer_as_400(api, side: Side):
    login_url = start_login(api, side.name)
    state = dict(parse_qsl(urlsplit(login_url).query))["state"]
    response = callback(api, side.name, {"code": "NOT-A-REAL-CODE", "state": state})
    assert response.status_code == 400
    assert response.json()["message"]


def test_message_in_english_on_request(api, side: Side):
    state = dict(parse_qsl(urlsplit(start_login(api, side.name)).query))["state"]
    response = api.get(f"/api/v1/oauth/{side.name}/user/", {"code": "NOPE", "state": state}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "did not accept this login" in response.json()["message"]


def test_provider_down_is_503(api, side: Side, provider_login):
    query = provider_login(api, side.name, "nina")
    side.fake.down = True
    response = callback(api, side.name, query)
    assert response.status_code == 503
    assert "message" in response.json()


def test_provider_unreachable_is_503(api, side: Side, provider_login, settings):
    query = provider_login(api, side.name, "oscar")
    setattr(settings, f"{SETTING_PREFIX[side.name]}_API_URL", "http://127.0.0.1:9")
    assert callback(api, side.name, query).status_code == 503


def test_provider_timeout_is_503(api, side: Side, provider_login, settings):
    query = provider_login(api, side.name, "pat")
    settings.OAUTH_PROVIDER_TIMEOUT = 0.2
    side.fake.delay = 0.6
    assert callback(api, side.name, query).status_code == 503


def test_wrong_client_secret_is_503_for_the_shopper(api, side: Side, provider_login, settings):
    query = provider_login(api, side.name, "quinn")
    setattr(settings, f"{SETTING_PREFIX[side.name]}_CLIENT_SECRET", "wrong")
    assert callback(api, side.name, query).status_code == 503


# --- the binding access_token --------------------------------------------------------------


def test_tampered_access_token_is_400(api, side: Side, provider_login, sms_code):
    token = callback(api, side.name, provider_login(api, side.name, "rita")).json()["access_token"]
    before = snapshot()
    payload, _, signature = token.rpartition(":")
    forged = signing.dumps({"p": side.name, "o": "someone-else", "n": "/"}, salt="wrong-salt")
    for bad in (payload + ":" + signature[::-1], forged, "garbage"):
        response = bind(api, side.name, mobile=MOBILE, password=PASSWORD, sms_code="123456", access_token=bad)
        assert response.status_code == 400
        assert error_fields(response.json()) == ["access_token"]
    assert snapshot() == before


def test_expired_access_token_is_400(api, side: Side, sms_code):
    with freeze_time("2026-01-01 10:00:00"):
        token = bind_token_issue(provider=side.name, openid="X" * 32, next_path="/")
    with freeze_time("2026-01-01 10:10:30"):
        response = bind(api, side.name, mobile=MOBILE, password=PASSWORD, sms_code="123456", access_token=token)
    assert response.status_code == 400
    assert error_fields(response.json()) == ["access_token"]
    assert snapshot() == (0, 0)


def test_access_token_of_the_other_provider_is_400(api, configured):
    token = bind_token_issue(provider="qq", openid="X" * 32, next_path="/")
    response = bind(api, "sina", mobile=MOBILE, password=PASSWORD, sms_code="123456", access_token=token)
    assert response.status_code == 400
    assert error_fields(response.json()) == ["access_token"]


def test_openid_already_bound_is_400_and_nothing_changes(api, side: Side, sms_code):
    OAuthAccountFactory(provider=side.name, openid="BOUND")
    token = bind_token_issue(provider=side.name, openid="BOUND", next_path="/")
    code = sms_code(MOBILE)
    before = snapshot()
    response = bind(api, side.name, mobile=MOBILE, password=PASSWORD, sms_code=code, access_token=token)
    assert response.status_code == 400
    assert "message" in response.json()
    assert snapshot() == before
    assert not User.objects.filter(mobile=MOBILE).exists()
