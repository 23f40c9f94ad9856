"""A shopper's whole visit in a real browser: register, sign in, browse, search, cart, checkout, pay, cancel, review."""

import re
import time
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import CAPTCHA_TEXT

pytestmark = pytest.mark.browser

USERNAME = "shopper_li"
PASSWORD = "Meiduo-2024!"
MOBILE = "13912345678"


def wait_for(get: Callable[[], list[str]], timeout: float = 10) -> list[str]:
    """Poll until `get()` returns something (the SMS code arrives through the console provider's log)."""
    deadline = time.monotonic() + timeout
    while not (found := get()):
        if time.monotonic() > deadline:
            raise AssertionError("nothing arrived in time")
        time.sleep(0.1)
    return found


def add_current_product_to_cart(page: Page, expected_count: int) -> str:
    """On a product page: add one to the cart, wait for the header count; return the product name."""
    name = page.get_by_test_id("sku-name").inner_text()
    page.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("toast")).to_contain_text("已加入购物车")
    expect(page.get_by_test_id("cart-count")).to_have_text(str(expected_count))
    return name


def checkout(page: Page, pay_method: str) -> str:
    """From the cart: check out with the chosen payment method; return the new order's id."""
    page.goto("/cart")
    page.get_by_test_id("checkout").click()
    expect(page).to_have_url(re.compile(r"/place_order$"))
    page.get_by_test_id(pay_method).check()
    page.get_by_test_id("place-order").click()
    expect(page).to_have_url(re.compile(r"/order_success\?"))
    return page.get_by_test_id("success-order-id").inner_text().split("：")[-1].strip()


def order_card(page: Page, order_id: str) -> Locator:
    """The order's card on the My orders page."""
    return page.get_by_test_id("order").filter(has=page.get_by_test_id("order-id").get_by_text(order_id, exact=True))


Snap = Callable[[Page, str], None]


def register(page: Page, sms_outbox: Callable[[str], list[str]], snap: Snap) -> None:
    """Register: live username check, image captcha, SMS code with its countdown, agreement."""
    page.get_by_role("link", name="免费注册").click()
    expect(page).to_have_url(re.compile(r"/register$"))
    snap(page, "register")
    page.fill("#reg-username", "123456")
    page.locator("#reg-password").focus()
    expect(page.get_by_text("请输入 5-20 个字符的用户名")).to_be_visible()
    page.fill("#reg-username", USERNAME)
    page.fill("#reg-password", PASSWORD)
    page.fill("#reg-password2", PASSWORD)
    page.fill("#reg-mobile", MOBILE)
    page.fill("#image-code", CAPTCHA_TEXT)
    page.get_by_test_id("send-sms").click()
    expect(page.get_by_test_id("send-sms")).to_contain_text("秒后重新获取")
    expect(page.get_by_test_id("send-sms")).to_be_disabled()
    code = wait_for(lambda: sms_outbox(MOBILE))[-1]
    page.fill("#reg-sms", code)
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_text("请勾选同意用户协议")).to_be_visible()
    page.check("input[name=allow]")
    page.get_by_test_id("register-submit").click()
    expect(page.locator(".who")).to_contain_text(USERNAME)


