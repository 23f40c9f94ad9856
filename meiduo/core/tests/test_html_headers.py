"""Every HTML answer carries a strict Content-Security-Policy and refuses to be framed, whitenoise's files too."""

import re

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: sources}."""
    header = response.get("Content-Security-Policy", "")
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict(response) -> None:
    directives = policy(response)
    assert directives, "no Content-Security-Policy header"
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no inline script, no eval, no other host
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/detail/1", "/api/docs/", "/admin/login/"])
def test_html_pages_send_a_strict_policy_and_frame_protection(path):
    response = Client().get(path)
    assert response.status_code == 200
    assert_strict(response)


def test_storefront_files_served_by_whitenoise_carry_the_same_headers(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>美多商城</title>")
    (tmp_path / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    with override_settings(WHITENOISE_ROOT=tmp_path):  # read when the client's handler builds the middleware
        client = Client()
        for path in ("/index.html", "/favicon.svg"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert_strict(response)


def test_the_api_docs_page_runs_no_inline_script():
    html = Client().get("/api/docs/").content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    assert all("src=" in attributes and not body.strip() for attributes, body in scripts)
