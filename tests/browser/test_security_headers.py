"""The strict Content-Security-Policy in a real browser: every page works and nothing is refused."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_the_storefront_runs_under_the_policy_and_cannot_be_framed(
    page: Page, shop: str, script_errors: list[str]
) -> None:
    response = page.goto("/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    expect(page.locator(".logo, header").first).to_be_visible()
    page.get_by_text("English", exact=True).click()  # a re-render in another language
    page.wait_for_load_state("networkidle")
    # Framed by another page: the browser refuses to show the shop inside it.
    page.set_content(f'<iframe id="f" src="{shop}/" width="400" height="300"></iframe>')
    page.wait_for_timeout(1000)
    frame = page.frame_locator("#f")
    expect(frame.locator("#app")).to_have_count(0)
    assert [error for error in script_errors if "frame-ancestors" not in error and "X-Frame-Options" not in error] == []


def test_the_api_docs_work_without_inline_script(page: Page, shop: str, script_errors: list[str]) -> None:
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert script_errors == []


def test_the_admin_login_works_under_the_policy(page: Page, shop: str, script_errors: list[str]) -> None:
    page.goto("/admin/login/")
    expect(page.locator("#login-form")).to_be_visible()
    assert script_errors == []
