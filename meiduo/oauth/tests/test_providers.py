"""The protocol code against the fakes: QQ's answer formats, error classification, the openid's app check."""

import pytest
import requests
from social_core.exceptions import (
    AuthConfigurationError,
    AuthCredentialError,
    AuthProviderError,
    AuthResponseError,
)

from meiduo.core.errors import ServiceError, ServiceUnavailable
from meiduo.demo.oauth_fakes import FakeQQ, FakeWeixin
from meiduo.oauth.providers import PROVIDERS, provider_failure, qq_answer
from meiduo.oauth.tests.conftest import CLIENT_SECRET, REDIRECT_URI


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('callback( {"client_id":"101","openid":"ABC"} );\n', {"client_id": "101", "openid": "ABC"}),
        ('callback({"error":100016,"error_description":"access token check failed"});', {"error": 100016}),
        ('{"access_token":"T","expires_in":7776000}', {"access_token": "T"}),
        ("access_token=T&expires_in=7776000&refresh_token=R", {"access_token": "T", "refresh_token": "R"}),
    ],
)
def test_qq_answers_in_every_format_are_read(text, expected):
    answer = qq_answer(text)
    assert {key: answer[key] for key in expected} == expected


def test_fake_qq_speaks_jsonp_and_json_on_request(configured):
    fake = configured["qq"]
    jsonp = requests.get(f"{fake.url}/oauth2.0/me", params={"access_token": "nope"}, timeout=5).text
    assert jsonp == 'callback( {"error":100016,"error_description":"access token check failed"} );\n'
    as_json = requests.get(f"{fake.url}/oauth2.0/me", params={"access_token": "nope", "fmt": "json"}, timeout=5)
    assert as_json.json() == {"error": 100016, "error_description": "access token check failed"}


def test_qq_token_answer_is_form_encoded(configured):
    fake = configured["qq"]
    code = fake.issue_code(user="zoe", redirect_uri=REDIRECT_URI)
    query = {
        "grant_type": "authorization_code",
        "client_id": fake.client_id,
        "client_secret": CLIENT_SECRET,
        "code": code,
        "redirect_uri": REDIRECT_URI,
    }
    answer = requests.get(f"{fake.url}/oauth2.0/token", params=query, timeout=5).text
    assert answer.startswith("access_token=") and "&expires_in=7776000&refresh_token=" in answer
    reused = requests.get(f"{fake.url}/oauth2.0/token", params=query, timeout=5).text
    assert reused == 'callback( {"error":100020,"error_description":"code is reused error"} );\n'


def test_weibo_errors_are_json_with_http_400(configured):
    fake = configured["sina"]
    form = {
        "client_id": fake.client_id,
        "client_secret": CLIENT_SECRET,
        "grant_type": "authorization_code",
        "code": "nope",
        "redirect_uri": REDIRECT_URI,
    }
    answer = requests.post(f"{fake.url}/oauth2/access_token", data=form, timeout=5)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
    assert answer.json()["error_code"] == 21325


def test_qq_token_rejected_by_oauth2_me_is_a_credential_error(configured):
    with pytest.raises(AuthCredentialError):
        PROVIDERS["qq"].backend().get_openid("NOT-A-TOKEN")


def test_qq_openid_of_a_token_issued_to_another_app_is_refused(configured, settings):
    with FakeQQ(client_id="another-app", client_secret="x") as other:
        code = other.issue_code(user="zoe", redirect_uri=REDIRECT_URI)
        token, _why = other.redeem(code, REDIRECT_URI)
        settings.QQ_API_URL = other.url
        with pytest.raises(AuthResponseError) as caught:
            PROVIDERS["qq"].backend().get_openid(str(token))
    assert caught.value.code == "invalid_claim"


def test_weibo_token_answer_without_uid_is_refused(configured):
    with pytest.raises(AuthResponseError):
        PROVIDERS["sina"].backend().account_id("T", {"access_token": "T"})


