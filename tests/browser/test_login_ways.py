"""Ways in besides the password, in a real browser: the 短信登录 tab, registration by e-mail with its activation
link, and WeChat login against the loopback fake WeChat."""

import re
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from meiduo.demo.oauth_fakes import FakeWeixin
from meiduo.goods.models import SKU
from tests.browser.conftest import CAPTCHA_TEXT
from tests.browser.test_storefront import PASSWORD, add_current_product_to_cart, wait_for

pytestmark = pytest.mark.browser


def test_sms_login_signs_in_with_a_code_and_keeps_the_visitors_cart(
    page: Page,
    shop: str,
    sms_outbox: Callable[[str], list[str]],
    snap: Callable[[Page, str], None],
    script_errors: list[str],
) -> None:
    get_user_model().objects.create_user(username="sun_qi", password=PASSWORD, mobile="13600136002")
    sku = SKU.objects.filter(is_launched=True, stock__gt=0).order_by("pk").first()
    assert sku is not None
    page.goto(f"/detail/{sku.pk}")
    add_current_product_to_cart(page, 1)

    page.goto("/login?next=/cart")
    page.get_by_test_id("login-mode-sms").click()
    page.fill("#sms-login-mobile", "13600136002")
    page.get_by_test_id("send-sms").click()
    expect(page.locator(".field-error")).to_have_text("请填写图形验证码")  # the captcha comes first
    page.fill("#image-code", CAPTCHA_TEXT)
    page.get_by_test_id("send-sms").click()
    expect(page.get_by_test_id("send-sms")).to_be_disabled()
    code = wait_for(lambda: sms_outbox("13600136002"))[-1]

    page.fill("#sms-login-code", "000000" if code != "000000" else "111111")
    page.get_by_test_id("sms-login-submit").click()
    expect(page.get_by_text("手机号或短信验证码错误，或验证码已过期。")).to_be_visible()
    snap(page, "login-sms")
    page.fill("#sms-login-code", code)
    page.get_by_test_id("sms-login-submit").click()
    expect(page).to_have_url(re.compile(r"/cart$"))
    expect(page.locator(".who")).to_contain_text("sun_qi")
    expect(page.get_by_test_id("cart-count")).to_have_text("1")  # the visitor's cart came along
    assert script_errors == []


def test_registration_by_email_waits_for_the_activation_link(
    page: Page, shop: str, settings: Settings, snap: Callable[[Page, str], None], script_errors: list[str]
) -> None:
    settings.ACCOUNT_ACTIVATION_URL = f"{shop}/activate"
    page.goto("/register")
    page.get_by_test_id("register-by-email").click()
    expect(page).to_have_url(re.compile(r"/register/email$"))
    page.fill("#reg-email-username", "zhou_ba")
    page.fill("#reg-email-email", "zhou@example.com")
    page.fill("#reg-email-password", PASSWORD)
    page.fill("#reg-email-password2", PASSWORD)
    page.locator("input[name=allow]").check()
    snap(page, "register-email")
    page.get_by_test_id("register-email-submit").click()
    expect(page.get_by_test_id("activation-sent")).to_contain_text("zhou@example.com")
    [message] = wait_for(lambda: list(mail.outbox))
    link = re.search(r"http://\S+/activate\?token=\S+", str(message.body))
    assert link

    # Not active yet: the right password learns why, and where to have the mail sent again.
    page.goto("/login")
    page.fill("#login-username", "zhou_ba")
    page.fill("#login-password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("form-message")).to_contain_text("账号尚未激活")
    expect(page.get_by_test_id("resend-activation-link")).to_be_visible()

    page.goto(link.group(0))
    expect(page.get_by_test_id("result-title")).to_have_text("账号 zhou_ba 已激活")
    snap(page, "activate")
    page.get_by_test_id("activation-login").click()
    page.fill("#login-username", "zhou_ba")
    page.fill("#login-password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.locator(".who")).to_contain_text("zhou_ba")
    page.goto("/user/info")  # an account without a mobile
    expect(page.get_by_test_id("profile-mobile")).to_have_text("未绑定手机号")

    page.goto(link.group(0))  # single use
    expect(page.get_by_test_id("result-title")).to_have_text("激活失败")
    expect(page.get_by_test_id("activation-detail")).to_contain_text("已使用过")
    assert script_errors == []


@pytest.fixture
def fake_weixin(shop: str, settings: Settings) -> Iterator[FakeWeixin]:
    """A loopback WeChat (both its hosts) that redirects back to the storefront's callback page."""
    weixin = FakeWeixin(client_id="wx-browser-test", client_secret="wx-browser-secret")
    with weixin:
        settings.WEIXIN_OPEN_URL = settings.WEIXIN_API_URL = weixin.url
        settings.WEIXIN_CLIENT_ID = "wx-browser-test"
        settings.WEIXIN_CLIENT_SECRET = "wx-browser-secret"
        settings.WEIXIN_REDIRECT_URI = f"{shop}/oauth/weixin/callback"
        yield weixin


def test_wechat_login_binds_a_known_mobile_then_signs_in_directly(
    page: Page, fake_weixin: FakeWeixin, sms_outbox: Callable[[str], list[str]], script_errors: list[str]
) -> None:
    get_user_model().objects.create_user(username="wu_jiu", password=PASSWORD, mobile="13600136003")
    page.goto("/login?next=/user/info")
    page.get_by_test_id("oauth-weixin").click()
    expect(page).to_have_url(re.compile(re.escape(f"{fake_weixin.url}/connect/qrconnect")))
    page.fill("input[name=user]", "wu")
    page.get_by_role("button", name="授权并登录").click()

    # Not bound yet: bind the existing account's mobile (SMS code and its password).
    expect(page).to_have_url(re.compile(r"/oauth/weixin/callback\?"))
    expect(page.get_by_role("heading", name="绑定美多商城账号")).to_be_visible()
    page.fill("#bind-mobile", "13600136003")
    page.fill("#bind-password", PASSWORD)
    page.fill("#image-code", CAPTCHA_TEXT)
    page.get_by_test_id("send-sms").click()
    code = wait_for(lambda: sms_outbox("13600136003"))[-1]
    page.fill("#bind-sms", code)
    page.get_by_role("button", name="绑 定").click()
    expect(page).to_have_url(re.compile(r"/user/info$"))
    expect(page.get_by_test_id("profile-username")).to_have_text("wu_jiu")

    # Next time the same WeChat account signs straight in.
    page.get_by_test_id("logout").click()
    page.goto("/login")
    page.get_by_test_id("oauth-weixin").click()
    page.fill("input[name=user]", "wu")
    page.get_by_role("button", name="授权并登录").click()
    expect(page.locator(".who")).to_contain_text("wu_jiu")
    assert script_errors == []
