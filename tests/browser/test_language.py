"""The storefront in English: labels come from the English texts, with no Chinese punctuation of the templates."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from meiduo.goods.models import SKU

pytestmark = pytest.mark.browser


def a_product() -> SKU:
    """A product on sale (ids differ from test to test: every test loads the demo catalog again)."""
    sku = SKU.objects.filter(is_launched=True, stock__gt=0).order_by("id").first()
    assert sku is not None
    return sku


def test_english_labels_end_in_an_english_colon(page: Page, script_errors: list[str]) -> None:
    sku = a_product()
    page.goto("/")
    page.get_by_test_id("lang").click()
    page.goto(f"/list/{sku.category_id}")
    expect(page.locator(".sortbar")).to_contain_text("Sort by:")
    expect(page.locator(".sortbar")).not_to_contain_text("：")
    page.goto(f"/detail/{sku.id}")
    expect(page.locator(".total")).to_contain_text("Total: ¥")
    expect(page.locator(".total")).not_to_contain_text("：")

    page.get_by_test_id("lang").click()
    expect(page.locator(".total")).to_contain_text("总价：¥")
    assert script_errors == []


def test_taking_a_product_out_of_the_favourites_says_so_in_english(page: Page, script_errors: list[str]) -> None:
    get_user_model().objects.create_user(username="li_si", password="Meiduo-2024!", mobile="13800138001")
    page.goto(f"/login?next=/detail/{a_product().id}")
    page.get_by_test_id("lang").click()
    page.fill("#login-username", "li_si")
    page.fill("#login-password", "Meiduo-2024!")
    page.get_by_test_id("login-submit").click()
    favorite = page.get_by_test_id("favorite")
    expect(favorite).to_have_text("☆ Save")
    favorite.click()
    expect(page.get_by_test_id("toast")).to_have_text("Saved")
    expect(favorite).to_have_text("★ Saved")
    favorite.click()
    expect(page.get_by_test_id("toast")).to_have_text("Removed from your favourites")
    expect(favorite).to_have_text("☆ Save")
    assert script_errors == []
