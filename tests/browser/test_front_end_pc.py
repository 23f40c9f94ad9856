"""The notes' own front end (front_end_pc) driven in Chromium against the shop's /api/compat/ (issue 18).

The front end is the notes' code and is not in this repository: give its folder
in FRONT_END_PC, e.g.

    FRONT_END_PC=~/meiduo/front_end_pc scripts/pytest.sh -m browser tests/browser/test_front_end_pc.py

Without it the test is skipped. The folder is served as is on 127.0.0.1:9510
(the front end's origin, allowed by CORS), except `js/host.js` (or `hosts.js`),
answered as `var host = '<shop>/api/compat';`, and `index.html` and
`goods/<id>.html`, answered from the shop's static export.
"""

import os
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from meiduo.carts.models import CartLine
from meiduo.goods.models import SKU
from meiduo.orders.models import OrderInfo
from meiduo.users.models import User
from tests.browser.conftest import CAPTCHA_TEXT

FRONT_END_PC = os.environ.get("FRONT_END_PC", "")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not FRONT_END_PC, reason="FRONT_END_PC (a folder of the notes' front_end_pc) is not given"),
]
PORT = 9510
MOBILE = "13700137000"
PASSWORD = "compat-pass-1"


class FrontEndHandler(SimpleHTTPRequestHandler):
    """front_end_pc's files, with the API host set to the shop's compat base and the exported pages on top."""

    host_js = b""
    exported = Path()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path in ("/js/host.js", "/js/hosts.js"):
            self.send_response(200)
            self.send_header("Content-Type", "application/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(self.host_js)))
            self.end_headers()
            self.wfile.write(self.host_js)
            return
        page = "/index.html" if path == "/" else path
        if page == "/index.html" or page.startswith("/goods/"):
            file = self.exported / page.lstrip("/")
            if file.is_file() and self.exported in file.resolve().parents:
                body = file.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "text/html" if page.endswith(".html") else "application/javascript")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return