def sign_in_by_mobile(page: Page, snap: Snap) -> None:
    """Sign out, fail once with a wrong password, then sign in with the mobile number (remembered)."""
    page.get_by_test_id("logout").click()
    page.locator(".who").get_by_role("link", name="请登录").click()
    page.fill("#login-username", MOBILE)
    page.fill("#login-password", "wrong-password")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("form-message")).to_be_visible()
    snap(page, "login")
    page.fill("#login-password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.locator(".who")).to_contain_text(USERNAME)
    assert page.evaluate("localStorage.getItem('username')") == USERNAME


def browse_to_a_phone_and_switch_spec(page: Page, snap: Snap) -> str:
    """Home → category (through the channel menu's flyout) → product → a sibling SKU; return its URL."""
    page.goto("/")
    page.locator(".menu li").first.hover()
    page.locator(".flyout").get_by_role("link", name="手机", exact=True).click()
    expect(page).to_have_url(re.compile(r"/list/\d+$"))
    expect(page.locator(".crumbs")).to_contain_text("手机")
    expect(page.locator(".sku-card").first).to_be_visible()
    snap(page, "list")
    page.locator(".sku-grid .sku-card .name").first.click()
    expect(page).to_have_url(re.compile(r"/detail/\d+$"))
    first_url = page.url
    first_name = page.get_by_test_id("sku-name").inner_text()
    page.locator("[data-test=spec-option][aria-pressed=false]:not([disabled])").first.click()
    expect(page).not_to_have_url(first_url)
    expect(page.get_by_test_id("sku-name")).not_to_have_text(first_name)
    expect(page.locator("[data-test=spec-option][aria-pressed=true]").first).to_be_visible()
    snap(page, "detail")
    return page.url


def search_and_open_first(page: Page, text: str, snap: Snap | None = None) -> None:
    """Search from the header box and open the first result."""
    page.fill("input[name=text]", text)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?text="))
    expect(page.locator(".summary")).to_contain_text(text)
    expect(page.locator(".sku-card").first).to_be_visible()
    if snap:
        snap(page, "search")
    page.locator(".sku-grid .sku-card .name").first.click()
    expect(page).to_have_url(re.compile(r"/detail/\d+$"))


def add_an_address_at_checkout(page: Page) -> None:
    """At checkout: add an address through the province/city/district cascade."""
    page.get_by_test_id("checkout-add-address").click()
    form = page.get_by_test_id("address-form")
    form.locator("#addr-receiver").fill("李小美")
    form.locator("#addr-mobile").fill(MOBILE)
    for name in ("province_id", "city_id", "district_id"):
        select = form.locator(f"select[name={name}]")
        expect(select.locator("option").nth(1)).to_be_attached()
        select.select_option(index=1)
    form.locator("#addr-place").fill("中关村大街 1 号")
    page.get_by_test_id("address-save").click()
    expect(page.get_by_test_id("checkout-address").first).to_be_checked()


def pay_on_the_demo_gateway(page: Page, order_id: str) -> None:
    """Pay on the demo gateway; back on the shop the payment is verified and the order awaits shipping."""
    page.get_by_test_id("pay-now").click()
    expect(page).to_have_url(re.compile(r"/api/v1/payment/demo/gateway/"))
    # The gateway page is rendered by the server, in the storefront's language (not the browser's English).
    page.get_by_role("button", name="确认支付").click()
    expect(page).to_have_url(re.compile(r"/pay_success\.html\?"))
    expect(page.get_by_test_id("result-title")).to_have_text("支付成功")
    page.get_by_role("link", name="我的订单").first.click()
    expect(order_card(page, order_id).get_by_test_id("order-status")).to_have_text("待发货")


def receive_and_review(page: Page, order_id: str, snap: Snap) -> None:
    """Confirm receipt of a shipped order and review both of its products."""
    page.reload()
    card = order_card(page, order_id)
    expect(card.get_by_test_id("order-status")).to_have_text("待收货")
    card.get_by_test_id("order-receipt").click()
    expect(card.get_by_test_id("order-status")).to_have_text("待评价")
    card.get_by_test_id("order-review").click()
    forms = card.get_by_test_id("review-form")
    expect(forms).to_have_count(2)
    snap(page, "orders")
    for left in (1, 0):
        review = forms.first
        review.locator("textarea").fill("很好用，物流也很快！")
        review.get_by_role("radio").nth(3).click()
        review.get_by_test_id("review-submit").click()
        expect(forms).to_have_count(left)
    expect(card.get_by_test_id("order-status")).to_have_text("已完成")


def test_a_shopper_registers_buys_pays_cancels_and_reviews(
    page: Page,
    sms_outbox: Callable[[str], list[str]],
    snap: Snap,
    script_errors: list[str],
    operator_ships: Callable[[str], None],
) -> None:
    page.goto("/")
    expect(page.locator(".floor").first).to_be_visible()
    expect(page.locator(".logo")).to_contain_text("美多商城")
    snap(page, "home")
    register(page, sms_outbox, snap)
    sign_in_by_mobile(page, snap)

    # Two products into the cart: a phone (after switching its spec) and earphones found by a Chinese search.
    phone_url = browse_to_a_phone_and_switch_spec(page, snap)
    phone = add_current_product_to_cart(page, 1)
    search_and_open_first(page, "耳机", snap)
    earphones = add_current_product_to_cart(page, 2)
    page.goto("/cart")
    lines = page.get_by_test_id("cart-line")
    expect(lines).to_have_count(2)
    expect(lines.filter(has_text=phone)).to_have_count(1)
    expect(lines.filter(has_text=earphones)).to_have_count(1)
    snap(page, "cart")

    # Check out with a new address and Alipay, then pay.
    page.get_by_test_id("checkout").click()
    expect(page).to_have_url(re.compile(r"/place_order$"))
    add_an_address_at_checkout(page)
    page.get_by_test_id("pay-alipay").check()
    snap(page, "place_order")
    page.get_by_test_id("place-order").click()
    expect(page).to_have_url(re.compile(r"/order_success\?"))
    paid_order = page.get_by_test_id("success-order-id").inner_text().split("：")[-1].strip()
    expect(page.get_by_test_id("cart-count")).to_have_text("0")
    snap(page, "order_success")
    pay_on_the_demo_gateway(page, paid_order)

    # A second order, cancelled while unpaid.
    search_and_open_first(page, "手机")
    add_current_product_to_cart(page, 1)
    cancelled_order = checkout(page, "pay-alipay")
    page.goto("/user/orders")
    card = order_card(page, cancelled_order)
    expect(card.get_by_test_id("order-status")).to_have_text("待支付")
    card.get_by_test_id("order-cancel").click()
    expect(card.get_by_test_id("order-status")).to_have_text("已取消")

    # An operator ships the paid order; the shopper confirms receipt and reviews; the review is on the product page.
    operator_ships(paid_order)
    receive_and_review(page, paid_order, snap)
    page.goto(phone_url)
    page.get_by_test_id("reviews-tab").click()
    expect(page.locator(".review").first).to_contain_text("很好用，物流也很快！")
    assert script_errors == []


def test_user_center_addresses_and_language(page: Page, shop: str, snap: Snap, script_errors: list[str]) -> None:
    get_user_model().objects.create_user(username="zhang_san", password=PASSWORD, mobile="13800138000")
    page.goto("/user/addresses")
    expect(page).to_have_url(re.compile(r"/login\?next=(/|%2F)user(/|%2F)addresses$"))
    page.fill("#login-username", "zhang_san")
    page.fill("#login-password", PASSWORD)
    page.uncheck("input[name=remember]")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("form-message")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"^[^?]*/user/addresses$"))
    assert page.evaluate("sessionStorage.getItem('username')") == "zhang_san"
    assert page.evaluate("localStorage.getItem('username')") is None

    page.get_by_test_id("address-add").click()
    form = page.get_by_test_id("address-form")
    page.get_by_test_id("address-save").click()
    expect(form.locator(".field-error").first).to_be_visible()
    form.locator("#addr-receiver").fill("张三")
    form.locator("#addr-mobile").fill("13800138000")
    for name in ("province_id", "city_id", "district_id"):
        select = form.locator(f"select[name={name}]")
        expect(select.locator("option").nth(1)).to_be_attached()
        select.select_option(index=1)
    form.locator("#addr-place").fill("人民路 8 号")
    page.get_by_test_id("address-save").click()
    expect(page.get_by_test_id("address")).to_have_count(1)
    expect(page.get_by_test_id("address")).to_contain_text("人民路 8 号")
    snap(page, "addresses")

    page.get_by_role("link", name="个人信息").click()
    expect(page.get_by_test_id("profile-username")).to_have_text("zhang_san")
    # Personal details: a birthday after today is refused on the page; a valid profile is saved and shown again.
    profile = page.get_by_test_id("profile-form")
    profile.locator("#profile-nickname").fill("三哥")
    profile.locator("#profile-birthday").fill("2999-01-01")
    page.get_by_test_id("profile-save").click()
    expect(profile.locator(".field-error")).to_contain_text("生日不能晚于今天")
    profile.locator("#profile-birthday").fill("1990-05-20")
    profile.locator("#profile-gender").select_option("1")
    page.get_by_test_id("profile-save").click()
    expect(page.get_by_test_id("profile-saved")).to_be_visible()
    shopper = get_user_model().objects.get(username="zhang_san")
    assert (shopper.nickname, str(shopper.birthday), shopper.gender) == ("三哥", "1990-05-20", 1)
    page.reload()
    expect(page.locator("#profile-nickname")).to_have_value("三哥")
    expect(page.locator("#profile-birthday")).to_have_value("1990-05-20")
    snap(page, "user_info")

    # English, kept after a reload.
    page.get_by_test_id("lang").click()
    expect(page.get_by_role("heading", name="Profile")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Profile")).to_be_visible()
    assert script_errors == []


def test_browsing_a_floor_brand_then_narrowing_by_price_and_sorting_by_popularity(
    page: Page, snap: Snap, script_errors: list[str]
) -> None:
    page.goto("/")
    brand_link = page.locator(".floor-brands a").first
    expect(brand_link).to_be_visible()
    brand = brand_link.get_attribute("title") or ""
    snap(page, "home-floor-brands")
    brand_link.click()

    expect(page).to_have_url(re.compile(r"/list/\d+\?brand=\d+$"))
    names = page.locator(".sku-card .name")
    expect(names.first).to_be_visible()
    assert all(brand in name for name in names.all_inner_texts()), brand  # only that brand's goods

    def prices() -> list[float]:
        return [float(text.lstrip("¥").replace(",", "")) for text in page.locator(".sku-card .price").all_inner_texts()]

    listed = prices()
    low, high = int(min(listed)), int(min(listed)) + 500  # a range holding at least the cheapest
    page.get_by_label("最低价").fill(str(low))
    page.get_by_label("最高价").fill(str(high))
    page.get_by_role("button", name="确定").click()
    expect(page).to_have_url(re.compile(rf"price_max={high}"))
    expect(page.locator(".sku-card").first).to_be_visible()
    narrowed = prices()
    assert narrowed and all(low <= price <= high for price in narrowed), narrowed
    assert all(brand in name for name in names.all_inner_texts())  # still that brand only
    page.get_by_role("button", name="人气").click()
    expect(page).to_have_url(re.compile(r"ordering=-views"))
    expect(page.locator(".sku-card").first).to_be_visible()
    snap(page, "list-filters")
    assert script_errors == []
