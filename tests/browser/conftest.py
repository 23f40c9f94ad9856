"""Browser test fixtures: Chromium through Playwright, the live server with the built storefront and demo data."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from meiduo.areas.models import Area
from meiduo.demo.catalog import demo_catalog_load
from meiduo.verifications import services as verification_services

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CAPTCHA_TEXT = "AAAA"
# Scroll through the page so that lazily loaded pictures are in the full-page screenshot.
LOAD_LAZY_IMAGES = """async () => {
  for (let y = 0; y < document.body.scrollHeight; y += 500) {
    window.scrollTo(0, y);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  window.scrollTo(0, 0);
  const pending = [...document.images].filter((img) => !img.complete);
  await Promise.all(pending.map((img) => new Promise((done) => (img.onload = img.onerror = done))));
}"""


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless.

    Playwright's sync API keeps an event loop in this thread, so Django would refuse the test's own database
    calls as "async unsafe"; they are plain synchronous calls, so that check is lifted while the browser runs.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            playwright.selectors.set_test_id_attribute("data-test")
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def shop(live_server: LiveServer, settings: Settings, transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> str:
    """The shop at the live server's address: built storefront, areas, demo catalog; payments return to it.

    Captchas always read CAPTCHA_TEXT, so a test can type what a person would read off the picture.
    """
    index = Path(django_settings.FRONTEND_DIST) / "index.html"
    if not index.is_file() or not django_settings.WHITENOISE_ROOT:
        pytest.fail(
            "The storefront is not built: run `scripts/frontend.sh build` before the browser tests (make test does)"
        )
    if not Area.objects.exists():  # a transactional test before this one flushed the migration's data
        call_command("areas_load", verbosity=0)
    demo_catalog_load(progress=lambda step: None)
    url = live_server.url
    settings.PAYMENT_RETURN_URL = f"{url}/pay_success.html"
    settings.PAYMENT_NOTIFY_URL = f"{url}/api/v1/payment/alipay/notify/"
    settings.PAYMENT_DEMO_GATEWAY_URL = f"{url}/api/v1/payment/demo/gateway/"
    monkeypatch.setattr(verification_services, "CAPTCHA_ALPHABET", CAPTCHA_TEXT[0])
    return url


@pytest.fixture
def context(browser: Browser, shop: str) -> Iterator[BrowserContext]:
    """A fresh browser profile (own storage and cookies) at desktop size, in an English-speaking browser.

    The storefront is Chinese by default whatever the browser says; the tests check that its pages, the API's
    messages and the server-rendered pages all follow the storefront's language.
    """
    context = browser.new_context(base_url=shop, viewport=DESKTOP, locale="en-US")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def script_errors() -> list[str]:
    """Uncaught script errors of the test's page (a test asserts it stays empty)."""
    return []


@pytest.fixture
def page(context: BrowserContext, script_errors: list[str]) -> Page:
    """A tab that accepts confirm() dialogs and records script errors and Content-Security-Policy violations."""
    page = context.new_page()
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    page.on(
        "console",
        lambda message: script_errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("dialog", lambda dialog: dialog.accept())
    return page


@pytest.fixture
def snap() -> Callable[[Page, str], None]:
    """`snap(page, name)`: full-page screenshots at desktop and phone widths in docs/screenshots/.

    Set MEIDUO_SCREENSHOTS=0 to skip writing them.
    """
    enabled = os.environ.get("MEIDUO_SCREENSHOTS", "1") != "0"

    def take(page: Page, name: str) -> None:
        if not enabled:
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.wait_for_load_state("networkidle")
        page.evaluate(LOAD_LAZY_IMAGES)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True, animations="disabled")
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(300)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True, animations="disabled")
        page.set_viewport_size(DESKTOP)
        page.wait_for_timeout(200)

    return take


@pytest.fixture
def operator_ships(browser: Browser, shop: str) -> Callable[[str], None]:
    """`operator_ships(order_id)`: an operator signs in to the admin and ships the order with SF, SF1234567890."""

    def ship(order_id: str) -> None:
        get_user_model().objects.create_superuser(username="operator", password="Operator-2024!", mobile="13700000000")
        context = browser.new_context(base_url=shop, viewport=DESKTOP)
        admin = context.new_page()
        admin.goto("/admin/login/?next=/admin/orders/orderinfo/")
        admin.fill("#id_username", "operator")
        admin.fill("#id_password", "Operator-2024!")
        admin.locator("input[type=submit]").click()
        admin.locator(f"input[name=_selected_action][value='{order_id}']").check()
        admin.select_option("select[name=action]", "ship")
        admin.locator("button[name=index]").click()
        admin.select_option(f"select[name='{order_id}-carrier']", "sf")  # the ship page asks carrier and number
        admin.fill(f"input[name='{order_id}-tracking_number']", "SF1234567890")
        admin.locator("#ship-form input[type=submit]").click()
        expect(admin.locator(".messagelist")).to_be_visible()
        context.close()

    return ship