@pytest.mark.parametrize(
    ("error", "answer"),
    [
        (AuthProviderError(None, code="timeout"), ServiceUnavailable),
        (AuthProviderError(None, code="connection_failed"), ServiceUnavailable),
        (AuthProviderError(None, code="unavailable", status_code=502), ServiceUnavailable),
        (AuthConfigurationError(None, code="invalid_setting"), ServiceUnavailable),
        (AuthResponseError(None, code="malformed_response"), ServiceUnavailable),
        (AuthCredentialError(None, code="authorization_code_rejected"), ServiceError),
        (AuthProviderError(None, code="http_error", provider_code="expired_token", status_code=400), ServiceError),
    ],
)
def test_provider_failures_become_503_or_400(error, answer):
    failure = provider_failure(PROVIDERS["qq"], error)
    assert type(failure) is answer
    assert failure.status_code == (503 if answer is ServiceUnavailable else 400)


# --- WeChat ---------------------------------------------------------------------------------------------


def weixin_token(fake, user: str, **params: str) -> requests.Response:
    code = fake.issue_code(user=user, redirect_uri=REDIRECT_URI)
    query = {"appid": fake.client_id, "secret": CLIENT_SECRET, "code": code, "grant_type": "authorization_code"}
    return requests.get(f"{fake.url}/sns/oauth2/access_token", params={**query, **params}, timeout=5)


def test_fake_weixin_answers_json_with_openid_and_unionid_and_errors_with_http_200(configured):
    fake = configured["weixin"]
    answer = weixin_token(fake, "wendy")
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"access_token", "expires_in", "refresh_token", "openid", "scope", "unionid"}
    assert (body["openid"], body["scope"]) == (fake.account_id("wendy"), "snsapi_login")
    info = requests.get(
        f"{fake.url}/sns/userinfo", params={"access_token": body["access_token"], "openid": body["openid"]}, timeout=5
    ).json()
    assert (info["openid"], info["unionid"], info["nickname"]) == (body["openid"], body["unionid"], "wendy")
    refused = weixin_token(fake, "wendy", secret="wrong")
    assert refused.status_code == 200
    assert refused.json()["errcode"] == 40125


def test_weixin_openid_is_per_app_and_unionid_per_company(configured):
    with FakeWeixin(client_id="another-app", client_secret=CLIENT_SECRET) as other:
        mine, theirs = weixin_token(configured["weixin"], "xavier").json(), weixin_token(other, "xavier").json()
    assert mine["openid"] != theirs["openid"]
    assert mine["unionid"] == theirs["unionid"]


def test_weixin_login_url_is_qrconnect_with_wechat_redirect(configured):
    url = PROVIDERS["weixin"].login_url(state="S" * 32)
    assert url.startswith(f"{configured['weixin'].url}/connect/qrconnect?")
    assert url.endswith("#wechat_redirect")
    assert "appid=test-app-id" in url and "scope=snsapi_login" in url and "response_type=code" in url


@pytest.mark.parametrize(
    ("errcode", "answer"),
    [
        (40029, ServiceError),  # invalid code
        (40163, ServiceError),  # code been used
        (40013, ServiceUnavailable),  # invalid appid: ours
        (40125, ServiceUnavailable),  # invalid appsecret: ours
        (-1, ServiceUnavailable),  # system busy
        (45011, ServiceUnavailable),  # API quota
    ],
)
def test_weixin_numbered_errors_become_400_or_503(errcode, answer):
    backend = PROVIDERS["weixin"].backend()
    error = backend.get_provider_error({"errcode": errcode, "errmsg": "x"}, stage="token_exchange")
    assert error is not None
    assert type(provider_failure(PROVIDERS["weixin"], error)) is answer


def test_weixin_openid_that_userinfo_does_not_confirm_is_refused(configured):
    fake = configured["weixin"]
    body = weixin_token(fake, "yvonne").json()
    backend = PROVIDERS["weixin"].backend()
    assert backend.account_id(body["access_token"], body) == fake.account_id("yvonne")
    with pytest.raises(AuthProviderError):  # userinfo: 40003 invalid openid
        backend.account_id(body["access_token"], {**body, "openid": fake.account_id("zack")})
    with pytest.raises(AuthResponseError):
        backend.account_id(body["access_token"], {"access_token": body["access_token"]})
