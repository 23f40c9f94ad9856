"""Account pages in a real browser: forgotten password in four steps, QQ login with mobile binding."""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from meiduo.demo.oauth_fakes import FakeQQ
from tests.browser.conftest import CAPTCHA_TEXT
from tests.browser.test_storefront import PASSWORD, wait_for

pytestmark = pytest.mark.browser


def test_a_forgotten_password_is_reset_in_four_steps(
    page: Page, shop: str, sms_outbox: Callable[[str], list[str]], script_errors: list[str]
) -> None:
    get_user_model().objects.create_user(username="wang_wu", password=PASSWORD, mobile="13600136000")
    page.goto("/login")
    page.get_by_role("link", name="忘记密码").click()
    expect(page).to_have_url(re.compile(r"/find_password$"))

    page.fill("#find-account", "wang_wu")
    page.fill("#image-code", "ZZZZ")
    page.get_by_role("button", name="下一步").click()
    expect(page.locator(".field-error")).to_be_visible()  # wrong captcha, shown next to its field
    page.fill("#image-code", CAPTCHA_TEXT)
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("136****6000")).to_be_visible()

    page.get_by_test_id("send-sms").click()
    expect(page.get_by_test_id("send-sms")).to_be_disabled()
    code = wait_for(lambda: sms_outbox("13600136000"))[-1]
    page.fill("#find-sms", code)
    page.get_by_role("button", name="下一步").click()

    page.fill("#find-password", "New-password-1")
    page.fill("#find-password2", "New-password-2")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("两次输入的密码不一致")).to_be_visible()
    page.fill("#find-password2", "New-password-1")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".form-ok")).to_be_visible()

    page.get_by_role("link", name="去登录").click()
    page.fill("#login-username", "wang_wu")
    page.fill("#login-password", "New-password-1")
    page.get_by_test_id("login-submit").click()
    expect(page.locator(".who")).to_contain_text("wang_wu")
    assert script_errors == []


def test_after_repeated_failures_the_login_form_asks_for_a_captcha_and_lets_the_owner_in(
    page: Page, shop: str, snap: Callable[[Page, str], None], script_errors: list[str]
) -> None:
    get_user_model().objects.create_user(username="zhao_liu", password=PASSWORD, mobile="13600136001")
    page.goto("/login")
    page.fill("#login-username", "zhao_liu")
    for _ in range(3):
        page.fill("#login-password", "wrong-password")
        page.get_by_test_id("login-submit").click()
        expect(page.get_by_text("用户名或密码错误")).to_be_visible()
        page.fill("#login-password", "")
    expect(page.locator("#image-code")).to_have_count(0)  # no captcha before the failures

    page.fill("#login-password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.locator("#image-code")).to_be_visible()  # the API asked for one: the form shows it
    expect(page.get_by_text("请输入图片验证码")).to_be_visible()
    snap(page, "login-captcha")
    page.fill("#image-code", CAPTCHA_TEXT)
    page.get_by_test_id("login-submit").click()
    expect(page.locator(".who")).to_contain_text("zhao_liu")
    assert script_errors == []


@pytest.fixture
def fake_qq(shop: str, settings: Settings) -> Iterator[FakeQQ]:
    """A loopback QQ that the shop talks to, redirecting back to the storefront's callback page."""
    qq = FakeQQ(client_id="browser-test", client_secret="browser-secret")
    with qq:
        settings.QQ_API_URL = qq.url
        settings.QQ_CLIENT_ID = "browser-test"
        settings.QQ_CLIENT_SECRET = "browser-secret"
        settings.QQ_REDIRECT_URI = f"{shop}/oauth/qq/callback"
        yield qq


def test_qq_login_binds_a_new_mobile_then_signs_in_directly(
    page: Page, fake_qq: FakeQQ, sms_outbox: Callable[[str], list[str]], script_errors: list[str]
) -> None:
    page.goto("/login?next=/user/info")
    page.get_by_test_id("oauth-qq").click()
    expect(page).to_have_url(re.compile(re.escape(fake_qq.url)))
    page.get_by_role("button", name="授权并登录").click()

    # Not bound yet: bind a new mobile (SMS code), which creates the account.
    expect(page).to_have_url(re.compile(r"/oauth/qq/callback\?"))
    expect(page.get_by_role("heading", name="绑定美多商城账号")).to_be_visible()
    page.fill("#bind-mobile", "13500135000")
    page.fill("#bind-password", PASSWORD)
    page.fill("#image-code", CAPTCHA_TEXT)
    page.get_by_test_id("send-sms").click()
    code = wait_for(lambda: sms_outbox("13500135000"))[-1]
    page.fill("#bind-sms", code)
    page.get_by_role("button", name="绑 定").click()
    expect(page).to_have_url(re.compile(r"/user/info$"))
    expect(page.get_by_test_id("profile-username")).not_to_be_empty()

    # Next time the same QQ account signs straight in.
    page.get_by_test_id("logout").click()
    page.goto("/login")
    page.get_by_test_id("oauth-qq").click()
    page.get_by_role("button", name="授权并登录").click()
    expect(page.locator(".who")).to_contain_text("您好")
    assert script_errors == []


def stored_refresh(page: Page) -> str | None:
    """The refresh token the storefront keeps (localStorage with "remember me", else sessionStorage)."""
    value = page.evaluate("localStorage.getItem('refresh') || sessionStorage.getItem('refresh')")
    return str(value) if value else None


def test_an_expiring_session_is_renewed_without_the_shopper_noticing(
    page: Page, shop: str, monkeypatch: pytest.MonkeyPatch, script_errors: list[str]
) -> None:
    # Access tokens that live 62 s (as JWT_ACCESS_TTL=62 would give; simplejwt reads the lifetime once, at
    # import): the storefront renews them a minute before they expire, so within seconds.
    monkeypatch.setattr(AccessToken, "lifetime", timedelta(seconds=62))
    get_user_model().objects.create_user(username="zhao_liu", password=PASSWORD, mobile="13700137001")
    page.goto("/login")
    page.fill("#login-username", "13700137001")
    page.fill("#login-password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.locator(".who")).to_contain_text("zhao_liu")
    first = stored_refresh(page)
    assert first

    renewed = wait_for(lambda: [token] if (token := stored_refresh(page)) not in (None, first) else [], timeout=20)
    assert renewed[0] != first
    # The rotated-out refresh token no longer works, and the shopper is still signed in.
    old = APIClient().post("/api/v1/authorizations/refresh/", {"refresh": first}, format="json")
    assert old.status_code == 401
    page.goto("/user/info")
    expect(page.get_by_test_id("profile-username")).to_have_text("zhao_liu")
    assert script_errors == []
