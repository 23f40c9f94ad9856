"""Ways in besides the password, in a real browser: the 短信登录 tab, registration by e-mail with its activation
link, and WeChat login against the loopback fake WeChat."""

import re
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

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
