"""Small form controls in a real browser: what a box shows is what the shop will use."""

import pytest
from playwright.sync_api import Page, expect

from meiduo.goods.models import SKU

pytestmark = pytest.mark.browser


def test_the_quantity_box_never_shows_a_number_other_than_the_one_added(page: Page, script_errors: list[str]) -> None:
    sku = SKU.objects.filter(is_launched=True, stock__gt=1).order_by("id").first()
    assert sku is not None and sku.stock < 99999
    stock = sku.stock
    page.goto(f"/detail/{sku.id}")
    unit = page.get_by_test_id("sku-price").inner_text()
    quantity = page.get_by_role("textbox", name="quantity")

    # Nonsense and zero come out as 1, which is already the count: the box still has to say 1.
    for typed in ("abc", "0"):
        quantity.fill(typed)
        quantity.press("Tab")
        expect(quantity).to_have_value("1")
    expect(page.locator(".total")).to_contain_text(unit)

    # Too many is cut to the stock; typing too many a second time (the count is already the stock) likewise.
    for _ in range(2):
        quantity.fill("99999")
        quantity.press("Tab")
        expect(quantity).to_have_value(str(stock))

    page.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("cart-count")).to_have_text(str(stock))
    assert script_errors == []


def test_the_captcha_picture_is_shown_whole_and_undistorted(page: Page) -> None:
    page.goto("/register")
    picture = page.get_by_test_id("captcha").locator("img")
    expect(picture).to_have_js_property("complete", True)
    fit = picture.evaluate(
        """img => {
          const frame = img.parentElement, box = frame.getBoundingClientRect(), pic = img.getBoundingClientRect();
          const inner = { left: box.left + frame.clientLeft, top: box.top + frame.clientTop };
          return {
            inside: pic.left >= inner.left && pic.top >= inner.top
              && pic.right <= inner.left + frame.clientWidth && pic.bottom <= inner.top + frame.clientHeight,
            shownRatio: pic.width / pic.height,
            ratio: img.naturalWidth / img.naturalHeight,
          };
        }"""
    )
    assert fit["inside"], "part of the captcha's letters is cut off by its frame"
    assert abs(fit["shownRatio"] - fit["ratio"]) < 0.05, fit