@pytest.fixture
def front_end(shop: str, settings: Settings, tmp_path: Path) -> Iterator[str]:
    """front_end_pc served on 127.0.0.1:9510, pointed at the live shop's /api/compat/, with its pages exported."""
    folder = Path(FRONT_END_PC).expanduser().resolve()
    if not (folder / "register.html").is_file():
        pytest.fail(f"{folder} does not look like front_end_pc (no register.html)")
    origin = f"http://localhost:{PORT}"  # the same site as the live server (localhost): the cart cookie travels
    settings.CORS_ALLOWED_ORIGINS = [origin]
    settings.COMPAT_STATIC_DIR = tmp_path / "pages"
    settings.SMS_CAPTCHA_REQUIRED = True
    call_command("export_static_pages", verbosity=0)
    handler = type(
        "Handler",
        (FrontEndHandler,),
        {"host_js": f"var host = '{shop}/api/compat';\n".encode(), "exported": settings.COMPAT_STATIC_DIR.resolve()},
    )
    server = ThreadingHTTPServer(("127.0.0.1", PORT), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield origin
    finally:
        server.shutdown()
        server.server_close()


def wait_for(probe: Callable[[], Any], timeout: float = 15.0) -> Any:
    """The first truthy answer of probe() within the timeout (the page works in the background)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answer := probe():
            return answer
        time.sleep(0.2)
    raise AssertionError("timed out")


def register_and_login(front_end: str, page: Page, sms_outbox: Callable[[str], list[str]]) -> User:
    """register.html (captcha, SMS code, the form), then login.html with the mobile; the token is stored.

    Copies of front_end_pc from before the notes added the image captcha ask for the SMS code without one,
    which the shop refuses (an SMS costs money and the captcha is what stops a script sending thousands): with
    such a copy the page's refusal is checked and the account is made as the shop's own storefront would.
    """
    page.goto(f"{front_end}/register.html")
    page.fill("#user_name", "compatuser")
    page.fill("#pwd", PASSWORD)
    page.fill("#cpwd", PASSWORD)
    page.fill("#phone", MOBILE)
    if page.locator("#pic_code").count():
        page.fill("#pic_code", CAPTCHA_TEXT)
        page.click(".get_msg_code")
        code = wait_for(lambda: sms_outbox(MOBILE))[-1]
        page.fill("#msg_code", code)
        page.click("input[type=submit]")
        wait_for(User.objects.filter(username="compatuser").exists)
        page.wait_for_url(lambda url: "register.html" not in url)
    else:
        with page.expect_response(lambda answer: "/sms_codes/" in answer.url) as sent:
            page.click(".get_msg_code")
        assert sent.value.status == 400  # no captcha, no SMS
        assert sms_outbox(MOBILE) == []
        User.objects.create_user(username="compatuser", password=PASSWORD, mobile=MOBILE)

    page.evaluate("() => { sessionStorage.clear(); localStorage.clear(); }")
    page.goto(f"{front_end}/login.html")
    page.fill(".name_input, input[name=username]", MOBILE)
    page.fill("input[type=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: "login.html" not in url)
    assert page.evaluate("() => sessionStorage.token || localStorage.token")
    return User.objects.get(username="compatuser")


def browse_and_add_to_cart(front_end: str, page: Page, user: User) -> SKU:
    """list.html, search.html, the exported index.html and goods/<id>.html (add to cart), cart.html."""
    first = SKU.objects.filter(is_launched=True).order_by("id").first()
    assert first is not None
    # The newest of its category: the first card of list.html's default order, whatever its page size.
    sku = (
        SKU.objects.filter(is_launched=True, category_id=first.category_id)
        .select_related("category")
        .order_by("-create_time", "-id")
        .first()
    )
    assert sku is not None
    page.goto(f"{front_end}/list.html?cat={sku.category_id}")
    expect(page.get_by_text(sku.name[:10]).first).to_be_visible()
    page.goto(f"{front_end}/search.html?q={sku.name.split()[0]}")
    expect(page.get_by_text(sku.name[:10]).first).to_be_visible()
    page.goto(f"{front_end}/index.html")
    expect(page.get_by_text(sku.category.name).first).to_be_attached()
    page.goto(f"{front_end}/goods/{sku.id}.html")
    expect(page.locator("h3", has_text=sku.name).first).to_be_visible()
    with page.expect_response(lambda answer: "/cart/" in answer.url and answer.request.method == "POST"):
        page.click("#add_cart")
    wait_for(CartLine.objects.filter(user=user, sku=sku).exists)
    page.wait_for_timeout(500)  # the page's "added" alert (accepted by the page fixture) before leaving
    page.goto(f"{front_end}/cart.html")
    expect(page.get_by_text(sku.name[:10]).first).to_be_visible()
    return sku


def add_address(front_end: str, page: Page, user: User) -> None:
    """user_center_site.html: a new address with the division selects."""
    page.goto(f"{front_end}/user_center_site.html")
    page.get_by_text("新增收货地址").first.click()
    form = page.locator(".site_pop form").or_(page.locator("form").filter(has=page.locator("select"))).first

    def field(label: str, name: str) -> Any:
        """The input after a label (the notes' pages name few of them), or the named one."""
        by_label = form.locator(".form_group", has_text=label).locator("input").first
        return form.locator(f"#{name}, input[name={name}]").or_(by_label).first

    field("收货人", "receiver").fill("张三")
    selects = form.locator("select")
    for index in range(3):
        select = selects.nth(index)
        options = int(wait_for(select.locator("option").count))  # once the page has loaded them
        select.select_option(index=min(1, options - 1))
    field("详细地址", "place").fill("科技园 1 号")
    field("手机", "mobile").fill(MOBILE)
    form.locator("input[type=button][value='保 存'], input[type=submit]").or_(form.get_by_text("保存")).first.click()
    wait_for(user.addresses.exists)


def order_and_pay(front_end: str, page: Page, user: User, sku: SKU) -> None:
    """place_order.html, then my orders (user_center_order.html) shows it; an unpaid one goes to the gateway."""
    page.goto(f"{front_end}/place_order.html")
    expect(page.get_by_text(sku.name[:10]).first).to_be_visible()
    sites = page.locator("input[name=get_site]")
    if sites.count():
        sites.first.check()  # as a shopper picks the address (some copies preselect only a default one)
    page.locator("#order_btn").or_(page.get_by_text("提交订单").last).first.click()
    order = wait_for(OrderInfo.objects.filter(user=user).first)
    page.goto(f"{front_end}/user_center_order.html")
    expect(page.get_by_text(order.order_id).first).to_be_visible()
    expect(page.get_by_text(sku.name[:10]).first).to_be_visible()
    if order.status == 1:
        page.get_by_text("去支付").first.click()
        page.wait_for_url(lambda url: "/payment/demo/gateway/" in url)


def change_password(front_end: str, page: Page, user: User) -> None:
    """user_center_pass.html: old password, new one twice."""
    page.goto(f"{front_end}/user_center_pass.html")
    passwords = page.locator("input[type=password]")
    passwords.nth(0).fill(PASSWORD)
    passwords.nth(1).fill("compat-pass-2")
    passwords.nth(2).fill("compat-pass-2")
    confirm = page.locator("input.info_submit")  # the notes' 确 定 button; else the form's own submit
    (
        confirm.first if confirm.count() else passwords.nth(2).locator("xpath=ancestor::form//input[@type='submit']")
    ).click()
    wait_for(lambda: User.objects.get(pk=user.pk).check_password("compat-pass-2"))


def test_the_notes_front_end_works_against_compat(
    front_end: str, page: Page, sms_outbox: Callable[[str], list[str]], script_errors: list[str]
) -> None:
    user = register_and_login(front_end, page, sms_outbox)
    sku = browse_and_add_to_cart(front_end, page, user)
    add_address(front_end, page, user)
    order_and_pay(front_end, page, user, sku)
    change_password(front_end, page, user)
    assert script_errors == []
