"""The storefront in English: labels come from the English texts, with no Chinese punctuation of the templates."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_english_labels_end_in_an_english_colon(page: Page, script_errors: list[str]) -> None:
    page.goto("/")
    page.get_by_test_id("lang").click()
    page.goto("/list/3")
    expect(page.locator(".sortbar")).to_contain_text("Sort by:")
    expect(page.locator(".sortbar")).not_to_contain_text("：")
    page.goto("/detail/1")
    expect(page.locator(".total")).to_contain_text("Total: ¥")
    expect(page.locator(".total")).not_to_contain_text("：")

    page.get_by_test_id("lang").click()
    expect(page.locator(".total")).to_contain_text("总价：¥")
    assert script_errors == []
